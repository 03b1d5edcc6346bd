package extract

import (
	"strings"
	"testing"
)

const referenceHandle = "the-kremlin-considers-elon-musks-clubhouse-chat-invite-to-russian-president-vladimir-putin-a-very-interesting-proposal"

// referenceBody is the reference article's text: exactly its six paragraphs.
var referenceBody = strings.Join([]string{
	"Elon Musk is ready for a dialogue with Russian President Vladimir Putin. On February 13, he invited Putin to a meeting, and it seems the Kremlin considers this a very interesting proposal. After examining all the details, the Kremlin representatives will decide how exactly they will respond to this.",
	"On February 13, Tesla and SpaceX CEO Elon Musk asked the official Twitter account of the President of Russia if he wanted to join a conversation with him on Clubhouse. Clubhouse is a new social media platform where people can talk to each other and participate in discussions of topics of interest. In the last few weeks, it has attracted famous people like Elon Musk, Mark Zuckerberg, Steve Ballmer, and others.",
	"The Kremlin considered Musk's proposal with an invite to Russian President Putin interesting, said Russian President's press secretary Dmitry Peskov, according to Interfax. He noted that Putin has nothing to do with the Kremlin's social media account, and that the Kremlin needs to brainstorm before agreeing.",
	`"We first want to figure it out. You know that President Putin does not directly use social networks. He personally does not run them. In general, this is certainly a very interesting proposal," Peskov told reporters.`,
	`"We need to somehow understand what is meant, what is proposed. First, we will check all this and then we will react," he added.`,
	"The conversation between Musk and Putin could be very interesting, and because it was open to the audience (although the Clubhouse room is limited to only 5,000 people) it would make a lot of sense. The entrepreneur and the President could discuss a number of important topics, such as the development of the space industry, the climate situation on Earth, etc.",
}, "\n\n")

// checkReference asserts the "must show" fields of the reference article.
func checkReference(t *testing.T, a *Article, wantRule string) {
	t.Helper()
	if got, want := a.Title, "The Kremlin Considers Elon Musk’s Clubhouse Chat Invite to Russian President Vladimir Putin 'a very interesting proposal'"; got != want {
		t.Errorf("title = %q, want %q", got, want)
	}
	if len(a.Authors) != 1 || a.Authors[0].Name != "Eva Fox" {
		t.Fatalf("authors = %+v, want Eva Fox", a.Authors)
	}
	if bio := a.Authors[0].Bio; !strings.HasPrefix(bio, "Eva Fox joined Tesmanian in 2019") || !strings.HasSuffix(bio, "development of the company.") {
		t.Errorf("bio = %q", bio)
	}
	if len(a.Editors) != 1 || a.Editors[0].Handle != "SmokeyShorts" {
		t.Errorf("editors = %+v, want handle SmokeyShorts", a.Editors)
	}
	if len(a.Tags) == 0 || a.Tags[0] != "Elon Musk" {
		t.Errorf("tags = %q, want Elon Musk first", a.Tags)
	}
	if a.Image == nil || a.Image.Caption != "Image: Brand Inside" {
		t.Errorf("image = %+v, want caption Image: Brand Inside", a.Image)
	}
	wantRelated := []Link{
		{Title: "Tesla Giga Texas Takes Delivery of STØTEK Aluminum Melting Furnace for Giga Press, Production Nears",
			URL: "/blogs/tesmanian-blog/tesla-giga-texas-takes-delivery-of-stotek-aluminum-melting-furnace-for-giga-press-production-nears"},
		{Title: "Tesla Filed a New Patent 'System and method for improving color appearance of solar roofs'",
			URL: "/blogs/tesmanian-blog/tesla-filed-a-new-patent-system-and-method-for-improving-color-appearance-of-solar-roofs"},
	}
	if len(a.Related) != len(wantRelated) {
		t.Errorf("related = %+v, want %d links", a.Related, len(wantRelated))
	} else {
		for i, w := range wantRelated {
			if g := a.Related[i]; g.Title != w.Title || !strings.HasSuffix(g.URL, w.URL) || !strings.HasPrefix(g.URL, "http") {
				t.Errorf("related[%d] = %+v, want %+v (absolute)", i, g, w)
			}
		}
	}
	if a.BodyText != referenceBody {
		t.Errorf("body_text:\n got %q\nwant %q", a.BodyText, referenceBody)
	}
	if got, want := a.Copyright, "© 2021, Eva Fox. All rights reserved."; got != want {
		t.Errorf("copyright = %q, want %q", got, want)
	}
	for _, bad := range []string{"We appreciate", "edited by", "About the Author", "Reading next", "Tesla Accessories", "Image: Brand Inside", "©", "<script", "class=", "style="} {
		if strings.Contains(a.BodyHTML, bad) || strings.Contains(a.BodyText, bad) {
			t.Errorf("body contains %q", bad)
		}
	}
	if a.Rule != wantRule {
		t.Errorf("rule = %q, want %q", a.Rule, wantRule)
	}
	if !a.IsArticle {
		t.Error("is_article = false")
	}
	if a.PublishedAt != "2021-02-15T10:03:11" {
		t.Errorf("published_at = %q, want the page's own value without offset", a.PublishedAt)
	}
}

func TestReferenceArticle(t *testing.T) {
	page := readFixture(t, referenceHandle)
	e := defaultExtractor(t)
	t.Run("canonical host", func(t *testing.T) {
		a, err := e.Extract(fixtureURL+referenceHandle, nil, page)
		if err != nil {
			t.Fatal(err)
		}
		checkReference(t, a, "tesmanian")
		if a.Sources["title"] != "site:tesmanian" || a.Sources["body_text"] != "site:tesmanian" {
			t.Errorf("sources = %v", a.Sources)
		}
	})
	t.Run("loopback", func(t *testing.T) {
		a, err := e.Extract("http://127.0.0.1:1234/blogs/tesmanian-blog/"+referenceHandle, nil, page)
		if err != nil {
			t.Fatal(err)
		}
		checkReference(t, a, "tesmanian")
	})
	t.Run("loopback without canonical", func(t *testing.T) {
		// A mirror that rewrote its head: only the page signature is left.
		stripped := strings.NewReplacer(`rel="canonical"`, `rel="x"`, `property="og:url"`, `property="x"`).Replace(string(page))
		a, err := e.Extract("http://127.0.0.1:1234/blogs/tesmanian-blog/"+referenceHandle, nil, []byte(stripped))
		if err != nil {
			t.Fatal(err)
		}
		checkReference(t, a, "tesmanian")
	})
	t.Run("generic layer only", func(t *testing.T) {
		a, err := New(nil).Extract(fixtureURL+referenceHandle, nil, page)
		if err != nil {
			t.Fatal(err)
		}
		checkReference(t, a, "")
		if a.Sources["body_text"] != SourceHeuristic || a.Sources["related"] != SourceHeuristic {
			t.Errorf("sources = %v, want the heuristic body and related links", a.Sources)
		}
	})
	t.Run("generic layer only, headings in another language", func(t *testing.T) {
		// The box and the reading-next block are found without their
		// English headings: the author box by its class, the links by the
		// German heading.
		de := strings.NewReplacer("About the Author", "Über die Autorin", "Reading next", "Lesen Sie auch").Replace(string(page))
		a, err := New(nil).Extract(fixtureURL+referenceHandle, nil, []byte(de))
		if err != nil {
			t.Fatal(err)
		}
		checkReference(t, a, "")
		if a.Sources["editors"] != SourceHeuristic || a.Sources["author_bio"] != SourceHeuristic {
			t.Errorf("sources = %v, want heuristic editors and author_bio", a.Sources)
		}
	})
	t.Run("generic layer only, loopback", func(t *testing.T) {
		// The mirror's record links to the canonical site, not to the port
		// that served it.
		a, err := New(nil).Extract("http://127.0.0.1:1234/blogs/tesmanian-blog/"+referenceHandle, nil, page)
		if err != nil {
			t.Fatal(err)
		}
		checkReference(t, a, "")
		for _, l := range a.Related {
			if !strings.HasPrefix(l.URL, fixtureURL) {
				t.Errorf("related link %s does not resolve against the canonical URL", l.URL)
			}
		}
		if a.Image == nil || !strings.HasPrefix(a.Image.URL, "https://www.tesmanian.com/") {
			t.Errorf("image = %+v, want an https URL on the canonical host", a.Image)
		}
	})
}
