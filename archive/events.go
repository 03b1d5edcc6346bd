package archive

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Event kinds: what happened to an archived URL besides a new version.
const (
	// EventUnpublished: the URL answered 404 or 410 (Event.Status says which).
	EventUnpublished = "unpublished"
	// EventMoved: the URL redirected to another URL (Event.Detail is the target).
	EventMoved = "moved"
	// EventRestored: a URL that was unpublished or moved answers 200 again.
	EventRestored = "restored"
)

// Event is one observation about an archived URL that is not a new version:
// an article unpublished, moved or restored.
type Event struct {
	ID        int64     `json:"id"`
	URL       string    `json:"url"`                  // URL checked (canonical when known)
	Host      string    `json:"host,omitempty"`       // lower-case host of URL; filled by RecordEvent
	ArticleID int64     `json:"article_id,omitempty"` // 0 when the URL has no archived article
	Kind      string    `json:"kind"`                 // EventUnpublished, EventMoved, EventRestored
	Status    int       `json:"status,omitempty"`     // HTTP status that caused it
	Detail    string    `json:"detail,omitempty"`     // moved: the target URL
	At        time.Time `json:"at"`                   // when it was observed; zero means now
	RunID     int64     `json:"run_id,omitempty"`     // run that observed it, 0 if none
}

// EventFilter selects events for Events. Zero fields do not filter.
type EventFilter struct {
	Since     time.Time // events at or after Since
	Until     time.Time // events before Until
	Site      string    // host of the URL, or the article's site name (case-insensitive)
	Kinds     []string  // any of these kinds
	ArticleID int64     // events of this article only
	Limit     int       // at most Limit events (0: no limit)
}

// RecordEvent stores e and returns its id. e.Kind must be one of the Event*
// kinds and e.URL non-empty (else ErrInvalid); a zero e.At is the current
// time; e.Host is derived from e.URL.
func (s *Store) RecordEvent(ctx context.Context, e Event) (int64, error) {
	if s.readOnly {
		return 0, fmt.Errorf("archive: record event: %w", ErrReadOnly)
	}
	if e.URL == "" {
		return 0, fmt.Errorf("archive: record event: %w: empty URL", ErrInvalid)
	}
	switch e.Kind {
	case EventUnpublished, EventMoved, EventRestored:
	default:
		return 0, fmt.Errorf("archive: record event %s: %w: kind %q", e.URL, ErrInvalid, e.Kind)
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	res, err := s.w.ExecContext(ctx, `INSERT INTO events (url, host, article_id, kind, status, detail, at, run_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.URL, hostOf(e.URL), nullID(e.ArticleID), e.Kind, e.Status, e.Detail, fmtTime(e.At), nullID(e.RunID))
	if err != nil {
		return 0, wrap("record event "+e.URL, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, wrap("record event "+e.URL, err)
	}
	return id, nil
}

// Events returns the events f selects, newest first (ties by id, newest first).
func (s *Store) Events(ctx context.Context, f EventFilter) ([]Event, error) {
	var (
		q    strings.Builder
		args []any
	)
	q.WriteString(`SELECT e.id, e.url, e.host, coalesce(e.article_id, 0), e.kind, e.status, e.detail, e.at,
		coalesce(e.run_id, 0) FROM events e`)
	if f.Site != "" {
		q.WriteString(` LEFT JOIN articles a ON a.id = e.article_id`)
	}
	q.WriteString(` WHERE 1`)
	if !f.Since.IsZero() {
		q.WriteString(` AND e.at >= ?`)
		args = append(args, fmtTime(f.Since))
	}
	if !f.Until.IsZero() {
		q.WriteString(` AND e.at < ?`)
		args = append(args, fmtTime(f.Until))
	}
	if f.Site != "" {
		site := strings.TrimSpace(f.Site)
		q.WriteString(` AND (e.host = lower(?) OR a.site_name = ? COLLATE NOCASE)`)
		args = append(args, site, site)
	}
	if len(f.Kinds) > 0 {
		q.WriteString(` AND e.kind IN (?` + strings.Repeat(`, ?`, len(f.Kinds)-1) + `)`)
		for _, k := range f.Kinds {
			args = append(args, k)
		}
	}
	if f.ArticleID != 0 {
		q.WriteString(` AND e.article_id = ?`)
		args = append(args, f.ArticleID)
	}
	q.WriteString(` ORDER BY e.at DESC, e.id DESC`)
	if f.Limit > 0 {
		q.WriteString(` LIMIT ?`)
		args = append(args, f.Limit)
	}
	rows, err := s.r.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return nil, wrap("events", err)
	}
	defer rows.Close()
	var evs []Event
	for rows.Next() {
		var (
			e  Event
			at string
		)
		if err := rows.Scan(&e.ID, &e.URL, &e.Host, &e.ArticleID, &e.Kind, &e.Status, &e.Detail, &at, &e.RunID); err != nil {
			return nil, wrap("events", err)
		}
		e.At = parseTime(at)
		evs = append(evs, e)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("events", err)
	}
	return evs, nil
}

// hostOf returns the lower-case host of u without port, or "" when u does not parse.
func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return strings.ToLower(p.Hostname())
}

// nullID maps 0 to SQL NULL, for optional foreign keys.
func nullID(id int64) sql.NullInt64 {
	return sql.NullInt64{Int64: id, Valid: id != 0}
}
