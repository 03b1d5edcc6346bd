package pgarchive

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/extract"
	"github.com/newsarchive/newsarchive/frontier"
)

// PageCommit is everything one leased URL produced.
type PageCommit struct {
	// Result is the URL's new state and the links found in its response.
	Result frontier.Result
	// Page is the fetched response; nil when nothing was received.
	Page *archive.Page
	// Article is the extracted record; stored when Article.IsArticle.
	Article *extract.Article
	// ExtractError is why extraction failed; the raw page is still kept.
	ExtractError string
}

// CommitPage stores one leased URL's outcome in one transaction: the raw page
// first, then the article (upserted by canonical URL, every URL it was reached
// by an alias, a new version only when the content hash differs from the
// latest one, and the search row moved to the newest version), then the URL's
// frontier state and its links. It fails with frontier.ErrStaleLease, storing
// nothing, when l is no longer the host's current lease: a worker that comes
// back after its lease was reaped cannot add a duplicate record.
func (db *DB) CommitPage(ctx context.Context, l frontier.Lease, c PageCommit) (archive.CommitResult, error) {
	var r archive.CommitResult
	if c.Article != nil && c.Article.IsArticle && c.Page == nil {
		return r, fmt.Errorf("pgarchive: commit %s: article without page", c.Result.URL)
	}
	// CPU work before the transaction: compression, hashing, JSON.
	var p prepared
	if err := db.prepare(&c, &p); err != nil {
		return r, fmt.Errorf("pgarchive: commit %s: %w", c.Result.URL, err)
	}
	err := db.inTx(ctx, "commit "+c.Result.URL, func(tx pgx.Tx) error {
		r = archive.CommitResult{}
		if err := checkLease(ctx, tx, l); err != nil {
			return err
		}
		if err := writePage(ctx, tx, l, &c, &p, &r); err != nil {
			return err
		}
		return complete(ctx, tx, l, []frontier.Result{c.Result})
	})
	return r, err
}

// prepared is a capture's CPU-heavy part, computed outside the transaction.
type prepared struct {
	body        []byte // zstd frame; nil without a body
	sha         string
	headers     []byte
	redirects   []byte
	record      []byte // JSON of the article; nil when none is stored
	contentHash string
	authors     string
}

func (db *DB) prepare(c *PageCommit, p *prepared) error {
	var err error
	if pg := c.Page; pg != nil {
		if !pg.NotModified && len(pg.Body) > 0 {
			p.body = db.enc.EncodeAll(pg.Body, make([]byte, 0, len(pg.Body)/4+64))
			p.sha = pg.SHA256
			if p.sha == "" {
				sum := sha256.Sum256(pg.Body)
				p.sha = hex.EncodeToString(sum[:])
			}
		}
		if p.headers, err = json.Marshal(pg.Header); err != nil {
			return fmt.Errorf("headers: %w", err)
		}
		if pg.Header == nil {
			p.headers = []byte("{}")
		}
		p.redirects = []byte("[]")
		if len(pg.Redirects) > 0 {
			if p.redirects, err = json.Marshal(pg.Redirects); err != nil {
				return fmt.Errorf("redirects: %w", err)
			}
		}
	}
	if a := c.Article; a != nil && a.IsArticle {
		if p.record, err = json.Marshal(a); err != nil {
			return fmt.Errorf("record: %w", err)
		}
		p.contentHash = archive.ContentHash(a, nil)
		var names []string
		for _, au := range a.Authors {
			if au.Name != "" {
				names = append(names, au.Name)
			}
		}
		p.authors = strings.Join(names, ", ")
	}
	return nil
}

func writePage(ctx context.Context, tx pgx.Tx, l frontier.Lease, c *PageCommit, p *prepared, r *archive.CommitResult) error {
	pg := c.Page
	if pg == nil {
		return nil
	}
	finalURL := pg.FinalURL
	if finalURL == "" {
		finalURL = pg.URL
	}
	fetched := pg.FetchedAt
	if fetched.IsZero() {
		fetched = time.Now()
	}
	var warcFile *string
	var warcOffset *int64
	if pg.WARCFile != "" {
		warcFile, warcOffset = &pg.WARCFile, &pg.WARCOffset
	}
	if err := tx.QueryRow(ctx, `INSERT INTO pages (url, final_url, redirects, status, headers, fetched_at, duration_ms,
		content_type, sha256, size, body, truncated, not_modified, extract_error, warc_file, warc_offset, worker, lease_token)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id`,
		pg.URL, finalURL, p.redirects, pg.Status, p.headers, fetched, pg.Duration.Milliseconds(),
		pg.ContentType, p.sha, len(pg.Body), p.body, pg.Truncated, pg.NotModified, c.ExtractError,
		warcFile, warcOffset, l.Worker, l.Token).Scan(&r.PageID); err != nil {
		return fmt.Errorf("page: %w", err)
	}
	if finalURL != c.Result.URL {
		// The redirect's target is archived with this page: no worker
		// fetches it again.
		if _, err := enqueue(ctx, tx, []frontier.Entry{{URL: finalURL, Via: c.Result.URL}}); err != nil {
			return fmt.Errorf("redirect target: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE fleet_urls SET state = 'done', reason = $2, detail = $3, updated_at = now()
			WHERE url = $1 AND state = 'queued'`, finalURL, string(frontier.ReasonRedirectTarget), c.Result.URL); err != nil {
			return fmt.Errorf("redirect target: %w", err)
		}
	}
	switch a := c.Article; {
	case a != nil && a.IsArticle:
		return writeArticle(ctx, tx, c, p, fetched, r)
	case pg.NotModified:
		// Unchanged and not re-extracted: the article reached by this URL
		// was seen now.
		var latest *int64
		err := tx.QueryRow(ctx, `UPDATE articles SET last_seen = greatest(last_seen, $1)
			WHERE id = (SELECT article_id FROM aliases WHERE url = $2) RETURNING id, latest_version_id`,
			fetched, finalURL).Scan(&r.ArticleID, &latest)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("touch article: %w", err)
		}
		if latest != nil {
			r.VersionID = *latest
		}
	}
	return nil
}

func writeArticle(ctx context.Context, tx pgx.Tx, c *PageCommit, p *prepared, seen time.Time, r *archive.CommitResult) error {
	a, pg := c.Article, c.Page
	canonical := a.CanonicalURL
	if canonical == "" {
		canonical = pg.FinalURL
	}
	if canonical == "" {
		canonical = pg.URL
	}
	var latest *int64
	if err := tx.QueryRow(ctx, `INSERT INTO articles (canonical_url, site_name, first_seen, last_seen) VALUES ($1, $2, $3, $3)
		ON CONFLICT (canonical_url) DO UPDATE SET
			first_seen = least(articles.first_seen, excluded.first_seen),
			last_seen = greatest(articles.last_seen, excluded.last_seen),
			site_name = CASE WHEN excluded.site_name <> '' THEN excluded.site_name ELSE articles.site_name END
		RETURNING id, latest_version_id`, canonical, a.SiteName, seen).Scan(&r.ArticleID, &latest); err != nil {
		return fmt.Errorf("article: %w", err)
	}
	// The upsert holds the article's row lock until commit; this statement's
	// snapshot (READ COMMITTED) sees the latest version of any worker that
	// committed the same article before.
	var (
		latestHash  string
		latestFetch time.Time
	)
	if latest != nil {
		if err := tx.QueryRow(ctx, `SELECT v.content_sha256, pg.fetched_at FROM versions v JOIN pages pg ON pg.id = v.page_id
			WHERE v.id = $1`, *latest).Scan(&latestHash, &latestFetch); err != nil {
			return fmt.Errorf("latest version: %w", err)
		}
	}
	// older: fetched before the latest version's page (an import of older
	// WARC files): a version of its own unless stored already, and the
	// latest version stays.
	older := latest != nil && seen.Before(latestFetch)
	r.NewArticle = latest == nil
	urls := [...]string{canonical, pg.FinalURL, pg.URL, c.Result.URL, a.URL}
	for i, u := range urls {
		if u == "" || slices.Contains(urls[:i], u) {
			continue
		}
		if _, err := tx.Exec(ctx, `INSERT INTO aliases (url, article_id) VALUES ($1, $2)
			ON CONFLICT (url) DO UPDATE SET article_id = excluded.article_id WHERE aliases.article_id <> excluded.article_id`,
			u, r.ArticleID); err != nil {
			return fmt.Errorf("alias: %w", err)
		}
	}
	if latest != nil && !older && (pg.NotModified || latestHash == p.contentHash) {
		r.VersionID = *latest
		return nil
	}
	if older {
		err := tx.QueryRow(ctx, `SELECT id FROM versions WHERE article_id = $1 AND content_sha256 = $2 ORDER BY id LIMIT 1`,
			r.ArticleID, p.contentHash).Scan(&r.VersionID)
		if err == nil {
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("version: %w", err)
		}
	}
	extractor := a.ExtractorVersion
	if extractor == "" {
		extractor = extract.Version
	}
	if err := tx.QueryRow(ctx, `INSERT INTO versions (article_id, page_id, content_sha256, extractor_version, record,
		url, title, authors, published_at, language, word_count)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		r.ArticleID, r.PageID, p.contentHash, extractor, p.record, a.URL, a.Title, p.authors, a.PublishedAt,
		a.Language, a.WordCount).Scan(&r.VersionID); err != nil {
		return fmt.Errorf("version: %w", err)
	}
	r.NewVersion = true
	if len(a.Related) > 0 {
		rows := make([][]any, 0, len(a.Related))
		for i, l := range a.Related {
			if l.URL != "" {
				rows = append(rows, []any{r.VersionID, int32(i), l.URL, l.Title})
			}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"links"}, []string{"version_id", "position", "to_url", "title"},
			pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("related links: %w", err)
		}
	}
	if older {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE articles SET latest_version_id = $1 WHERE id = $2`, r.VersionID, r.ArticleID); err != nil {
		return fmt.Errorf("latest version: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO article_search (article_id, version_id, document)
		VALUES ($1, $2, setweight(to_tsvector('simple', $3), 'A') || setweight(to_tsvector('simple', $4), 'B')
		                || setweight(to_tsvector('simple', $5), 'D'))
		ON CONFLICT (article_id) DO UPDATE SET version_id = excluded.version_id, document = excluded.document`,
		r.ArticleID, r.VersionID, a.Title, p.authors, a.BodyText); err != nil {
		return fmt.Errorf("search row: %w", err)
	}
	return nil
}
