package archive

import (
	"context"
	"database/sql"
	"strings"
)

// eventChanges returns up to limit events selected by f as changes, newest
// first, each with its article's latest headline and site.
func (s *Store) eventChanges(ctx context.Context, f ChangesFilter, limit int) ([]Change, error) {
	var kinds []string
	for _, k := range f.Kinds {
		if !strings.EqualFold(k, KindEdit) {
			kinds = append(kinds, strings.ToLower(k))
		}
	}
	if len(f.Kinds) > 0 && len(kinds) == 0 {
		return nil, nil
	}
	if ok, err := s.hasEvents(ctx); !ok || err != nil {
		return nil, err
	}
	evs, err := s.Events(ctx, EventFilter{Since: f.Since, Until: f.Until, Site: f.Site, Kinds: kinds,
		ArticleID: f.ArticleID, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := make([]Change, 0, len(evs))
	for _, e := range evs {
		c := Change{Kind: e.Kind, At: e.At, ArticleID: e.ArticleID, URL: e.URL, Site: e.Host,
			Status: e.Status, Detail: e.Detail, EventID: e.ID}
		if e.ArticleID != 0 {
			var site string
			err := s.r.QueryRowContext(ctx, `SELECT v.title, a.site_name FROM articles a
				JOIN versions v ON v.id = a.latest_version_id WHERE a.id = ?`, e.ArticleID).Scan(&c.Title, &site)
			if err != nil && err != sql.ErrNoRows {
				return nil, wrap("changes: event article", err)
			}
			if site != "" {
				c.Site = site
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// eventsPerDay counts events by UTC day, chronologically; site selects as
// Events does.
func (s *Store) eventsPerDay(ctx context.Context, site string) ([]Count, error) {
	if ok, err := s.hasEvents(ctx); !ok || err != nil {
		return nil, err
	}
	q := `SELECT substr(e.at, 1, 10), count(*) FROM events e LEFT JOIN articles a ON a.id = e.article_id`
	var args []any
	if site = strings.TrimSpace(site); site != "" {
		q += ` WHERE e.host = lower(?) OR a.site_name = ? COLLATE NOCASE`
		args = append(args, site, site)
	}
	rows, err := s.r.QueryContext(ctx, q+` GROUP BY 1 ORDER BY 1`, args...)
	if err != nil {
		return nil, wrap("activity: events", err)
	}
	defer rows.Close()
	var out []Count
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.Key, &c.N); err != nil {
			return nil, wrap("activity: events", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("activity: events", err)
	}
	return out, nil
}

// hasEvents reports whether the archive has the events table: an archive
// written before it existed and opened read-only (so not migrated) has none,
// and then no events.
func (s *Store) hasEvents(ctx context.Context) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'`).Scan(&n)
	if err != nil {
		return false, wrap("changes: events table", err)
	}
	return n > 0, nil
}
