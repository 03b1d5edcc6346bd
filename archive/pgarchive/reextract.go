package pgarchive

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/newsarchive/newsarchive/archive"
)

// PagesForReextract yields, oldest first, the latest complete 2xx HTML
// capture of every final URL matching f, bodies decompressed, each with the
// latest record of the article its final URL leads to (nil when none), as
// the SQLite archive's PagesForReextract: pages that were truncated,
// answered 304 or had no body are left out. The re-extracted records go back
// through AddReextracted.
func (db *DB) PagesForReextract(ctx context.Context, f archive.ReextractFilter) iter.Seq2[*archive.ReextractPage, error] {
	return func(yield func(*archive.ReextractPage, error) bool) {
		q := `SELECT p.id, p.url, p.final_url, p.redirects, p.status, p.headers, p.fetched_at, p.content_type,
				p.sha256, p.body, v.record
			FROM pages p
			LEFT JOIN aliases al ON al.url = p.final_url
			LEFT JOIN articles a ON a.id = al.article_id
			LEFT JOIN versions v ON v.id = a.latest_version_id
			WHERE p.id IN (SELECT max(id) FROM pages
				WHERE status BETWEEN 200 AND 299 AND NOT truncated AND NOT not_modified AND body IS NOT NULL
					AND (content_type = 'text/html' OR content_type = 'application/xhtml+xml')
				GROUP BY final_url)`
		var args []any
		arg := func(v any) string {
			args = append(args, v)
			return "$" + strconv.Itoa(len(args))
		}
		if !f.Since.IsZero() {
			q += ` AND p.fetched_at >= ` + arg(f.Since)
		}
		if site := strings.ToLower(strings.TrimSpace(f.Site)); site != "" {
			// The host is what follows "://" up to the port or path; LIKE
			// patterns as in the SQLite archive (its LIKE is
			// case-insensitive for ASCII: ILIKE here).
			q += ` AND (lower(a.site_name) = ` + arg(site) + ` OR p.final_url ILIKE ` + arg("%://"+site+"/%") +
				` OR p.final_url ILIKE ` + arg("%://"+site+":%") + ` OR p.final_url ILIKE ` + arg("%://%."+site+"/%") +
				` OR p.final_url ILIKE ` + arg("%://%."+site+":%") + `)`
		}
		q += ` ORDER BY p.id`
		rows, err := db.pool.Query(ctx, q, args...)
		if err != nil {
			yield(nil, fmt.Errorf("pgarchive: pages for re-extraction: %w", err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var (
				p                          archive.Page
				redirects, headers, record []byte
				body                       []byte
			)
			if err := rows.Scan(&p.ID, &p.URL, &p.FinalURL, &redirects, &p.Status, &headers, &p.FetchedAt,
				&p.ContentType, &p.SHA256, &body, &record); err != nil {
				yield(nil, fmt.Errorf("pgarchive: pages for re-extraction: %w", err))
				return
			}
			if err := db.decodePage(&p, redirects, headers, body); err != nil {
				yield(nil, err)
				return
			}
			rp := &archive.ReextractPage{Page: &p}
			if record != nil {
				rp.Current = json.RawMessage(record)
			}
			if !yield(rp, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(nil, fmt.Errorf("pgarchive: pages for re-extraction: %w", err))
		}
	}
}
