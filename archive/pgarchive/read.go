package pgarchive

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/newsarchive/newsarchive/archive"
)

// PageBody returns the decoded body of page id, or archive.ErrNotFound.
func (db *DB) PageBody(ctx context.Context, id int64) ([]byte, error) {
	var body []byte
	err := db.pool.QueryRow(ctx, `SELECT body FROM pages WHERE id = $1`, id).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("pgarchive: page %d: %w", id, archive.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("pgarchive: page %d: %w", id, err)
	}
	if body == nil {
		return nil, nil
	}
	out, err := db.dec.DecodeAll(body, nil)
	if err != nil {
		return nil, fmt.Errorf("pgarchive: page %d: %w", id, err)
	}
	return out, nil
}

// rankWindow and titleWindow are the SQLite archive's (archive.Search):
// above rankWindow matches, only the rankWindow most recently archived ones
// (the window grows to four times Offset+Limit for deep pages) and up to
// titleWindow more recent ones with a match in the title are ranked.
const (
	rankWindow  = 1000
	titleWindow = 200
)

// Search returns the articles whose latest version matches query, best
// first, with the filters of opts (author, editor, tag, site, date range,
// limit, offset, highlight marks: as the SQLite archive's Search). The
// query is websearch_to_tsquery's: words (all required), "quoted phrases",
// OR, and -word to exclude; FTS5's prefix*, NEAR and column filters are not
// supported. Case and accents are folded. An empty query lists the filtered
// articles, newest published first. Snippets come from ts_headline on the
// returned rows only. Scores are ts_rank_cd (title weighing 10, authors 5,
// body 1) negated: lower is better, as in the SQLite archive.
//
// Which matches are ranked is the SQLite archive's rule: all of them when
// the query (with its filters) matches at most 1,000 articles (or four
// times Offset+Limit), else the 1,000 most recently archived matches plus
// the up to 200 most recently archived matches below them whose title
// matches; opts.Exhaustive ranks every match.
func (db *DB) Search(ctx context.Context, query string, opts archive.SearchOptions) ([]archive.SearchHit, error) {
	return db.search(ctx, query, opts, rankWindow, titleWindow)
}

// search is Search with the window sizes as parameters (tests make them
// small).
func (db *DB) search(ctx context.Context, query string, opts archive.SearchOptions, rankW, titleW int) ([]archive.SearchHit, error) {
	query = strings.TrimSpace(query)
	limit := opts.Limit
	if limit <= 0 {
		limit = 20
	}
	offset := max(opts.Offset, 0)
	if err := checkSearch(query, opts, limit, offset); err != nil {
		return nil, err
	}
	hs, he := opts.HighlightStart, opts.HighlightEnd
	if hs == "" && he == "" {
		hs, he = "[", "]"
	}
	var (
		q    string
		args []any
	)
	if query == "" {
		var filters string
		filters, args = filterSQL(opts, 1)
		q = `SELECT a.id, v.id, a.canonical_url, a.site_name, v.title, v.authors, v.published_at,
			CASE WHEN v.description <> '' THEN v.description ELSE left(v.record ->> 'body_text', 200) END, 0::real
			FROM articles a JOIN versions v ON v.id = a.latest_version_id
			WHERE true` + filters + `
			ORDER BY newsarchive_time(v.published_at) DESC NULLS LAST, a.id DESC
			LIMIT $` + strconv.Itoa(len(args)+1) + ` OFFSET $` + strconv.Itoa(len(args)+2)
		args = append(args, limit, offset)
	} else {
		// The candidates come from article_search alone (its heap rows are
		// short: migration 0007); articles and versions are joined only for
		// the filters that read them (site; dates), author, editor and tag
		// are looked up by version id.
		filters, fargs := filterOn(opts, 1, "s.version_id")
		args = fargs
		from := ` FROM article_search s`
		if opts.Site != "" {
			from += ` JOIN articles a ON a.id = s.article_id`
		}
		if !opts.Since.IsZero() || !opts.Until.IsZero() {
			from += ` JOIN versions v ON v.id = s.version_id`
		}
		n := len(args)
		p := func(k int) string { return "$" + strconv.Itoa(n+k) }
		// The query is written out (not a CTE) wherever it is used, so
		// that the planner sees it as a constant and estimates its matches.
		tsq := `websearch_to_tsquery('newsarchive', ` + p(1) + `)`
		var top string
		if opts.Exhaustive {
			top = `SELECT s.article_id, s.version_id, ts_rank_cd('{0.1, 0, 0.5, 1.0}', s.document, ` + tsq + `) AS score` + from + `
				WHERE s.document @@ ` + tsq + filters + `
				ORDER BY score DESC, s.article_id LIMIT ` + p(2) + ` OFFSET ` + p(3)
		} else {
			// m: every match (version and article id only: the index
			// and the short heap rows), filtered; cut: the version id of
			// the window-th most recent (0: rank them all); titles: recent
			// title matches below it, unfiltered, as the SQLite archive's
			// titleMatches (the filters apply when ranking); only then are
			// the ranked window's documents read, by key (OFFSET 0 keeps
			// the lateral lookup: not knowing how few rows the window
			// keeps, the planner would merge-join the whole primary key).
			top = `WITH m AS MATERIALIZED (SELECT s.article_id, s.version_id` + from + `
					WHERE s.document @@ ` + tsq + filters + `),
				cut AS (SELECT coalesce((SELECT version_id FROM m ORDER BY version_id DESC OFFSET ` + p(6) + ` LIMIT 1), 0) AS cut),
				titles AS (SELECT s.version_id FROM article_search s, cut
					WHERE cut.cut > 0 AND s.title @@ ` + tsq + ` AND s.version_id < cut.cut
					ORDER BY s.version_id DESC LIMIT ` + p(5) + `)
				SELECT m.article_id, m.version_id, r.score
				FROM m CROSS JOIN cut CROSS JOIN LATERAL (
					SELECT ts_rank_cd('{0.1, 0, 0.5, 1.0}', s.document, ` + tsq + `) AS score
					FROM article_search s WHERE s.article_id = m.article_id OFFSET 0) r
				WHERE m.version_id >= cut.cut OR m.version_id IN (SELECT version_id FROM titles)
				ORDER BY r.score DESC, m.article_id LIMIT ` + p(2) + ` OFFSET ` + p(3)
		}
		// Snippets of the returned page only.
		q = `WITH top AS MATERIALIZED (` + top + `)
		SELECT a.id, v.id, a.canonical_url, a.site_name, v.title, v.authors, v.published_at,
			ts_headline('newsarchive', v.record ->> 'body_text', ` + tsq + `, ` + p(4) + `),
			top.score
		FROM top JOIN articles a ON a.id = top.article_id JOIN versions v ON v.id = top.version_id
		ORDER BY top.score DESC, a.id`
		args = append(args, query, limit, offset,
			"StartSel="+headlineOpt(hs)+", StopSel="+headlineOpt(he)+", MaxFragments=1, MaxWords=20, MinWords=5")
		if !opts.Exhaustive {
			args = append(args, titleW, max(rankW, 4*(offset+limit))-1)
		}
	}
	// QueryExecModeExec: an unnamed statement, planned with the query's
	// own words each time (a cached generic plan would guess how many
	// articles they match).
	rows, err := db.pool.Query(ctx, q, append([]any{pgx.QueryExecModeExec}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("pgarchive: search %q: %w", query, err)
	}
	hits := []archive.SearchHit{}
	var (
		h       archive.SearchHit
		authors string
		score   float32
	)
	_, err = pgx.ForEachRow(rows, []any{&h.ArticleID, &h.VersionID, &h.CanonicalURL, &h.SiteName, &h.Title, &authors,
		&h.PublishedAt, &h.Snippet, &score}, func() error {
		h.Authors = nil
		if authors != "" {
			h.Authors = strings.Split(authors, ", ")
		}
		// SearchHit.Score is lower-is-better (FTS5's bm25); ts_rank_cd is
		// higher-is-better.
		h.Score = -float64(score)
		hits = append(hits, h)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("pgarchive: search %q: %w", query, err)
	}
	return hits, nil
}

// MatchCount returns how many articles match the full-text query (no
// filters), as the SQLite archive's MatchCount.
func (db *DB) MatchCount(ctx context.Context, query string) (int, error) {
	var n int
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM article_search
		WHERE document @@ websearch_to_tsquery('newsarchive', $1)`, query).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("pgarchive: match count %q: %w", query, err)
	}
	return n, nil
}

// checkSearch applies the SQLite archive's bounds (archive.MaxQueryBytes and
// the others), with the same messages.
func checkSearch(query string, opts archive.SearchOptions, limit, offset int) error {
	if len(query) > archive.MaxQueryBytes {
		return &archive.QueryError{Query: query[:archive.MaxQueryBytes/10] + "…",
			Msg: fmt.Sprintf("query of %d bytes is longer than the maximum of %d", len(query), archive.MaxQueryBytes)}
	}
	for _, f := range []struct{ name, v string }{{"author", opts.Author}, {"editor", opts.Editor}, {"tag", opts.Tag}, {"site", opts.Site}} {
		if len(f.v) > archive.MaxFilterBytes {
			return &archive.QueryError{Query: query, Msg: fmt.Sprintf("%s filter of %d bytes is longer than the maximum of %d", f.name, len(f.v), archive.MaxFilterBytes)}
		}
	}
	switch {
	case limit > archive.MaxSearchLimit:
		return &archive.QueryError{Query: query, Msg: fmt.Sprintf("limit %d is above the maximum of %d", limit, archive.MaxSearchLimit)}
	case offset > archive.MaxSearchOffset:
		return &archive.QueryError{Query: query, Msg: fmt.Sprintf("offset %d is beyond the maximum of %d (narrow the search with words, filters or dates)", offset, archive.MaxSearchOffset)}
	}
	return nil
}

// filterSQL returns the filters of opts as " AND …" conditions on articles a
// and versions v, their parameters numbered from first: the SQLite archive's
// filters (case-insensitive names, a site by name or by its canonical URL's
// host, dates read by newsarchive_time as julianday reads them).
func filterSQL(opts archive.SearchOptions, first int) (string, []any) {
	return filterOn(opts, first, "v.id")
}

// filterOn is filterSQL with the author, editor and tag filters on the
// version id expression vid.
func filterOn(opts archive.SearchOptions, first int, vid string) (string, []any) {
	var (
		q    strings.Builder
		args []any
	)
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(first+len(args)-1)
	}
	if opts.Author != "" {
		q.WriteString(` AND EXISTS (SELECT 1 FROM version_authors va JOIN authors au ON au.id = va.author_id
			WHERE va.version_id = ` + vid + ` AND lower(au.name) = lower(` + arg(strings.TrimSpace(opts.Author)) + `))`)
	}
	if opts.Editor != "" {
		ed := arg(strings.TrimPrefix(strings.TrimSpace(opts.Editor), "@"))
		q.WriteString(` AND EXISTS (SELECT 1 FROM version_editors ve JOIN editors e ON e.id = ve.editor_id
			WHERE ve.version_id = ` + vid + ` AND (e.key = lower(` + ed + `) OR lower(e.name) = lower(` + ed + `)))`)
	}
	if opts.Tag != "" {
		q.WriteString(` AND EXISTS (SELECT 1 FROM version_tags vt JOIN tags t ON t.id = vt.tag_id
			WHERE vt.version_id = ` + vid + ` AND lower(t.name) = lower(` + arg(strings.TrimSpace(opts.Tag)) + `))`)
	}
	if opts.Site != "" {
		site := strings.TrimSpace(opts.Site)
		q.WriteString(` AND (lower(a.site_name) = lower(` + arg(site) + `) OR a.canonical_url ILIKE 'http://' || ` +
			arg(likeLiteral(site)) + ` || '/%' OR a.canonical_url ILIKE 'https://' || $` + strconv.Itoa(first+len(args)-1) + ` || '/%')`)
	}
	if !opts.Since.IsZero() {
		q.WriteString(` AND newsarchive_time(v.published_at) >= ` + arg(opts.Since.UTC()))
	}
	if !opts.Until.IsZero() {
		q.WriteString(` AND newsarchive_time(v.published_at) < ` + arg(opts.Until.UTC()))
	}
	return q.String(), args
}

// likeLiteral escapes LIKE's wildcards and its escape character (\) in s.
func likeLiteral(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// headlineOpt quotes a highlight mark for ts_headline's options: double
// quotes, with a double quote inside doubled.
func headlineOpt(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
