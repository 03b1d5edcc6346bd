package pgarchive

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/newsarchive/newsarchive/archive"
)

// templateCount is what one capture changes in trap_templates.
type templateCount struct {
	run int64
	// template was fetched; the fetch yielded when yield is set, or when
	// one of yieldLinks is not in fleet_urls yet.
	template   string
	yield      bool
	yieldLinks []string
	// skipped is the template a URL was skipped under ("": none).
	skipped string
}

// count applies tc in tx; host is the leased host (every template of its
// URLs starts with it). The fetched template's counts after the fetch go
// to r.TemplateCount.
func (tc *templateCount) count(ctx context.Context, tx pgx.Tx, host string, r *archive.CommitResult) error {
	if tc.skipped != "" {
		if _, err := tx.Exec(ctx, `INSERT INTO trap_templates (run_id, template, host, skipped) VALUES ($1, $2, $3, 1)
			ON CONFLICT (run_id, template) DO UPDATE SET skipped = trap_templates.skipped + 1`,
			tc.run, tc.skipped, host); err != nil {
			return err
		}
	}
	if tc.template == "" {
		return nil
	}
	yield := tc.yield
	if !yield && len(tc.yieldLinks) > 0 {
		// New to this worker is not new to the fleet: another worker may
		// have found the link under an earlier lease of the host.
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM unnest($1::text[]) AS l (url)
			WHERE NOT EXISTS (SELECT 1 FROM fleet_urls u WHERE u.url = l.url))`, tc.yieldLinks).Scan(&yield); err != nil {
			return err
		}
	}
	t := archive.TemplateStat{Template: tc.template}
	if err := tx.QueryRow(ctx, `INSERT INTO trap_templates (run_id, template, host, fetches, since_yield)
		VALUES ($1, $2, $3, 1, CASE WHEN $4 THEN 0 ELSE 1 END)
		ON CONFLICT (run_id, template) DO UPDATE SET fetches = trap_templates.fetches + 1,
			since_yield = CASE WHEN $4 THEN 0 ELSE trap_templates.since_yield + 1 END
		RETURNING fetches, since_yield`, tc.run, tc.template, host, yield).Scan(&t.Fetches, &t.SinceYield); err != nil {
		return err
	}
	r.TemplateCount = t
	return nil
}

// TemplateStats returns trap defence's counts of run runID shared by its
// workers: the templates of host's URLs, or every template when host is "".
func (db *DB) TemplateStats(ctx context.Context, runID int64, host string) ([]archive.TemplateStat, error) {
	rows, err := db.pool.Query(ctx, `SELECT template, fetches, since_yield FROM trap_templates
		WHERE run_id = $1 AND ($2 = '' OR host = $2) AND fetches > 0 ORDER BY template`, runID, host)
	if err != nil {
		return nil, fmt.Errorf("pgarchive: template stats: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (archive.TemplateStat, error) {
		var t archive.TemplateStat
		err := row.Scan(&t.Template, &t.Fetches, &t.SinceYield)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("pgarchive: template stats: %w", err)
	}
	return out, nil
}

// TrapTemplateCounts returns, for run runID, the path templates trap defence
// cut with the URLs every worker skipped under each, most first.
func (db *DB) TrapTemplateCounts(ctx context.Context, runID int64) ([]archive.Count, error) {
	rows, err := db.pool.Query(ctx, `SELECT template, skipped FROM trap_templates
		WHERE run_id = $1 AND skipped > 0 ORDER BY 2 DESC, 1`, runID)
	if err != nil {
		return nil, fmt.Errorf("pgarchive: trap templates: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (archive.Count, error) {
		var c archive.Count
		err := row.Scan(&c.Key, &c.N)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("pgarchive: trap templates: %w", err)
	}
	return out, nil
}
