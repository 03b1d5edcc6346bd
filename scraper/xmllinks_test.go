package scraper

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

func gz(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.Bytes()
}

func TestParseXMLLinks(t *testing.T) {
	urlset := `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc> https://example.com/a </loc><lastmod>2024-05-01T10:00:00+02:00</lastmod><news:news><news:title>A</news:title></news:news></url>
  <url><loc>https://example.com/b?x=1&amp;y=2</loc></url>
  <url><lastmod>2024-01-01</lastmod></url>
</urlset>`
	tests := []struct {
		name     string
		body     []byte
		root     string
		want     []string // loc kind
		wantErr  bool
		lastMod0 time.Time
	}{
		{name: "urlset", body: []byte(urlset), root: "urlset",
			want:     []string{"https://example.com/a page", "https://example.com/b?x=1&y=2 page"},
			lastMod0: time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)},
		{name: "gzipped urlset", body: gz(urlset), root: "urlset",
			want: []string{"https://example.com/a page", "https://example.com/b?x=1&y=2 page"}},
		{name: "sitemap index", root: "sitemapindex", body: []byte(`<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://example.com/s1.xml</loc></sitemap><sitemap><loc>https://example.com/s2.xml.gz</loc></sitemap></sitemapindex>`),
			want: []string{"https://example.com/s1.xml sitemap", "https://example.com/s2.xml.gz sitemap"}},
		{name: "rss", root: "rss", body: []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://example.com/</link>
<item><title>One &mdash; x</title><link>https://example.com/one</link><pubDate>Wed, 01 May 2024 10:00:00 GMT</pubDate></item>
<item><title>Two</title><link>/two</link></item></channel></rss>`),
			want: []string{"https://example.com/one page", "/two page"}},
		{name: "atom", root: "feed", body: []byte(`<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><link href="https://example.com/"/>
<entry><title>One</title><link rel="edit" href="/edit/1"/><link href="https://example.com/one"/><updated>2024-05-01T00:00:00Z</updated></entry>
<entry><link rel="alternate" type="text/html" href="/two"/></entry></feed>`),
			want: []string{"https://example.com/one page", "/two page"}},
		{name: "rss 1.0", root: "rdf", body: []byte(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<item rdf:about="https://example.com/one"><title>One</title></item></rdf:RDF>`),
			want: []string{"https://example.com/one page"}},
		{name: "latin-1 declared", root: "rss", body: []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><item><title>caf\xe9</title><link>https://example.com/caf%C3%A9</link></item></channel></rss>"),
			want: []string{"https://example.com/caf%C3%A9 page"}},
		{name: "truncated", root: "urlset", body: []byte(`<urlset><url><loc>https://example.com/a</loc></url><url><loc>https://exa`),
			want: []string{"https://example.com/a page"}, wantErr: true},
		{name: "html is not a sitemap", body: []byte(`<html><body><a href="/x">x</a></body></html>`), root: "html", wantErr: true},
		{name: "text", body: []byte(`not xml`), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, links, err := parseXMLLinks(tt.body, 1<<20)
			if (err != nil) != tt.wantErr {
				t.Errorf("err = %v, want error %v", err, tt.wantErr)
			}
			if root != tt.root {
				t.Errorf("root %q, want %q", root, tt.root)
			}
			var got []string
			for _, l := range links {
				got = append(got, fmt.Sprintf("%s %s", l.loc, l.kind))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("links %q, want %q", got, tt.want)
			}
			if !tt.lastMod0.IsZero() && !links[0].lastMod.Equal(tt.lastMod0) {
				t.Errorf("lastmod %v, want %v", links[0].lastMod, tt.lastMod0)
			}
		})
	}
}

func TestParseXMLLinksGzipBomb(t *testing.T) {
	bomb := gzipBomb(64) // 64 MiB decoded
	_, _, err := parseXMLLinks(bomb, 1<<20)
	if !errors.Is(err, errNotXMLLinks) {
		t.Errorf("err = %v", err)
	}
}

func fuzzXML(f *testing.F, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		_, links, _ := parseXMLLinks(body, 1<<20)
		if len(links) > maxXMLLinks {
			t.Fatalf("%d links", len(links))
		}
	})
}

func FuzzSitemap(f *testing.F) {
	fuzzXML(f,
		`<urlset><url><loc>https://example.com/a</loc><lastmod>2024-05-01</lastmod></url></urlset>`,
		`<sitemapindex><sitemap><loc>https://example.com/s.xml</loc></sitemap></sitemapindex>`,
		string(gz(`<urlset><url><loc>x</loc></url></urlset>`)),
		`<?xml version="1.0" encoding="windows-1252"?><urlset><url><loc>&amp;&#xffff;</loc></url>`,
	)
}

func FuzzFeed(f *testing.F) {
	fuzzXML(f,
		`<rss><channel><item><link>https://example.com/a</link></item></channel></rss>`,
		`<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="/a"/></entry></feed>`,
		`<rdf:RDF xmlns:rdf="x"><item rdf:about="/a"/></rdf:RDF>`,
		`<rss><item><link>a<link>b</item>`,
	)
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"2", 2 * time.Second, true},
		{" 120 ", 2 * time.Minute, true},
		{"Wed, 01 May 2024 12:00:30 GMT", 30 * time.Second, true},
		{"Wednesday, 01-May-24 12:01:00 GMT", time.Minute, true},
		{"Wed, 01 May 2024 11:00:00 GMT", 0, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestBackoff(t *testing.T) {
	c := &Crawler{cfg: DefaultConfig()}
	for attempt := 1; attempt <= 10; attempt++ {
		ceil := min(time.Second<<(attempt-1), time.Minute)
		for range 50 {
			if d := c.backoff(attempt); d < 0 || d >= ceil {
				t.Fatalf("backoff(%d) = %v, want in [0, %v)", attempt, d, ceil)
			}
		}
	}
	r := &Result{Entry: Entry{Attempts: 1}}
	c.retryOrFail(r, ReasonHTTPStatus, "HTTP 429", 10*time.Minute, true)
	if wait := time.Until(r.Entry.NotBefore); r.State != StateQueued || wait < 4*time.Minute || wait > 5*time.Minute {
		t.Errorf("Retry-After not honoured and capped: state %s, wait %v", r.State, wait)
	}
	r = &Result{Entry: Entry{Attempts: 4}}
	c.retryOrFail(r, ReasonTimeout, "timeout", 0, false)
	if r.State != StateFailed {
		t.Errorf("state %s after 4 attempts with 3 retries", r.State)
	}
}
