package archive

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// SearchOptions filters and pages a search. Zero values mean "no filter".
type SearchOptions struct {
	Author string    // an author's name, case-insensitive
	Editor string    // an editor's name or handle (with or without @), case-insensitive
	Tag    string    // a tag, case-insensitive
	Site   string    // site name, or host of the canonical URL
	Since  time.Time // published at or after
	Until  time.Time // published before (exclusive)
	Limit  int       // 0 means 20
	Offset int
	// Exhaustive ranks every match instead of the most recent window (see
	// Search); slower for queries that match a large part of the archive.
	Exhaustive bool
	// HighlightStart and HighlightEnd surround matched terms in snippets;
	// "[" and "]" when empty. A web UI can pass control characters and replace
	// them after escaping the text.
	HighlightStart, HighlightEnd string
}

// SearchHit is one matching article. Its JSON form is the one the CLI
// (search --json) and the web API (/api/search) both print.
type SearchHit struct {
	ArticleID    int64    `json:"id"`
	VersionID    int64    `json:"version_id"`
	CanonicalURL string   `json:"canonical_url"`
	SiteName     string   `json:"site"`
	Title        string   `json:"title"`
	Authors      []string `json:"authors"`
	PublishedAt  string   `json:"published_at"`
	Snippet      string   `json:"snippet"` // matched text in context, terms highlighted
	Score        float64  `json:"score"`   // bm25; lower is better (empty query: 0)
}

// MarshalJSON implements json.Marshaler: no authors is [], not null.
func (h SearchHit) MarshalJSON() ([]byte, error) {
	type plain SearchHit // without this method
	if h.Authors == nil {
		h.Authors = []string{}
	}
	return json.Marshal(plain(h))
}

// Bounds of a search, checked by Search, Export and Links (a *QueryError
// beyond them), so that the CLI and the web API refuse the same requests
// with the same words, before SQLite sees them.
const (
	// MaxQueryBytes bounds the full-text query.
	MaxQueryBytes = 2000
	// MaxFilterBytes bounds each filter (author, editor, tag, site): longer
	// than any name, and far below SQLite's LIKE pattern limit (50,000).
	MaxFilterBytes = 500
	// MaxSearchLimit bounds the hits of one Search call.
	MaxSearchLimit = 1000
	// MaxSearchOffset bounds paging: ranking a deep page costs a window of
	// four times Offset+Limit matches (see Search).
	MaxSearchOffset = 100_000
)

// QueryError reports a search SQLite could not parse or the archive
// refuses (a bound exceeded); Msg says which, in one line.
type QueryError struct {
	Query string
	Msg   string // one line, for people
}

// Error implements error.
func (e *QueryError) Error() string {
	return fmt.Sprintf("archive: search %q: %s", e.Query, e.Msg)
}

// rankWindow is how many matches Search ranks exactly by bm25 when a query has
// more: the rankWindow most recently archived matches plus up to
// titleWindow of the most recent ones with a match in the title. FTS5 computes
// bm25 for every row it returns, so ranking all matches of a word found in
// half of a 100,000-article archive costs ~0.3 s; ranking a window of 2,000
// costs ~5 ms and stepping the doclist to find the window's edge ~1 ms.
const (
	rankWindow  = 1000
	titleWindow = 200
)

// Search runs an FTS5 query (phrases "…", AND/OR/NOT, prefix*, NEAR, column
// filters title:/body_text:/authors:) over the latest version of every article,
// ranked by bm25 (title weighs 10, authors 5, body 1), with the filters of
// opts. An empty query lists the filtered articles, newest published first. A
// query FTS5 cannot parse returns a *QueryError.
//
// Ranking is exact when the query (with its filters) matches at most 2,000
// articles, or more than Offset+Limit when paging deep (the window is at least
// four times Offset+Limit). Above that, only the 2,000 most recently archived
// matches and the 500 most recently archived matches with a hit in the title
// are ranked: an old article whose body alone matches a very common query is
// not on the first pages (it is found by adding words, a filter or a date
// range, and export lists every match). Set Exhaustive to rank every match.
func (s *Store) Search(ctx context.Context, query string, opts SearchOptions) ([]SearchHit, error) {
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
	if query == "" {
		filters, fargs := filterSQL(opts, "v.id")
		q := `SELECT a.id, v.id, a.canonical_url, a.site_name, v.title, v.authors, v.published_at,
			CASE WHEN v.description <> '' THEN v.description ELSE substr(v.body_text, 1, 200) END, 0.0
			FROM articles a JOIN versions v ON v.id = a.latest_version_id
			WHERE 1` + filters + `
			ORDER BY julianday(v.published_at) DESC NULLS LAST, a.id DESC LIMIT ? OFFSET ?`
		return s.searchRows(ctx, query, q, append(fargs, limit, offset)...)
	}
	// The candidates come from the index alone: a versions row (a page of
	// its own, the text inline) is read only for a filter that needs it (site,
	// dates), and then only for the index's matches. Author, editor and tag
	// filters look up their link tables by rowid (= versions.id).
	from := ` FROM articles_fts`
	// A date range is read from the publication-day index first (when it
	// holds at most dateSetCap versions): its lowest and highest version id
	// bound the index query, so the doclists are stepped only there.
	dr, err := s.dateRange(ctx, opts)
	if err != nil {
		return nil, searchError(query, err)
	}
	fopts := opts
	// An author filter becomes the author's id, read once: each match then
	// costs one lookup in version_authors instead of a join to authors.
	var authorID int64
	if opts.Author != "" {
		err := s.r.QueryRowContext(ctx, `SELECT id FROM authors WHERE name = ?`, strings.TrimSpace(opts.Author)).Scan(&authorID)
		if errors.Is(err, sql.ErrNoRows) {
			authorID = -1 // no such author: nothing matches (the query still runs, to report its errors)
		} else if err != nil {
			return nil, searchError(query, err)
		}
		fopts.Author = ""
	}
	if dr.ok {
		// The range's versions are matched by id (or by the bounds alone
		// when every id between them is in the range) instead of by
		// reading each match's versions row, a page of its own.
		fopts.Since, fopts.Until = time.Time{}, time.Time{}
	}
	// filtersOn returns the filters as conditions on the version id col.
	filtersOn := func(col string) (string, []any) {
		filters, fargs := filterSQL(fopts, col)
		if authorID != 0 {
			filters = ` AND EXISTS (SELECT 1 FROM version_authors va WHERE va.version_id = ` + col + ` AND va.author_id = ?)` + filters
			fargs = append([]any{authorID}, fargs...)
		}
		if dr.ok {
			filters = ` AND ` + col + ` BETWEEN ? AND ?` + filters
			fargs = append([]any{dr.lo, dr.hi}, fargs...)
			if !dr.exact {
				ids, iargs := dateIDs(opts)
				filters += ` AND +` + col + ` IN (` + ids + `)`
				fargs = append(fargs, iargs...)
			}
		}
		return filters, fargs
	}
	filters, fargs := filtersOn("articles_fts.rowid")
	join := fopts.Site != "" || !fopts.Since.IsZero() || !fopts.Until.IsZero()
	if join {
		from += ` JOIN versions v ON v.id = articles_fts.rowid JOIN articles a ON a.id = v.article_id`
	}
	// bm25 counts the rows holding each phrase by walking its whole
	// doclist, once per statement: ~45 ms per common word at a million
	// articles. bm25_df is the same score with the counts read from
	// term_docs (migration 0006); a query they do not cover ranks with bm25
	// in one statement below.
	if hits, ok, err := s.phraseHits(ctx, query); err != nil {
		return nil, searchError(query, err)
	} else if ok {
		return s.searchSplit(ctx, query, opts, splitPlan{
			hits: hits, from: from, join: join, filtersOn: filtersOn,
			author: authorID, authorName: opts.Author, limit: limit, offset: offset, hs: hs, he: he,
		})
	}
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
	rank := `bm25(articles_fts, 10.0, 1.0, 5.0)`
	ranked.WriteString(`SELECT articles_fts.rowid AS id, ` + rank + ` AS score` + from +
		` WHERE articles_fts MATCH ?`)
	args = append(args, query)
	if cut > 0 {
		// Recent title matches below the window join it, scored with the whole
		// query so their scores compare. A query that cannot be put under a
		// column filter just goes without.
		if titles, lowest, err := s.titleMatches(ctx, query, cut); err == nil && lowest > 0 {
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

// publishedJD is the expression of the index versions_published_jd
// (migration 0003): julianday(published_at), or -1 when published_at
// mentions 'now' (which julianday reads as the current time).
const publishedJD = `CASE WHEN instr(lower(published_at), 'now') > 0 THEN -1 ELSE julianday(published_at) END`

// dateSetCap bounds the versions a date range may hold for Search to read
// them from the index first; a wider range (--since 2015) is filtered on
// each match's versions row as before.
const dateSetCap = 100_000

// dateRangeInfo is what the publication-day index says of a search's date
// range: ok when it was read (lo and hi bound the ids of its versions),
// empty when the range holds no version (lo > hi), exact when every id from
// lo to hi is a version in the range (the bounds alone are the filter).
type dateRangeInfo struct {
	ok, empty, exact bool
	lo, hi           int64
}

// dateIDs returns a query of the ids of the versions whose
// julianday(published_at) falls in the range of opts, written so that the
// index versions_published_jd answers it: the index range, and apart (no
// OR, which would make SQLite collect and sort the ids to drop duplicates)
// the rows the index holds as -1, checked with julianday itself.
func dateIDs(opts SearchOptions) (string, []any) {
	idx, now, args := dateTerms(opts, publishedJD)
	return `SELECT id FROM versions WHERE ` + idx +
		` UNION ALL SELECT id FROM versions WHERE ` + publishedJD + ` = -1 AND ` + now, args
}

// dateCond returns the condition on a versions row that dateIDs' query
// selects, as one expression (OR between the index range and the -1 rows);
// plus is "+" to keep SQLite from answering it with the index.
func dateCond(opts SearchOptions, plus string) (string, []any) {
	jd := plus + `(` + publishedJD + `)`
	idx, now, args := dateTerms(opts, jd)
	return `(` + idx + `) OR (` + jd + ` = -1 AND ` + now + `)`, args
}

// dateTerms returns the two halves of a date-range condition: on the
// index expression jd (rows with a julianday), and on julianday(published_at)
// itself (rows the index holds as -1: dates relative to "now"), with their
// arguments in that order.
func dateTerms(opts SearchOptions, jd string) (idx, now string, args []any) {
	var idxC, nowC []string
	since, until := opts.Since.UTC().Format(time.RFC3339), opts.Until.UTC().Format(time.RFC3339)
	if !opts.Since.IsZero() {
		idxC = append(idxC, jd+` >= julianday(?)`)
		args = append(args, since)
	} else {
		idxC = append(idxC, jd+` >= 0`)
	}
	if !opts.Until.IsZero() {
		idxC = append(idxC, jd+` < julianday(?)`)
		args = append(args, until)
	}
	if !opts.Since.IsZero() {
		nowC = append(nowC, `julianday(published_at) >= julianday(?)`)
		args = append(args, since)
	}
	if !opts.Until.IsZero() {
		nowC = append(nowC, `julianday(published_at) < julianday(?)`)
		args = append(args, until)
	}
	return strings.Join(idxC, ` AND `), strings.Join(nowC, ` AND `), args
}

// dateRange reads the date range of opts from the publication-day index:
// how many versions it holds (up to dateSetCap) and their lowest and highest
// id. A search's matches in the range are among those ids, so the bounds
// change no answer.
//
// Versions are never changed or deleted, so what the index said of a range
// up to some version id stays true: a range searched again (the next page,
// another query over the same dates) reads only the versions added since.
func (s *Store) dateRange(ctx context.Context, opts SearchOptions) (dateRangeInfo, error) {
	var d dateRangeInfo
	if s.schema < 3 || (opts.Since.IsZero() && opts.Until.IsZero()) {
		return d, nil
	}
	var top int64
	if err := s.r.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM versions`).Scan(&top); err != nil {
		return d, err
	}
	var key [2]string // the bounds as SQLite reads them ("" for none)
	if !opts.Since.IsZero() {
		key[0] = opts.Since.UTC().Format(time.RFC3339)
	}
	if !opts.Until.IsZero() {
		key[1] = opts.Until.UTC().Format(time.RFC3339)
	}
	c, ok := s.dates.get(key)
	if !ok || c.upTo > top {
		c = dateCount{}
	}
	if c.upTo < top && c.n <= dateSetCap {
		ids, args := dateIDs(opts)
		var q string
		if c.upTo == 0 {
			// The whole range, from the index (+id: the planner must not
			// scan the table by id instead).
			q = `SELECT id FROM (` + ids + `) WHERE +id <= ?`
			args = append(args, top)
		} else {
			// Only the versions added since, by id (+: not from the index).
			idx, iargs := dateCond(opts, "+")
			q = `SELECT id FROM versions WHERE id > ? AND id <= ? AND (` + idx + `)`
			args = append([]any{c.upTo, top}, iargs...)
		}
		var (
			n      int64
			lo, hi sql.NullInt64
		)
		err := s.r.QueryRowContext(ctx, `SELECT count(*), min(id), max(id) FROM (`+q+` LIMIT ?)`,
			append(args, dateSetCap+1-c.n)...).Scan(&n, &lo, &hi)
		if err != nil {
			return d, err
		}
		if n > 0 {
			if c.n == 0 || lo.Int64 < c.lo {
				c.lo = lo.Int64
			}
			c.hi = max(c.hi, hi.Int64)
		}
		c.n += n
		c.upTo = top
		s.dates.put(key, c)
	}
	switch {
	case c.n == 0:
		// Nothing in the range: empty bounds (the query still runs, so
		// that a malformed one is reported as before).
		d.ok, d.empty, d.exact, d.lo, d.hi = true, true, true, 1, 0
	case c.n <= dateSetCap:
		d.ok, d.lo, d.hi = true, c.lo, c.hi
		d.exact = c.n == d.hi-d.lo+1 // ids are unique
	}
	return d, nil
}

// dateCount is what the publication-day index held for a date range among
// the versions up to id upTo: n versions (n > dateSetCap: too many to
// count further), ids lo to hi.
type dateCount struct {
	n, lo, hi, upTo int64
}

// dateCache keeps the dateCount of the date ranges searched lately, keyed
// by the range's bounds as the query passes them. Safe for concurrent use.
type dateCache struct {
	mu sync.Mutex
	m  map[[2]string]dateCount
}

func (c *dateCache) get(k [2]string) (dateCount, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *dateCache) put(k [2]string, v dateCount) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= 256 {
		c.m = map[[2]string]dateCount{} // a bound, not an LRU: ranges repeat in bursts (paging)
	}
	c.m[k] = v
}

// titleMatches returns, as a JSON array, the rowids of up to titleWindow of
// the most recent articles below rowid cut whose title matches query, and the
// lowest of them (0 when none).
func (s *Store) titleMatches(ctx context.Context, query string, cut int64) (ids string, lowest int64, err error) {
	var low sql.NullInt64
	// A plain query (no column filter) matches the title-only index's rows
	// exactly where it matches the whole index's under {title}, and its
	// doclists there are short.
	q := `SELECT json_group_array(rowid), min(rowid) FROM (SELECT rowid FROM articles_fts
		WHERE articles_fts MATCH '{title} : (' || ? || ')' AND rowid < ? ORDER BY rowid DESC LIMIT ?)`
	if s.schema >= 6 && plainQuery(query) {
		q = `SELECT json_group_array(rowid), min(rowid) FROM (SELECT rowid FROM articles_title_fts
			WHERE articles_title_fts MATCH ? AND rowid < ? ORDER BY rowid DESC LIMIT ?)`
	}
	err = s.r.QueryRowContext(ctx, q, query, cut, s.rankWindowOr(titleWindow)).Scan(&ids, &low)
	return ids, low.Int64, err
}

// rankWindowOr returns def, or the window a test set on the store.
func (s *Store) rankWindowOr(def int) int {
	if s.testRankWindow > 0 {
		return s.testRankWindow
	}
	return def
}

func (s *Store) searchRows(ctx context.Context, query, q string, args ...any) ([]SearchHit, error) {
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, searchError(query, err)
	}
	defer rows.Close()
	var hits []SearchHit
	for rows.Next() {
		var (
			h       SearchHit
			authors string
			snippet sql.NullString
		)
		if err := rows.Scan(&h.ArticleID, &h.VersionID, &h.CanonicalURL, &h.SiteName, &h.Title, &authors,
			&h.PublishedAt, &snippet, &h.Score); err != nil {
			return nil, searchError(query, err)
		}
		h.Snippet = snippet.String
		h.Authors = splitAuthors(authors)
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, searchError(query, err)
	}
	return hits, nil
}

// checkSearch returns a *QueryError when the query or a filter of opts is
// longer than its bound.
func checkSearch(query string, opts SearchOptions) error {
	if len(query) > MaxQueryBytes {
		return &QueryError{Query: excerpt(query), Msg: fmt.Sprintf("query of %d bytes is longer than the maximum of %d", len(query), MaxQueryBytes)}
	}
	for _, f := range []struct{ name, v string }{{"author", opts.Author}, {"editor", opts.Editor}, {"tag", opts.Tag}, {"site", opts.Site}} {
		if len(f.v) > MaxFilterBytes {
			return &QueryError{Query: query, Msg: fmt.Sprintf("%s filter of %d bytes is longer than the maximum of %d", f.name, len(f.v), MaxFilterBytes)}
		}
	}
	return nil
}

// likeLiteral escapes LIKE's wildcards (and the escape character) in s, for
// a pattern with ESCAPE '\': a site filter "%" matches a site named "%",
// not every site.
func likeLiteral(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// filterSQL returns the filters of opts as " AND …" conditions, with their
// arguments: author, editor and tag on the version id expression vid, site
// on articles a and dates on versions v.
func filterSQL(opts SearchOptions, vid string) (string, []any) {
	var (
		q    strings.Builder
		args []any
	)
	if opts.Author != "" {
		q.WriteString(` AND EXISTS (SELECT 1 FROM version_authors va JOIN authors au ON au.id = va.author_id
			WHERE va.version_id = ` + vid + ` AND au.name = ?)`)
		args = append(args, strings.TrimSpace(opts.Author))
	}
	if opts.Editor != "" {
		q.WriteString(` AND EXISTS (SELECT 1 FROM version_editors ve JOIN editors e ON e.id = ve.editor_id
			WHERE ve.version_id = ` + vid + ` AND (e.key = lower(?) OR e.name = ? COLLATE NOCASE))`)
		ed := strings.TrimPrefix(strings.TrimSpace(opts.Editor), "@")
		args = append(args, ed, ed)
	}
	if opts.Tag != "" {
		q.WriteString(` AND EXISTS (SELECT 1 FROM version_tags vt JOIN tags t ON t.id = vt.tag_id
			WHERE vt.version_id = ` + vid + ` AND t.name = ?)`)
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

const syntaxHint = ` (FTS5 syntax: words, "phrases", AND, OR, NOT, prefix*, title:word)`

// searchError turns SQLite's complaint about a bad FTS5 query into a
// *QueryError with one line for people; other errors are wrapped as usual.
func searchError(query string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_ERROR {
		msg := se.Error()
		switch {
		case strings.Contains(msg, `fts5: syntax error near ""`):
			return &QueryError{Query: query, Msg: "incomplete query: an operator or parenthesis lacks its term" + syntaxHint}
		case strings.Contains(msg, "fts5:"):
			msg = msg[strings.Index(msg, "fts5:")+len("fts5:"):]
			msg = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(msg), "(1)"))
			return &QueryError{Query: query, Msg: msg + syntaxHint}
		case strings.Contains(msg, "unknown special query"):
			return &QueryError{Query: query, Msg: "a query cannot start with * (prefix queries need a word before *)" + syntaxHint}
		case strings.Contains(msg, "no such column"):
			col := msg[strings.Index(msg, "no such column")+len("no such column"):]
			col = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(col, ":")), "(1)"))
			return &QueryError{Query: query, Msg: fmt.Sprintf("unknown column %q (columns: title, body_text, authors)", col)}
		case strings.Contains(msg, "unterminated string"):
			return &QueryError{Query: query, Msg: "unterminated \"quoted phrase\"" + syntaxHint}
		}
	}
	return wrap("search", err)
}

// MatchCount returns how many articles match the full-text query (no filters).
func (s *Store) MatchCount(ctx context.Context, query string) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?`, query).Scan(&n)
	if err != nil {
		return 0, searchError(query, err)
	}
	return n, nil
}

// ParseDateRange reads the Since and Until filters as people type them: a day
// (YYYY-MM-DD, UTC) or an RFC 3339 time; empty means unbounded. A day given as
// until is included whole (the bound moves to the next midnight), so
// "--since 2021-02-15 --until 2021-02-15" is that one day. The error names the
// bound that could not be read.
func ParseDateRange(since, until string) (from, to time.Time, err error) {
	from, _, err = parseDate(since)
	if err != nil {
		return from, to, fmt.Errorf("since %w", err)
	}
	to, dateOnly, err := parseDate(until)
	if err != nil {
		return from, to, fmt.Errorf("until %w", err)
	}
	if dateOnly {
		to = to.AddDate(0, 0, 1)
	}
	return from, to, nil
}

func parseDate(v string) (t time.Time, dateOnly bool, err error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false, nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, true, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, false, nil
	}
	return time.Time{}, false, fmt.Errorf("%q is not a date: want YYYY-MM-DD or an RFC 3339 time", v)
}

// OptimizeIndex merges the full-text index into one segment per term
// (FTS5 'optimize'): a search then reads each word's doclist from one place
// instead of from every merge level a crawl left. It rewrites the whole
// index (minutes at a million articles), so it is for after large crawls and
// imports; searches by other connections go on meanwhile on the old index.
// It merges the title-only index too, then rebuilds the common words' row
// counts (RefreshTermDocs), which the index has drifted from by as much.
func (s *Store) OptimizeIndex(ctx context.Context) error {
	if s.readOnly {
		return fmt.Errorf("archive: optimize index: %w", ErrReadOnly)
	}
	if _, err := s.w.ExecContext(ctx, `INSERT INTO articles_fts (articles_fts) VALUES ('optimize')`); err != nil {
		return wrap("optimize index", err)
	}
	// The title-only index (migration 0006) fragments the same way.
	if _, err := s.w.ExecContext(ctx, `INSERT INTO articles_title_fts (articles_title_fts) VALUES ('optimize')`); err != nil {
		return wrap("optimize title index", err)
	}
	return s.RefreshTermDocs(ctx)
}

// MergeIndex merges the small segments of the full-text indexes — those
// the commits of a run leave beside the large one OptimizeIndex wrote —
// into at most one per level, without rewriting the large one (FTS5
// 'merge' with usermerge 2: only segments that share a level are merged).
// It costs about as much as indexing what it merges: 0.5 s for the 16
// segments of 10,000 articles added to a million in 20 runs, which it
// left at 3. A search seeks each of its words in every segment (the
// title window: 200 articles × words × segments), so those 16 made two
// common words cost twice as much as 3 do.
func (s *Store) MergeIndex(ctx context.Context) error {
	if s.readOnly {
		return fmt.Errorf("archive: merge index: %w", ErrReadOnly)
	}
	conn, err := s.w.Conn(ctx) // total_changes() is per connection
	if err != nil {
		return wrap("merge index", err)
	}
	defer conn.Close()
	for _, tbl := range []string{"articles_fts", "articles_title_fts"} {
		if _, err := conn.ExecContext(ctx, `INSERT INTO `+tbl+` (`+tbl+`, rank) VALUES ('usermerge', 2)`); err != nil {
			return wrap("merge index", err)
		}
		// Each step writes about 1,000 pages; fewer than two changes: no
		// segments left to merge. The bound only guards against a loop.
		for range 100_000 {
			if err := ctx.Err(); err != nil {
				return wrap("merge index", err)
			}
			var before, after int64
			if err := conn.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&before); err != nil {
				return wrap("merge index", err)
			}
			if _, err := conn.ExecContext(ctx, `INSERT INTO `+tbl+` (`+tbl+`, rank) VALUES ('merge', 1000)`); err != nil {
				return wrap("merge index", err)
			}
			if err := conn.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&after); err != nil {
				return wrap("merge index", err)
			}
			if after-before < 2 {
				break
			}
		}
	}
	return nil
}
