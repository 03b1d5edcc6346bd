package pgarchive

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsarchive/newsarchive/archive"
)

// changesBatch is how many version pairs Changes reads at a time.
const changesBatch = 200

// Changes returns the changes selected by f, newest first: edits (each new
// version of an article against the version before it, in fetch order)
// merged with the archive's events, as the SQLite archive's Changes.
func (db *DB) Changes(ctx context.Context, f archive.ChangesFilter) ([]archive.Change, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	var fields []string
	for _, n := range f.Fields {
		e, _ := archive.ExpandField(n)
		fields = append(fields, e...)
	}
	var edits, events []archive.Change
	var err error
	if f.Wants(archive.KindEdit) {
		if edits, err = db.edits(ctx, f, fields, limit); err != nil {
			return nil, err
		}
	}
	if len(fields) == 0 {
		if events, err = db.eventChanges(ctx, f, limit); err != nil {
			return nil, err
		}
	}
	return archive.MergeChanges(edits, events, limit), nil
}

// siteSQL is the site condition of Search on articles a: by site name
// (case-insensitive) or the host of the canonical URL.
func siteSQL(site string, args *[]any) string {
	*args = append(*args, site, likeLiteral(site))
	n := len(*args)
	return ` AND (lower(a.site_name) = lower($` + strconv.Itoa(n-1) + `) OR a.canonical_url ILIKE 'http://' || $` +
		strconv.Itoa(n) + ` || '/%' OR a.canonical_url ILIKE 'https://' || $` + strconv.Itoa(n) + ` || '/%')`
}

// editedArticles is an SQL condition on versions v: its article has more
// than one version.
const editedArticles = `v.article_id IN (SELECT article_id FROM versions GROUP BY article_id HAVING count(*) > 1)`

type versionPair struct {
	id, prev, article int64
	at                time.Time
	url, site         string
}

// edits returns up to limit edits selected by f (and changing one of
// fields, when given), newest first.
func (db *DB) edits(ctx context.Context, f archive.ChangesFilter, fields []string, limit int) ([]archive.Change, error) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	q := `WITH seq AS (
		SELECT v.id, v.article_id, p.fetched_at,
			lag(v.id) OVER (PARTITION BY v.article_id ORDER BY p.fetched_at, v.id) AS prev_id
		FROM versions v JOIN pages p ON p.id = v.page_id
		WHERE ` + editedArticles
	if f.ArticleID != 0 {
		q += ` AND v.article_id = ` + arg(f.ArticleID)
	}
	q += `)
		SELECT seq.id, seq.prev_id, seq.article_id, seq.fetched_at, a.canonical_url, a.site_name
		FROM seq JOIN articles a ON a.id = seq.article_id
		WHERE seq.prev_id IS NOT NULL`
	if !f.Since.IsZero() {
		q += ` AND seq.fetched_at >= ` + arg(f.Since)
	}
	if !f.Until.IsZero() {
		q += ` AND seq.fetched_at < ` + arg(f.Until)
	}
	if site := strings.TrimSpace(f.Site); site != "" {
		q += siteSQL(site, &args)
	}
	q += ` ORDER BY seq.fetched_at DESC, seq.id DESC LIMIT ` + strconv.Itoa(changesBatch) + ` OFFSET `

	var out []archive.Change
	for offset := 0; len(out) < limit; offset += changesBatch {
		rows, err := db.pool.Query(ctx, q+strconv.Itoa(offset), args...)
		if err != nil {
			return nil, fmt.Errorf("pgarchive: changes: %w", err)
		}
		var (
			p     versionPair
			pairs []versionPair
		)
		if _, err := pgx.ForEachRow(rows, []any{&p.id, &p.prev, &p.article, &p.at, &p.url, &p.site}, func() error {
			p.at = p.at.UTC()
			pairs = append(pairs, p)
			return nil
		}); err != nil {
			return nil, fmt.Errorf("pgarchive: changes: %w", err)
		}
		for _, p := range pairs {
			c, err := db.edit(ctx, p)
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

// edit reads both versions of p and diffs them.
func (db *DB) edit(ctx context.Context, p versionPair) (archive.Change, error) {
	from, err := db.Version(ctx, p.prev)
	if err != nil {
		return archive.Change{}, fmt.Errorf("pgarchive: changes: %w", err)
	}
	to, err := db.Version(ctx, p.id)
	if err != nil {
		return archive.Change{}, fmt.Errorf("pgarchive: changes: %w", err)
	}
	d := archive.DiffRecords(&from.Record, &to.Record)
	return archive.Change{Kind: archive.KindEdit, At: p.at, ArticleID: p.article, URL: p.url, Site: p.site,
		Title: to.Record.Title, FromVersion: p.prev, ToVersion: p.id, Diff: &d}, nil
}

// eventChanges returns up to limit events selected by f as changes, newest
// first, each with its article's latest headline and site.
func (db *DB) eventChanges(ctx context.Context, f archive.ChangesFilter, limit int) ([]archive.Change, error) {
	var kinds []string
	for _, k := range f.Kinds {
		if !strings.EqualFold(k, archive.KindEdit) {
			kinds = append(kinds, strings.ToLower(k))
		}
	}
	if len(f.Kinds) > 0 && len(kinds) == 0 {
		return nil, nil
	}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	q := `SELECT e.id, e.url, e.host, coalesce(e.article_id, 0), e.kind, e.status, e.detail, e.at,
		coalesce(v.title, ''), coalesce(a.site_name, '')
		FROM events e LEFT JOIN articles a ON a.id = e.article_id LEFT JOIN versions v ON v.id = a.latest_version_id
		WHERE true`
	if !f.Since.IsZero() {
		q += ` AND e.at >= ` + arg(f.Since)
	}
	if !f.Until.IsZero() {
		q += ` AND e.at < ` + arg(f.Until)
	}
	if site := strings.TrimSpace(f.Site); site != "" {
		s := arg(site)
		q += ` AND (e.host = lower(` + s + `) OR lower(a.site_name) = lower(` + s + `))`
	}
	if len(kinds) > 0 {
		q += ` AND e.kind = ANY(` + arg(kinds) + `)`
	}
	if f.ArticleID != 0 {
		q += ` AND e.article_id = ` + arg(f.ArticleID)
	}
	q += ` ORDER BY e.at DESC, e.id DESC LIMIT ` + arg(limit)
	rows, err := db.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("pgarchive: changes: events: %w", err)
	}
	var (
		c    archive.Change
		site string
		out  []archive.Change
	)
	if _, err := pgx.ForEachRow(rows, []any{&c.EventID, &c.URL, &c.Site, &c.ArticleID, &c.Kind, &c.Status, &c.Detail,
		&c.At, &c.Title, &site}, func() error {
		c.At = c.At.UTC()
		if site != "" {
			c.Site = site
		}
		out = append(out, c)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("pgarchive: changes: events: %w", err)
	}
	return out, nil
}

// Timeline returns the versions of an article, oldest first, each with its
// diff from the one before; archive.ErrNotFound when there is no such
// article.
func (db *DB) Timeline(ctx context.Context, articleID int64) (*archive.ArticleRecord, []archive.TimelineEntry, error) {
	rec, err := db.Article(ctx, articleID)
	if err != nil {
		return nil, nil, err
	}
	edits, err := db.edits(ctx, archive.ChangesFilter{ArticleID: articleID}, nil, len(rec.Versions))
	if err != nil {
		return nil, nil, err
	}
	byVersion := map[int64]*archive.Diff{}
	for _, c := range edits {
		byVersion[c.ToVersion] = c.Diff
	}
	out := make([]archive.TimelineEntry, 0, len(rec.Versions))
	for _, v := range rec.Versions {
		out = append(out, archive.TimelineEntry{VersionInfo: v, Diff: byVersion[v.ID]})
	}
	return rec, out, nil
}

// Activity counts articles published per day and month, edits and events
// per UTC day; site, when not empty, selects one site as Search does.
func (db *DB) Activity(ctx context.Context, site string) (*archive.Activity, error) {
	var (
		siteCond string
		siteArgs []any
	)
	if site = strings.TrimSpace(site); site != "" {
		siteCond = siteSQL(site, &siteArgs)
	}
	act := &archive.Activity{}
	var published []archive.Count
	eventsSQL := `SELECT to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), count(*) FROM events e
		LEFT JOIN articles a ON a.id = e.article_id`
	eventArgs := []any{}
	if site != "" {
		eventsSQL += ` WHERE e.host = lower($1) OR lower(a.site_name) = lower($1)`
		eventArgs = append(eventArgs, site)
	}
	groups := []struct {
		sql  string
		args []any
		out  *[]archive.Count
	}{
		{byKey(`SELECT substr(v.published_at, 1, 10), count(*) FROM articles a JOIN versions v ON v.id = a.latest_version_id
			WHERE v.published_at ~ '^[0-9]{4}-[0-9]{2}'` + siteCond + ` GROUP BY 1`), siteArgs, &published},
		{`WITH seq AS (SELECT v.article_id, p.fetched_at,
				row_number() OVER (PARTITION BY v.article_id ORDER BY p.fetched_at, v.id) AS n
			FROM versions v JOIN pages p ON p.id = v.page_id WHERE ` + editedArticles + `)
			SELECT to_char(seq.fetched_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), count(*) FROM seq JOIN articles a ON a.id = seq.article_id
			WHERE seq.n > 1` + siteCond + ` GROUP BY 1 ORDER BY 1`, siteArgs, &act.EditsPerDay},
		{eventsSQL + ` GROUP BY 1 ORDER BY 1`, eventArgs, &act.EventsPerDay},
	}
	err := db.readTx(ctx, func(tx pgx.Tx) error {
		for _, g := range groups {
			if err := counts(ctx, tx, g.out, g.sql, g.args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("pgarchive: activity: %w", err)
	}
	act.PublishedPerDay, act.PublishedPerMonth = archive.SplitPublished(published)
	return act, nil
}

// counts appends the (key, count) rows of q to out.
func counts(ctx context.Context, tx pgx.Tx, out *[]archive.Count, q string, args ...any) error {
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	var c archive.Count
	_, err = pgx.ForEachRow(rows, []any{&c.Key, &c.N}, func() error {
		*out = append(*out, c)
		return nil
	})
	return err
}
