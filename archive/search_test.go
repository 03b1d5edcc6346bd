package archive

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/extract"
)

// searchCorpus archives a few articles and returns the store and the ids by
// short name.
func searchCorpus(t *testing.T) (*Store, map[string]int64) {
	t.Helper()
	s, _ := openTest(t)
	run := startRun(t, s)
	jane := extract.Editor{Name: "Jane Doe", Handle: "@janed"}
	bob := extract.Editor{Handle: "@bob"}
	arts := map[string]*extract.Article{
		"clubhouse": newArticle("https://www.tesmanian.com/blogs/n/clubhouse", "Elon Musk joins Clubhouse",
			withBody("Elon Musk appeared on the Clubhouse audio app on Sunday night and talked about Mars."),
			withAuthors("Eva Fox"), withEditors(jane), withTags("Elon Musk", "Clubhouse"),
			withPublished("2021-02-01T08:00:00-05:00")),
		"gigatexas": newArticle("https://www.tesmanian.com/blogs/n/giga-texas", "Giga Texas progress",
			withBody("Construction at Giga Texas continues; the Cybertruck line is taking shape."),
			withAuthors("Eva Fox", "Kristen Chen"), withEditors(bob), withTags("Giga Texas"),
			withPublished("2021-03-15T10:00:00Z")),
		"muller": newArticle("https://www.tesmanian.com/blogs/n/muller", "Müller über Elektroautos",
			withBody("Der Verband sagt, dass Elektroautos günstiger werden."),
			withAuthors("Jürgen Müller"), withEditors(jane), withTags("Europe"),
			withPublished("2021-02-20")),
		"spacex": newArticle("https://other.example/spacex", "SpaceX Starship flight",
			withBody("Starship SN10 landed. Musk said the next flight is soon."),
			withAuthors("Kristen Chen"), withTags("SpaceX"), withPublished("2021-03-03T12:00:00Z"),
			func(a *extract.Article) { a.SiteName = "Other" }),
	}
	ids := map[string]int64{}
	for _, k := range []string{"clubhouse", "gigatexas", "muller", "spacex"} {
		a := arts[k]
		r := commit(t, s, run, captureOf(a.URL, a))
		ids[k] = r[0].ArticleID
	}
	return s, ids
}

func TestSearch(t *testing.T) {
	s, ids := searchCorpus(t)
	tests := []struct {
		name  string
		query string
		opts  SearchOptions
		want  []string // in rank order when ordered
		order bool
	}{
		{name: "word", query: "clubhouse", want: []string{"clubhouse"}},
		{name: "phrase", query: `"Giga Texas"`, want: []string{"gigatexas"}},
		{name: "phrase no match across words", query: `"texas giga"`, want: nil},
		{name: "AND", query: "musk AND mars", want: []string{"clubhouse"}},
		{name: "implicit AND", query: "musk starship", want: []string{"spacex"}},
		{name: "OR", query: "mars OR cybertruck", want: []string{"clubhouse", "gigatexas"}},
		{name: "NOT", query: "musk NOT clubhouse", want: []string{"spacex"}},
		{name: "prefix", query: "cyber*", want: []string{"gigatexas"}},
		{name: "diacritics folded", query: "muller", want: []string{"muller"}},
		{name: "author column", query: "authors:chen", want: []string{"gigatexas", "spacex"}},
		{name: "title outranks body", query: "musk", want: []string{"clubhouse", "spacex"}, order: true},
		{name: "author filter", query: "musk OR texas", opts: SearchOptions{Author: "eva fox"}, want: []string{"clubhouse", "gigatexas"}},
		{name: "editor by name", query: "", opts: SearchOptions{Editor: "Jane Doe"}, want: []string{"clubhouse", "muller"}},
		{name: "editor by handle", query: "", opts: SearchOptions{Editor: "@JaneD"}, want: []string{"clubhouse", "muller"}},
		{name: "editor handle only", query: "cybertruck", opts: SearchOptions{Editor: "bob"}, want: []string{"gigatexas"}},
		{name: "tag filter", query: "", opts: SearchOptions{Tag: "giga texas"}, want: []string{"gigatexas"}},
		{name: "site filter by name", query: "musk", opts: SearchOptions{Site: "other"}, want: []string{"spacex"}},
		{name: "site filter by host", query: "", opts: SearchOptions{Site: "www.tesmanian.com"}, want: []string{"clubhouse", "gigatexas", "muller"}},
		{name: "february 2021", query: "",
			opts: SearchOptions{Since: date("2021-02-01"), Until: date("2021-03-01")}, want: []string{"clubhouse", "muller"}},
		{name: "offset in other zone counts", query: "clubhouse",
			opts: SearchOptions{Since: time.Date(2021, 2, 1, 13, 0, 0, 0, time.UTC)}, want: []string{"clubhouse"}},
		{name: "since excludes", query: "clubhouse",
			opts: SearchOptions{Since: time.Date(2021, 2, 1, 13, 1, 0, 0, time.UTC)}, want: nil},
		{name: "empty query newest first", query: "", opts: SearchOptions{Author: "Kristen Chen"},
			want: []string{"gigatexas", "spacex"}, order: true},
		{name: "limit", query: "musk", opts: SearchOptions{Limit: 1}, want: []string{"clubhouse"}},
		{name: "offset", query: "musk", opts: SearchOptions{Limit: 1, Offset: 1}, want: []string{"spacex"}},
	}
	name := map[int64]string{}
	for k, id := range ids {
		name[id] = k
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, err := s.Search(t.Context(), tt.query, tt.opts)
			if err != nil {
				t.Fatalf("Search(%q) = %v", tt.query, err)
			}
			var got []string
			for _, h := range hits {
				got = append(got, name[h.ArticleID])
			}
			if !tt.order {
				slices.Sort(got)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Search(%q, %+v) = %v, want %v", tt.query, tt.opts, got, tt.want)
			}
		})
	}
}

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestSearchSnippetAndFields(t *testing.T) {
	s, ids := searchCorpus(t)
	hits, err := s.Search(t.Context(), "mars", SearchOptions{})
	if err != nil || len(hits) != 1 {
		t.Fatalf("Search = %v, %v", hits, err)
	}
	h := hits[0]
	if h.ArticleID != ids["clubhouse"] || h.Title != "Elon Musk joins Clubhouse" || !slices.Equal(h.Authors, []string{"Eva Fox"}) ||
		h.PublishedAt != "2021-02-01T08:00:00-05:00" || h.CanonicalURL != "https://www.tesmanian.com/blogs/n/clubhouse" {
		t.Errorf("hit = %+v", h)
	}
	if !strings.Contains(h.Snippet, "[Mars]") || h.Score >= 0 {
		t.Errorf("snippet %q score %v", h.Snippet, h.Score)
	}
	hits, _ = s.Search(t.Context(), "mars", SearchOptions{HighlightStart: "\x02", HighlightEnd: "\x03"})
	if !strings.Contains(hits[0].Snippet, "\x02Mars\x03") {
		t.Errorf("custom highlight snippet %q", hits[0].Snippet)
	}
}

func TestSearchMalformedQuery(t *testing.T) {
	s, _ := searchCorpus(t)
	for _, q := range []string{`"unbalanced`, `musk AND`, `(musk`, `nosuchcolumn:musk`, `NOT`, `*`} {
		_, err := s.Search(t.Context(), q, SearchOptions{})
		var qe *QueryError
		if !errors.As(err, &qe) {
			t.Errorf("Search(%q) = %v, want *QueryError", q, err)
			continue
		}
		if msg := qe.Error(); strings.Contains(msg, "\n") || strings.Contains(msg, "SELECT") || len(msg) > 200 {
			t.Errorf("Search(%q) message not one short line: %q", q, msg)
		}
		t.Logf("%s", qe)
	}
}

func TestStatsAndList(t *testing.T) {
	ctx := t.Context()
	s, ids := searchCorpus(t)
	run := startRun(t, s)
	fail := captureOf("https://www.tesmanian.com/missing", nil)
	fail.Page.Status, fail.State, fail.Reason = 404, StateFailed, "http_404"
	commit(t, s, run, fail)
	if _, err := s.Enqueue(ctx, run, []QueueEntry{{URL: "https://www.tesmanian.com/next"}}); err != nil {
		t.Fatal(err)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != 4 || st.Versions != 4 || st.Pages != 5 || st.Authors != 3 || st.Editors != 2 || st.Tags != 5 {
		t.Errorf("counts = %+v", st)
	}
	if st.PagesByStatus["2xx"] != 4 || st.PagesByStatus["4xx"] != 1 {
		t.Errorf("PagesByStatus = %v", st.PagesByStatus)
	}
	if st.FrontierByState[StateDone] != 4 || st.FrontierByState[StateFailed] != 1 || st.FrontierByState[StateQueued] != 1 {
		t.Errorf("FrontierByState = %v", st.FrontierByState)
	}
	if st.FrontierByReason["http_404"] != 1 {
		t.Errorf("FrontierByReason = %v", st.FrontierByReason)
	}
	wantSites := []Count{{"Example News", 3}, {"Other", 1}}
	if !slices.Equal(st.ArticlesBySite, wantSites) {
		t.Errorf("ArticlesBySite = %v", st.ArticlesBySite)
	}
	wantAuthors := []Count{{"Eva Fox", 2}, {"Kristen Chen", 2}, {"Jürgen Müller", 1}}
	if !slices.Equal(st.ArticlesByAuthor, wantAuthors) {
		t.Errorf("ArticlesByAuthor = %v", st.ArticlesByAuthor)
	}
	wantEditors := []Count{{"Jane Doe", 2}, {"@bob", 1}}
	if !slices.Equal(st.ArticlesByEditor, wantEditors) {
		t.Errorf("ArticlesByEditor = %v", st.ArticlesByEditor)
	}
	wantMonths := []Count{{"2021-02", 2}, {"2021-03", 2}}
	if !slices.Equal(st.ArticlesByMonth, wantMonths) {
		t.Errorf("ArticlesByMonth = %v", st.ArticlesByMonth)
	}
	if len(st.Runs) != 1 {
		t.Errorf("Runs = %v", st.Runs)
	}

	list, err := s.ListArticles(ctx, ListOptions{Limit: 2, Offset: 1})
	if err != nil || len(list) != 2 {
		t.Fatalf("ListArticles = %v, %v", list, err)
	}
	if list[0].ID != ids["gigatexas"] || list[0].Title != "Giga Texas progress" ||
		!slices.Equal(list[0].Authors, []string{"Eva Fox", "Kristen Chen"}) || list[0].Versions != 1 ||
		list[0].PublishedAt != "2021-03-15T10:00:00Z" {
		t.Errorf("ListArticles[0] = %+v", list[0])
	}
	if n, err := s.CountArticles(ctx); err != nil || n != 4 {
		t.Errorf("CountArticles = %d, %v", n, err)
	}
	if out, err := s.IntegrityCheck(ctx); err != nil || out != "ok" {
		t.Errorf("IntegrityCheck = %q, %v", out, err)
	}
}
