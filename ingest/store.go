package ingest

import (
	"context"
	"time"

	"github.com/newsarchive/newsarchive/archive"
)

// Store is what the pipeline needs of an archive: runs, the run-scoped
// frontier, the group commit and the lookups of earlier captures.
// *archive.Store implements it.
//
// The durability protocol it must keep (tested in store_test.go against a
// real SQLite file): Claim marks entries in flight; Commit writes a batch of
// captures — pages, records, discovered links and the entries' new states —
// in one transaction, all or nothing; StartRun of an archive whose latest run
// did not finish resumes that run and queues its in-flight entries again.
type Store interface {
	// StartRun starts a run, or resumes the latest one when it did not
	// finish (its in-flight entries queued again).
	StartRun(ctx context.Context, seeds []string, settings any) (runID int64, resumed bool, err error)
	// FinishRun records a run's final status and counts.
	FinishRun(ctx context.Context, runID int64, status string, counts map[string]int) error
	// Runs lists the archive's runs, oldest first.
	Runs(ctx context.Context) ([]archive.Run, error)

	// Enqueue adds entries to the run's frontier (known URLs are ignored)
	// and returns how many were new.
	Enqueue(ctx context.Context, runID int64, entries []archive.QueueEntry) (int, error)
	// Claim takes up to n ready entries and marks them in flight.
	Claim(ctx context.Context, runID int64, n int, now time.Time) ([]archive.QueueEntry, error)
	// PendingCount counts the run's queued and in-flight entries.
	PendingCount(ctx context.Context, runID int64) (queued, inFlight int, err error)
	// TemplateStats returns trap defence's per-template counters of the run.
	TemplateStats(ctx context.Context, runID int64) ([]archive.TemplateStat, error)
	// TrapTemplateCounts counts the URLs trap defence skipped, per template.
	TrapTemplateCounts(ctx context.Context, runID int64) ([]archive.Count, error)

	// Commit writes caps in one transaction and reports, in order, what it
	// stored for each.
	Commit(ctx context.Context, runID int64, caps []archive.Capture) ([]archive.CommitResult, error)

	// Previous returns the latest complete capture of url (conditional
	// requests, revisits of WARC imports).
	Previous(ctx context.Context, url string) (*archive.Previous, bool, error)
	// PreviousCapture returns where the latest capture of url lies (the
	// original of a 304 written as a WARC revisit).
	PreviousCapture(ctx context.Context, url string) (archive.CaptureRef, bool, error)
}

var _ Store = (*archive.Store)(nil)
