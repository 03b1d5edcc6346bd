package archive

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strings"
)

// ExportRecord is one article of an export: its archive bookkeeping and the
// record of its latest version as stored (JSON of extract.Article).
type ExportRecord struct {
	ArticleID    int64
	VersionID    int64
	PageID       int64
	CanonicalURL string
	FirstSeen    string // archive timestamps as stored (UTC, ISO 8601)
	LastSeen     string
	Versions     int
	Record       json.RawMessage
}

// Export yields every article matching query (FTS5 syntax; "" for all) and the
// filters of opts (Limit and Offset included, 0 meaning no limit), in archive
// order (oldest first), one row at a time: memory stays constant whatever the
// archive's size. The whole export reads one snapshot. Iteration stops at the
// first error, which is yielded (a malformed query yields a *QueryError).
func (s *Store) Export(ctx context.Context, query string, opts SearchOptions) iter.Seq2[*ExportRecord, error] {
	return func(yield func(*ExportRecord, error) bool) {
		query = strings.TrimSpace(query)
		if err := checkSearch(query, opts); err != nil {
			yield(nil, err)
			return
		}
		filters, args := filterSQL(opts, "v.id")
		q := `SELECT a.id, v.id, v.page_id, a.canonical_url, a.first_seen, a.last_seen,
				(SELECT count(*) FROM versions WHERE article_id = a.id), v.record, v.body_text, ` + s.bodyHTMLCol("v")
		if query != "" {
			q += ` FROM articles_fts JOIN versions v ON v.id = articles_fts.rowid JOIN articles a ON a.id = v.article_id
				WHERE articles_fts MATCH ?` + filters + ` ORDER BY a.id`
			args = append([]any{query}, args...)
		} else {
			q += ` FROM articles a JOIN versions v ON v.id = a.latest_version_id WHERE 1` + filters + ` ORDER BY a.id`
		}
		q += ` LIMIT ? OFFSET ?`
		limit := opts.Limit
		if limit <= 0 {
			limit = -1
		}
		args = append(args, limit, max(opts.Offset, 0))
		rows, err := s.r.QueryContext(ctx, q, args...)
		if err != nil {
			yield(nil, searchError(query, err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var (
				r      ExportRecord
				record []byte
				text   string
				html   []byte
			)
			if err := rows.Scan(&r.ArticleID, &r.VersionID, &r.PageID, &r.CanonicalURL, &r.FirstSeen, &r.LastSeen,
				&r.Versions, &record, &text, &html); err != nil {
				yield(nil, searchError(query, err))
				return
			}
			full, err := s.fullRecord(record, text, html)
			if err != nil {
				yield(nil, fmt.Errorf("archive: version %d: record: %w", r.VersionID, err))
				return
			}
			r.Record = full
			if !yield(&r, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(nil, searchError(query, err))
		}
	}
}

// LinkEdge is one related-article link of an article's latest version: an
// edge of the related-link graph.
type LinkEdge struct {
	FromArticleID int64
	FromURL       string // canonical URL of the linking article
	Position      int    // 0-based order on the page
	ToURL         string
	ToArticleID   int64 // the archived target, 0 when not archived
	Title         string
}

// Links yields the related-link graph of the articles matching query and opts
// (as Export), ordered by source article and position, in constant memory.
func (s *Store) Links(ctx context.Context, query string, opts SearchOptions) iter.Seq2[*LinkEdge, error] {
	return func(yield func(*LinkEdge, error) bool) {
		query = strings.TrimSpace(query)
		if err := checkSearch(query, opts); err != nil {
			yield(nil, err)
			return
		}
		filters, args := filterSQL(opts, "v.id")
		q := `SELECT a.id, a.canonical_url, l.position, l.to_url, coalesce(al.article_id, 0), l.title`
		if query != "" {
			q += ` FROM articles_fts JOIN versions v ON v.id = articles_fts.rowid JOIN articles a ON a.id = v.article_id
				JOIN links l ON l.version_id = v.id LEFT JOIN aliases al ON al.url = l.to_url
				WHERE articles_fts MATCH ?` + filters
			args = append([]any{query}, args...)
		} else {
			q += ` FROM articles a JOIN versions v ON v.id = a.latest_version_id
				JOIN links l ON l.version_id = v.id LEFT JOIN aliases al ON al.url = l.to_url WHERE 1` + filters
		}
		q += ` ORDER BY a.id, l.position`
		rows, err := s.r.QueryContext(ctx, q, args...)
		if err != nil {
			yield(nil, searchError(query, err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var e LinkEdge
			if err := rows.Scan(&e.FromArticleID, &e.FromURL, &e.Position, &e.ToURL, &e.ToArticleID, &e.Title); err != nil {
				yield(nil, searchError(query, err))
				return
			}
			if !yield(&e, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(nil, searchError(query, err))
		}
	}
}
