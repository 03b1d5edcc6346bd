package extract

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

func TestErrors(t *testing.T) {
	e := New(nil)
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
	pdf := []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
	for _, tc := range []struct {
		name   string
		header http.Header
		body   []byte
		want   error
	}{
		{"nil", nil, nil, ErrEmpty},
		{"whitespace", nil, []byte(" \n\t "), ErrEmpty},
		{"png", nil, png, ErrNotHTML},
		{"png served as html", http.Header{"Content-Type": {"text/html"}}, png, ErrNotHTML},
		{"pdf", nil, pdf, ErrNotHTML},
		{"gzip", nil, []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"), ErrNotHTML},
		{"json type", http.Header{"Content-Type": {"application/json"}}, []byte(`{"a":1}`), ErrNotHTML},
		{"plain text", nil, []byte("just some words, no markup at all"), ErrNotHTML},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := e.Extract("https://example.com/x", tc.header, tc.body)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if a != nil {
				t.Errorf("record = %+v, want nil", a)
			}
			if !strings.Contains(err.Error(), "https://example.com/x") {
				t.Errorf("error %q does not name the page", err)
			}
		})
	}
}

func TestTruncatedPage(t *testing.T) {
	page := readFixture(t, referenceHandle)
	cut := page[:len(page)*6/10]
	a, err := defaultExtractor(t).Extract(fixtureURL+referenceHandle, nil, cut)
	if err != nil {
		t.Fatal(err)
	}
	if a.Title == "" || a.BodyText == "" {
		t.Errorf("truncated page: title %q, body %d bytes; want a partial record", a.Title, len(a.BodyText))
	}
}

func TestCharsets(t *testing.T) {
	const title = "Тесла открыла завод в Берлине"
	const para = "Компания Tesla начала производство электромобилей на новом заводе. Это важный шаг для всей отрасли."
	page := `<!doctype html><html><head><meta charset="windows-1251"><title>` + title + `</title></head>
<body><article><h1>` + title + `</h1><p>` + para + `</p><p>` + para + `</p></article></body></html>`
	cp1251, err := charmap.Windows1251.NewEncoder().String(page)
	if err != nil {
		t.Fatal(err)
	}
	utf16le := "\xff\xfe" + toUTF16LE(strings.Replace(page, "windows-1251", "utf-16", 1))
	for _, tc := range []struct {
		name   string
		header http.Header
		body   string
	}{
		{"meta only", nil, cp1251},
		{"header wins over meta", http.Header{"Content-Type": {"text/html; charset=windows-1251"}}, strings.Replace(cp1251, "windows-1251", "utf-8", 1)},
		{"bom wins over header", http.Header{"Content-Type": {"text/html; charset=windows-1251"}}, "\xef\xbb\xbf" + strings.Replace(page, "windows-1251", "utf-8", 1)},
		{"utf-16 bom", nil, utf16le},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := New(nil).Extract("https://example.ru/news/1", tc.header, []byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != title {
				t.Errorf("title = %q, want %q", a.Title, title)
			}
			if want := para + "\n\n" + para; a.BodyText != want {
				t.Errorf("body = %q, want %q", a.BodyText, want)
			}
		})
	}
}

func toUTF16LE(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > 0xffff {
			r = '?'
		}
		b.WriteByte(byte(r))
		b.WriteByte(byte(r >> 8))
	}
	return b.String()
}

func TestInvalidUTF8(t *testing.T) {
	page := "<html><head><meta charset=utf-8><title>Bad \xff\xfe bytes</title></head><body><p>Text \xc3\x28 here and more text to read.</p></body></html>"
	a, err := New(nil).Extract("https://example.com/a", nil, []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]string{"title": a.Title, "body": a.BodyText, "html": a.BodyHTML} {
		if !utf8.ValidString(s) {
			t.Errorf("%s is not valid UTF-8: %q", name, s)
		}
	}
}

func TestDeepNesting(t *testing.T) {
	body := strings.Join([]string{
		"Deeply nested pages still have an article that must come out whole and readable.",
		"The second paragraph sits inside six hundred wrappers, which the parser refuses.",
	}, "\n\n")
	var b strings.Builder
	b.WriteString(`<html><head><title>Nested story</title><meta property="og:type" content="article"></head><body>`)
	b.WriteString(strings.Repeat("<div>", 300))
	b.WriteString(`<article><h1>Nested story</h1><p>Deeply nested pages still have an article that must come out whole and readable.</p>`)
	b.WriteString(strings.Repeat("<div>", 400))
	b.WriteString(`<p>The second paragraph sits inside six hundred wrappers, which the parser refuses.</p>`)
	b.WriteString(strings.Repeat("</div>", 400))
	b.WriteString(`</article>`)
	b.WriteString(strings.Repeat("</div>", 300))
	b.WriteString(`</body></html>`)
	a, err := New(nil).Extract("https://example.com/nested", nil, []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Nested story" {
		t.Errorf("title = %q", a.Title)
	}
	if a.BodyText != body {
		t.Errorf("body = %q, want %q", a.BodyText, body)
	}
}

func TestLargePage(t *testing.T) {
	if testing.Short() {
		t.Skip("large page")
	}
	var b strings.Builder
	b.WriteString(`<html><head><title>Big</title></head><body><article>`)
	para := "<p>" + strings.Repeat("Lots of words, in a very long article body. ", 20) + "</p>\n"
	for b.Len() < 10<<20 {
		b.WriteString(para)
	}
	b.WriteString(`</article></body></html>`)
	a, err := New(nil).Extract("https://example.com/big", nil, []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if a.WordCount < 1_000_000 {
		t.Errorf("word count = %d, want the whole body", a.WordCount)
	}
}

func TestJSONLD(t *testing.T) {
	for _, tc := range []struct {
		name, script        string
		headline, published string
		authors             []string
	}{
		{"graph", `{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"S"},{"@type":["NewsArticle","Article"],"headline":"H","datePublished":"2021-02-15T10:03:11+01:00","author":{"@id":"#p"}},{"@type":"Person","@id":"#p","name":"Ann Lee"}]}`,
			"H", "2021-02-15T10:03:11+01:00", []string{"Ann Lee"}},
		{"array", `[{"@type":"BreadcrumbList"},{"@type":"ReportageNewsArticle","headline":"H","datePublished":"2021-02-15T10:03:11","author":[{"@type":"Person","name":"A"},{"@type":"Person","name":"B"}]}]`,
			"H", "2021-02-15T10:03:11", []string{"A", "B"}},
		{"trailing commas and control chars", "{\"@type\":\"BlogPosting\",\"headline\":\"Line\none\",\"author\":{\"name\":\"Zed\",},}",
			"Line one", "", []string{"Zed"}},
		{"entities", `{"@type":"Article","headline":"Musk&#39;s &amp; Co","datePublished":"2021-02-15T09:03:11Z"}`,
			"Musk's & Co", "2021-02-15T09:03:11Z", nil},
		{"several objects", `{"@type":"Organization","name":"O"}{"@type":"Article","headline":"Second"}`,
			"Second", "", nil},
		{"cdata", `//<![CDATA[
{"@type":"http://schema.org/NewsArticle","headline":"Wrapped"}
//]]>`, "Wrapped", "", nil},
		{"broken beyond repair", `{"@type":"Article","headline":`, "", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ld := parseJSONLD([]string{tc.script})
			if ld.headline != tc.headline {
				t.Errorf("headline = %q, want %q", ld.headline, tc.headline)
			}
			if got := normDate(ld.published); got != tc.published {
				t.Errorf("published = %q, want %q", got, tc.published)
			}
			var names []string
			for _, a := range ld.authors {
				names = append(names, a.name)
			}
			if strings.Join(names, "|") != strings.Join(tc.authors, "|") {
				t.Errorf("authors = %q, want %q", names, tc.authors)
			}
		})
	}
}

func TestCreditLines(t *testing.T) {
	t.Run("editor", func(t *testing.T) {
		for _, tc := range []struct {
			line string
			want Editor
		}{
			{"Article edited by @SmokeyShorts, you can follow him on Twitter", Editor{Handle: "SmokeyShorts"}},
			{"Edited by Jane Doe", Editor{Name: "Jane Doe"}},
			{"Article edited by @JaneRoe, you can follow her on X", Editor{Handle: "JaneRoe"}},
			{"Editing by Mark Potter.", Editor{Name: "Mark Potter"}},
		} {
			eds, ok := parseEditorLine(tc.line, nil)
			if !ok || len(eds) != 1 || eds[0] != tc.want {
				t.Errorf("%q: got %+v %v, want %+v", tc.line, eds, ok, tc.want)
			}
		}
		if _, ok := parseEditorLine("The team edited by hand a long list of photos.", nil); ok {
			t.Error("a sentence that mentions editing is not a credit")
		}
	})
	t.Run("wire", func(t *testing.T) {
		au, eds, ok := parseWireLine("Reporting by Tom Hals in Wilmington and Ann Lee; Editing by Bill Berkrot", nil)
		if !ok {
			t.Fatal("not recognised")
		}
		if len(au) != 2 || au[0].Name != "Tom Hals" || au[1].Name != "Ann Lee" {
			t.Errorf("authors = %+v", au)
		}
		if len(eds) != 1 || eds[0].Name != "Bill Berkrot" {
			t.Errorf("editors = %+v", eds)
		}
	})
}

func TestDates(t *testing.T) {
	for in, want := range map[string]string{
		"2021-02-15T10:03:11":           "2021-02-15T10:03:11",
		"2021-02-15T10:03:11Z":          "2021-02-15T10:03:11Z",
		"2021-02-15T10:03:11.000+0100":  "2021-02-15T10:03:11+01:00",
		"2021-02-15T10:03:11-05:00":     "2021-02-15T10:03:11-05:00",
		"Mon, 15 Feb 2021 10:03:11 GMT": "2021-02-15T10:03:11Z",
		"2021-02-15":                    "2021-02-15",
	} {
		if got := normDate(in); got != want {
			t.Errorf("normDate(%q) = %q, want %q", in, got, want)
		}
	}
	if got := parseTextDate("Feb 15, 2021"); got != "2021-02-15" {
		t.Errorf("parseTextDate = %q", got)
	}
}

func TestLoadRulesErrors(t *testing.T) {
	for name, tc := range map[string]struct{ file, want string }{
		"bad selector": {`{"name":"x","selectors":{"body":"div[["}}`, "selectors.body"},
		"bad regexp":   {`{"name":"x","article_path":"(["}`, "article_path"},
		"unknown key":  {`{"name":"x","selector":{}}`, "unknown field"},
		"no name":      {`{"hosts":["a"]}`, "name"},
		"bad json":     {`{"name":`, "decode"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := LoadRules(fstest.MapFS{"site.json": {Data: []byte(tc.file)}})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), "site.json") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q should name the file and %q", err, tc.want)
			}
		})
	}
	rules, err := LoadRules(embeddedRulesFS(t))
	if err != nil || len(rules) == 0 {
		t.Fatalf("embedded rules: %v (%d)", err, len(rules))
	}
}

func embeddedRulesFS(t *testing.T) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	entries, err := embeddedRules.ReadDir("rules")
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range entries {
		data, err := embeddedRules.ReadFile("rules/" + en.Name())
		if err != nil {
			t.Fatal(err)
		}
		out[en.Name()] = &fstest.MapFile{Data: data, ModTime: time.Time{}}
	}
	return out
}

func TestIsArticle(t *testing.T) {
	e := defaultExtractor(t)
	listing := []byte(`<html><head><meta property="og:site_name" content="Tesmanian"><meta property="og:type" content="website"></head>
<body><h1>Tesmanian Blog</h1><blog-post-card><p class="h3"><a href="/blogs/tesmanian-blog/x">X</a></p></blog-post-card></body></html>`)
	for _, tc := range []struct {
		url  string
		page []byte
		want bool
	}{
		{"https://www.tesmanian.com/blogs/tesmanian-blog/" + referenceHandle, readFixture(t, referenceHandle), true},
		{"http://127.0.0.1:8080/blogs/tesmanian-blog/" + referenceHandle + "?utm=1", readFixture(t, referenceHandle), true},
		{"https://www.tesmanian.com/blogs/tesmanian-blog/tagged/elon-musk", listing, false},
		{"https://www.tesmanian.com/blogs/tesmanian-blog", listing, false},
		{"http://127.0.0.1:8080/blogs/tesmanian-blog?page=2", listing, false},
	} {
		a, err := e.Extract(tc.url, nil, tc.page)
		if err != nil {
			t.Fatal(err)
		}
		if a.Rule != "tesmanian" || a.IsArticle != tc.want {
			t.Errorf("%s: rule %q, is_article = %v, want tesmanian, %v", tc.url, a.Rule, a.IsArticle, tc.want)
		}
	}
}

func TestNeedsAttr(t *testing.T) {
	for sel, want := range map[string]bool{
		"h1": false, ".a .b": true, "div.a": false, ".a > p": false, "[itemprop=author]": true,
		"#x": true, ".a p:not(:has(.b))": false, "a[href]": false, ":not(p)": false,
	} {
		if got := needsAttr(sel); got != want {
			t.Errorf("needsAttr(%q) = %v, want %v", sel, got, want)
		}
	}
	if got := splitGroup(`a[title="x,y"], .b:not(.c, .d), e`); len(got) != 3 {
		t.Errorf("splitGroup = %q", got)
	}
}

// TestMirrorStable checks that a page served from another host than its
// canonical one (the loopback demo, a mirror) gives the same record as at its
// canonical address, except url: relative links resolve against the canonical
// URL, so re-crawling the fixture site on a new port does not make new versions.
func TestMirrorStable(t *testing.T) {
	for _, tc := range []struct {
		name string
		e    *Extractor
	}{{"rule", defaultExtractor(t)}, {"generic", New(nil)}} {
		for _, h := range fixturePages(t) {
			t.Run(tc.name+"/"+h, func(t *testing.T) {
				page := readFixture(t, h)
				want, err := tc.e.Extract(fixtureURL+h, nil, page)
				if err != nil {
					t.Fatal(err)
				}
				for _, mirror := range []string{"http://127.0.0.1:1234/blogs/tesmanian-blog/", "http://127.0.0.1:40213/blogs/tesmanian-blog/"} {
					got, err := tc.e.Extract(mirror+h, nil, page)
					if err != nil {
						t.Fatal(err)
					}
					if got.URL != mirror+h {
						t.Errorf("url = %q, want %q", got.URL, mirror+h)
					}
					got.URL = want.URL
					for _, d := range diffArticles(want, got) {
						t.Error(d)
					}
				}
			})
		}
	}
}

func TestLinkBase(t *testing.T) {
	const body = `<p>Enough words to be a paragraph of the article, with a <a href="/other">link</a> inside it.</p>
<p><img src="//cdn.example.com/i.jpg" alt="x"></p>`
	for _, tc := range []struct {
		name, pageURL, head, wantLink, wantImg string
	}{
		{"mirror of the canonical page", "http://127.0.0.1:9/news/a", `<link rel="canonical" href="https://example.com/news/a">`,
			"https://example.com/other", "https://cdn.example.com/i.jpg"},
		{"og:url without canonical", "http://127.0.0.1:9/news/a/", `<meta property="og:url" content="https://example.com/news/a">`,
			"https://example.com/other", "https://cdn.example.com/i.jpg"},
		{"canonical to another page", "http://127.0.0.1:9/news/a", `<link rel="canonical" href="https://example.com/">`,
			"http://127.0.0.1:9/other", "http://cdn.example.com/i.jpg"},
		{"relative canonical", "http://127.0.0.1:9/news/a", `<link rel="canonical" href="/news/a">`,
			"http://127.0.0.1:9/other", "http://cdn.example.com/i.jpg"},
		{"base href", "http://127.0.0.1:9/news/a", `<base href="https://static.example.org/x/"><link rel="canonical" href="https://example.com/">`,
			"https://static.example.org/other", "https://cdn.example.com/i.jpg"},
		{"base href on a mirror", "http://127.0.0.1:9/news/a", `<base href="/"><link rel="canonical" href="https://example.com/news/a">`,
			"https://example.com/other", "https://cdn.example.com/i.jpg"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := "<html><head>" + tc.head + "<title>T</title></head><body><article>" + body + "</article></body></html>"
			a, err := New(nil).Extract(tc.pageURL, nil, []byte(page))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(a.BodyHTML, `href="`+tc.wantLink+`"`) {
				t.Errorf("body_html = %s, want link %s", a.BodyHTML, tc.wantLink)
			}
			if !strings.Contains(a.BodyHTML, `src="`+tc.wantImg+`"`) {
				t.Errorf("body_html = %s, want image %s", a.BodyHTML, tc.wantImg)
			}
		})
	}
}

func TestGenericHints(t *testing.T) {
	for line, want := range map[string]bool{
		"Posted by Michael David Smith on November 19, 2019, 6:21 AM EST": true,
		"20 Nov, 2019 05:47":                             true,
		"Updated Nov 19, 6:55 AM;Posted Nov 19, 6:51 AM": true,
		"segunda-feira, 22 de janeiro de 2018 às 0:13":   true,
		"05 Oct": true,
		"On November 5, 2019, the council met to vote on the budget proposal.": false,
		"Spending rises by 4 percent in 2020":                                  false,
		"May":                                                                  false,
	} {
		if got := isDateline(line); got != want {
			t.Errorf("isDateline(%q) = %v, want %v", line, got, want)
		}
	}
	for name, want := range map[string]bool{
		"article__share": true, "share-content": false, "imageEmbedCaption": true, "story-body__inner": false,
		"dateline": true, "headline": false, "adrail": false, "ad-slot": true, "post-meta": true, "bylineWrapper": true,
	} {
		if got := furnitureName(name); got != want {
			t.Errorf("furnitureName(%q) = %v, want %v", name, got, want)
		}
	}
	for href, want := range map[string]bool{
		"/2019/11/x": true, "https://www.example.com/a": true, "//cdn.example.com/a": true,
		"https://example.org/a": false, "https://notexample.com/": false, "http://example.com:8080/a": true,
	} {
		if got := sameSite(href, "example.com"); got != want {
			t.Errorf("sameSite(%q) = %v, want %v", href, got, want)
		}
	}
	for in, want := range map[string]string{
		"How to Build a Terrarium | eHow":                                   "How to Build a Terrarium",
		"Lorem ipsum dolor sit amet – My website":                           "Lorem ipsum dolor sit amet",
		"Short one | Site":                                                  "Short one | Site",
		"Outside the web: standalone WebAssembly binaries using Emscripten": "standalone WebAssembly binaries using Emscripten",
	} {
		if got := documentTitle(in, nil); got != want {
			t.Errorf("documentTitle(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestByline checks the printed credit line beside the parsed names: declared
// metadata as written, else the byline element as printed (its itemprop=name
// when marked), never a container that also holds the date.
func TestByline(t *testing.T) {
	const para = `<p>` + "The council voted on Tuesday to approve the new budget for the coming year, after a long debate. " +
		"Members of the public spoke for and against the plan, which raises spending on roads and schools.</p>"
	page := func(head, body string) []byte {
		return []byte(`<html><head><title>Budget approved</title>` + head + `</head><body><article><h1>Budget approved</h1>` +
			body + para + para + para + `</article></body></html>`)
	}
	for _, tc := range []struct {
		name, head, body string
		byline           string
		authors          []string
	}{
		{"printed line keeps its prefix", ``, `<p class="byline">By Ann Lee and Bo Ray</p>`,
			"By Ann Lee and Bo Ray", []string{"Ann Lee", "Bo Ray"}},
		{"printed line keeps a dateline", ``, `<div class="byline">By GILL MOHNEY <span>March 11, 2015 3:46 PM</span></div>`,
			"By GILL MOHNEY March 11, 2015 3:46 PM", []string{"GILL MOHNEY"}},
		{"itemprop name inside the byline", ``, `<p itemprop="author">Tech desk by <span itemprop="name">Steve Musil</span> @stevem</p>`,
			"Steve Musil", []string{"Steve Musil"}},
		{"author-date container gives way to its byline", ``,
			`<div class="post__author-date"><h6 class="byline"><em>By</em> <a href="/a/j">Jo Sokol</a></h6><p><em>May 20, 2019</em></p></div>`,
			"By Jo Sokol", []string{"Jo Sokol"}},
		{"meta declared as written", `<meta name="author" content="Ann Lee">`, `<p class="byline">Words: Ann Lee, Staff</p>`,
			"Ann Lee", []string{"Ann Lee"}},
		{"repeated Dublin Core creators, duplicates once", `<meta name="DC.Creator" content="Kooman, F."><meta name="DC.Creator" content="Jong, Michiel de"><meta name="DC.Creator" content="Kooman, F.">`, ``,
			"Kooman, F., Jong, Michiel de", []string{"Kooman, F.", "Jong, Michiel de"}},
		{"a By line copied into meta yields to the page", `<meta name="byl" content="By Nelson Schwartz">`,
			`<p itemprop="author">By <a><span itemprop="name">Nelson Schwartz</span></a></p>`,
			"Nelson Schwartz", []string{"Nelson Schwartz"}},
		{"JSON-LD names", `<script type="application/ld+json">{"@type":"NewsArticle","author":[{"@type":"Person","name":"A Bee"},{"@type":"Person","name":"C Dee"}]}</script>`, ``,
			"A Bee, C Dee", []string{"A Bee", "C Dee"}},
		{"JSON-LD person and agency", `<script type="application/ld+json">{"@type":"NewsArticle","author":[{"@type":"Person","name":"A Bee"},{"@type":"Organization","name":"Reuters"}]}</script>`, ``,
			"A Bee, Reuters", []string{"A Bee"}},
		{"no credit at all", ``, ``, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := New(nil).Extract("https://news.example/2024/budget", nil, page(tc.head, tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if a.Byline != tc.byline {
				t.Errorf("byline = %q, want %q", a.Byline, tc.byline)
			}
			var names []string
			for _, au := range a.Authors {
				names = append(names, au.Name)
			}
			if strings.Join(names, "|") != strings.Join(tc.authors, "|") {
				t.Errorf("authors = %q, want %q", names, tc.authors)
			}
		})
	}
}

// TestMaxParse: a page longer than the parse cap is extracted from its
// prefix only, and the record says so.
func TestMaxParse(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><title>Long Report</title><meta property="og:type" content="article"></head><body><article><h1>Long Report</h1>`)
	b.WriteString("<p>First paragraph of the long report, which the prefix holds.</p>")
	for b.Len() < 64<<10 {
		b.WriteString("<p>Filler paragraph of the long report that goes on and on.</p>")
	}
	b.WriteString("<p>Tail sentence beyond the cap.</p></article></body></html>")
	page := []byte(b.String())
	ex, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	whole, err := ex.Extract("https://example.org/long", nil, page)
	if err != nil {
		t.Fatal(err)
	}
	if whole.Partial || !strings.Contains(whole.BodyText, "Tail sentence") {
		t.Errorf("uncapped: partial %v, tail kept %v", whole.Partial, strings.Contains(whole.BodyText, "Tail sentence"))
	}
	capped, err := ex.WithMaxParse(16<<10).Extract("https://example.org/long", nil, page)
	if err != nil {
		t.Fatal(err)
	}
	if !capped.Partial || strings.Contains(capped.BodyText, "Tail sentence") || !strings.Contains(capped.BodyText, "First paragraph") {
		t.Errorf("capped at 16 KiB: partial %v, body %d bytes", capped.Partial, len(capped.BodyText))
	}
	if capped.Title != "Long Report" {
		t.Errorf("capped title %q", capped.Title)
	}
	if small, _ := ex.WithMaxParse(16<<10).Extract("https://example.org/s", nil, []byte("<html><title>s</title><p>short</p></html>")); small == nil || small.Partial {
		t.Error("a page under the cap is marked partial")
	}
}
