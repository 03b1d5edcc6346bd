package extract

import (
	"os"
	"strings"
	"testing"
)

// The pages below are written by hand, not copied from the fixtures: Impact-theme
// article pages with other whitespace, wrappers, attribute orders and optional
// blocks, and pages no rule describes. They check that the rule and the generic
// layer are not tuned to the fixtures' exact markup.

const variantBody1 = "First paragraph of a variant article, long enough to count as real text in the body."
const variantBody2 = "Second paragraph with a link to a source and some more words to read through."

func TestVariants(t *testing.T) {
	e := defaultExtractor(t)
	full, err := os.ReadFile("testdata/variants/impact-full.html")
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		rule, title, author, bio, authorURL string
		editor                              Editor
		tags0, caption, copyright           string
		related                             []string
		body                                string
	}
	for _, tc := range []struct {
		name, url, page string
		want            want
	}{
		{
			name: "impact full, mirror host",
			url:  "https://mirror.example.net/blogs/tesmanian-blog/kremlin-clubhouse",
			page: string(full),
			want: want{rule: "tesmanian", title: "The Kremlin Considers Elon Musk’s Clubhouse Chat Invite to Russian President Vladimir Putin 'a very interesting proposal'",
				author: "Eva Fox", bio: "Eva Fox joined Tesmanian in 2019", authorURL: "https://x.com/EvaFoxU",
				editor: Editor{Handle: "SmokeyShorts", URL: "https://twitter.com/SmokeyShorts"}, tags0: "Elon Musk",
				caption: "Image: Brand Inside", copyright: "© 2021, Eva Fox. All rights reserved.",
				related: []string{"/blogs/tesmanian-blog/giga-texas-stotek-furnace", "/blogs/tesmanian-blog/solar-roof-color-patent"},
				body:    referenceBody},
		},
		{
			name: "impact minified, extra wrappers, no author box, byline shown",
			url:  "http://localhost:8080/blogs/news/minified",
			page: `<html lang="en-US"><head><meta content="Tesmanian" property="og:site_name"><title>Minified Story – Tesmanian</title>` +
				`<script type="application/ld+json">{"@type":"BlogPosting","headline":"Minified Story","datePublished":"2022-03-01T08:00:00","author":{"@type":"Person","name":"Staff Account"},"keywords":["Tesla","Model Y"]}</script></head>` +
				`<body><main><section class="shopify-section shopify-section--main-article"><div class="article"><div class="article-banner"><div class="article-banner__content">` +
				`<a href="/blogs/news/tagged/tesla" class="badge">Tesla</a><h1 class="h0">Minified Story</h1><div class="article__meta"><p class="text-with-icon"><time>Mar 1, 2022</time></p><p class="text-with-icon">By Sam Lee</p></div></div></div>` +
				`<div class="container"><div class="article-content"><div class="wrap"><div class="inner"><div class="prose">` +
				`<figure><img alt="Car" src="/cdn/car.jpg"><figcaption>Photo: Sam Lee</figcaption></figure>` +
				`<p>` + variantBody1 + `</p><p>Second paragraph with a <a href="/src">link to a source</a> and some more words to read through.</p>` +
				`<p><em>Edited by Jane Roe</em></p></div></div></div></div>` +
				`<div class="article-navigation"><h2>Reading next</h2><blog-post-card><p class="h5"><a href="/blogs/news/other">Other story</a></p></blog-post-card></div></div></div></section></main></body></html>`,
			want: want{rule: "tesmanian", title: "Minified Story", author: "Sam Lee", editor: Editor{Name: "Jane Roe"}, tags0: "Tesla",
				caption: "Photo: Sam Lee", related: []string{"/blogs/news/other"}, body: variantBody1 + "\n\n" + variantBody2},
		},
		{
			name: "impact without theme classes, author box by heading",
			url:  "https://www.tesmanian.com/blogs/tesmanian-blog/plain",
			page: `<!DOCTYPE html>
<html>
 <head>
  <meta   property = "og:title"   content = "Plain Story | Tesmanian" >
  <meta property="og:site_name" content="Tesmanian">
 </head>
 <body>
  <div id="page">
   <article>
    <h1>Plain Story</h1>
    <div class="prose">
     <p>
       ` + variantBody1 + `
     </p>
     <p>` + variantBody2 + `</p>
     <p>Article edited by <a href="https://x.com/EdHandle">@EdHandle</a>, you can follow her on X</p>
    </div>
    <section class="custom-author">
     <div><h2>About the author</h2></div>
     <div class="who"><a href="https://x.com/kimwriter"><img src="/k.jpg" alt="Kim Writer"></a>
      <h3>Kim Writer</h3>
      <p>Kim Writer covers batteries and charging networks for the site since 2020.</p>
      <a href="https://x.com/kimwriter">Follow me on X</a>
     </div>
    </section>
    <div><h3>Related articles</h3>
     <ul><li><a href="/blogs/tesmanian-blog/a">Story A</a></li><li><a href="/blogs/tesmanian-blog/b">Story B</a></li><li><a href="/blogs/tesmanian-blog/a">Read more</a></li></ul>
    </div>
   </article>
  </div>
 </body>
</html>`,
			want: want{rule: "tesmanian", title: "Plain Story", author: "Kim Writer", bio: "Kim Writer covers batteries", authorURL: "https://x.com/kimwriter",
				editor:  Editor{Handle: "EdHandle", URL: "https://x.com/EdHandle"},
				related: []string{"/blogs/tesmanian-blog/a", "/blogs/tesmanian-blog/b"}, body: variantBody1 + "\n\n" + variantBody2},
		},
		{
			name: "unknown site, generic markup",
			url:  "https://news.example.org/2024/05/generic-story",
			page: `<html lang="fr"><head><title>Generic Story - Example News</title><meta property="og:site_name" content="Example News">
<meta property="og:type" content="article"><meta property="article:published_time" content="2024-05-02T10:00:00+02:00"></head>
<body><header class="site-header"><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<div class="layout"><div class="main-column"><article class="story">
<h1>Generic Story</h1><p class="byline">By Jane Doe</p>
<p>` + variantBody1 + `</p><p>` + variantBody2 + `</p><p>A third paragraph, to make the body long enough for the scorer, goes on for a while, with commas, clauses, and more.</p>
<p>Edited by Mark Twain</p>
<div class="bio-box"><h4>About the Author</h4><p>Jane Doe</p><p>Jane Doe has reported on science and technology for twenty years from Paris and Geneva.</p><p><a href="https://twitter.com/janedoe">@janedoe on Twitter</a></p></div>
<div class="more"><h2>Related</h2><ul><li><a href="/2024/05/one">Story one</a></li><li><a href="https://news.example.org/2024/05/two">Story two</a></li></ul></div>
</article></div><aside class="sidebar"><h3>Most read</h3><ul><li><a href="/x">X</a></li></ul></aside></div>
<footer><p>© 2024 Example News</p></footer></body></html>`,
			want: want{title: "Generic Story", author: "Jane Doe", bio: "Jane Doe has reported on science", authorURL: "https://twitter.com/janedoe",
				editor: Editor{Name: "Mark Twain"}, related: []string{"/2024/05/one", "/2024/05/two"},
				body: variantBody1 + "\n\n" + variantBody2 + "\n\nA third paragraph, to make the body long enough for the scorer, goes on for a while, with commas, clauses, and more."},
		},
		{
			name: "unknown site, wire credits",
			url:  "https://wire.example.com/markets/story-1",
			page: `<html><head><title>Markets rally</title><script type="application/ld+json">{"@type":"NewsArticle","headline":"Markets rally","author":{"@type":"Organization","name":"Wire Team"}}</script></head>
<body><div class="article-body"><p>NEW YORK - Stocks rose on Monday as investors, cheered by earnings, bought shares in banks, miners and carmakers alike.</p>
<p>The index closed at a record high, its fourth in a row, while bond yields, which had climbed, eased back slightly.</p>
<p>Reporting by Ann Lee and Bo Chan in New York; Editing by Cy Dale</p></div></body></html>`,
			want: want{title: "Markets rally", author: "Ann Lee", editor: Editor{Name: "Cy Dale"},
				body: "NEW YORK - Stocks rose on Monday as investors, cheered by earnings, bought shares in banks, miners and carmakers alike.\n\nThe index closed at a record high, its fourth in a row, while bond yields, which had climbed, eased back slightly."},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := e.Extract(tc.url, nil, []byte(tc.page))
			if err != nil {
				t.Fatal(err)
			}
			w := tc.want
			if a.Rule != w.rule {
				t.Errorf("rule = %q, want %q", a.Rule, w.rule)
			}
			if a.Title != w.title {
				t.Errorf("title = %q, want %q", a.Title, w.title)
			}
			if len(a.Authors) == 0 || a.Authors[0].Name != w.author {
				t.Errorf("authors = %+v, want %q first", a.Authors, w.author)
			} else {
				if !strings.HasPrefix(a.Authors[0].Bio, w.bio) || (w.bio == "" && a.Authors[0].Bio != "") {
					t.Errorf("bio = %q, want prefix %q", a.Authors[0].Bio, w.bio)
				}
				if a.Authors[0].URL != w.authorURL {
					t.Errorf("author url = %q, want %q", a.Authors[0].URL, w.authorURL)
				}
			}
			if len(a.Editors) != 1 || a.Editors[0] != w.editor {
				t.Errorf("editors = %+v, want %+v", a.Editors, w.editor)
			}
			if w.tags0 != "" && (len(a.Tags) == 0 || a.Tags[0] != w.tags0) {
				t.Errorf("tags = %q, want %q first", a.Tags, w.tags0)
			}
			if w.caption != "" && (a.Image == nil || a.Image.Caption != w.caption) {
				t.Errorf("image = %+v, want caption %q", a.Image, w.caption)
			}
			if a.Copyright != w.copyright {
				t.Errorf("copyright = %q, want %q", a.Copyright, w.copyright)
			}
			if len(a.Related) != len(w.related) {
				t.Errorf("related = %+v, want %q", a.Related, w.related)
			} else {
				for i, r := range w.related {
					if !strings.HasSuffix(a.Related[i].URL, r) || !strings.HasPrefix(a.Related[i].URL, "http") || a.Related[i].Title == "" {
						t.Errorf("related[%d] = %+v, want %s", i, a.Related[i], r)
					}
				}
			}
			if a.BodyText != w.body {
				t.Errorf("body:\n got %q\nwant %q", a.BodyText, w.body)
			}
		})
	}
}

func TestCP1251Fixture(t *testing.T) {
	const h = "ilon-mask-priglasil-vladimira-putina-v-clubhouse"
	page := readFixture(t, h)
	a, err := defaultExtractor(t).Extract(fixtureURL+h, nil, page)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Илон Маск пригласил Владимира Путина пообщаться в Clubhouse"; a.Title != want {
		t.Errorf("title = %q, want %q", a.Title, want)
	}
	if !strings.HasPrefix(a.BodyText, "Генеральный директор Tesla и SpaceX Илон Маск") {
		t.Errorf("body starts %q", a.BodyText[:min(len(a.BodyText), 80)])
	}
	if a.Copyright != "© 2021, Eva Fox. Все права защищены." {
		t.Errorf("copyright = %q", a.Copyright)
	}
}
