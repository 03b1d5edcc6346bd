package archive

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Watch source kinds.
const (
	SourceFeed    = "feed"    // RSS or Atom feed
	SourceSitemap = "sitemap" // sitemap, sitemap index or news sitemap
	SourceListing = "listing" // an HTML page that links to articles (front page, section)
)

// WatchSource is a discovery source of `newsarchive watch`: polled with
// conditional requests at an interval that adapts to how often it changes.
type WatchSource struct {
	URL            string
	Kind           string // SourceFeed, SourceSitemap or SourceListing
	AddedAt        time.Time
	NextCheckAt    time.Time
	Interval       time.Duration // current polling interval (whole seconds)
	ETag           string        // validator of the last 200 answer
	LastModified   string        // Last-Modified of the last 200 answer
	ContentSHA256  string        // hash of the set of URLs the source last yielded (see watch)
	LastCheckedAt  time.Time     // zero: never polled
	LastChangedAt  time.Time     // zero: never found changed
	LastStatus     int
	Checks         int // polls so far
	Changes        int // polls that found new content
	UnchangedCount int // unchanged polls in a row
}

// WatchURL is an article URL under watch: fetched once when discovered,
// then revisited on a schedule that thins out with its age.
type WatchURL struct {
	URL          string
	FinalURL     string // where the first fetch ended, after redirects
	ArticleID    int64  // 0 until known
	FirstSeenAt  time.Time
	NextCheckAt  time.Time // zero: no more checks
	Step         int       // fetches done (0: not fetched yet)
	ETag         string
	LastModified string
	// LastMod is the latest sitemap <lastmod> seen for the URL (RFC 3339,
	// as the sitemap gave it); "" when none.
	LastMod       string
	LastCheckedAt time.Time
	LastStatus    int
	Gone          bool // unpublished (404/410) or moved away
}

// WatchStatus summarises the watch schedule at a moment.
type WatchStatus struct {
	Sources    int       // discovery sources
	SourcesDue int       // sources due now
	URLs       int       // article URLs with a check still planned
	URLsDue    int       // of which due now
	NextCheck  time.Time // earliest planned check (zero: none)
}

func (s *Store) writable(op string) error {
	if s.readOnly {
		return fmt.Errorf("archive: %s: %w", op, ErrReadOnly)
	}
	return nil
}

// AddWatchSources adds sources not yet under watch (a known URL is left
// as it is) and returns how many were added. A zero NextCheckAt or AddedAt
// is now (the watch's clock); Kind must be one of the Source* kinds and
// Interval positive.
func (s *Store) AddWatchSources(ctx context.Context, now time.Time, srcs []WatchSource) (int, error) {
	if err := s.writable("add watch sources"); err != nil {
		return 0, err
	}
	for _, src := range srcs {
		switch src.Kind {
		case SourceFeed, SourceSitemap, SourceListing:
		default:
			return 0, fmt.Errorf("archive: add watch source %s: %w: kind %q", src.URL, ErrInvalid, src.Kind)
		}
		if src.URL == "" || src.Interval <= 0 {
			return 0, fmt.Errorf("archive: add watch source %q: %w: empty URL or interval", src.URL, ErrInvalid)
		}
	}
	added := 0
	err := s.inTx(ctx, "add watch sources", func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO watch_sources (url, kind, added_at, next_check_at, interval_s)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (url) DO NOTHING`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, src := range srcs {
			res, err := st.ExecContext(ctx, src.URL, src.Kind, fmtTime(orNow(src.AddedAt, now)),
				fmtTime(orNow(src.NextCheckAt, now)), secs(src.Interval))
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			added += int(n)
		}
		return nil
	})
	return added, err
}

const sourceCols = `url, kind, added_at, next_check_at, interval_s, etag, last_modified, content_sha256,
	last_checked_at, last_changed_at, last_status, checks, changes, unchanged_count`

// DueWatchSources returns up to limit sources whose next check is at or
// before now, earliest first.
func (s *Store) DueWatchSources(ctx context.Context, now time.Time, limit int) ([]WatchSource, error) {
	return s.watchSources(ctx, `WHERE next_check_at <= ? ORDER BY next_check_at, url LIMIT ?`, fmtTime(now), limit)
}

// WatchSources returns every source, by URL.
func (s *Store) WatchSources(ctx context.Context) ([]WatchSource, error) {
	return s.watchSources(ctx, `ORDER BY url`)
}

func (s *Store) watchSources(ctx context.Context, where string, args ...any) ([]WatchSource, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+sourceCols+` FROM watch_sources `+where, args...)
	if err != nil {
		return nil, wrap("watch sources", err)
	}
	defer rows.Close()
	var out []WatchSource
	for rows.Next() {
		var (
			w                WatchSource
			added, next      string
			checked, changed sql.NullString
			interval         int64
		)
		if err := rows.Scan(&w.URL, &w.Kind, &added, &next, &interval, &w.ETag, &w.LastModified, &w.ContentSHA256,
			&checked, &changed, &w.LastStatus, &w.Checks, &w.Changes, &w.UnchangedCount); err != nil {
			return nil, wrap("watch sources", err)
		}
		w.AddedAt, w.NextCheckAt = parseTime(added), parseTime(next)
		w.LastCheckedAt, w.LastChangedAt = nullTime(checked), nullTime(changed)
		w.Interval = time.Duration(interval) * time.Second
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("watch sources", err)
	}
	return out, nil
}

// SaveWatchSources writes the schedule and validators of sources already
// under watch, in one transaction.
func (s *Store) SaveWatchSources(ctx context.Context, srcs []WatchSource) error {
	if err := s.writable("save watch sources"); err != nil {
		return err
	}
	return s.inTx(ctx, "save watch sources", func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `UPDATE watch_sources SET next_check_at = ?, interval_s = ?, etag = ?,
			last_modified = ?, content_sha256 = ?, last_checked_at = ?, last_changed_at = ?, last_status = ?,
			checks = ?, changes = ?, unchanged_count = ? WHERE url = ?`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, w := range srcs {
			if _, err := st.ExecContext(ctx, fmtTime(w.NextCheckAt), secs(w.Interval), w.ETag, w.LastModified,
				w.ContentSHA256, optTime(w.LastCheckedAt), optTime(w.LastChangedAt), w.LastStatus,
				w.Checks, w.Changes, w.UnchangedCount, w.URL); err != nil {
				return err
			}
		}
		return nil
	})
}

// AddWatchURLs puts article URLs under watch and returns how many were new.
// now is the watch's clock. A new URL's zero FirstSeenAt is now and its zero
// NextCheckAt is now (fetch at once). For a URL already under watch only
// LastMod is considered: when it is later than the stored one (a sitemap
// says the article was edited), it is stored and the URL's next check
// brought forward to now.
func (s *Store) AddWatchURLs(ctx context.Context, now time.Time, urls []WatchURL) (int, error) {
	if err := s.writable("add watch urls"); err != nil {
		return 0, err
	}
	nowS := fmtTime(now)
	added := 0
	err := s.inTx(ctx, "add watch urls", func(tx *sql.Tx) error {
		ins, err := tx.PrepareContext(ctx, `INSERT INTO watch_urls (url, first_seen_at, next_check_at, lastmod)
			VALUES (?, ?, ?, ?) ON CONFLICT (url) DO NOTHING`)
		if err != nil {
			return err
		}
		defer ins.Close()
		// julianday compares RFC 3339 values with any offset.
		bump, err := tx.PrepareContext(ctx, `UPDATE watch_urls SET lastmod = ?1,
			next_check_at = CASE WHEN step > 0 AND lastmod <> '' AND (next_check_at IS NULL OR next_check_at > ?2)
				THEN ?2 ELSE next_check_at END
			WHERE url = ?3 AND (lastmod = '' OR julianday(?1) > julianday(lastmod))`)
		if err != nil {
			return err
		}
		defer bump.Close()
		for _, u := range urls {
			first := nowS
			if !u.FirstSeenAt.IsZero() {
				first = fmtTime(u.FirstSeenAt)
			}
			next := first
			if !u.NextCheckAt.IsZero() {
				next = fmtTime(u.NextCheckAt)
			}
			res, err := ins.ExecContext(ctx, u.URL, first, next, u.LastMod)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				added++
				continue
			}
			if u.LastMod != "" {
				if _, err := bump.ExecContext(ctx, u.LastMod, nowS, u.URL); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return added, err
}

const urlCols = `url, final_url, coalesce(article_id, 0), first_seen_at, next_check_at, step, etag, last_modified,
	lastmod, last_checked_at, last_status, gone`

// DueWatchURLs returns up to limit URLs whose next check is at or before
// now: never-fetched URLs first, then earliest due.
func (s *Store) DueWatchURLs(ctx context.Context, now time.Time, limit int) ([]WatchURL, error) {
	return s.watchURLs(ctx, `WHERE next_check_at <= ? ORDER BY step > 0, next_check_at, url LIMIT ?`, fmtTime(now), limit)
}

// WatchURLsFor returns the watch rows of the given URLs (missing ones are
// left out), in no particular order.
func (s *Store) WatchURLsFor(ctx context.Context, urls []string) ([]WatchURL, error) {
	if len(urls) == 0 {
		return nil, nil
	}
	args := make([]any, len(urls))
	for i, u := range urls {
		args[i] = u
	}
	return s.watchURLs(ctx, `WHERE url IN (?`+strings.Repeat(`, ?`, len(urls)-1)+`)`, args...)
}

func (s *Store) watchURLs(ctx context.Context, where string, args ...any) ([]WatchURL, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+urlCols+` FROM watch_urls `+where, args...)
	if err != nil {
		return nil, wrap("watch urls", err)
	}
	defer rows.Close()
	var out []WatchURL
	for rows.Next() {
		var (
			w             WatchURL
			first         string
			next, checked sql.NullString
			gone          int
		)
		if err := rows.Scan(&w.URL, &w.FinalURL, &w.ArticleID, &first, &next, &w.Step, &w.ETag, &w.LastModified,
			&w.LastMod, &checked, &w.LastStatus, &gone); err != nil {
			return nil, wrap("watch urls", err)
		}
		w.FirstSeenAt, w.NextCheckAt, w.LastCheckedAt = parseTime(first), nullTime(next), nullTime(checked)
		w.Gone = gone != 0
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("watch urls", err)
	}
	return out, nil
}

// SaveWatchURLs writes the schedule, validators and state of URLs already
// under watch, in one transaction. ArticleID 0 leaves the stored one.
func (s *Store) SaveWatchURLs(ctx context.Context, urls []WatchURL) error {
	if err := s.writable("save watch urls"); err != nil {
		return err
	}
	return s.inTx(ctx, "save watch urls", func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `UPDATE watch_urls SET final_url = ?, article_id = coalesce(?, article_id),
			next_check_at = ?, step = ?, etag = ?, last_modified = ?, last_checked_at = ?, last_status = ?, gone = ?
			WHERE url = ?`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, w := range urls {
			if _, err := st.ExecContext(ctx, w.FinalURL, nullID(w.ArticleID), optTime(w.NextCheckAt), w.Step,
				w.ETag, w.LastModified, optTime(w.LastCheckedAt), w.LastStatus, boolInt(w.Gone), w.URL); err != nil {
				return err
			}
		}
		return nil
	})
}

// WatchStatusAt summarises the schedule at now.
func (s *Store) WatchStatusAt(ctx context.Context, now time.Time) (WatchStatus, error) {
	var (
		st   WatchStatus
		next sql.NullString
		n    = fmtTime(now)
	)
	err := s.r.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM watch_sources),
		(SELECT count(*) FROM watch_sources WHERE next_check_at <= ?1),
		(SELECT count(*) FROM watch_urls WHERE next_check_at IS NOT NULL),
		(SELECT count(*) FROM watch_urls WHERE next_check_at <= ?1),
		(SELECT min(t) FROM (SELECT min(next_check_at) AS t FROM watch_sources
			UNION ALL SELECT min(next_check_at) FROM watch_urls))`, n).
		Scan(&st.Sources, &st.SourcesDue, &st.URLs, &st.URLsDue, &next)
	if err != nil {
		return st, wrap("watch status", err)
	}
	st.NextCheck = nullTime(next)
	return st, nil
}

// ArticleActivity counts the articles first fetched at or after since and
// the new versions of older articles fetched at or after since. Both go by
// the fetch time of the capture (a watch dates captures on its clock), not
// by when the archive wrote them.
func (s *Store) ArticleActivity(ctx context.Context, since time.Time) (newArticles, changed int, err error) {
	t := fmtTime(since)
	err = s.r.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM articles WHERE first_seen >= ?1),
		(SELECT count(*) FROM versions v JOIN pages p ON p.id = v.page_id
			WHERE p.fetched_at >= ?1 AND v.id <> (SELECT min(id) FROM versions WHERE article_id = v.article_id))`, t).
		Scan(&newArticles, &changed)
	if err != nil {
		return 0, 0, wrap("article activity", err)
	}
	return newArticles, changed, nil
}

// PreviousBodySHA256 returns the body hash of the capture PreviousCapture(url)
// returns (the latest complete 2xx page fetched from url); ok is false when
// there is none. A watch compares it with a revisit's body to keep an
// identical page once when the server gives no validators.
func (s *Store) PreviousBodySHA256(ctx context.Context, url string) (sha string, ok bool, err error) {
	err = s.r.QueryRowContext(ctx, `
		SELECT sha256 FROM pages
		WHERE (url = ?1 OR final_url = ?1) AND status BETWEEN 200 AND 299 AND truncated = 0 AND not_modified = 0
		ORDER BY id DESC LIMIT 1`, url).Scan(&sha)
	switch {
	case err == sql.ErrNoRows:
		return "", false, nil
	case err != nil:
		return "", false, wrap("previous body of "+url, err)
	}
	return sha, sha != "", nil
}

// ArticleIDOf returns the id of the article reached by url (any of its
// aliases); ok is false when none is archived.
func (s *Store) ArticleIDOf(ctx context.Context, url string) (id int64, ok bool, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT article_id FROM aliases WHERE url = ?`, url).Scan(&id)
	switch {
	case err == sql.ErrNoRows:
		return 0, false, nil
	case err != nil:
		return 0, false, wrap("article id of "+url, err)
	}
	return id, true, nil
}

// inTx runs fn in a write transaction and commits it.
func (s *Store) inTx(ctx context.Context, op string, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return wrap(op, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return wrap(op, err)
	}
	if err := tx.Commit(); err != nil {
		return wrap(op, err)
	}
	return nil
}

func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t
}

// optTime maps the zero time to SQL NULL.
func optTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: fmtTime(t), Valid: true}
}

func secs(d time.Duration) int64 { return int64(d.Round(time.Second) / time.Second) }
