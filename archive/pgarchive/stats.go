package pgarchive

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/newsarchive/newsarchive/archive"
)

// Stats computes the archive's summary from one snapshot, as the SQLite
// archive's Stats: the frontier counts come from the fleet frontier
// (fleet_urls). Runs is empty: a fleet has workers, not runs.
func (db *DB) Stats(ctx context.Context) (*archive.Stats, error) {
	st := &archive.Stats{}
	err := db.readTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM articles WHERE latest_version_id IS NOT NULL),
			(SELECT count(*) FROM versions), (SELECT count(*) FROM pages),
			(SELECT count(*) FROM authors), (SELECT count(*) FROM editors), (SELECT count(*) FROM tags),
			(SELECT count(*) FROM pages WHERE extract_error <> ''),
			(SELECT count(*) FROM pages WHERE truncated)`).Scan(
			&st.Articles, &st.Versions, &st.Pages, &st.Authors, &st.Editors, &st.Tags, &st.ExtractFailures,
			&st.TruncatedPages)
		if err != nil {
			return err
		}
		maps := []struct {
			sql string
			m   *map[string]int
		}{
			{`SELECT (status / 100) || 'xx', count(*) FROM pages GROUP BY 1`, &st.PagesByStatus},
			{`SELECT state, count(*) FROM fleet_urls GROUP BY 1`, &st.FrontierByState},
			{`SELECT reason, count(*) FROM fleet_urls WHERE reason <> '' GROUP BY 1`, &st.FrontierByReason},
			{`SELECT CASE WHEN reason <> '' THEN reason ELSE 'unknown' END, count(*) FROM fleet_urls
				WHERE state = 'failed' GROUP BY 1`, &st.FailedByReason},
			{`SELECT CASE WHEN reason <> '' THEN reason ELSE 'unknown' END, count(*) FROM fleet_urls
				WHERE state = 'skipped' GROUP BY 1`, &st.SkippedByReason},
		}
		for _, g := range maps {
			var cs []archive.Count
			if err := counts(ctx, tx, &cs, g.sql); err != nil {
				return err
			}
			*g.m = map[string]int{}
			for _, c := range cs {
				(*g.m)[c.Key] = c.N
			}
		}
		lists := []struct {
			sql string
			l   *[]archive.Count
		}{
			{byCount(`SELECT site_name, count(*) FROM articles WHERE latest_version_id IS NOT NULL GROUP BY 1`), &st.ArticlesBySite},
			{byCount(`SELECT au.name, count(DISTINCT a.id) FROM articles a
				JOIN version_authors va ON va.version_id = a.latest_version_id JOIN authors au ON au.id = va.author_id
				GROUP BY au.id`), &st.ArticlesByAuthor},
			{byCount(`SELECT CASE WHEN e.name <> '' THEN e.name ELSE e.handle END, count(DISTINCT a.id) FROM articles a
				JOIN version_editors ve ON ve.version_id = a.latest_version_id JOIN editors e ON e.id = ve.editor_id
				GROUP BY e.id`), &st.ArticlesByEditor},
			{byKey(`SELECT CASE WHEN v.published_at ~ '^[0-9]{4}-[0-9]{2}' THEN substr(v.published_at, 1, 7)
					ELSE 'unknown' END, count(*)
				FROM articles a JOIN versions v ON v.id = a.latest_version_id GROUP BY 1`), &st.ArticlesByMonth},
			{byCount(`SELECT detail, count(*) FROM fleet_urls WHERE reason = 'trap_template' GROUP BY 1`), &st.TrapTemplates},
		}
		for _, g := range lists {
			if err := counts(ctx, tx, g.l, g.sql); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("pgarchive: stats: %w", err)
	}
	return st, nil
}

// byCount orders the (key, count) rows of q largest first, then by key in
// SQLite's binary order.
func byCount(q string) string {
	return `SELECT k, n FROM (` + q + `) t(k, n) ORDER BY n DESC, k COLLATE "C"`
}

// byKey orders the (key, count) rows of q by key in SQLite's binary order.
func byKey(q string) string {
	return `SELECT k, n FROM (` + q + `) t(k, n) ORDER BY k COLLATE "C"`
}
