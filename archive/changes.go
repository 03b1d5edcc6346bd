package archive

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// KindEdit is the kind of a Change between two stored versions of an
// article; the other kinds are those of events (unpublished, moved…).
const KindEdit = "edit"

// Change is one thing that happened to an archived article: a new version
// of it (Kind "edit", with its Diff) or an event (unpublished, moved…).
type Change struct {
	Kind      string    `json:"kind"`
	At        time.Time `json:"at"` // when the capture that showed it was fetched
	ArticleID int64     `json:"article_id,omitempty"`
	URL       string    `json:"url"`
	Site      string    `json:"site"`
	// Title is the article's headline after the change (for an event, its
	// latest headline).
	Title string `json:"title"`
	// FromVersion and ToVersion are the versions an edit goes between.
	FromVersion int64 `json:"from_version,omitempty"`
	ToVersion   int64 `json:"to_version,omitempty"`
	Diff        *Diff `json:"diff,omitempty"`
	// Status and Detail come from an event: the HTTP status that showed it
	// and, for a move, the target.
	Status int    `json:"status,omitempty"`
	Detail string `json:"detail,omitempty"`
	// EventID is the event's id, 0 for an edit.
	EventID int64 `json:"event_id,omitempty"`
}

// ID is a stable identifier of the change within the archive: "edit-V" for
// the edit that made version V, "event-N" for event N.
func (c *Change) ID() string {
	if c.Kind == KindEdit {
		return fmt.Sprintf("edit-%d", c.ToVersion)
	}
	return fmt.Sprintf("event-%d", c.EventID)
}

// ChangesFilter selects changes. Zero values select everything.
type ChangesFilter struct {
	Since, Until time.Time // capture time, Since inclusive, Until exclusive
	// Site is a site name or the host of the canonical URL, as for Search.
	Site string
	// Fields keeps only edits that changed one of these fields (DiffFields
	// names or groups, see ExpandField); events are dropped when it is set.
	Fields []string
	// Kinds keeps only these kinds ("edit", "unpublished", "moved"…).
	Kinds     []string
	ArticleID int64
	// Limit bounds the number of changes returned; 0 means 100.
	Limit int
}

// Validate reports an unknown field name.
func (f ChangesFilter) Validate() error {
	for _, n := range f.Fields {
		if _, ok := ExpandField(n); !ok {
			return fmt.Errorf("unknown field %q (want one of %s, dates, credits)", n, strings.Join(DiffFields, ", "))
		}
	}
	return nil
}

func (f ChangesFilter) wants(kind string) bool {
	return len(f.Kinds) == 0 || slices.ContainsFunc(f.Kinds, func(k string) bool { return strings.EqualFold(k, kind) })
}

// changesBatch is how many version pairs Changes reads at a time.
const changesBatch = 200

// Changes returns the changes selected by f, newest first: edits (each new
// version of an article against the version before it, read through
// Version) merged with the archive's events.
func (s *Store) Changes(ctx context.Context, f ChangesFilter) ([]Change, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	var fields []string
	for _, n := range f.Fields {
		e, _ := ExpandField(n)
		fields = append(fields, e...)
	}
	var out []Change
	if f.wants(KindEdit) {
		edits, err := s.edits(ctx, f, fields, limit)
		if err != nil {
			return nil, err
		}
		out = edits
	}
	if len(fields) == 0 {
		evs, err := s.eventChanges(ctx, f, limit)
		if err != nil {
			return nil, err
		}
		out = append(out, evs...)
	}
	return MergeChanges(out, nil, limit), nil
}

// editedArticles is an SQL condition on versions v: its article has more
// than one version.
const editedArticles = `v.article_id IN (SELECT article_id FROM versions GROUP BY article_id HAVING count(*) > 1)`

// versionPair is a version and the one before it of the same article.
type versionPair struct {
	id, prev, article int64
	at                time.Time
	url, site         string
}

// edits returns up to limit edits selected by f (and changing one of
// fields, when given), newest first.
func (s *Store) edits(ctx context.Context, f ChangesFilter, fields []string, limit int) ([]Change, error) {
	var (
		where []string
		args  []any
	)
	if f.ArticleID != 0 {
		where = append(where, `v.article_id = ?`)
		args = append(args, f.ArticleID)
	}
	// The version order is the one versions() lists: by fetch time. Only
	// articles with more than one version have edits: finding them reads
	// the versions_article index alone, and most articles are never edited.
	q := `WITH seq AS (
		SELECT v.id, v.article_id, p.fetched_at,
			lag(v.id) OVER (PARTITION BY v.article_id ORDER BY p.fetched_at, v.id) AS prev_id
		FROM versions v JOIN pages p ON p.id = v.page_id
		WHERE ` + editedArticles
	if len(where) > 0 {
		q += ` AND ` + strings.Join(where, " AND ")
	}
	q += `)
		SELECT seq.id, seq.prev_id, seq.article_id, seq.fetched_at, a.canonical_url, a.site_name
		FROM seq JOIN articles a ON a.id = seq.article_id
		WHERE seq.prev_id IS NOT NULL`
	if !f.Since.IsZero() {
		q += ` AND seq.fetched_at >= ?`
		args = append(args, fmtTime(f.Since))
	}
	if !f.Until.IsZero() {
		q += ` AND seq.fetched_at < ?`
		args = append(args, fmtTime(f.Until))
	}
	if site := strings.TrimSpace(f.Site); site != "" {
		q += ` AND (a.site_name = ? COLLATE NOCASE OR a.canonical_url LIKE 'http://' || ? || '/%' ESCAPE '\'
			OR a.canonical_url LIKE 'https://' || ? || '/%' ESCAPE '\')`
		args = append(args, site, likeLiteral(site), likeLiteral(site))
	}
	q += ` ORDER BY seq.fetched_at DESC, seq.id DESC LIMIT ? OFFSET ?`

	var out []Change
	for offset := 0; len(out) < limit; offset += changesBatch {
		pairs, err := s.versionPairs(ctx, q, append(slices.Clone(args), changesBatch, offset))
		if err != nil {
			return nil, err
		}
		for _, p := range pairs {
			c, err := s.edit(ctx, p)
			if err != nil {
				return nil, err
			}
			if len(fields) > 0 && !slices.ContainsFunc(fields, c.Diff.Changed) {
				continue
			}
			out = append(out, c)
			if len(out) == limit {
				break
			}
		}
		if len(pairs) < changesBatch {
			break
		}
	}
	return out, nil
}

func (s *Store) versionPairs(ctx context.Context, q string, args []any) ([]versionPair, error) {
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrap("changes", err)
	}
	defer rows.Close()
	var out []versionPair
	for rows.Next() {
		var (
			p  versionPair
			at string
		)
		if err := rows.Scan(&p.id, &p.prev, &p.article, &at, &p.url, &p.site); err != nil {
			return nil, wrap("changes", err)
		}
		p.at = parseTime(at)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("changes", err)
	}
	return out, nil
}

// edit reads both versions of p and diffs them.
func (s *Store) edit(ctx context.Context, p versionPair) (Change, error) {
	from, err := s.Version(ctx, p.prev)
	if err != nil {
		return Change{}, fmt.Errorf("archive: changes: %w", err)
	}
	to, err := s.Version(ctx, p.id)
	if err != nil {
		return Change{}, fmt.Errorf("archive: changes: %w", err)
	}
	d := DiffRecords(&from.Record, &to.Record)
	return Change{Kind: KindEdit, At: p.at, ArticleID: p.article, URL: p.url, Site: p.site, Title: to.Record.Title,
		FromVersion: p.prev, ToVersion: p.id, Diff: &d}, nil
}

// Activity is the archive's activity over time, for charts.
type Activity struct {
	// PublishedPerDay and PublishedPerMonth count articles (by their latest
	// version) by the day (YYYY-MM-DD) and month (YYYY-MM) of their
	// published_at; articles without a readable date are left out.
	// Chronological.
	PublishedPerDay   []Count
	PublishedPerMonth []Count
	// EditsPerDay counts new versions of already archived articles by the
	// UTC day they were fetched. Chronological.
	EditsPerDay []Count
	// EventsPerDay counts events (unpublished, moved…) by UTC day.
	// Chronological.
	EventsPerDay []Count
}

// Activity counts articles published per day and month and edits per day.
// site, when not empty, selects one site as Search does.
func (s *Store) Activity(ctx context.Context, site string) (*Activity, error) {
	var (
		siteSQL  string
		siteArgs []any
	)
	if site = strings.TrimSpace(site); site != "" {
		siteSQL = ` AND (a.site_name = ? COLLATE NOCASE OR a.canonical_url LIKE 'http://' || ? || '/%' ESCAPE '\'
			OR a.canonical_url LIKE 'https://' || ? || '/%' ESCAPE '\')`
		siteArgs = []any{site, likeLiteral(site), likeLiteral(site)}
	}
	act := &Activity{}
	var published []Count // by day, or by month when the day is missing
	groups := []struct {
		sql string
		out *[]Count
	}{
		// published_at and id are in the versions_published index: reading
		// it alone spares reading each version's row (records are large).
		{`SELECT substr(v.published_at, 1, 10), count(*) FROM versions v INDEXED BY versions_published
			WHERE v.published_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'
			AND v.id IN (SELECT a.latest_version_id FROM articles a WHERE 1` + siteSQL + `) GROUP BY 1 ORDER BY 1`, &published},
		{`WITH seq AS (SELECT v.article_id, p.fetched_at,
				row_number() OVER (PARTITION BY v.article_id ORDER BY p.fetched_at, v.id) AS n
			FROM versions v JOIN pages p ON p.id = v.page_id WHERE ` + editedArticles + `)
			SELECT substr(seq.fetched_at, 1, 10), count(*) FROM seq JOIN articles a ON a.id = seq.article_id
			WHERE seq.n > 1` + siteSQL + ` GROUP BY 1 ORDER BY 1`, &act.EditsPerDay},
	}
	for _, g := range groups {
		rows, err := s.r.QueryContext(ctx, g.sql, siteArgs...)
		if err != nil {
			return nil, wrap("activity", err)
		}
		for rows.Next() {
			var c Count
			if err := rows.Scan(&c.Key, &c.N); err != nil {
				rows.Close()
				return nil, wrap("activity", err)
			}
			*g.out = append(*g.out, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, wrap("activity", err)
		}
	}
	act.PublishedPerDay, act.PublishedPerMonth = SplitPublished(published)
	var err error
	if act.EventsPerDay, err = s.eventsPerDay(ctx, site); err != nil {
		return nil, err
	}
	return act, nil
}

// TimelineEntry is one version of an article with what changed in it from
// the version before (Diff is nil for the first version).
type TimelineEntry struct {
	VersionInfo
	Diff *Diff
}

// Timeline returns the versions of an article, oldest first, each with its
// diff from the one before; ErrNotFound when there is no such article.
func (s *Store) Timeline(ctx context.Context, articleID int64) (*ArticleRecord, []TimelineEntry, error) {
	rec, err := s.Article(ctx, articleID)
	if err != nil {
		return nil, nil, err
	}
	edits, err := s.edits(ctx, ChangesFilter{ArticleID: articleID}, nil, len(rec.Versions))
	if err != nil {
		return nil, nil, err
	}
	byVersion := map[int64]*Diff{}
	for _, c := range edits {
		byVersion[c.ToVersion] = c.Diff
	}
	out := make([]TimelineEntry, 0, len(rec.Versions))
	for _, v := range rec.Versions {
		out = append(out, TimelineEntry{VersionInfo: v, Diff: byVersion[v.ID]})
	}
	return rec, out, nil
}

// ParseTimeRange reads a changes filter's since and until: a date
// (YYYY-MM-DD, UTC; until includes the day), an RFC 3339 time, or a
// duration back from now ("36h", "7d"). Empty is no bound.
func ParseTimeRange(since, until string, now time.Time) (from, to time.Time, err error) {
	ago := func(v string) (time.Time, bool) {
		v = strings.TrimSpace(v)
		if n, ok := strings.CutSuffix(v, "d"); ok {
			var days int
			if _, err := fmt.Sscanf(n, "%d", &days); err == nil && fmt.Sprint(days) == n && days >= 0 {
				return now.AddDate(0, 0, -days), true
			}
		}
		if d, err := time.ParseDuration(v); err == nil && d >= 0 {
			return now.Add(-d), true
		}
		return time.Time{}, false
	}
	fs, okFrom := ago(since)
	ts, okTo := ago(until)
	if !okFrom && !okTo {
		return ParseDateRange(since, until)
	}
	from, to = fs, ts
	if !okFrom {
		from, _, err = ParseDateRange(since, "")
	}
	if !okTo && err == nil {
		_, to, err = ParseDateRange("", until)
	}
	return from, to, err
}
