package extract

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// TestResolveFast checks the fast path of resolve against net/url on the
// references it accepts, and that it refuses the ones net/url must handle.
func TestResolveFast(t *testing.T) {
	base, err := url.Parse("https://www.example.com/news/story.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ref  string
		fast bool
	}{
		{"https://cdn.example.com/a/b.jpg?v=1&w=2", true},
		{"http://example.org", true},
		{"/blogs/news/x-y_z?page=2#c", true},
		{"//cdn.example.com/i.png", true},
		{"https://example.com/a/../b", false},
		{"/a/./b", false},
		{"/a b", false},
		{"https://example.com/%41", false},
		{"https://user@example.com/", false},
		{"https://[::1]/", false},
		{"https://example.com/x#", false},
		{"https://example.com/é", false},
		{"relative/path", false},
		{"HTTPS://example.com/", false},
	} {
		t.Run(tc.ref, func(t *testing.T) {
			got, ok := resolveFast(base, tc.ref)
			if ok != tc.fast {
				t.Fatalf("resolveFast(%q) ok = %v, want %v", tc.ref, ok, tc.fast)
			}
			if !ok {
				return
			}
			u, err := url.Parse(tc.ref)
			if err != nil {
				t.Fatal(err)
			}
			if want := base.ResolveReference(u).String(); got != want {
				t.Errorf("resolveFast(%q) = %q, net/url gives %q", tc.ref, got, want)
			}
		})
	}
}

func TestIsCreditLine(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"Изображение: Twitter", true},
		{"Фото: ТАСС", true},
		{"Bild: dpa", true},
		{"Foto: Reuters/John Doe", true},
		{"Imagen: EFE", true},
		{"Crédit : AFP", true},
		{"Photo credit: Jane Doe", true},
		{"Source: company filings", true},
		{"Note: the company did not reply to a request for comment.", false},
		{"Photo: a very long description of what the picture shows in the article here", false},
		{"Twitter", false},
		{"Изображение:", false},
	} {
		if got := isCreditLine(tc.line); got != tc.want {
			t.Errorf("isCreditLine(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

func TestMetaNames(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Kooman, F.", []string{"Kooman, F."}},
		{"Jong, Michiel de", []string{"Jong, Michiel de"}},
		{"Jane Doe, John Roe", []string{"Jane Doe", "John Roe"}},
		{"Jane Doe and John Roe", []string{"Jane Doe", "John Roe"}},
		{"By Jane Doe", []string{"Jane Doe"}},
	} {
		if got := metaNames(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("metaNames(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCleanBylineCoAuthorsAndDates(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Martin Untersinger (avec Damien Leloup et Morgane Tual)", []string{"Martin Untersinger", "Damien Leloup", "Morgane Tual"}},
		{"Jane Doe (with John Roe)", []string{"Jane Doe", "John Roe"}},
		{"Sunday, Feb 1, 2015 11:57 AM UTC", nil},
	} {
		if got := cleanByline(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("cleanByline(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestRepeatedMetaAuthors: one author tag per author gives every author.
func TestRepeatedMetaAuthors(t *testing.T) {
	page := `<html><head><title>Draft</title>
<meta name="DC.Creator" content="Kooman, F."><meta name="DC.Creator" content="Jong, Michiel de">
</head><body><p>` + strings.Repeat("Some text of the draft. ", 20) + `</p></body></html>`
	a, err := New(nil).Extract("https://example.org/draft", nil, []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, au := range a.Authors {
		got = append(got, au.Name)
	}
	if want := []string{"Kooman, F.", "Jong, Michiel de"}; !reflect.DeepEqual(got, want) {
		t.Errorf("authors = %q, want %q", got, want)
	}
}

// TestDivText: article text written straight into a <div> beside block
// elements, its paragraphs separated by <br><br>, is found as the body.
func TestDivText(t *testing.T) {
	para := strings.Repeat("The team registered the damage this morning, and the police came, ", 4)
	page := `<html><body><div class="menu"><ul>` + strings.Repeat(`<li><a href="/x">Link item</a></li>`, 20) + `</ul></div>
<div class="col"><p class="title">Headline</p><small>05/10/2018</small><br><br>` + para + `<br><br>` + para + `
</div><div class="footer"><p>Company address, phone, and other details, registered number 12345.</p></div></body></html>`
	a, err := New(nil).Extract("https://example.org/news/1", nil, []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.BodyText, strings.TrimSpace(para)) || strings.Contains(a.BodyText, "Company address") {
		t.Errorf("body = %q", a.BodyText)
	}
}

func TestSplitDescendant(t *testing.T) {
	for _, tc := range []struct {
		sel, anc, self string
		ok             bool
	}{
		{".article__meta p", ".article__meta", "p", true},
		{".blog_meta [itemprop=author]", ".blog_meta", "[itemprop=author]", true},
		{`a[title="x y"] b`, `a[title="x y"]`, "b", true},
		{"h1", "", "", false},
		{".a > p", "", "", false},
		{".a .b p", "", "", false},
	} {
		anc, self, ok := splitDescendant(tc.sel)
		if ok != tc.ok || (ok && (anc != tc.anc || self != tc.self)) {
			t.Errorf("splitDescendant(%q) = %q, %q, %v; want %q, %q, %v", tc.sel, anc, self, ok, tc.anc, tc.self, tc.ok)
		}
	}
	for sel, want := range map[string]string{".banner .badge": "badge", "div.article": "", ".a-b_c:not(.x)": "a-b_c", "#id": ""} {
		if got := leadingClass(sel); got != want {
			t.Errorf("leadingClass(%q) = %q, want %q", sel, got, want)
		}
	}
}

func TestPhraseKey(t *testing.T) {
	for in, want := range map[string]string{
		"About  the\nAuthor:":     "about the author",
		"Reading next —":          "reading next",
		"\u00a0Related\u00a0news": "related news",
		"Читайте также":           "",
	} {
		got, ok := phraseKey(nil, in)
		if string(got) != want || ok != (want != "") {
			t.Errorf("phraseKey(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
