package pgarchive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/frontier"
)

// runLock is the advisory lock key that serialises run starts and finishes:
// workers started together with the same seeds join one run.
const runLock = 0x6e61_7275 // "naru"

// Run kinds (runs.kind).
const (
	RunCrawl  = "crawl"
	RunImport = "import"
)

// StartRun starts or joins a run for worker. A crawl joins the latest crawl
// run that did not finish (joined is true); otherwise it creates one and, on
// a frontier that already holds them, queues again the URLs of requeue (the
// seeds) and every sitemap and feed that is done or failed, so that new links
// are found; URLs already done are not fetched again. Leases still held under
// worker's name (the same worker, restarted) are handed back first. An import
// always creates a run of its own and touches no frontier row.
func (db *DB) StartRun(ctx context.Context, worker, kind string, seeds, requeue []string, settings any) (runID int64, joined bool, err error) {
	if seeds == nil {
		seeds = []string{}
	}
	if settings == nil {
		settings = struct{}{}
	}
	seedsJSON, err := json.Marshal(seeds)
	if err != nil {
		return 0, false, fmt.Errorf("pgarchive: start run: seeds: %w", err)
	}
	settingsJSON, err := json.Marshal(settings)
	if err != nil {
		return 0, false, fmt.Errorf("pgarchive: start run: settings: %w", err)
	}
	err = db.inTx(ctx, "start run", func(tx pgx.Tx) error {
		runID, joined = 0, false
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, runLock); err != nil {
			return err
		}
		if kind == RunCrawl {
			// A restarted worker's old leases are handed back: their URLs
			// in flight are queued again at once. Host rows are locked
			// first, in host order, as every fleet transaction does.
			if _, err := tx.Exec(ctx, `WITH h AS (
					SELECT host FROM fleet_hosts WHERE leased_by = $1 AND lease_expires IS NOT NULL
					ORDER BY host FOR NO KEY UPDATE
				), released AS (
					UPDATE fleet_hosts SET lease_expires = NULL, leased_by = '' FROM h WHERE fleet_hosts.host = h.host
					RETURNING fleet_hosts.host
				)
				UPDATE fleet_urls u SET state = 'queued', reason = $2, lease_token = 0, updated_at = now()
				FROM released WHERE u.host = released.host AND u.state = 'in_flight'`,
				worker, string(frontier.ReasonInterrupted)); err != nil {
				return err
			}
			err := tx.QueryRow(ctx, `SELECT id FROM runs WHERE kind = 'crawl' AND status <> 'finished'
				ORDER BY id DESC LIMIT 1`).Scan(&runID)
			switch {
			case err == nil:
				joined = true
				if _, err := tx.Exec(ctx, `UPDATE runs SET status = 'running', finished_at = NULL WHERE id = $1`, runID); err != nil {
					return err
				}
			case !errors.Is(err, pgx.ErrNoRows):
				return err
			}
		}
		if !joined {
			if err := tx.QueryRow(ctx, `INSERT INTO runs (kind, seeds, settings) VALUES ($1, $2, $3) RETURNING id`,
				kind, seedsJSON, settingsJSON).Scan(&runID); err != nil {
				return err
			}
			if kind == RunCrawl {
				if _, err := tx.Exec(ctx, `UPDATE fleet_urls SET state = 'queued', reason = '', detail = '', attempts = 0,
					not_before = NULL, lease_token = 0, updated_at = now()
					WHERE (url = ANY($1) OR kind IN ('sitemap', 'feed')) AND state IN ('done', 'failed')`, requeue); err != nil {
					return err
				}
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO run_workers (run_id, worker) VALUES ($1, $2)
			ON CONFLICT (run_id, worker) DO UPDATE SET status = 'running', finished_at = NULL`, runID, worker)
		return err
	})
	return runID, joined, err
}

// FinishRun records worker's end of run runID with status (finished,
// interrupted, failed) and adds counts to the worker's. A crawl run is
// finished when a worker finishes with the fleet frontier empty (nothing
// queued or in flight); an import run when its worker finishes. Otherwise,
// when no other worker of the run is still running, the run takes the
// worker's status (it stays resumable).
func (db *DB) FinishRun(ctx context.Context, runID int64, worker, status string, counts map[string]int) error {
	switch status {
	case archive.RunFinished, archive.RunInterrupted, archive.RunFailed:
	default:
		return fmt.Errorf("pgarchive: finish run: %w: status %q", archive.ErrInvalid, status)
	}
	return db.inTx(ctx, "finish run", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, runLock); err != nil {
			return err
		}
		var (
			kind    string
			prevRaw []byte
		)
		if err := tx.QueryRow(ctx, `SELECT r.kind, w.counts FROM runs r JOIN run_workers w ON w.run_id = r.id
			WHERE r.id = $1 AND w.worker = $2`, runID, worker).Scan(&kind, &prevRaw); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("run %d has no worker %q: %w", runID, worker, archive.ErrInvalid)
			}
			return err
		}
		sum := map[string]int{}
		if err := json.Unmarshal(prevRaw, &sum); err != nil {
			return fmt.Errorf("worker counts: %w", err)
		}
		for k, v := range counts {
			sum[k] += v
		}
		sumJSON, err := json.Marshal(sum)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE run_workers SET status = $3, counts = $4, finished_at = now()
			WHERE run_id = $1 AND worker = $2`, runID, worker, status, sumJSON); err != nil {
			return err
		}
		runStatus := ""
		switch {
		case status == archive.RunFinished && kind == RunImport:
			runStatus = archive.RunFinished
		case status == archive.RunFinished:
			var live bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM fleet_urls WHERE state IN ('queued', 'in_flight'))`).Scan(&live); err != nil {
				return err
			}
			if !live {
				runStatus = archive.RunFinished
			}
		}
		if runStatus == "" {
			var others bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM run_workers WHERE run_id = $1 AND worker <> $2 AND status = 'running')`,
				runID, worker).Scan(&others); err != nil {
				return err
			}
			if others {
				return nil
			}
			runStatus = status
			if status == archive.RunFinished {
				runStatus = archive.RunInterrupted // work left: the next crawl joins it
			}
		}
		_, err = tx.Exec(ctx, `UPDATE runs SET status = $2, finished_at = now() WHERE id = $1`, runID, runStatus)
		return err
	})
}

// Runs lists the archive's runs (crawls and imports), oldest first; a
// run's counts are the sums of its workers'.
func (db *DB) Runs(ctx context.Context) ([]archive.Run, error) {
	rows, err := db.pool.Query(ctx, `SELECT r.id, r.started_at, r.finished_at, r.status, r.seeds, r.settings,
			coalesce((SELECT jsonb_agg(w.counts) FROM run_workers w WHERE w.run_id = r.id), '[]')
		FROM runs r ORDER BY r.id`)
	if err != nil {
		return nil, fmt.Errorf("pgarchive: runs: %w", err)
	}
	defer rows.Close()
	var out []archive.Run
	for rows.Next() {
		var (
			r               archive.Run
			finished        *time.Time
			seeds, settings []byte
			counts          []map[string]int
		)
		if err := rows.Scan(&r.ID, &r.StartedAt, &finished, &r.Status, &seeds, &settings, &counts); err != nil {
			return nil, fmt.Errorf("pgarchive: runs: %w", err)
		}
		r.StartedAt = r.StartedAt.UTC()
		if finished != nil {
			r.FinishedAt = finished.UTC()
		}
		if err := json.Unmarshal(seeds, &r.Seeds); err != nil {
			return nil, fmt.Errorf("pgarchive: run %d seeds: %w", r.ID, err)
		}
		r.Settings = settings
		r.Counts = map[string]int{}
		for _, c := range counts {
			for k, v := range c {
				r.Counts[k] += v
			}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgarchive: runs: %w", err)
	}
	return out, nil
}

// RunWorker is one worker's part in a run.
type RunWorker struct {
	Worker     string
	Status     string
	JoinedAt   time.Time
	FinishedAt time.Time // zero while running
	Counts     map[string]int
}

// RunWorkers lists the workers of run runID, by name.
func (db *DB) RunWorkers(ctx context.Context, runID int64) ([]RunWorker, error) {
	rows, err := db.pool.Query(ctx, `SELECT worker, status, joined_at, finished_at, counts FROM run_workers
		WHERE run_id = $1 ORDER BY worker`, runID)
	if err != nil {
		return nil, fmt.Errorf("pgarchive: run workers: %w", err)
	}
	defer rows.Close()
	var out []RunWorker
	for rows.Next() {
		var (
			w        RunWorker
			finished *time.Time
		)
		if err := rows.Scan(&w.Worker, &w.Status, &w.JoinedAt, &finished, &w.Counts); err != nil {
			return nil, fmt.Errorf("pgarchive: run workers: %w", err)
		}
		if finished != nil {
			w.FinishedAt = *finished
		}
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgarchive: run workers: %w", err)
	}
	return out, nil
}

// Pending counts the fleet frontier's queued and in-flight URLs (all hosts,
// all workers).
func (db *DB) Pending(ctx context.Context) (queued, inFlight int, err error) {
	err = db.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE state = 'queued'), count(*) FILTER (WHERE state = 'in_flight')
		FROM fleet_urls WHERE state IN ('queued', 'in_flight')`).Scan(&queued, &inFlight)
	if err != nil {
		return 0, 0, fmt.Errorf("pgarchive: pending: %w", err)
	}
	return queued, inFlight, nil
}

// PreviousCapture returns where the capture Previous(url) returns lies,
// without its body; ok is false when there is none.
func (db *DB) PreviousCapture(ctx context.Context, url string) (archive.CaptureRef, bool, error) {
	var (
		ref  archive.CaptureRef
		file *string
		off  *int64
	)
	err := db.pool.QueryRow(ctx, `SELECT id, final_url, fetched_at, warc_file, warc_offset `+previousSQL, url).
		Scan(&ref.PageID, &ref.URL, &ref.FetchedAt, &file, &off)
	if errors.Is(err, pgx.ErrNoRows) {
		return archive.CaptureRef{}, false, nil
	}
	if err != nil {
		return archive.CaptureRef{}, false, fmt.Errorf("pgarchive: previous capture %s: %w", url, err)
	}
	ref.FetchedAt = ref.FetchedAt.UTC()
	if file != nil && *file != "" && off != nil {
		ref.WARC = archive.WARCLocation{File: *file, Offset: *off}
	}
	return ref, true, nil
}

// pageCommit converts a pipeline capture into a page commit.
func pageCommit(c archive.Capture) PageCommit {
	pc := PageCommit{
		Result: frontier.Result{
			URL: c.Entry.URL, State: frontier.State(c.State), Reason: frontier.Reason(c.Reason), Detail: c.Detail,
			Links: c.Links,
		},
		Page: c.Page, Article: c.Article, ExtractError: c.ExtractError,
	}
	if pc.Result.State == frontier.StateQueued {
		pc.Result.NotBefore = c.Entry.NotBefore
	}
	return pc
}

// CommitLeased stores one capture of the pipeline (package ingest) of run
// runID under lease l: CommitPage, with the capture's state, reason, retry
// time and links as the URL's frontier result, and trap defence's counts
// of the run (trap_templates) in the same transaction: the capture's
// template fetched (result's TemplateCount: the counts after it), or the
// template it was skipped under (reason trap_template).
func (db *DB) CommitLeased(ctx context.Context, runID int64, l frontier.Lease, c archive.Capture) (archive.CommitResult, error) {
	tc := &templateCount{run: runID, template: c.Template}
	switch {
	case c.Article != nil && c.Article.IsArticle:
		tc.yield = true
	case c.TemplateYield && len(c.YieldLinks) > 0:
		tc.yieldLinks = c.YieldLinks // it yields if one is new to the fleet
	default:
		tc.yield = c.TemplateYield
	}
	if c.State == string(frontier.StateSkipped) && c.Reason == string(frontier.ReasonTrapTemplate) {
		tc.skipped = c.Detail
	}
	if tc.template == "" && tc.skipped == "" {
		tc = nil
	}
	return db.commitPage(ctx, l, pageCommit(c), tc)
}

// CommitUnleased stores a capture that no lease covers (a response read from
// a WARC file by import) in one transaction: the raw page under worker's
// name, the article and its version as CommitPage stores them. It touches no
// frontier row: the URL, its state and its links stay as they are.
func (db *DB) CommitUnleased(ctx context.Context, worker string, c archive.Capture) (archive.CommitResult, error) {
	var r archive.CommitResult
	pc := pageCommit(c)
	if pc.Article != nil && pc.Article.IsArticle && pc.Page == nil {
		return r, fmt.Errorf("pgarchive: commit %s: article without page", pc.Result.URL)
	}
	if pc.Page == nil {
		return r, nil
	}
	var p prepared
	if err := db.prepare(&pc, &p); err != nil {
		return r, fmt.Errorf("pgarchive: commit %s: %w", pc.Result.URL, err)
	}
	err := db.inTx(ctx, "commit "+pc.Result.URL, func(tx pgx.Tx) error {
		r = archive.CommitResult{}
		return writePage(ctx, tx, frontier.Lease{Worker: worker}, &pc, &p, &r, false)
	})
	return r, err
}

// Retryable reports whether err is the database being unreachable or
// restarting (a lost connection, a refused connect, a server shutting down
// or starting up) rather than a refusal of the statement: the operation
// may be tried again once the server is back. A transaction whose COMMIT
// was cut may have committed; a retried lease-checked commit then finds
// its URL no longer in flight and fails with frontier.ErrStaleLease,
// writing nothing, so a retry never stores a page twice.
func (db *DB) Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case len(pe.Code) == 5 && pe.Code[:2] == "08": // connection exception
			return true
		case slices.Contains([]string{"57P01", "57P02", "57P03", "53300"}, pe.Code):
			// admin or crash shutdown, cannot connect now, too many connections
			return true
		}
		return false
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return pgconn.SafeToRetry(err) || errors.Is(err, pgconn.ErrConnClosed) || errors.As(err, &ce) || errors.As(err, &ne) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		pgconn.Timeout(err)
}
