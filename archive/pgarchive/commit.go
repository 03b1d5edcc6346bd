package pgarchive

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
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
	return db.commitPage(ctx, l, c, nil)
}

// commitPage is CommitPage, also counting trap defence's templates with tc
// (nil: none) in the same transaction.
func (db *DB) commitPage(ctx context.Context, l frontier.Lease, c PageCommit, tc *templateCount) (archive.CommitResult, error) {
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
		if err := checkLeaseShared(ctx, tx, l); err != nil {
			return err
		}
		if err := writePage(ctx, tx, l, &c, &p, &r, true); err != nil {
			return err
		}
		if tc != nil {
			// Before complete: whether a link is new to the frontier is
			// asked before it is enqueued.
			if err := tc.count(ctx, tx, l.Host, &r); err != nil {
				return fmt.Errorf("trap template: %w", err)
			}
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

// writePage writes c's page and record; leased says c comes with a lease
// (its redirect target is then marked done in the frontier).
func writePage(ctx context.Context, tx pgx.Tx, l frontier.Lease, c *PageCommit, p *prepared, r *archive.CommitResult, leased bool) error {
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
	if err := insertPage(ctx, tx, l, pg, p, c.ExtractError, r); err != nil {
		return err
	}
	if leased && finalURL != c.Result.URL {
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

// insertPage inserts page pg (prepared as p) and sets r.PageID.
func insertPage(ctx context.Context, tx pgx.Tx, l frontier.Lease, pg *archive.Page, p *prepared, extractError string, r *archive.CommitResult) error {
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
		pg.ContentType, p.sha, len(pg.Body), p.body, pg.Truncated, pg.NotModified, extractError,
		warcFile, warcOffset, l.Worker, l.Token).Scan(&r.PageID); err != nil {
		return fmt.Errorf("page: %w", err)
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
		url, title, authors, published_at, modified_at, description, language, word_count)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		r.ArticleID, r.PageID, p.contentHash, extractor, p.record, a.URL, a.Title, p.authors, a.PublishedAt,
		a.ModifiedAt, a.Description, a.Language, a.WordCount).Scan(&r.VersionID); err != nil {
		return fmt.Errorf("version: %w", err)
	}
	r.NewVersion = true
	if err := writeCredits(ctx, tx, r.VersionID, a); err != nil {
		return err
	}
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
	return setSearchRow(ctx, tx, r.ArticleID, r.VersionID, a.Title, p.authors, a.BodyText)
}

// setSearchRow makes version the article's full-text row: title (weight A),
// authors (B) and body (D) under the newsarchive configuration (simple with
// accents folded; migration 0003).
func setSearchRow(ctx context.Context, tx pgx.Tx, article, version int64, title, authors, body string) error {
	if _, err := tx.Exec(ctx, `INSERT INTO article_search (article_id, version_id, document)
		VALUES ($1, $2, setweight(to_tsvector('newsarchive', $3), 'A') || setweight(to_tsvector('newsarchive', $4), 'B')
		                || setweight(to_tsvector('newsarchive', $5), 'D'))
		ON CONFLICT (article_id) DO UPDATE SET version_id = excluded.version_id, document = excluded.document`,
		article, version, title, authors, body); err != nil {
		return fmt.Errorf("search row: %w", err)
	}
	return nil
}

// writeCredits stores the authors, editors and tags of version vid (as the
// SQLite archive: authors and tags one row per name whatever its case, the
// latest spelling kept; editors by lower(handle) or lower(name)). Each table
// is upserted in one statement, in key order, so that concurrent commits
// lock shared rows in the same order.
func writeCredits(ctx context.Context, tx pgx.Tx, vid int64, a *extract.Article) error {
	var (
		names, bios, urls []string
		pos               []int32
	)
	for i, au := range a.Authors {
		if au.Name != "" {
			names, pos, bios, urls = append(names, au.Name), append(pos, int32(i)), append(bios, au.Bio), append(urls, au.URL)
		}
	}
	if len(names) > 0 {
		if _, err := tx.Exec(ctx, `WITH up AS (
				INSERT INTO authors (name) SELECT unnest($1::text[])
				ON CONFLICT (lower(name)) DO UPDATE SET name = excluded.name RETURNING id, name)
			INSERT INTO version_authors (version_id, author_id, position, bio, url)
			SELECT $2, up.id, x.pos, x.bio, x.url
			FROM unnest($3::text[], $4::int[], $5::text[], $6::text[]) AS x(name, pos, bio, url)
			JOIN up ON lower(up.name) = lower(x.name)`,
			uniqueFold(names), vid, names, pos, bios, urls); err != nil {
			return fmt.Errorf("authors: %w", err)
		}
	}
	var (
		keys, enames, handles []string
		epos                  []int32
		last                  = map[string][2]string{}
	)
	urls = urls[:0]
	for i, ed := range a.Editors {
		key := strings.ToLower(strings.TrimPrefix(ed.Handle, "@"))
		if key == "" {
			key = strings.ToLower(ed.Name)
		}
		if key == "" {
			continue
		}
		keys, epos, enames, handles, urls = append(keys, key), append(epos, int32(i)), append(enames, ed.Name),
			append(handles, ed.Handle), append(urls, ed.URL)
		// The editors row keeps the last non-empty name and handle.
		l := last[key]
		if ed.Name != "" {
			l[0] = ed.Name
		}
		if ed.Handle != "" {
			l[1] = ed.Handle
		}
		last[key] = l
	}
	if len(keys) > 0 {
		ukeys := slices.Sorted(maps.Keys(last))
		un, uh := make([]string, len(ukeys)), make([]string, len(ukeys))
		for i, k := range ukeys {
			un[i], uh[i] = last[k][0], last[k][1]
		}
		if _, err := tx.Exec(ctx, `WITH up AS (
				INSERT INTO editors (key, name, handle) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
				ON CONFLICT (key) DO UPDATE SET
					name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE editors.name END,
					handle = CASE WHEN excluded.handle <> '' THEN excluded.handle ELSE editors.handle END
				RETURNING id, key)
			INSERT INTO version_editors (version_id, editor_id, position, name, handle, url)
			SELECT $4, up.id, x.pos, x.name, x.handle, x.url
			FROM unnest($5::text[], $6::int[], $7::text[], $8::text[], $9::text[]) AS x(key, pos, name, handle, url)
			JOIN up ON up.key = x.key`,
			ukeys, un, uh, vid, keys, epos, enames, handles, urls); err != nil {
			return fmt.Errorf("editors: %w", err)
		}
	}
	names, pos = names[:0], pos[:0]
	for i, t := range a.Tags {
		if t != "" {
			names, pos = append(names, t), append(pos, int32(i))
		}
	}
	if len(names) > 0 {
		if _, err := tx.Exec(ctx, `WITH up AS (
				INSERT INTO tags (name) SELECT unnest($1::text[])
				ON CONFLICT (lower(name)) DO UPDATE SET name = excluded.name RETURNING id, name)
			INSERT INTO version_tags (version_id, tag_id, position)
			SELECT $2, up.id, x.pos FROM unnest($3::text[], $4::int[]) AS x(name, pos)
			JOIN up ON lower(up.name) = lower(x.name)`,
			uniqueFold(names), vid, names, pos); err != nil {
			return fmt.Errorf("tags: %w", err)
		}
	}
	return nil
}

// uniqueFold returns names without case-insensitive duplicates (the last
// spelling of each kept, as the SQLite archive's upserts do), sorted by
// their lower case: one upsert statement may not touch a row twice, and a
// fixed order keeps concurrent commits from deadlocking.
func uniqueFold(names []string) []string {
	last := map[string]string{}
	for _, n := range names {
		last[strings.ToLower(n)] = n
	}
	out := make([]string, 0, len(last))
	for _, k := range slices.Sorted(maps.Keys(last)) {
		out = append(out, last[k])
	}
	return out
}
