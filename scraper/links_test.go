package scraper

import (
	"fmt"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestHTMLLinks(t *testing.T) {
	page := `<!doctype html><html><head>
<base href="/section/">
<link rel="canonical" href="https://example.com/canon">
<link rel="alternate" type="application/rss+xml" href="/feed.rss">
<link rel="alternate" type="application/atom+xml; charset=utf-8" href="/atom.xml">
<link rel="alternate" hreflang="de" href="/de/">
<link rel="stylesheet" href="/style.css">
<link rel="next" href="?page=2">
<script>var s = '<a href="/in-script">x</a>';</script>
</head><body>
<a href="relative">r</a> <A HREF="/upper">u</A> <a href="#frag">f</a> <a>no href</a>
<a rel="nofollow next" href="/p2">n</a> <area href="/map"> <a href='  /spaces  '>s</a>
<a href="/amp?a=1&amp;b=2">e</a>
<div><a href="/unclosed"><p>tag soup</div>
</body></html>`
	links, base := htmlLinks([]byte(page))
	if base != "/section/" {
		t.Errorf("base %q", base)
	}
	var got []string
	for _, l := range links {
		got = append(got, fmt.Sprintf("%s %s next=%v", l.href, l.kind, l.next))
	}
	want := []string{
		"https://example.com/canon page next=true",
		"/feed.rss feed next=true",
		"/atom.xml feed next=true",
		"?page=2 page next=true",
		"relative page next=false",
		"/upper page next=false",
		"#frag page next=false",
		"/p2 page next=true",
		"/map page next=false",
		"  /spaces   page next=false",
		"/amp?a=1&b=2 page next=false",
		"/unclosed page next=false",
	}
	if !slices.Equal(got, want) {
		t.Errorf("links:\n got %q\nwant %q", got, want)
	}
}

func TestResolveLink(t *testing.T) {
	base, _ := url.Parse("https://example.com/news/story.html")
	tests := []struct {
		href, want string
		ok         bool
	}{
		{"other.html", "https://example.com/news/other.html", true},
		{"../top", "https://example.com/top", true},
		{"//cdn.example.com/x", "https://cdn.example.com/x", true},
		{"?page=2", "https://example.com/news/story.html?page=2", true},
		{"http://Example.com:80/a#b", "http://example.com/a", true},
		{"#top", "", false},
		{"javascript:void(0)", "", false},
		{"JavaScript:alert(1)", "", false},
		{"mailto:a@example.com", "", false},
		{"tel:+123", "", false},
		{"data:text/html,hi", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := resolveLink(base, tt.href)
		if ok != tt.ok || got != tt.want {
			t.Errorf("resolveLink(%q) = %q, %v; want %q, %v", tt.href, got, ok, tt.want, tt.ok)
		}
	}
}

func TestScope(t *testing.T) {
	cfg := testConfig()
	cfg.AllowedDomains = []string{"example.org"}
	cfg.MaxDepth = 2
	s := newScope(cfg)
	s.addSeedHost("www.example.com")
	tests := []struct {
		url   string
		depth int
		want  bool
	}{
		{"https://www.example.com/a", 1, true},
		{"https://example.com/a", 1, true},
		{"https://sub.example.com/a", 1, false},
		{"https://example.org/a", 1, true},
		{"https://news.example.org/a", 1, true},
		{"https://badexample.org/a", 1, false},
		{"https://www.example.com/a", 3, false},
	}
	for _, tt := range tests {
		if got := s.allows(tt.url, KindPage, tt.depth, false); got != tt.want {
			t.Errorf("allows(%q, depth %d) = %v, want %v", tt.url, tt.depth, got, tt.want)
		}
	}
}

// benchPage returns a ~100 KB article page with 150 links, like the
// benchmark site of issue 3.
func benchPage() []byte {
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Story</title>
<link rel="canonical" href="https://www.example.com/news/2024/05/story-1">
<link rel="alternate" type="application/rss+xml" href="/feed.xml">
<script>window.dataLayer=[];function f(){return '<a href="/x">';}</script>
<style>body{font-family:serif}.nav a{color:red}</style></head><body><nav class="nav">`)
	for i := range 40 {
		fmt.Fprintf(&b, `<a class="nav-link" href="/category/section-%d/">Section %d</a>`, i, i)
	}
	b.WriteString(`</nav><article><h1>Headline</h1><p class="byline">By <a href="/author/jane-doe">Jane Doe</a></p>`)
	para := strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt. ", 8)
	for i := 0; b.Len() < 90_000; i++ {
		fmt.Fprintf(&b, `<p>%s<a href="https://www.example.com/news/2024/05/related-story-%d?utm_source=inline">related</a></p>`, para, i%100)
		if i%10 == 0 {
			fmt.Fprintf(&b, `<figure><img src="/img/%d.jpg" alt="x"><figcaption>Caption</figcaption></figure>`, i)
		}
	}
	b.WriteString(`</article><footer>`)
	for i := range 10 {
		fmt.Fprintf(&b, `<a href="/page/%d" rel="next">%d</a><a href="https://twitter.com/share?u=%d">t</a>`, i, i, i)
	}
	b.WriteString(`</footer></body></html>`)
	return []byte(b.String())
}

func TestBenchPageShape(t *testing.T) {
	p := benchPage()
	links, _ := htmlLinks(p)
	if len(p) < 90_000 || len(p) > 120_000 || len(links) < 140 || len(links) > 200 {
		t.Errorf("bench page: %d bytes, %d links", len(p), len(links))
	}
}

// BenchmarkDiscoverLinks measures link discovery on a ~100 KB page with
// ~150 links: tokenizing, resolving, canonicalising, scope and de-duplication.
func BenchmarkDiscoverLinks(b *testing.B) {
	store := newMemStore()
	c, err := New(testConfig(), store, store, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	c.scope.addSeedHost("www.example.com")
	rs := &runState{}
	page := benchPage()
	e := Entry{URL: "https://www.example.com/news/2024/05/story-1", Kind: KindPage}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(c.discover(rs, e, e.URL, "text/html", page))
	}
	b.ReportMetric(float64(n), "links/op")
}

// TestHTMLLinksHugeToken: a body that is one endless text node (a gzip bomb
// of spaces, a giant inline script) must not make the link scan buffer it
// whole; links before it are kept.
func TestHTMLLinksHugeToken(t *testing.T) {
	body := []byte(`<html><body><a href="/before">b</a><script>` + strings.Repeat("x", 16<<20) + `</script><a href="/after">a</a></body></html>`)
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	links, _ := htmlLinks(body)
	runtime.ReadMemStats(&ms1)
	if len(links) == 0 || links[0].href != "/before" {
		t.Errorf("links %v, want /before first", links)
	}
	if alloc := ms1.TotalAlloc - ms0.TotalAlloc; alloc > 8<<20 {
		t.Errorf("link scan of a 16 MiB token allocated %d MiB, want under 8", alloc>>20)
	}
}

func TestResolveLinkForms(t *testing.T) {
	base, _ := url.Parse("https://Example.org/news/")
	for _, tc := range []struct{ href, canon, request string }{
		{"/search?q=a&lang=en", "https://example.org/search?lang=en&q=a", "https://example.org/search?q=a&lang=en"},
		{"story?a=1&b=2", "https://example.org/news/story?a=1&b=2", ""},
		{"/a?utm_source=x&id=1#top", "https://example.org/a?id=1", "https://example.org/a?utm_source=x&id=1"},
		{"/%7Euser/p%c3%a9", "https://example.org/~user/p%C3%A9", ""},
		{"/x;jsessionid=1", "https://example.org/x", "https://example.org/x;jsessionid=1"},
		{"/", "https://example.org/", ""},
	} {
		canon, req, ok := resolveLinkForms(base, tc.href)
		if !ok || canon != tc.canon || req != tc.request {
			t.Errorf("resolveLinkForms(%q) = %q, %q, %v; want %q, %q", tc.href, canon, req, ok, tc.canon, tc.request)
		}
	}
}
