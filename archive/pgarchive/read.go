package pgarchive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/newsarchive/newsarchive/archive"
)

// ArticleByURL returns the article whose canonical URL or any alias is url,
// with its latest record, its versions (in fetch order) and its aliases, or
// archive.ErrNotFound.
func (db *DB) ArticleByURL(ctx context.Context, url string) (*archive.ArticleRecord, error) {
	var rec *archive.ArticleRecord
	// One REPEATABLE READ transaction: the record, versions and aliases
	// come from one snapshot.
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		r := &archive.ArticleRecord{}
		var record []byte
		err := tx.QueryRow(ctx, `SELECT a.id, a.canonical_url, a.site_name, a.first_seen, a.last_seen, v.id, v.page_id, v.record
			FROM articles a JOIN versions v ON v.id = a.latest_version_id
			WHERE a.id = coalesce((SELECT article_id FROM aliases WHERE url = $1), (SELECT id FROM articles WHERE canonical_url = $1))`,
			url).Scan(&r.ID, &r.CanonicalURL, &r.SiteName, &r.FirstSeen, &r.LastSeen, &r.VersionID, &r.PageID, &record)
		if errors.Is(err, pgx.ErrNoRows) {
			return archive.ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := json.Unmarshal(record, &r.Record); err != nil {
			return fmt.Errorf("record of version %d: %w", r.VersionID, err)
		}
		rows, err := tx.Query(ctx, `SELECT v.id, v.page_id, pg.fetched_at, v.extracted_at, v.content_sha256, v.extractor_version, v.title
			FROM versions v JOIN pages pg ON pg.id = v.page_id WHERE v.article_id = $1 ORDER BY pg.fetched_at, v.id`, r.ID)
		if err != nil {
			return err
		}
		var vi archive.VersionInfo
		if _, err := pgx.ForEachRow(rows, []any{&vi.ID, &vi.PageID, &vi.FetchedAt, &vi.ExtractedAt, &vi.ContentSHA256,
			&vi.ExtractorVersion, &vi.Title}, func() error {
			r.Versions = append(r.Versions, vi)
			return nil
		}); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT url FROM aliases WHERE article_id = $1 ORDER BY url`, r.ID)
		if err != nil {
			return err
		}
		if r.Aliases, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return err
		}
		rec = r
		return nil
	})
	if errors.Is(err, archive.ErrNotFound) {
		return nil, fmt.Errorf("pgarchive: article %s: %w", url, err)
	}
	if err != nil {
		return nil, fmt.Errorf("pgarchive: article %s: %w", url, err)
	}
	return rec, nil
}

// PageBody returns the decoded body of page id, or archive.ErrNotFound.
func (db *DB) PageBody(ctx context.Context, id int64) ([]byte, error) {
	var body []byte
	err := db.pool.QueryRow(ctx, `SELECT body FROM pages WHERE id = $1`, id).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("pgarchive: page %d: %w", id, archive.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("pgarchive: page %d: %w", id, err)
	}
	if body == nil {
		return nil, nil
	}
	out, err := db.dec.DecodeAll(body, nil)
	if err != nil {
		return nil, fmt.Errorf("pgarchive: page %d: %w", id, err)
	}
	return out, nil
}

// Search returns up to limit articles whose latest version matches query,
// best first. The query is websearch_to_tsquery's: words (all required),
// "quoted phrases", OR, and -word to exclude; FTS5's prefix* and NEAR are
// not supported. Snippets come from ts_headline on the returned rows only.
// Scores are ts_rank_cd negated: lower is better, as in the SQLite archive.
func (db *DB) Search(ctx context.Context, query string, limit int) ([]archive.SearchHit, error) {
	if limit <= 0 {
		limit = 20
	}
	rows, err := db.pool.Query(ctx, `WITH q AS (SELECT websearch_to_tsquery('simple', $1) AS q),
		top AS (
			SELECT s.article_id, s.version_id, ts_rank_cd(s.document, q.q) AS score
			FROM article_search s, q WHERE s.document @@ q.q
			ORDER BY score DESC, s.article_id LIMIT $2
		)
		SELECT a.id, v.id, a.canonical_url, a.site_name, v.title, v.authors, v.published_at,
			ts_headline('simple', v.record ->> 'body_text', q.q, 'StartSel=[, StopSel=], MaxFragments=1, MaxWords=20, MinWords=5'),
			top.score
		FROM top JOIN articles a ON a.id = top.article_id JOIN versions v ON v.id = top.version_id, q
		ORDER BY top.score DESC, a.id`, query, limit)
	if err != nil {
		return nil, fmt.Errorf("pgarchive: search %q: %w", query, err)
	}
	var (
		hits    []archive.SearchHit
		h       archive.SearchHit
		authors string
		score   float32
	)
	_, err = pgx.ForEachRow(rows, []any{&h.ArticleID, &h.VersionID, &h.CanonicalURL, &h.SiteName, &h.Title, &authors,
		&h.PublishedAt, &h.Snippet, &score}, func() error {
		h.Authors = nil
		if authors != "" {
			h.Authors = strings.Split(authors, ", ")
		}
		// SearchHit.Score is lower-is-better (FTS5's bm25); ts_rank_cd is
		// higher-is-better.
		h.Score = -float64(score)
		hits = append(hits, h)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("pgarchive: search %q: %w", query, err)
	}
	return hits, nil
}
