package archive

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"time"

	"github.com/newsarchive/newsarchive/extract"
)

// PageCopy is an archived page as it is copied between archives (package
// archivecopy): the page with its decoded body and its extraction error.
type PageCopy struct {
	Page         Page
	ExtractError string
}

// VersionCopy is an archived version as it is copied between archives: its
// full record and the page it was extracted from (without body; ID is the
// page's id in the version's own archive).
type VersionCopy struct {
	ID     int64
	Page   Page
	Record extract.Article
}

// CopyPages yields every page of the archive in id order, bodies decoded.
func (s *Store) CopyPages(ctx context.Context) iter.Seq2[*PageCopy, error] {
	return func(yield func(*PageCopy, error) bool) {
		rows, err := s.r.QueryContext(ctx, `SELECT id, url, final_url, redirects, status, headers, fetched_at,
			duration_ms, content_type, sha256, size, body, body_encoding, truncated, not_modified, extract_error,
			coalesce(warc_file, ''), coalesce(warc_offset, 0)
			FROM pages ORDER BY id`)
		if err != nil {
			yield(nil, wrap("copy pages", err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var (
				c                                PageCopy
				p                                = &c.Page
				redirects, headers, fetched, enc string
				durMS                            int64
				size                             int
				body                             []byte
			)
			if err := rows.Scan(&p.ID, &p.URL, &p.FinalURL, &redirects, &p.Status, &headers, &fetched, &durMS,
				&p.ContentType, &p.SHA256, &size, &body, &enc, &p.Truncated, &p.NotModified, &c.ExtractError,
				&p.WARCFile, &p.WARCOffset); err != nil {
				yield(nil, wrap("copy pages", err))
				return
			}
			p.FetchedAt = parseTime(fetched)
			p.Duration = time.Duration(durMS) * time.Millisecond
			if err := json.Unmarshal([]byte(redirects), &p.Redirects); err != nil {
				yield(nil, fmt.Errorf("archive: page %d: redirects: %w", p.ID, err))
				return
			}
			var h http.Header
			if err := json.Unmarshal([]byte(headers), &h); err != nil {
				yield(nil, fmt.Errorf("archive: page %d: headers: %w", p.ID, err))
				return
			}
			if len(h) > 0 {
				p.Header = h // nil when none, as PostgreSQL's copy gives it
			}
			if p.Body, err = s.decode(body, enc, size); err != nil {
				yield(nil, fmt.Errorf("archive: page %d: %w", p.ID, err))
				return
			}
			if !yield(&c, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(nil, wrap("copy pages", err))
		}
	}
}

// CopyVersions yields every version of the archive in id order, with its
// full record and its page's URL, final URL, fetch time and SHA-256.
func (s *Store) CopyVersions(ctx context.Context) iter.Seq2[*VersionCopy, error] {
	return func(yield func(*VersionCopy, error) bool) {
		rows, err := s.r.QueryContext(ctx, `SELECT v.id, p.id, p.url, p.final_url, p.fetched_at, p.sha256, p.not_modified,
			v.record, v.body_text, `+s.bodyHTMLCol("v")+`
			FROM versions v JOIN pages p ON p.id = v.page_id ORDER BY v.id`)
		if err != nil {
			yield(nil, wrap("copy versions", err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var (
				v             VersionCopy
				fetched, text string
				record, html  []byte
			)
			if err := rows.Scan(&v.ID, &v.Page.ID, &v.Page.URL, &v.Page.FinalURL, &fetched, &v.Page.SHA256,
				&v.Page.NotModified, &record, &text, &html); err != nil {
				yield(nil, wrap("copy versions", err))
				return
			}
			v.Page.FetchedAt = parseTime(fetched)
			full, err := s.fullRecord(record, text, html)
			if err != nil {
				yield(nil, fmt.Errorf("archive: version %d: record: %w", v.ID, err))
				return
			}
			if err := json.Unmarshal(full, &v.Record); err != nil {
				yield(nil, fmt.Errorf("archive: version %d: record: %w", v.ID, err))
				return
			}
			if !yield(&v, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(nil, wrap("copy versions", err))
		}
	}
}

// FindPage returns how many pages were fetched from url at fetched (to the
// millisecond, the archive's precision) with a body of SHA-256 sha ("" for
// none), and the lowest id among them: how a copy recognises the pages it
// copied before (an archive may hold one capture twice, imported from two
// WARC files).
func (s *Store) FindPage(ctx context.Context, url string, fetched time.Time, sha string) (id int64, n int, err error) {
	var min sql.NullInt64
	err = s.w.QueryRowContext(ctx, `SELECT min(id), count(*) FROM pages WHERE url = ? AND fetched_at = ? AND sha256 = ?`,
		url, fmtTime(fetched), sha).Scan(&min, &n)
	if err != nil {
		return 0, 0, wrap("find page "+url, err)
	}
	return min.Int64, n, nil
}

// ImportPages stores pages copied from another archive, in one transaction,
// and returns their new ids in input order. They belong to no run and touch
// neither the frontier nor any article (versions are added apart, with
// AddReextracted).
func (s *Store) ImportPages(ctx context.Context, pages []*PageCopy) ([]int64, error) {
	if s.readOnly {
		return nil, fmt.Errorf("archive: import pages: %w", ErrReadOnly)
	}
	preps := make([]prepared, len(pages))
	h := sha256.New()
	for i, pc := range pages {
		if err := s.prepare(&Capture{Page: &pc.Page}, &preps[i], h); err != nil {
			return nil, fmt.Errorf("archive: import pages: %w", err)
		}
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, wrap("import pages", err)
	}
	defer tx.Rollback()
	ids := make([]int64, len(pages))
	for i, pc := range pages {
		pg, p := &pc.Page, &preps[i]
		finalURL := pg.FinalURL
		if finalURL == "" {
			finalURL = pg.URL
		}
		var body, warcFile, warcOffset any
		if p.body != nil {
			body = p.body
		}
		if pg.WARCFile != "" {
			warcFile, warcOffset = pg.WARCFile, pg.WARCOffset
		}
		res, err := tx.Stmt(s.st.insPage).ExecContext(ctx, nil, pg.URL, finalURL, p.redirects, pg.Status, p.headers,
			fmtTime(pg.FetchedAt), pg.Duration.Milliseconds(), pg.ContentType, p.sha, p.size, body,
			boolInt(pg.Truncated), boolInt(pg.NotModified), pc.ExtractError, warcFile, warcOffset)
		if err != nil {
			return nil, wrap("import page "+pg.URL, err)
		}
		if ids[i], err = res.LastInsertId(); err != nil {
			return nil, wrap("import page "+pg.URL, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, wrap("import pages", err)
	}
	return ids, nil
}

// EventCopy is an event as it is copied between archives: its article is
// named by canonical URL ("" when none), as ids differ between archives.
type EventCopy struct {
	Event      Event
	ArticleURL string
}

// CopyEvents yields every event of the archive in id order (none when the
// archive predates the events table).
func (s *Store) CopyEvents(ctx context.Context) iter.Seq2[*EventCopy, error] {
	return func(yield func(*EventCopy, error) bool) {
		ok, err := s.hasEvents(ctx)
		if err != nil || !ok {
			if err != nil {
				yield(nil, err)
			}
			return
		}
		rows, err := s.r.QueryContext(ctx, `SELECT e.id, e.url, e.host, e.kind, e.status, e.detail, e.at,
			coalesce(a.canonical_url, '') FROM events e LEFT JOIN articles a ON a.id = e.article_id ORDER BY e.id`)
		if err != nil {
			yield(nil, wrap("copy events", err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var (
				c  EventCopy
				e  = &c.Event
				at string
			)
			if err := rows.Scan(&e.ID, &e.URL, &e.Host, &e.Kind, &e.Status, &e.Detail, &at, &c.ArticleURL); err != nil {
				yield(nil, wrap("copy events", err))
				return
			}
			e.At = parseTime(at)
			if !yield(&c, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(nil, wrap("copy events", err))
		}
	}
}

// ImportEvents stores events copied from another archive, in one
// transaction, each unless an event with the same URL, kind, status, detail
// and time (to the millisecond) is there already; its article is looked up
// by canonical URL. It returns how many it added.
func (s *Store) ImportEvents(ctx context.Context, evs []*EventCopy) (int, error) {
	if s.readOnly {
		return 0, fmt.Errorf("archive: import events: %w", ErrReadOnly)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, wrap("import events", err)
	}
	defer tx.Rollback()
	n := 0
	for _, c := range evs {
		e := &c.Event
		res, err := tx.ExecContext(ctx, `INSERT INTO events (url, host, article_id, kind, status, detail, at)
			SELECT ?1, ?2, (SELECT id FROM articles WHERE canonical_url = ?3), ?4, ?5, ?6, ?7
			WHERE NOT EXISTS (SELECT 1 FROM events WHERE url = ?1 AND kind = ?4 AND status = ?5 AND detail = ?6 AND at = ?7)`,
			e.URL, e.Host, c.ArticleURL, e.Kind, e.Status, e.Detail, fmtTime(e.At))
		if err != nil {
			return 0, wrap("import event "+e.URL, err)
		}
		k, err := res.RowsAffected()
		if err != nil {
			return 0, wrap("import event "+e.URL, err)
		}
		n += int(k)
	}
	if err := tx.Commit(); err != nil {
		return 0, wrap("import events", err)
	}
	return n, nil
}
