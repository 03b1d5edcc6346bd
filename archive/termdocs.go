package archive

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/newsarchive/newsarchive/internal/sqlitefts"
)

// termDocsMin is the fewest rows a word must be in to get a row of
// term_docs: a rarer word's doclist is short enough to count per query.
const termDocsMin = 256

// RefreshTermDocs rebuilds the table of common words' row counts
// (migration 0006) from the full-text index, so that Search ranks with
// counts read from it rather than counted per query. It reads the whole
// index once (about as long as OptimizeIndex); searches by other
// connections go on meanwhile. ingest runs it after large runs.
func (s *Store) RefreshTermDocs(ctx context.Context) error {
	if s.readOnly {
		return wrap("refresh term counts", ErrReadOnly)
	}
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return wrap("refresh term counts", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE VIRTUAL TABLE IF NOT EXISTS temp.articles_fts_terms
		USING fts5vocab(main, articles_fts, row)`); err != nil {
		return wrap("refresh term counts", err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return wrap("refresh term counts", err)
	}
	defer tx.Rollback()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM term_docs`, nil},
		{`INSERT INTO term_docs (term, docs) SELECT term, doc FROM temp.articles_fts_terms WHERE doc >= ?`, []any{termDocsMin}},
		{`INSERT INTO term_docs_gone (term_docs_gone) VALUES ('delete-all')`, nil},
		// Every row of the index is a version; a version written later has
		// a higher id (the trigger of 0006 disables the counts otherwise).
		{`INSERT OR REPLACE INTO term_docs_state (id, upto, min_docs, built_at)
			VALUES (1, (SELECT coalesce(max(id), 0) FROM versions), ?, ?)`,
			[]any{termDocsMin, time.Now().UTC().Format(time.RFC3339)}},
	} {
		if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
			return wrap("refresh term counts", err)
		}
	}
	return wrap("refresh term counts", tx.Commit())
}

// TermDocsState tells how far the term counts are from the index: the
// versions indexed after the last build (rows above upto) and those that
// left the index since (rows of term_docs_gone). ok is false when there are
// no usable counts (never built, disabled, or a schema before 0006).
func (s *Store) TermDocsState(ctx context.Context) (added, gone int64, ok bool, err error) {
	if s.schema < 6 {
		return 0, 0, false, nil
	}
	var upto sql.NullInt64
	err = s.r.QueryRowContext(ctx, `SELECT upto FROM term_docs_state WHERE id = 1`).Scan(&upto)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !upto.Valid) {
		return 0, 0, false, nil
	}
	if err != nil {
		return 0, 0, false, wrap("term counts", err)
	}
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM articles WHERE latest_version_id > ?`, upto.Int64).Scan(&added); err != nil {
		return 0, 0, false, wrap("term counts", err)
	}
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM term_docs_gone`).Scan(&gone); err != nil {
		return 0, 0, false, wrap("term counts", err)
	}
	return added, gone, true, nil
}

// phraseHits returns bm25_df's last argument for query: the number of rows
// of articles_fts holding each of its phrases, in FTS5's phrase order, read
// from term_docs. ok is false when the counts cannot be had cheaply and
// exactly, and Search ranks with bm25 as before: no usable counts, a
// connection without the function, a phrase of several words, or a column
// filter, prefix, initial-token or NEAR query (whose phrase counts differ
// from a plain word's).
func (s *Store) phraseHits(ctx context.Context, query string) (hits string, ok bool, err error) {
	if !s.ftsRank || s.schema < 6 || !plainQuery(query) {
		return "", false, nil
	}
	upto, ok, err := s.termDocsUpto(ctx)
	if err != nil || !ok {
		return "", false, err
	}
	var js string
	err = s.r.QueryRowContext(ctx, `SELECT fts5_phrases(articles_fts) FROM articles_fts WHERE articles_fts MATCH ? LIMIT 1`, query).Scan(&js)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil // no match: nothing to rank
	}
	if err != nil {
		return "", false, err
	}
	var phrases [][]string
	if err := json.Unmarshal([]byte(js), &phrases); err != nil {
		return "", false, err
	}
	counts := make([]string, len(phrases))
	for i, p := range phrases {
		if len(p) != 1 {
			return "", false, nil
		}
		n, err := s.termRows(ctx, p[0], upto)
		if err != nil {
			return "", false, err
		}
		counts[i] = strconv.FormatInt(n, 10)
	}
	return strings.Join(counts, " "), true, nil
}

// termDocsUpto returns term_docs_state's upto: the highest rowid the
// counts of term_docs cover. ok is false when they are not usable.
func (s *Store) termDocsUpto(ctx context.Context) (upto int64, ok bool, err error) {
	var v sql.NullInt64
	err = s.r.QueryRowContext(ctx, `SELECT upto FROM term_docs_state WHERE id = 1`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return v.Int64, err == nil && v.Valid, err
}

// termRows returns the number of rows of articles_fts holding the token
// term (as the tokenizer folded it), the count bm25 makes of a one-word
// phrase.
func (s *Store) termRows(ctx context.Context, term string, upto int64) (int64, error) {
	q := `"` + strings.ReplaceAll(term, `"`, `""`) + `"`
	var docs int64
	err := s.r.QueryRowContext(ctx, `SELECT docs FROM term_docs WHERE term = ?`, term).Scan(&docs)
	if errors.Is(err, sql.ErrNoRows) {
		// Rare when the counts were built: count it.
		var n int64
		err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?`, q).Scan(&n)
		return n, err
	}
	if err != nil {
		return 0, err
	}
	var added, gone int64
	err = s.r.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1 AND rowid > ?2),
		(SELECT count(*) FROM term_docs_gone WHERE term_docs_gone MATCH ?1)`, q, upto).Scan(&added, &gone)
	return docs + added - gone, err
}

// plainQuery reports whether query has none of FTS5's column filters,
// prefix or initial-token marks and no NEAR group (conservatively: the
// characters anywhere, even inside a quoted phrase).
func plainQuery(query string) bool {
	return !strings.ContainsAny(query, ":*^") && !strings.Contains(query, "NEAR")
}

// checkFTSRank reports whether the read pool's connections carry bm25_df.
func checkFTSRank(ctx context.Context, db *sql.DB) bool {
	conn, err := db.Conn(ctx)
	if err != nil {
		return false
	}
	defer conn.Close()
	ok := false
	_ = conn.Raw(func(dc any) error { ok = sqlitefts.Registered(dc); return nil })
	return ok
}
