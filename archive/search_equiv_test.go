package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/extract"
)

// TestSearchSameAsReference checks that Search returns exactly what the
// implementation before issue 17 returned (searchReference, kept below as it
// was): the same hits in the same order, with the same scores and snippets,
// for a fixed set of queries and filters on 2,000 generated articles, with
// the default rank window and with a small one.
func TestSearchSameAsReference(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 2,000-article archive")
	}
	ctx := context.Background()
	s, _ := openTest(t)
	run := startRun(t, s)
	vocab := make([]string, 3000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%dq", i)
	}
	r := rand.New(rand.NewPCG(17, 17))
	z := rand.NewZipf(r, 1.07, 1, uint64(len(vocab)-1))
	text := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = vocab[z.Uint64()]
		}
		return strings.Join(ws, " ")
	}
	authors := []string{"Eva Fox", "Kristen Chen", "Jürgen Müller", "Omar Said", "Lena Brandt"}
	zones := []string{"Z", "-05:00", "+09:00"}
	const n = 2000
	var caps []Capture
	for i := range n {
		host := "news.example.com"
		if i%3 == 0 {
			host = "other.example"
		}
		u := fmt.Sprintf("https://%s/a/%d", host, i)
		pub := time.Date(2019, 1, 1, 6, 0, 0, 0, time.UTC).Add(time.Duration(i) * 23 * time.Hour)
		published := pub.Format("2006-01-02T15:04:05") + zones[i%len(zones)]
		if i%11 == 0 {
			published = pub.Format(time.DateOnly)
		}
		if i%97 == 0 {
			published = ""
		}
		a := newArticle(u, text(4+r.IntN(8)), withBody(text(40+r.IntN(300))),
			withAuthors(authors[i%len(authors)], authors[(i/7)%len(authors)]),
			withEditors(extract.Editor{Handle: fmt.Sprintf("@ed%d", i%4)}),
			withTags(vocab[100+i%20]), withPublished(published))
		if i%3 == 0 {
			a.SiteName = "Other"
		}
		caps = append(caps, captureOf(u, a))
		if len(caps) == 200 {
			commit(t, s, run, caps...)
			caps = caps[:0]
		}
	}
	// Word document frequencies pick the classes as the benchmark does.
	df := func(w string) float64 {
		c, err := s.MatchCount(ctx, w)
		if err != nil {
			t.Fatal(err)
		}
		return float64(c) / n
	}
	var common, rare []string
	for _, w := range vocab {
		if len(common) == 6 && len(rare) == 6 {
			break
		}
		switch f := df(w); {
		case f >= 0.3 && f <= 0.7 && len(common) < 6:
			common = append(common, w)
		case f >= 0.005 && f <= 0.02 && len(rare) < 6:
			rare = append(rare, w)
		}
	}
	if len(common) < 4 || len(rare) < 4 {
		t.Fatalf("corpus lacks query words: common %v rare %v", common, rare)
	}
	queries := []string{
		common[0] + " " + common[1], common[2] + " " + common[3], common[0],
		common[1] + " " + rare[0], common[2] + " " + rare[1],
		rare[0] + " " + rare[1], rare[2], rare[3] + " OR " + rare[4],
		`"` + common[0] + " " + common[1] + `"`, common[0] + " NOT " + common[1],
		"w29*", "title:" + common[0], "authors:fox " + common[1], "müller " + common[0],
	}
	year := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	opts := []SearchOptions{
		{},
		{Author: "eva fox"},
		{Editor: "@ED1"},
		{Tag: vocab[105]},
		{Site: "other"},
		{Site: "news.example.com", Author: "Omar Said"},
		{Since: year, Until: year.AddDate(1, 0, 0)},
		{Since: year},
		{Until: year, Author: "Lena Brandt"},
		{Author: "JüRGEN MüLLER", Limit: 30, Offset: 10},
		{Author: "Kristen Chen", Tag: vocab[101], Since: year},
		{Limit: 50, Offset: 20},
		{Limit: 5, Offset: 300},
		{Exhaustive: true},
		{HighlightStart: "\x01", HighlightEnd: "\x02"},
	}
	compare := func(stage string) {
		t.Helper()
		for _, window := range []int{0, 40} {
			s.testRankWindow = window
			for _, q := range queries {
				for _, o := range opts {
					got, gerr := s.Search(ctx, q, o)
					want, werr := s.searchReference(ctx, q, o)
					if fmt.Sprint(gerr) != fmt.Sprint(werr) {
						t.Fatalf("%s, window %d, %q %+v: error %v, reference %v", stage, window, q, o, gerr, werr)
					}
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%s, window %d, %q %+v:\n got %s\nwant %s", stage, window, q, o, hitList(got), hitList(want))
					}
				}
			}
		}
		s.testRankWindow = 0
	}
	// Plain word queries rank with bm25_df once the term counts exist
	// (and with bm25 before); the rest always with bm25.
	usesCounts := func(q string) bool {
		t.Helper()
		_, ok, err := s.phraseHits(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	compare("no term counts")
	if usesCounts(common[0] + " " + common[1]) {
		t.Fatal("term counts used before they were built")
	}
	if err := s.OptimizeIndex(ctx); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]bool{common[0] + " " + common[1]: true, common[1] + " " + rare[0]: true,
		rare[2]: true, "müller " + common[0]: true, `"` + common[0] + " " + common[1] + `"`: false,
		"w29*": false, "title:" + common[0]: false} {
		if got := usesCounts(q); got != want {
			t.Errorf("%q ranked with the term counts: %v, want %v", q, got, want)
		}
	}
	compare("term counts built")
	// New versions of 300 articles (their old text leaves the index) and
	// 200 new articles, without rebuilding the counts.
	caps = caps[:0]
	for i := range 500 {
		k := i
		if i >= 300 {
			k = n + i
		}
		u := fmt.Sprintf("https://news.example.com/a/%d", k)
		if k%3 == 0 {
			u = fmt.Sprintf("https://other.example/a/%d", k)
		}
		caps = append(caps, captureOf(u, newArticle(u, text(4+r.IntN(8)), withBody(text(40+r.IntN(300))),
			withAuthors(authors[k%len(authors)]))))
	}
	commit(t, s, run, caps...)
	added, gone, ok, err := s.TermDocsState(ctx)
	if err != nil || !ok || added != 500 || gone != 300 {
		t.Fatalf("term counts state: added %d gone %d ok %v err %v, want 500, 300, true", added, gone, ok, err)
	}
	if !usesCounts(common[0] + " " + common[1]) {
		t.Fatal("term counts not used after new versions")
	}
	compare("versions replaced and added since the counts")
}

// titleMatchesReference is titleMatches as it was before the title-only
// index (migration 0006): the whole index under a column filter.
func (s *Store) titleMatchesReference(ctx context.Context, query string, cut int64) (ids string, lowest int64, err error) {
	var low sql.NullInt64
	err = s.r.QueryRowContext(ctx, `SELECT json_group_array(rowid), min(rowid) FROM (SELECT rowid FROM articles_fts
		WHERE articles_fts MATCH '{title} : (' || ? || ')' AND rowid < ? ORDER BY rowid DESC LIMIT ?)`,
		query, cut, s.rankWindowOr(titleWindow)).Scan(&ids, &low)
	return ids, low.Int64, err
}

func hitList(hs []SearchHit) string {
	var b strings.Builder
	for _, h := range hs {
		fmt.Fprintf(&b, "%d(%.4f) ", h.ArticleID, h.Score)
	}
	return fmt.Sprintf("%d hits: %s", len(hs), b.String())
}

// searchReference is Search as it was before issue 17 (joins on every
// candidate), kept to check that Search's answers do not change.
func (s *Store) searchReference(ctx context.Context, query string, opts SearchOptions) ([]SearchHit, error) {
	hs, he := opts.HighlightStart, opts.HighlightEnd
	if hs == "" && he == "" {
		hs, he = "[", "]"
	}
	limit := opts.Limit
	if limit <= 0 {
		limit = 20
	}
	offset := max(opts.Offset, 0)
	query = strings.TrimSpace(query)
	if err := checkSearch(query, opts); err != nil {
		return nil, err
	}
	switch {
	case limit > MaxSearchLimit:
		return nil, &QueryError{Query: query, Msg: fmt.Sprintf("limit %d is above the maximum of %d", limit, MaxSearchLimit)}
	case offset > MaxSearchOffset:
		return nil, &QueryError{Query: query, Msg: fmt.Sprintf("offset %d is beyond the maximum of %d (narrow the search with words, filters or dates)", offset, MaxSearchOffset)}
	}
	filters, fargs := refFilterSQL(opts)
	if query == "" {
		q := `SELECT a.id, v.id, a.canonical_url, a.site_name, v.title, v.authors, v.published_at,
			CASE WHEN v.description <> '' THEN v.description ELSE substr(v.body_text, 1, 200) END, 0.0
			FROM articles a JOIN versions v ON v.id = a.latest_version_id
			WHERE 1` + filters + `
			ORDER BY julianday(v.published_at) DESC NULLS LAST, a.id DESC LIMIT ? OFFSET ?`
		return s.searchRows(ctx, query, q, append(fargs, limit, offset)...)
	}
	const from = ` FROM articles_fts JOIN versions v ON v.id = articles_fts.rowid JOIN articles a ON a.id = v.article_id`
	// Phase 1: the rowid of the window-th most recent match. None: rank all.
	window := max(s.rankWindowOr(rankWindow), 4*(offset+limit))
	var cut int64
	if !opts.Exhaustive {
		err := s.r.QueryRowContext(ctx, `SELECT articles_fts.rowid`+from+` WHERE articles_fts MATCH ?`+filters+`
			ORDER BY articles_fts.rowid DESC LIMIT 1 OFFSET ?`, append(append([]any{query}, fargs...), window-1)...).Scan(&cut)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, searchError(query, err)
		}
	}
	// Phase 2: bm25 of the candidates only. SQLite evaluates the rowid
	// condition before the result columns, so a match outside the window
	// costs a doclist step, not a bm25.
	var (
		ranked strings.Builder
		args   []any
	)
	ranked.WriteString(`SELECT articles_fts.rowid AS id, bm25(articles_fts, 10.0, 1.0, 5.0) AS score` + from +
		` WHERE articles_fts MATCH ?`)
	args = append(args, query)
	if cut > 0 {
		// Recent title matches below the window join it, scored with the whole
		// query so their scores compare. A query that cannot be put under a
		// column filter just goes without.
		if titles, lowest, err := s.titleMatchesReference(ctx, query, cut); err == nil && lowest > 0 {
			ranked.WriteString(` AND articles_fts.rowid >= ?
				AND (articles_fts.rowid >= ? OR articles_fts.rowid IN (SELECT value FROM json_each(?)))`)
			args = append(args, lowest, cut, titles)
		} else {
			ranked.WriteString(` AND articles_fts.rowid >= ?`)
			args = append(args, cut)
		}
	}
	ranked.WriteString(filters + ` ORDER BY score, id LIMIT ? OFFSET ?`)
	args = append(append(args, fargs...), limit, offset)
	// Phase 3: snippets of the page returned, in one more pass over the
	// doclists from the page's lowest rowid.
	q := `WITH hits AS MATERIALIZED (` + ranked.String() + `),
		snips AS MATERIALIZED (SELECT rowid AS id, snippet(articles_fts, -1, ?, ?, '…', 16) AS snip
			FROM articles_fts WHERE articles_fts MATCH ? AND rowid >= (SELECT min(id) FROM hits)
			AND rowid IN (SELECT id FROM hits))
		SELECT a.id, v.id, a.canonical_url, a.site_name, v.title, v.authors, v.published_at, snips.snip, hits.score
		FROM hits JOIN versions v ON v.id = hits.id JOIN articles a ON a.id = v.article_id
		LEFT JOIN snips ON snips.id = hits.id
		ORDER BY hits.score, hits.id`
	args = append(args, hs, he, query)
	return s.searchRows(ctx, query, q, args...)
}

func refFilterSQL(opts SearchOptions) (string, []any) {
	var (
		q    strings.Builder
		args []any
	)
	if opts.Author != "" {
		q.WriteString(` AND EXISTS (SELECT 1 FROM version_authors va JOIN authors au ON au.id = va.author_id
			WHERE va.version_id = v.id AND au.name = ?)`)
		args = append(args, strings.TrimSpace(opts.Author))
	}
	if opts.Editor != "" {
		q.WriteString(` AND EXISTS (SELECT 1 FROM version_editors ve JOIN editors e ON e.id = ve.editor_id
			WHERE ve.version_id = v.id AND (e.key = lower(?) OR e.name = ? COLLATE NOCASE))`)
		ed := strings.TrimPrefix(strings.TrimSpace(opts.Editor), "@")
		args = append(args, ed, ed)
	}
	if opts.Tag != "" {
		q.WriteString(` AND EXISTS (SELECT 1 FROM version_tags vt JOIN tags t ON t.id = vt.tag_id
			WHERE vt.version_id = v.id AND t.name = ?)`)
		args = append(args, strings.TrimSpace(opts.Tag))
	}
	if opts.Site != "" {
		q.WriteString(` AND (a.site_name = ? COLLATE NOCASE OR a.canonical_url LIKE 'http://' || ? || '/%' ESCAPE '\'
			OR a.canonical_url LIKE 'https://' || ? || '/%' ESCAPE '\')`)
		site := strings.TrimSpace(opts.Site)
		args = append(args, site, likeLiteral(site), likeLiteral(site))
	}
	// julianday reads RFC 3339 with any offset and plain dates; a published_at
	// it cannot read is NULL and excluded by a date filter.
	if !opts.Since.IsZero() {
		q.WriteString(` AND julianday(v.published_at) >= julianday(?)`)
		args = append(args, opts.Since.UTC().Format(time.RFC3339))
	}
	if !opts.Until.IsZero() {
		q.WriteString(` AND julianday(v.published_at) < julianday(?)`)
		args = append(args, opts.Until.UTC().Format(time.RFC3339))
	}
	return q.String(), args
}
