package pgarchive

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/frontier"
)

// The methods below are what package archivecopy needs of a PostgreSQL
// archive, the same as of the SQLite archive (archive.Store).

// CopyPages yields every page of the archive in id order, bodies decoded.
func (db *DB) CopyPages(ctx context.Context) iter.Seq2[*archive.PageCopy, error] {
	return func(yield func(*archive.PageCopy, error) bool) {
		rows, err := db.pool.Query(ctx, `SELECT id, url, final_url, redirects, status, headers, fetched_at, duration_ms,
			content_type, sha256, body, truncated, not_modified, extract_error, coalesce(warc_file, ''), coalesce(warc_offset, 0)
			FROM pages ORDER BY id`)
		if err != nil {
			yield(nil, fmt.Errorf("pgarchive: copy pages: %w", err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var (
				c                  archive.PageCopy
				p                  = &c.Page
				redirects, headers []byte
				durMS              int64
				body               []byte
			)
			if err := rows.Scan(&p.ID, &p.URL, &p.FinalURL, &redirects, &p.Status, &headers, &p.FetchedAt, &durMS,
				&p.ContentType, &p.SHA256, &body, &p.Truncated, &p.NotModified, &c.ExtractError, &p.WARCFile,
				&p.WARCOffset); err != nil {
				yield(nil, fmt.Errorf("pgarchive: copy pages: %w", err))
				return
			}
			p.Duration = time.Duration(durMS) * time.Millisecond
			if err := db.decodePage(p, redirects, headers, body); err != nil {
				yield(nil, err)
				return
			}
			if len(p.Header) == 0 {
				p.Header = nil
			}
			if !yield(&c, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(nil, fmt.Errorf("pgarchive: copy pages: %w", err))
		}
	}
}

// CopyVersions yields every version of the archive in id order, with its
// full record and its page's URL, final URL, fetch time and SHA-256.
func (db *DB) CopyVersions(ctx context.Context) iter.Seq2[*archive.VersionCopy, error] {
	return func(yield func(*archive.VersionCopy, error) bool) {
		rows, err := db.pool.Query(ctx, `SELECT v.id, p.id, p.url, p.final_url, p.fetched_at, p.sha256, p.not_modified, v.record
			FROM versions v JOIN pages p ON p.id = v.page_id ORDER BY v.id`)
		if err != nil {
			yield(nil, fmt.Errorf("pgarchive: copy versions: %w", err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var (
				v      archive.VersionCopy
				record []byte
			)
			if err := rows.Scan(&v.ID, &v.Page.ID, &v.Page.URL, &v.Page.FinalURL, &v.Page.FetchedAt, &v.Page.SHA256,
				&v.Page.NotModified, &record); err != nil {
				yield(nil, fmt.Errorf("pgarchive: copy versions: %w", err))
				return
			}
			v.Page.FetchedAt = v.Page.FetchedAt.UTC()
			if err := json.Unmarshal(record, &v.Record); err != nil {
				yield(nil, fmt.Errorf("pgarchive: version %d: record: %w", v.ID, err))
				return
			}
			if !yield(&v, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(nil, fmt.Errorf("pgarchive: copy versions: %w", err))
		}
	}
}

// FindPage returns how many pages were fetched from url at fetched (to the
// millisecond: the precision of the SQLite archive, which a page may have
// come from or be copied to) with a body of SHA-256 sha ("" for none), and
// the lowest id among them: how a copy recognises the pages it copied
// before.
func (db *DB) FindPage(ctx context.Context, url string, fetched time.Time, sha string) (id int64, n int, err error) {
	var min *int64
	err = db.pool.QueryRow(ctx, `SELECT min(id), count(*) FROM pages WHERE url = $1
		AND date_trunc('milliseconds', fetched_at) = $2 AND sha256 = $3`, url, fetched.Truncate(time.Millisecond), sha).Scan(&min, &n)
	if err != nil {
		return 0, 0, fmt.Errorf("pgarchive: find page %s: %w", url, err)
	}
	if min != nil {
		id = *min
	}
	return id, n, nil
}

// ImportPages stores pages copied from another archive, in one transaction,
// and returns their new ids in input order. They are stored under no lease
// (worker "copy") and touch neither the frontier nor any article (versions
// are added apart, with AddReextracted).
func (db *DB) ImportPages(ctx context.Context, pages []*archive.PageCopy) ([]int64, error) {
	preps := make([]prepared, len(pages))
	for i, pc := range pages {
		if err := db.prepare(&PageCommit{Page: &pc.Page}, &preps[i]); err != nil {
			return nil, fmt.Errorf("pgarchive: import page %s: %w", pc.Page.URL, err)
		}
	}
	ids := make([]int64, len(pages))
	err := db.inTx(ctx, "import pages", func(tx pgx.Tx) error {
		for i, pc := range pages {
			var r archive.CommitResult
			if err := insertPage(ctx, tx, frontier.Lease{Worker: "copy"}, &pc.Page, &preps[i], pc.ExtractError, &r); err != nil {
				return fmt.Errorf("%s: %w", pc.Page.URL, err)
			}
			ids[i] = r.PageID
		}
		return nil
	})
	return ids, err
}

// AddReextracted stores records extracted from pages already in the
// archive, in one transaction, as CommitPage stores a page's record but
// without the page itself or the frontier (as the SQLite archive's
// AddReextracted): the article is upserted by canonical URL, aliases are
// added, and a version pointing at the page (Page.ID) is added only when
// the content differs from the latest one. Results are in input order.
func (db *DB) AddReextracted(ctx context.Context, rs []archive.Reextracted) ([]archive.CommitResult, error) {
	cs := make([]PageCommit, len(rs))
	preps := make([]prepared, len(rs))
	for i, r := range rs {
		if r.Page == nil || r.Page.ID == 0 || r.Article == nil {
			return nil, fmt.Errorf("pgarchive: add re-extracted: %w: item %d needs an archived page and an article", archive.ErrInvalid, i)
		}
		pg := *r.Page
		pg.Body = nil
		cs[i] = PageCommit{Result: frontier.Result{URL: pg.URL}, Page: &pg, Article: r.Article}
		if err := db.prepare(&cs[i], &preps[i]); err != nil {
			return nil, fmt.Errorf("pgarchive: add re-extracted %s: %w", pg.URL, err)
		}
	}
	results := make([]archive.CommitResult, len(rs))
	err := db.inTx(ctx, "add re-extracted", func(tx pgx.Tx) error {
		for i := range cs {
			c := &cs[i]
			results[i] = archive.CommitResult{PageID: c.Page.ID}
			if !c.Article.IsArticle {
				continue
			}
			if err := writeArticle(ctx, tx, c, &preps[i], c.Page.FetchedAt, &results[i]); err != nil {
				return fmt.Errorf("%s: %w", c.Page.URL, err)
			}
		}
		return nil
	})
	return results, err
}

// CopyEvents yields every event of the archive in id order.
func (db *DB) CopyEvents(ctx context.Context) iter.Seq2[*archive.EventCopy, error] {
	return func(yield func(*archive.EventCopy, error) bool) {
		rows, err := db.pool.Query(ctx, `SELECT e.id, e.url, e.host, e.kind, e.status, e.detail, e.at,
			coalesce(a.canonical_url, '') FROM events e LEFT JOIN articles a ON a.id = e.article_id ORDER BY e.id`)
		if err != nil {
			yield(nil, fmt.Errorf("pgarchive: copy events: %w", err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var (
				c archive.EventCopy
				e = &c.Event
			)
			if err := rows.Scan(&e.ID, &e.URL, &e.Host, &e.Kind, &e.Status, &e.Detail, &e.At, &c.ArticleURL); err != nil {
				yield(nil, fmt.Errorf("pgarchive: copy events: %w", err))
				return
			}
			e.At = e.At.UTC()
			if !yield(&c, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(nil, fmt.Errorf("pgarchive: copy events: %w", err))
		}
	}
}

// ImportEvents stores events copied from another archive, in one
// transaction, each unless an event with the same URL, kind, status, detail
// and time (to the millisecond) is there already; its article is looked up
// by canonical URL. It returns how many it added.
func (db *DB) ImportEvents(ctx context.Context, evs []*archive.EventCopy) (int, error) {
	n := 0
	err := db.inTx(ctx, "import events", func(tx pgx.Tx) error {
		n = 0
		for _, c := range evs {
			e := &c.Event
			tag, err := tx.Exec(ctx, `INSERT INTO events (url, host, article_id, kind, status, detail, at)
				SELECT $1, $2, (SELECT id FROM articles WHERE canonical_url = $3), $4, $5, $6, $7
				WHERE NOT EXISTS (SELECT 1 FROM events WHERE url = $1 AND kind = $4 AND status = $5 AND detail = $6
					AND date_trunc('milliseconds', at) = $7)`,
				e.URL, e.Host, c.ArticleURL, e.Kind, e.Status, e.Detail, e.At.Truncate(time.Millisecond))
			if err != nil {
				return fmt.Errorf("%s: %w", e.URL, err)
			}
			n += int(tag.RowsAffected())
		}
		return nil
	})
	return n, err
}
