package archive

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"strings"
	"time"

	"github.com/newsarchive/newsarchive/extract"
)

// WARCLocation says where a page's capture lies in a WARC file: the file's
// path and the byte offset of its response (or revisit) record.
type WARCLocation struct {
	File   string
	Offset int64
}

// WARCLocationOf returns where page id's capture lies; ok is false when the
// page has none recorded.
func (s *Store) WARCLocationOf(ctx context.Context, id int64) (loc WARCLocation, ok bool, err error) {
	var f sql.NullString
	var off sql.NullInt64
	err = s.r.QueryRowContext(ctx, `SELECT warc_file, warc_offset FROM pages WHERE id = ?`, id).Scan(&f, &off)
	if err == sql.ErrNoRows {
		return WARCLocation{}, false, fmt.Errorf("archive: page %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return WARCLocation{}, false, wrap(fmt.Sprintf("page %d", id), err)
	}
	if !f.Valid || f.String == "" {
		return WARCLocation{}, false, nil
	}
	return WARCLocation{File: f.String, Offset: off.Int64}, true, nil
}

// WARCFiles returns the distinct WARC files the archive's pages lie in, in
// the order their first page was archived.
func (s *Store) WARCFiles(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT warc_file FROM pages WHERE warc_file IS NOT NULL AND warc_file <> ''
		GROUP BY warc_file ORDER BY min(id)`)
	if err != nil {
		return nil, wrap("WARC files", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var f string
		if err := rows.Scan(&f); err != nil {
			return nil, wrap("WARC files", err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("WARC files", err)
	}
	return out, nil
}

// CapturedPage is an archived article page with a WARC capture: a line of a
// WACZ pages.jsonl.
type CapturedPage struct {
	PageID    int64
	URL       string // the page's final URL
	FetchedAt time.Time
	Title     string
	File      string // WARC file of the capture
}

// CapturedPages yields, in archive order, the page of the latest version of
// every article whose capture lies in a WARC file.
func (s *Store) CapturedPages(ctx context.Context) iter.Seq2[*CapturedPage, error] {
	return func(yield func(*CapturedPage, error) bool) {
		rows, err := s.r.QueryContext(ctx, `SELECT p.id, p.final_url, p.fetched_at, v.title, p.warc_file
			FROM articles a JOIN versions v ON v.id = a.latest_version_id JOIN pages p ON p.id = v.page_id
			WHERE p.warc_file IS NOT NULL AND p.warc_file <> '' ORDER BY a.id`)
		if err != nil {
			yield(nil, wrap("captured pages", err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var (
				c       CapturedPage
				fetched string
			)
			if err := rows.Scan(&c.PageID, &c.URL, &fetched, &c.Title, &c.File); err != nil {
				yield(nil, wrap("captured pages", err))
				return
			}
			c.FetchedAt = parseTime(fetched)
			if !yield(&c, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(nil, wrap("captured pages", err))
		}
	}
}

// ReextractFilter selects the raw pages to re-extract.
type ReextractFilter struct {
	// Site keeps pages whose final URL's host is Site or a subdomain of it,
	// or whose article's site name is Site (case-insensitive). "" keeps all.
	Site string
	// Since keeps pages fetched at or after it. Zero keeps all.
	Since time.Time
}

// ReextractPage is a raw page to re-extract, with the record currently
// stored for the article its final URL leads to (nil when none).
type ReextractPage struct {
	Page *Page
	// Current is the latest stored record of the page's article (JSON of
	// extract.Article), nil when the page yielded no article so far.
	Current json.RawMessage
}

// PagesForReextract yields, oldest first, the latest complete 2xx HTML
// capture of every final URL matching f, bodies decompressed. Pages that
// were truncated, answered 304 or had no body are left out: a crawl would
// not have extracted them either.
func (s *Store) PagesForReextract(ctx context.Context, f ReextractFilter) iter.Seq2[*ReextractPage, error] {
	return func(yield func(*ReextractPage, error) bool) {
		q := `SELECT p.id, p.url, p.final_url, p.redirects, p.status, p.headers, p.fetched_at, p.content_type,
				p.sha256, p.size, p.body, p.body_encoding, v.record, v.body_text, ` + s.bodyHTMLCol("v") + `
			FROM pages p
			LEFT JOIN aliases al ON al.url = p.final_url
			LEFT JOIN articles a ON a.id = al.article_id
			LEFT JOIN versions v ON v.id = a.latest_version_id
			WHERE p.id IN (SELECT max(id) FROM pages
				WHERE status BETWEEN 200 AND 299 AND truncated = 0 AND not_modified = 0 AND body IS NOT NULL
					AND (content_type = 'text/html' OR content_type = 'application/xhtml+xml')
				GROUP BY final_url)`
		var args []any
		if !f.Since.IsZero() {
			q += ` AND p.fetched_at >= ?`
			args = append(args, fmtTime(f.Since))
		}
		if site := strings.ToLower(strings.TrimSpace(f.Site)); site != "" {
			// The host is what follows "://" up to the port or path.
			q += ` AND (lower(a.site_name) = ? OR p.final_url LIKE ? OR p.final_url LIKE ? OR p.final_url LIKE ? OR p.final_url LIKE ?)`
			args = append(args, site, "%://"+site+"/%", "%://"+site+":%", "%://%."+site+"/%", "%://%."+site+":%")
		}
		q += ` ORDER BY p.id`
		rows, err := s.r.QueryContext(ctx, q, args...)
		if err != nil {
			yield(nil, wrap("pages for re-extraction", err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var (
				p                                Page
				redirects, headers, fetched, enc string
				body                             []byte
				size                             int
				record, html                     []byte
				text                             sql.NullString
			)
			if err := rows.Scan(&p.ID, &p.URL, &p.FinalURL, &redirects, &p.Status, &headers, &fetched, &p.ContentType,
				&p.SHA256, &size, &body, &enc, &record, &text, &html); err != nil {
				yield(nil, wrap("pages for re-extraction", err))
				return
			}
			p.FetchedAt = parseTime(fetched)
			if err := json.Unmarshal([]byte(redirects), &p.Redirects); err != nil {
				yield(nil, fmt.Errorf("archive: page %d: redirects: %w", p.ID, err))
				return
			}
			var h http.Header
			if err := json.Unmarshal([]byte(headers), &h); err != nil {
				yield(nil, fmt.Errorf("archive: page %d: headers: %w", p.ID, err))
				return
			}
			p.Header = h
			if p.Body, err = s.decode(body, enc, size); err != nil {
				yield(nil, fmt.Errorf("archive: page %d: %w", p.ID, err))
				return
			}
			rp := &ReextractPage{Page: &p}
			if record != nil {
				if rp.Current, err = s.fullRecord(record, text.String, html); err != nil {
					yield(nil, fmt.Errorf("archive: page %d: record: %w", p.ID, err))
					return
				}
			}
			if !yield(rp, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(nil, wrap("pages for re-extraction", err))
		}
	}
}

// Reextracted is a new record extracted from an archived page.
type Reextracted struct {
	Page    *Page // the archived page (ID, URL, FinalURL, FetchedAt are used)
	Article *extract.Article
}

// AddReextracted stores, in one transaction, records re-extracted from
// archived pages, as Commit stores a crawled page's record but without
// touching the pages themselves or the frontier: the article is upserted by
// canonical URL, aliases are added, and a version (with the record's
// extractor version, pointing at the existing page) is added only when the
// content differs from the latest one. An article's last_seen never moves
// back. Results are in input order.
func (s *Store) AddReextracted(ctx context.Context, rs []Reextracted) ([]CommitResult, error) {
	if s.readOnly {
		return nil, fmt.Errorf("archive: add re-extracted: %w", ErrReadOnly)
	}
	caps := make([]Capture, len(rs))
	preps := make([]prepared, len(rs))
	h := sha256.New()
	for i, r := range rs {
		if r.Page == nil || r.Page.ID == 0 || r.Article == nil {
			return nil, fmt.Errorf("archive: add re-extracted: %w: item %d needs an archived page and an article", ErrInvalid, i)
		}
		pg := *r.Page
		pg.Body = nil // the page is not stored again
		caps[i] = Capture{Entry: QueueEntry{URL: pg.URL}, State: StateDone, Page: &pg, Article: r.Article}
		if err := s.prepare(&caps[i], &preps[i], h); err != nil {
			return nil, fmt.Errorf("archive: add re-extracted: %w", err)
		}
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, wrap("add re-extracted", err)
	}
	defer tx.Rollback()
	w := &batchWriter{ctx: ctx, tx: tx, now: fmtTime(time.Now())}
	w.bind(s.st)
	results := make([]CommitResult, len(caps))
	for i := range caps {
		c := &caps[i]
		if !c.Article.IsArticle {
			continue
		}
		canonical := c.Article.CanonicalURL
		if canonical == "" {
			canonical = c.Page.FinalURL
		}
		var lastSeen sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT last_seen FROM articles WHERE canonical_url = ?`, canonical).Scan(&lastSeen); err != nil && err != sql.ErrNoRows {
			return nil, wrap("add re-extracted "+canonical, err)
		}
		results[i].PageID = c.Page.ID
		if err := w.article(c, &preps[i], c.Page.ID, &results[i]); err != nil {
			return nil, wrap("add re-extracted "+canonical, err)
		}
		if lastSeen.Valid {
			if _, err := tx.ExecContext(ctx, `UPDATE articles SET last_seen = ?1 WHERE id = ?2 AND last_seen < ?1`,
				lastSeen.String, results[i].ArticleID); err != nil {
				return nil, wrap("add re-extracted "+canonical, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, wrap("add re-extracted", err)
	}
	return results, nil
}

// CaptureRef is the capture a conditional request revalidates: the page
// Previous returns, with where its WARC record lies.
type CaptureRef struct {
	PageID    int64
	URL       string // the page's final URL
	FetchedAt time.Time
	WARC      WARCLocation // zero when the page has no WARC record
}

// PreviousCapture returns the capture Previous(url) returns (the latest
// complete 2xx page fetched from url), without its body; ok is false when
// there is none.
func (s *Store) PreviousCapture(ctx context.Context, url string) (ref CaptureRef, ok bool, err error) {
	var (
		fetched string
		file    sql.NullString
		off     sql.NullInt64
	)
	err = s.r.QueryRowContext(ctx, `
		SELECT id, final_url, fetched_at, warc_file, warc_offset FROM pages
		WHERE (url = ?1 OR final_url = ?1) AND status BETWEEN 200 AND 299 AND truncated = 0 AND not_modified = 0
		ORDER BY id DESC LIMIT 1`, url).Scan(&ref.PageID, &ref.URL, &fetched, &file, &off)
	if err == sql.ErrNoRows {
		return CaptureRef{}, false, nil
	}
	if err != nil {
		return CaptureRef{}, false, wrap("previous capture "+url, err)
	}
	ref.FetchedAt = parseTime(fetched)
	if file.Valid && file.String != "" {
		ref.WARC = WARCLocation{File: file.String, Offset: off.Int64}
	}
	return ref, true, nil
}
