package archive

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// splitPlan is what Search hands searchSplit for a query ranked with
// bm25_df: the query's filters, already read.
type splitPlan struct {
	hits       string // bm25_df's row counts of the query's phrases
	from       string // FROM articles_fts, joined to versions v and articles a when join
	join       bool
	filtersOn  func(col string) (string, []any) // the filters, on the version id col
	author     int64                            // the author filter's id (-1: no such author), or 0
	authorName string
	limit      int
	offset     int
	hs, he     string // highlight marks of the snippets
}

// scored is one ranked match.
type scored struct {
	id    int64
	score float64
}

// searchSplit is Search for a query whose phrases' row counts are known
// (bm25_df): the same candidates ranked the same way, in statements that
// let FTS5 skip work a filter would otherwise do match by match.
//
//  1. The window most recent matches, scored in the pass that finds them
//     (the old way found the window's edge, then walked it again to
//     score it). With an author filter and a query expected to match many
//     rows, the author's name joins the query as a phrase under
//     {authors}: FTS5 then steps through the doclists to the author's
//     rows itself instead of returning every match for a lookup in
//     version_authors (see authorPrefilterMin). bm25_df does not score
//     that phrase, and the exact filter still runs on what it lets
//     through.
//  2. When there are more, the recent title matches below them,
//     filtered first by id (with a filter set, most leave before their
//     index seek), each ranked by one seek per phrase. Merged by score,
//     then id: the order of one statement over both.
//  3. The page's rows and snippets, in that order.
func (s *Store) searchSplit(ctx context.Context, query string, opts SearchOptions, p splitPlan) ([]SearchHit, error) {
	rank := `bm25_df(articles_fts, 10.0, 1.0, 5.0, ?)`
	match := query
	if phrase, ok := authorPhrase(p.authorName); ok && p.author > 0 {
		est, err := s.expectedMatches(ctx, p.hits)
		if err != nil {
			return nil, searchError(query, err)
		}
		if est >= authorPrefilterMin {
			match = `(` + match + `) AND {authors} : ` + phrase
		}
	}
	filters, fargs := p.filtersOn("articles_fts.rowid")
	top := p.offset + p.limit
	window := max(s.rankWindowOr(rankWindow), 4*top)
	var all []scored
	if opts.Exhaustive {
		// Every match ranked; SQLite keeps the best top as it goes.
		rows, err := s.scoredRows(ctx, `SELECT articles_fts.rowid, `+rank+` AS score`+p.from+` WHERE articles_fts MATCH ?`+filters+`
			ORDER BY score, articles_fts.rowid LIMIT ?`, append(append([]any{p.hits, match}, fargs...), top)...)
		if err != nil {
			return nil, searchError(query, err)
		}
		all = rows
	} else {
		// The window: the most recent matches, scored in the same pass
		// that finds them (all of them when they are fewer).
		rows, err := s.scoredRows(ctx, `SELECT articles_fts.rowid, `+rank+` AS score`+p.from+` WHERE articles_fts MATCH ?`+filters+`
			ORDER BY articles_fts.rowid DESC LIMIT ?`, append(append([]any{p.hits, match}, fargs...), window)...)
		if err != nil {
			return nil, searchError(query, err)
		}
		all = rows
		if len(rows) == window {
			cut := rows[len(rows)-1].id
			titles, err := s.titleIDs(ctx, query, cut, p)
			if err != nil {
				return nil, searchError(query, err)
			}
			if len(titles) > 0 {
				js, _ := json.Marshal(titles)
				rows, err := s.scoredRows(ctx, `SELECT rowid, `+rank+` AS score FROM articles_fts
					WHERE articles_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))
					ORDER BY score, rowid LIMIT ?`, p.hits, query, string(js), top)
				if err != nil {
					return nil, searchError(query, err)
				}
				all = append(all, rows...)
			}
		}
	}
	slices.SortFunc(all, func(a, b scored) int {
		return cmp.Or(cmp.Compare(a.score, b.score), cmp.Compare(a.id, b.id))
	})
	if p.offset >= len(all) {
		return nil, nil
	}
	page := all[p.offset:min(len(all), top)]
	ids := make([]int64, len(page))
	for i, h := range page {
		ids[i] = h.id
	}
	js, _ := json.Marshal(ids)
	q := `WITH hits AS MATERIALIZED (SELECT key AS ord, value AS id FROM json_each(?)),
		snips AS MATERIALIZED (SELECT rowid AS id, snippet(articles_fts, -1, ?, ?, '…', 16) AS snip
			FROM articles_fts WHERE articles_fts MATCH ? AND rowid >= (SELECT min(id) FROM hits)
			AND rowid IN (SELECT id FROM hits))
		SELECT a.id, v.id, a.canonical_url, a.site_name, v.title, v.authors, v.published_at, snips.snip, 0.0
		FROM hits JOIN versions v ON v.id = hits.id JOIN articles a ON a.id = v.article_id
		LEFT JOIN snips ON snips.id = hits.id
		ORDER BY hits.ord`
	out, err := s.searchRows(ctx, query, q, string(js), p.hs, p.he, query)
	if err != nil {
		return nil, err
	}
	if len(out) != len(page) {
		return nil, searchError(query, errors.New("a ranked version left the archive during the search"))
	}
	for i := range out {
		out[i].Score = page[i].score
	}
	return out, nil
}

// titleIDs returns the recent title matches below rowid cut that Search
// ranks with its window (see titleMatches), those the filters of p keep,
// most recent first.
func (s *Store) titleIDs(ctx context.Context, query string, cut int64, p splitPlan) ([]int64, error) {
	js, lowest, err := s.titleMatches(ctx, query, cut)
	if err != nil || lowest == 0 {
		return nil, nil // none, or a query that cannot go under a column filter: none ranked
	}
	filters, fargs := p.filtersOn("t.value")
	if filters == "" {
		var ids []int64
		if err := json.Unmarshal([]byte(js), &ids); err != nil {
			return nil, err
		}
		return ids, nil
	}
	from := ` FROM json_each(?) t`
	if p.join {
		from += ` JOIN versions v ON v.id = t.value JOIN articles a ON a.id = v.article_id`
	}
	rows, err := s.r.QueryContext(ctx, `SELECT t.value`+from+` WHERE 1`+filters+` ORDER BY t.key`, append([]any{js}, fargs...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// scoredRows runs a query of (rowid, score) rows.
func (s *Store) scoredRows(ctx context.Context, q string, args ...any) ([]scored, error) {
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []scored
	for rows.Next() {
		var h scored
		if err := rows.Scan(&h.id, &h.score); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// authorPrefilterMin is the fewest matches a query is expected to have
// for an author filter to go into the FTS5 query as a phrase: below it,
// looking up each match's authors (~12 µs a match, in two passes) costs
// less than stepping through the author's doclists beside the query's
// (~6 ms for an author of 100,000 articles). Measured at a million
// articles, when the window was still walked twice: two rare words (~25
// matches) 3 ms looked up, 8 ms stepped; a common and a rare word
// (~2,700) 47 and 30 ms; two common words 90 and 13 ms.
const authorPrefilterMin = 500

// expectedMatches estimates how many rows a query matches from the rows
// holding each of its phrases (hits), as if they were independent and
// joined by AND: rows × Π(nᵢ / rows), where rows is the highest article id
// (as many as there are articles, ids never reused). An OR query matches
// more than that: its estimate errs on the side of the prefilter, which
// is never wrong, only sometimes slower.
func (s *Store) expectedMatches(ctx context.Context, hits string) (float64, error) {
	var rows sql.NullInt64
	if err := s.r.QueryRowContext(ctx, `SELECT max(id) FROM articles`).Scan(&rows); err != nil || !rows.Valid || rows.Int64 == 0 {
		return 0, err
	}
	est := float64(rows.Int64)
	for _, f := range strings.Fields(hits) {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, err
		}
		est *= float64(n) / float64(rows.Int64)
	}
	return est, nil
}

// authorPhrase returns an author's name as an FTS5 phrase, which matches
// the authors column of every version the name is linked to: that column
// is the version's author names joined by ", " (commit), and the author
// filter's names equal under SQLite's NOCASE or Go's lower case, both of
// which the tokenizer's folding covers. ok is false for a name with no
// letter or digit (no token to match) or with a letter whose lower case is
// longer (Go's special cases, which the tokenizer may fold otherwise).
func authorPhrase(name string) (string, bool) {
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(strings.ToLower(name)) != utf8.RuneCountInString(name) {
		return "", false
	}
	if !strings.ContainsFunc(name, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) {
		return "", false
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`, true
}
