package pgarchive

// The read side of archive.Reader on PostgreSQL: the same answers as the
// SQLite archive's (archive.Store) for the same archive. Text is ordered
// with COLLATE "C", SQLite's binary order, whatever the database's locale.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/extract"
)

var _ archive.Reader = (*DB)(nil)

// record rebuilds a version's record JSON from its jsonb column. jsonb keeps
// neither key order nor spacing, so the record is decoded into its type and
// encoded again: the bytes the SQLite archive stores and rebuilds (json.Marshal
// of the extract.Article), key for key.
func record(stored []byte) ([]byte, *extract.Article, error) {
	var a extract.Article
	if err := json.Unmarshal(stored, &a); err != nil {
		return nil, nil, err
	}
	b, err := json.Marshal(&a)
	if err != nil {
		return nil, nil, err
	}
	return b, &a, nil
}

// Article returns article id with its latest record, versions, aliases and
// related links, or archive.ErrNotFound.
func (db *DB) Article(ctx context.Context, id int64) (*archive.ArticleRecord, error) {
	return db.article(ctx, `a.id = $1`, id)
}

// ArticleByURL returns the article whose canonical URL or any alias is url,
// with its latest record, its versions (in fetch order), its aliases and
// related links, or archive.ErrNotFound.
func (db *DB) ArticleByURL(ctx context.Context, url string) (*archive.ArticleRecord, error) {
	return db.article(ctx, `a.id = coalesce((SELECT article_id FROM aliases WHERE url = $1),
		(SELECT id FROM articles WHERE canonical_url = $1))`, url)
}

// readTx runs fn in a read-only REPEATABLE READ transaction: every query in
// it reads one snapshot.
func (db *DB) readTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}

func (db *DB) article(ctx context.Context, where string, arg any) (*archive.ArticleRecord, error) {
	var rec *archive.ArticleRecord
	err := db.readTx(ctx, func(tx pgx.Tx) error {
		r := &archive.ArticleRecord{}
		var stored []byte
		err := tx.QueryRow(ctx, `SELECT a.id, a.canonical_url, a.site_name, a.first_seen, a.last_seen, v.id, v.page_id, v.record
			FROM articles a JOIN versions v ON v.id = a.latest_version_id
			WHERE `+where, arg).Scan(&r.ID, &r.CanonicalURL, &r.SiteName, &r.FirstSeen, &r.LastSeen, &r.VersionID, &r.PageID, &stored)
		if errors.Is(err, pgx.ErrNoRows) {
			return archive.ErrNotFound
		}
		if err != nil {
			return err
		}
		r.FirstSeen, r.LastSeen = r.FirstSeen.UTC(), r.LastSeen.UTC()
		_, a, err := record(stored)
		if err != nil {
			return fmt.Errorf("record of version %d: %w", r.VersionID, err)
		}
		r.Record = *a
		rows, err := tx.Query(ctx, `SELECT v.id, v.page_id, pg.fetched_at, v.extracted_at, v.content_sha256, v.extractor_version, v.title
			FROM versions v JOIN pages pg ON pg.id = v.page_id WHERE v.article_id = $1 ORDER BY pg.fetched_at, v.id`, r.ID)
		if err != nil {
			return err
		}
		var vi archive.VersionInfo
		if _, err := pgx.ForEachRow(rows, []any{&vi.ID, &vi.PageID, &vi.FetchedAt, &vi.ExtractedAt, &vi.ContentSHA256,
			&vi.ExtractorVersion, &vi.Title}, func() error {
			vi.FetchedAt, vi.ExtractedAt = vi.FetchedAt.UTC(), vi.ExtractedAt.UTC()
			r.Versions = append(r.Versions, vi)
			return nil
		}); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT url FROM aliases WHERE article_id = $1 ORDER BY url COLLATE "C"`, r.ID)
		if err != nil {
			return err
		}
		if r.Aliases, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT l.title, l.to_url, coalesce(al.article_id, 0)
			FROM links l LEFT JOIN aliases al ON al.url = l.to_url
			WHERE l.version_id = $1 ORDER BY l.position`, r.VersionID)
		if err != nil {
			return err
		}
		var l archive.RelatedLink
		if _, err := pgx.ForEachRow(rows, []any{&l.Title, &l.URL, &l.ArticleID}, func() error {
			r.Related = append(r.Related, l)
			return nil
		}); err != nil {
			return err
		}
		rec = r
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("pgarchive: article %v: %w", arg, err)
	}
	return rec, nil
}

// Version returns version id with its record (for diffs between versions),
// or archive.ErrNotFound. As in the SQLite archive, FetchedAt is left zero.
func (db *DB) Version(ctx context.Context, id int64) (*archive.VersionRecord, error) {
	var (
		v      archive.VersionRecord
		stored []byte
	)
	err := db.pool.QueryRow(ctx, `SELECT id, article_id, page_id, extracted_at, content_sha256, extractor_version, title, record
		FROM versions WHERE id = $1`, id).Scan(&v.ID, &v.ArticleID, &v.PageID, &v.ExtractedAt, &v.ContentSHA256,
		&v.ExtractorVersion, &v.Title, &stored)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("pgarchive: version %d: %w", id, archive.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("pgarchive: version %d: %w", id, err)
	}
	v.ExtractedAt = v.ExtractedAt.UTC()
	_, a, err := record(stored)
	if err != nil {
		return nil, fmt.Errorf("pgarchive: version %d: record: %w", id, err)
	}
	v.Record = *a
	return &v, nil
}

// Page returns the archived page id with its body decompressed, or
// archive.ErrNotFound. RunID is 0: a fleet has no runs.
func (db *DB) Page(ctx context.Context, id int64) (*archive.Page, error) {
	var (
		p                  archive.Page
		redirects, headers []byte
		durMS              int64
		body               []byte
	)
	err := db.pool.QueryRow(ctx, `SELECT id, url, final_url, redirects, status, headers, fetched_at, duration_ms,
		content_type, sha256, body, truncated, not_modified, coalesce(warc_file, ''), coalesce(warc_offset, 0)
		FROM pages WHERE id = $1`, id).Scan(&p.ID, &p.URL, &p.FinalURL, &redirects, &p.Status, &headers, &p.FetchedAt,
		&durMS, &p.ContentType, &p.SHA256, &body, &p.Truncated, &p.NotModified, &p.WARCFile, &p.WARCOffset)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("pgarchive: page %d: %w", id, archive.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("pgarchive: page %d: %w", id, err)
	}
	p.Duration = time.Duration(durMS) * time.Millisecond
	if err := db.decodePage(&p, redirects, headers, body); err != nil {
		return nil, err
	}
	return &p, nil
}

// decodePage fills p from the stored forms of a pages row's columns: the
// fetch time in UTC, the redirects and header from their JSON, the body from
// its zstd frame (a NULL body stays nil).
func (db *DB) decodePage(p *archive.Page, redirects, headers, body []byte) error {
	p.FetchedAt = p.FetchedAt.UTC()
	if err := json.Unmarshal(redirects, &p.Redirects); err != nil {
		return fmt.Errorf("pgarchive: page %d: redirects: %w", p.ID, err)
	}
	if err := json.Unmarshal(headers, &p.Header); err != nil {
		return fmt.Errorf("pgarchive: page %d: headers: %w", p.ID, err)
	}
	if body != nil {
		var err error
		if p.Body, err = db.dec.DecodeAll(body, nil); err != nil {
			return fmt.Errorf("pgarchive: page %d: %w", p.ID, err)
		}
	}
	return nil
}

// selection returns the FROM and WHERE of the articles a query and filters
// select for Export and Links: articles a with their latest version v,
// matched by websearch_to_tsquery when query is not empty (as Search), and
// its arguments.
func selection(query string, opts archive.SearchOptions) (string, []any) {
	filters, args := filterSQL(opts, 1)
	if query == "" {
		return ` FROM articles a JOIN versions v ON v.id = a.latest_version_id WHERE true` + filters, args
	}
	args = append(args, query)
	return ` FROM article_search s JOIN articles a ON a.id = s.article_id JOIN versions v ON v.id = s.version_id
		WHERE s.document @@ websearch_to_tsquery('newsarchive', $` + strconv.Itoa(len(args)) + `)` + filters, args
}

// checkExport applies Search's bounds on the query and filters.
func checkExport(query string, opts archive.SearchOptions) error {
	return checkSearch(query, opts, 1, 0)
}

// Export yields every article matching query (websearch_to_tsquery syntax,
// as Search; "" for all) and the filters of opts (Limit and Offset
// included, 0 meaning no limit), in archive order, with its full record in
// the bytes the SQLite archive gives. The export reads one snapshot, one row
// at a time.
func (db *DB) Export(ctx context.Context, query string, opts archive.SearchOptions) iter.Seq2[*archive.ExportRecord, error] {
	return func(yield func(*archive.ExportRecord, error) bool) {
		query = strings.TrimSpace(query)
		if err := checkExport(query, opts); err != nil {
			yield(nil, err)
			return
		}
		from, args := selection(query, opts)
		q := `SELECT a.id, v.id, v.page_id, a.canonical_url, a.first_seen, a.last_seen,
			(SELECT count(*) FROM versions WHERE article_id = a.id), v.record` + from + ` ORDER BY a.id`
		if opts.Limit > 0 {
			args = append(args, opts.Limit)
			q += ` LIMIT $` + strconv.Itoa(len(args))
		}
		if opts.Offset > 0 {
			args = append(args, opts.Offset)
			q += ` OFFSET $` + strconv.Itoa(len(args))
		}
		err := db.readTx(ctx, func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, q, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var (
					r           archive.ExportRecord
					first, last time.Time
					stored      []byte
				)
				if err := rows.Scan(&r.ArticleID, &r.VersionID, &r.PageID, &r.CanonicalURL, &first, &last, &r.Versions, &stored); err != nil {
					return err
				}
				r.FirstSeen, r.LastSeen = archive.FormatTime(first), archive.FormatTime(last)
				if r.Record, _, err = record(stored); err != nil {
					return fmt.Errorf("version %d: record: %w", r.VersionID, err)
				}
				if !yield(&r, nil) {
					return errStop
				}
			}
			return rows.Err()
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(nil, fmt.Errorf("pgarchive: export %q: %w", query, err))
		}
	}
}

// errStop ends a read transaction when the consumer of an iterator stops.
var errStop = errors.New("stopped by the caller")

// Links yields the related-link graph of the articles matching query and
// opts (as Export), ordered by source article and position.
func (db *DB) Links(ctx context.Context, query string, opts archive.SearchOptions) iter.Seq2[*archive.LinkEdge, error] {
	return func(yield func(*archive.LinkEdge, error) bool) {
		query = strings.TrimSpace(query)
		if err := checkExport(query, opts); err != nil {
			yield(nil, err)
			return
		}
		from, args := selection(query, opts)
		from = strings.Replace(from, " WHERE ", ` JOIN links l ON l.version_id = v.id
			LEFT JOIN aliases al ON al.url = l.to_url WHERE `, 1)
		q := `SELECT a.id, a.canonical_url, l.position, l.to_url, coalesce(al.article_id, 0), l.title` + from +
			` ORDER BY a.id, l.position`
		rows, err := db.pool.Query(ctx, q, args...)
		if err != nil {
			yield(nil, fmt.Errorf("pgarchive: links %q: %w", query, err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var e archive.LinkEdge
			if err := rows.Scan(&e.FromArticleID, &e.FromURL, &e.Position, &e.ToURL, &e.ToArticleID, &e.Title); err != nil {
				yield(nil, fmt.Errorf("pgarchive: links %q: %w", query, err))
				return
			}
			if !yield(&e, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(nil, fmt.Errorf("pgarchive: links %q: %w", query, err))
		}
	}
}

// WARCFiles returns the distinct WARC files the archive's pages lie in, in
// the order their first page was archived. The files are paths on the
// machine that wrote them.
func (db *DB) WARCFiles(ctx context.Context) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT warc_file FROM pages WHERE warc_file IS NOT NULL AND warc_file <> ''
		GROUP BY warc_file ORDER BY min(id)`)
	if err != nil {
		return nil, fmt.Errorf("pgarchive: WARC files: %w", err)
	}
	files, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("pgarchive: WARC files: %w", err)
	}
	return files, nil
}

// CapturedPages yields, in archive order, the page of the latest version of
// every article whose capture lies in a WARC file.
func (db *DB) CapturedPages(ctx context.Context) iter.Seq2[*archive.CapturedPage, error] {
	return func(yield func(*archive.CapturedPage, error) bool) {
		rows, err := db.pool.Query(ctx, `SELECT p.id, p.final_url, p.fetched_at, v.title, p.warc_file
			FROM articles a JOIN versions v ON v.id = a.latest_version_id JOIN pages p ON p.id = v.page_id
			WHERE p.warc_file IS NOT NULL AND p.warc_file <> '' ORDER BY a.id`)
		if err != nil {
			yield(nil, fmt.Errorf("pgarchive: captured pages: %w", err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var c archive.CapturedPage
			if err := rows.Scan(&c.PageID, &c.URL, &c.FetchedAt, &c.Title, &c.File); err != nil {
				yield(nil, fmt.Errorf("pgarchive: captured pages: %w", err))
				return
			}
			c.FetchedAt = c.FetchedAt.UTC()
			if !yield(&c, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(nil, fmt.Errorf("pgarchive: captured pages: %w", err))
		}
	}
}

// WarmSearch loads the full-text index and the tables a search reads into
// PostgreSQL's shared buffers with pg_prewarm when that extension is
// installed in the database (CREATE EXTENSION pg_prewarm, by a superuser);
// without it, it does nothing and returns no names: the server's own cache
// is shared by every client and stays warm across serve restarts, unlike a
// SQLite file opened anew.
func (db *DB) WarmSearch(ctx context.Context) ([]string, error) {
	var ok bool
	if err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_prewarm')`).Scan(&ok); err != nil {
		return nil, fmt.Errorf("pgarchive: warm search: %w", err)
	}
	if !ok {
		return nil, nil
	}
	var warmed []string
	for _, rel := range []string{"article_search_document", "article_search", "versions_published_time"} {
		if _, err := db.pool.Exec(ctx, `SELECT pg_prewarm($1::regclass)`, rel); err != nil {
			return warmed, fmt.Errorf("pgarchive: warm %s: %w", rel, err)
		}
		warmed = append(warmed, rel)
	}
	return warmed, nil
}
