// Package archivetest is the contract of an archive's per-page commit and
// the reads that follow it, run on the SQLite archive and on PostgreSQL
// (archive/pgarchive): raw page kept, article upserted by canonical URL,
// aliases, a version only when the content changes, an older capture that
// does not displace the latest, and search over the latest version only.
package archivetest

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/extract"
)

// Backend is an archive under test. Commit stores one capture the way the
// backend's crawler does (for PostgreSQL: under a lease of the entry's host).
type Backend interface {
	Commit(ctx context.Context, c archive.Capture) (archive.CommitResult, error)
	ArticleByURL(ctx context.Context, url string) (*archive.ArticleRecord, error)
	Search(ctx context.Context, query string, opts archive.SearchOptions) ([]archive.SearchHit, error)
	PageBody(ctx context.Context, id int64) ([]byte, error)
}

func article(url, canonical, title, body string) *extract.Article {
	return &extract.Article{
		URL: url, CanonicalURL: canonical, SiteName: "Example News", Language: "en", Title: title,
		Authors:     []extract.Author{{Name: "Eva Fox"}},
		PublishedAt: "2021-02-10T09:00:00Z", BodyText: body, BodyHTML: "<p>" + body + "</p>",
		WordCount: len(body) / 5, ExtractorVersion: extract.Version, IsArticle: true,
		Related: []extract.Link{{URL: "https://example.com/related", Title: "Related"}},
	}
}

func capture(url string, a *extract.Article, fetched time.Time) archive.Capture {
	body := []byte("<html><body>listing " + url + "</body></html>")
	if a != nil {
		body = []byte("<html><head><title>" + a.Title + "</title></head><body>" + a.BodyHTML + "</body></html>")
	}
	return archive.Capture{
		Entry: archive.QueueEntry{URL: url, Kind: "page", Attempts: 1},
		State: archive.StateDone,
		Page: &archive.Page{URL: url, FinalURL: url, Status: 200, FetchedAt: fetched,
			Header:      http.Header{"Content-Type": {"text/html; charset=utf-8"}},
			ContentType: "text/html; charset=utf-8", Body: body},
		Article: a,
	}
}

// Run runs the contract on the backend open returns (a new, empty archive).
func Run(t *testing.T, open func(t *testing.T) Backend) {
	ctx := context.Background()
	b := open(t)
	commit := func(c archive.Capture) archive.CommitResult {
		t.Helper()
		r, err := b.Commit(ctx, c)
		if err != nil {
			t.Fatalf("commit %s: %v", c.Entry.URL, err)
		}
		return r
	}
	byURL := func(u string) *archive.ArticleRecord {
		t.Helper()
		rec, err := b.ArticleByURL(ctx, u)
		if err != nil {
			t.Fatalf("article %s: %v", u, err)
		}
		return rec
	}
	search := func(q string) []archive.SearchHit {
		t.Helper()
		hits, err := b.Search(ctx, q, archive.SearchOptions{})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		return hits
	}
	const a = "https://example.com/a"
	t0 := time.Now().Add(-time.Hour).UTC().Truncate(time.Millisecond)

	// A new article: page, article, version.
	c1 := capture(a, article(a, a, "Alpha zebra", "The zebra crossed the road at dawn."), t0)
	r1 := commit(c1)
	if r1.PageID == 0 || r1.ArticleID == 0 || r1.VersionID == 0 || !r1.NewArticle || !r1.NewVersion {
		t.Fatalf("first commit: %+v, want a new article and version", r1)
	}
	if body, err := b.PageBody(ctx, r1.PageID); err != nil || !bytes.Equal(body, c1.Page.Body) {
		t.Fatalf("raw page: %q, %v; want %q", body, err, c1.Page.Body)
	}
	// The same content again: a page, no version.
	r2 := commit(capture(a, article(a, a, "Alpha zebra", "The zebra crossed the road at dawn."), t0.Add(time.Minute)))
	if r2.PageID == r1.PageID || r2.ArticleID != r1.ArticleID || r2.VersionID != r1.VersionID || r2.NewArticle || r2.NewVersion {
		t.Fatalf("unchanged commit: %+v, want a new page and version %d", r2, r1.VersionID)
	}
	// Changed content: a second version, which search now finds.
	r3 := commit(capture(a, article(a, a, "Alpha giraffe", "A giraffe ate the leaves at noon."), t0.Add(2*time.Minute)))
	if r3.ArticleID != r1.ArticleID || !r3.NewVersion || r3.NewArticle || r3.VersionID == r1.VersionID {
		t.Fatalf("changed commit: %+v, want a new version of article %d", r3, r1.ArticleID)
	}
	rec := byURL(a)
	if rec.Record.Title != "Alpha giraffe" || rec.VersionID != r3.VersionID || len(rec.Versions) != 2 ||
		rec.Record.BodyText != "A giraffe ate the leaves at noon." || rec.Record.Authors[0].Name != "Eva Fox" {
		t.Fatalf("record after a change: title %q, version %d, %d versions", rec.Record.Title, rec.VersionID, len(rec.Versions))
	}
	if hits := search("giraffe"); len(hits) != 1 || hits[0].ArticleID != r1.ArticleID || hits[0].VersionID != r3.VersionID ||
		hits[0].CanonicalURL != a || hits[0].Title != "Alpha giraffe" {
		t.Fatalf("search giraffe: %+v", hits)
	}
	if hits := search("zebra"); len(hits) != 0 {
		t.Fatalf("search zebra found %d hits: only the latest version is searched", len(hits))
	}
	// An older capture (an import of older files) with other content: a
	// version of its own, the latest unchanged.
	r4 := commit(capture(a, article(a, a, "Alpha okapi", "An okapi hid in the forest."), t0.Add(-time.Hour)))
	if !r4.NewVersion || r4.ArticleID != r1.ArticleID {
		t.Fatalf("older capture: %+v, want a version of its own", r4)
	}
	if rec := byURL(a); rec.VersionID != r3.VersionID || len(rec.Versions) != 3 || rec.Versions[0].ID != r4.VersionID {
		t.Fatalf("after an older capture: latest %d (want %d), versions %+v", rec.VersionID, r3.VersionID, rec.Versions)
	}
	if hits := search("okapi"); len(hits) != 0 {
		t.Fatalf("an older capture entered the search index: %+v", hits)
	}
	// Reached by another URL: the canonical URL names the article, both are aliases.
	const bFetch, bCanon = "https://example.com/b?from=home", "https://example.com/b"
	r5 := commit(capture(bFetch, article(bFetch, bCanon, "Beta", "Beta speaks of the quick brown fox."), t0))
	if !r5.NewArticle || r5.ArticleID == r1.ArticleID {
		t.Fatalf("second article: %+v", r5)
	}
	for _, u := range []string{bFetch, bCanon} {
		if rec := byURL(u); rec.ID != r5.ArticleID || rec.CanonicalURL != bCanon {
			t.Fatalf("article by %s: %d %s, want %d %s", u, rec.ID, rec.CanonicalURL, r5.ArticleID, bCanon)
		}
	}
	if hits := search(`"quick brown"`); len(hits) != 1 || hits[0].ArticleID != r5.ArticleID {
		t.Fatalf(`search "quick brown": %+v`, hits)
	}
	if hits := search(`"brown quick"`); len(hits) != 0 {
		t.Fatalf(`search "brown quick" matched a phrase out of order: %+v`, hits)
	}
	// Authors are searched too.
	if hits := search("eva"); len(hits) != 2 || len(hits[0].Authors) != 1 || hits[0].Authors[0] != "Eva Fox" {
		t.Fatalf("search eva: %+v, want both articles by Eva Fox", hits)
	}
	// A page that is not an article: kept, no article.
	r6 := commit(capture("https://example.com/section", nil, t0))
	if r6.PageID == 0 || r6.ArticleID != 0 || r6.NewVersion {
		t.Fatalf("listing page: %+v", r6)
	}
	if _, err := b.ArticleByURL(ctx, "https://example.com/section"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("article of a listing page: %v, want ErrNotFound", err)
	}
}

// RunSearch checks the search filters and folding every backend shares:
// author, editor (name or @handle), tag and site filters whatever their
// (ASCII) case,
// a date range on the page's own publication time (any offset; no date or a
// date that cannot be read is outside every range), limit and offset, an
// empty query listing the newest published first, and accents folded on both
// sides ("muller" finds "Müller", "café" finds "cafe").
func RunSearch(t *testing.T, open func(t *testing.T) Backend) {
	ctx := context.Background()
	b := open(t)
	t0 := time.Now().Add(-time.Hour).UTC().Truncate(time.Millisecond)
	type art struct {
		path, site, title, body, published string
		authors, tags                      []string
		editors                            []extract.Editor
	}
	arts := []art{
		{path: "https://one.example/p1", site: "One Daily", title: "Harbour strike ends", body: "Dockers at the harbour voted.",
			published: "2021-03-01T10:00:00+02:00", authors: []string{"Jörg Müller"}, tags: []string{"Labour", "Port"},
			editors: []extract.Editor{{Name: "Ann Lee", Handle: "@annlee"}}},
		{path: "https://one.example/p2", site: "One Daily", title: "Café owners protest", body: "The harbour café closed its doors.",
			published: "2021-03-05", authors: []string{"Eva Fox", "jörg müller"}, tags: []string{"labour"}},
		{path: "https://two.example/p3", site: "Two Times", title: "Cafe prices rise", body: "Prices at every cafe in town rose.",
			published: "2022-01-10T08:00:00Z", authors: []string{"Eva Fox"}, tags: []string{"Economy"},
			editors: []extract.Editor{{Name: "Bob Roe"}}},
		{path: "https://two.example/p4", site: "", title: "Undated harbour note", body: "A note on the harbour.",
			published: "", authors: nil},
		{path: "https://three.example/p5", site: "Three", title: "Bad date harbour", body: "Harbour again.",
			published: "yesterday"},
	}
	for i, a := range arts {
		ar := article(a.path, a.path, a.title, a.body)
		ar.SiteName, ar.PublishedAt, ar.Tags, ar.Editors = a.site, a.published, a.tags, a.editors
		ar.Authors = nil
		for _, n := range a.authors {
			ar.Authors = append(ar.Authors, extract.Author{Name: n})
		}
		if _, err := b.Commit(ctx, capture(a.path, ar, t0.Add(time.Duration(i)*time.Minute))); err != nil {
			t.Fatalf("commit %s: %v", a.path, err)
		}
	}
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	cases := []struct {
		name, q string
		opts    archive.SearchOptions
		want    []string // paths, in order when ordered is set
		ordered bool
	}{
		{name: "words", q: "harbour", want: []string{"p1", "p2", "p4", "p5"}},
		{name: "accent folded in the text", q: "cafe", want: []string{"p2", "p3"}},
		{name: "accent folded in the query", q: "café", want: []string{"p2", "p3"}},
		{name: "accent folded in authors", q: "muller", want: []string{"p1", "p2"}},
		{name: "author filter, any case", q: "harbour", opts: archive.SearchOptions{Author: "JöRG MüLLER"}, want: []string{"p1", "p2"}},
		{name: "author filter, no such author", q: "harbour", opts: archive.SearchOptions{Author: "Nobody"}},
		{name: "editor by handle", q: "", opts: archive.SearchOptions{Editor: "@AnnLee"}, want: []string{"p1"}},
		{name: "editor by name", q: "", opts: archive.SearchOptions{Editor: "bob roe"}, want: []string{"p3"}},
		{name: "tag, any case", q: "", opts: archive.SearchOptions{Tag: "LABOUR"}, want: []string{"p1", "p2"}},
		{name: "site by name", q: "", opts: archive.SearchOptions{Site: "one daily"}, want: []string{"p1", "p2"}},
		{name: "site by host", q: "harbour", opts: archive.SearchOptions{Site: "two.example"}, want: []string{"p4"}},
		{name: "site wildcard is literal", q: "", opts: archive.SearchOptions{Site: "%"}},
		{name: "since (offset read)", q: "", opts: archive.SearchOptions{Since: time.Date(2021, 3, 1, 8, 30, 0, 0, time.UTC)},
			want: []string{"p3", "p2"}, ordered: true},
		{name: "until exclusive", q: "harbour", opts: archive.SearchOptions{Until: day("2021-03-05")}, want: []string{"p1"}},
		{name: "range", q: "", opts: archive.SearchOptions{Since: day("2021-03-02"), Until: day("2022-01-10")}, want: []string{"p2"}},
		{name: "empty query: newest published first", q: "", want: []string{"p3", "p2", "p1", "p5", "p4"}, ordered: true},
		{name: "limit and offset", q: "", opts: archive.SearchOptions{Limit: 2, Offset: 1}, want: []string{"p2", "p1"}, ordered: true},
		{name: "title ranks first", q: "prices", want: []string{"p3"}},
		{name: "filters combine", q: "", opts: archive.SearchOptions{Author: "eva fox", Tag: "economy", Site: "Two Times"}, want: []string{"p3"}},
	}
	for _, c := range cases {
		hits, err := b.Search(ctx, c.q, c.opts)
		if err != nil {
			t.Errorf("%s: search %q: %v", c.name, c.q, err)
			continue
		}
		var got []string
		for _, h := range hits {
			got = append(got, h.CanonicalURL[len(h.CanonicalURL)-2:])
		}
		want := slices.Clone(c.want)
		if !c.ordered {
			slices.Sort(got)
			slices.Sort(want)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: search %q %+v: got %v, want %v", c.name, c.q, c.opts, got, want)
		}
	}
	// The highlight marks of the options surround the matched words.
	hits, err := b.Search(ctx, "prices", archive.SearchOptions{HighlightStart: "<<", HighlightEnd: ">>"})
	if err != nil || len(hits) != 1 || !bytes.Contains(bytes.ToLower([]byte(hits[0].Snippet)), []byte("<<prices>>")) {
		t.Errorf("highlight: %+v, %v; want <<prices>> in the snippet", hits, err)
	}
}
