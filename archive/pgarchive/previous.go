package pgarchive

// MERGE NOTE: branch pgread adds the same DB.Previous (reader.go). When both
// are merged, delete this file's Previous and keep previousSQL (used by
// PreviousCapture in runs.go) or inline it there.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/jackc/pgx/v5"

	"github.com/newsarchive/newsarchive/archive"
)

// previousSQL finds the latest complete 2xx capture of a URL, as the SQLite
// archive's Previous.
const previousSQL = `FROM pages WHERE (url = $1 OR final_url = $1) AND status BETWEEN 200 AND 299
	AND NOT truncated AND NOT not_modified ORDER BY id DESC LIMIT 1`

// Previous returns the latest 2xx capture whose requested or final URL is
// url, truncated captures and 304s excepted (as archive.Store.Previous); ok
// is false when there is none.
func (db *DB) Previous(ctx context.Context, url string) (*archive.Previous, bool, error) {
	var (
		p       archive.Previous
		headers []byte
		body    []byte
	)
	err := db.pool.QueryRow(ctx, `SELECT id, status, fetched_at, headers, content_type, body `+previousSQL, url).
		Scan(&p.PageID, &p.Status, &p.FetchedAt, &headers, &p.ContentType, &body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("pgarchive: previous %s: %w", url, err)
	}
	p.FetchedAt = p.FetchedAt.UTC()
	var h http.Header
	if err := json.Unmarshal(headers, &h); err != nil {
		return nil, false, fmt.Errorf("pgarchive: previous %s: headers: %w", url, err)
	}
	p.ETag, p.LastModified = h.Get("Etag"), h.Get("Last-Modified")
	if body != nil {
		if p.Body, err = db.dec.DecodeAll(body, nil); err != nil {
			return nil, false, fmt.Errorf("pgarchive: previous %s: %w", url, err)
		}
	}
	return &p, true, nil
}
