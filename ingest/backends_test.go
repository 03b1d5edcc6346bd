package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/archive/pgarchive"
	"github.com/newsarchive/newsarchive/internal/pgtest"
)

// testArchive is a Store the durability tests can look into.
type testArchive interface {
	Store
	// shape is what must match between two crawls of the same site.
	shape(t *testing.T) archiveShape
	// frontierState returns url's frontier state ("" when unknown).
	frontierState(t *testing.T, url string) string
	// pending counts the queued and in-flight entries of run runID (the
	// whole fleet's on PostgreSQL).
	pending(t *testing.T, runID int64) (queued, inFlight int)
	// close closes the store as a process that ends without finishing
	// its run.
	close(t *testing.T)
}

// backend is an archive backend the pipeline's tests run on.
type backend struct {
	name string
	// newArchive makes an empty archive and returns where it is.
	newArchive func(t *testing.T) string
	// open opens the archive at loc as a new process would.
	open func(t *testing.T, loc string) testArchive
	// failedState is the frontier state of an entry whose commit failed,
	// once the run is finished (failed): in flight until the next start
	// on SQLite; handed back to the fleet (queued) on PostgreSQL.
	failedState string
}

// backends are SQLite files and PostgreSQL databases (skipped without a
// server, failing under NEWSARCHIVE_REQUIRE_PG).
var backends = []backend{
	{
		name:        "sqlite",
		newArchive:  func(t *testing.T) string { return filepath.Join(t.TempDir(), "a.db") },
		open:        func(t *testing.T, loc string) testArchive { return &sqliteArchive{openStore(t, loc)} },
		failedState: "in_flight",
	},
	{
		name:        "postgres",
		newArchive:  func(t *testing.T) string { return pgtest.DB(t) },
		open:        func(t *testing.T, loc string) testArchive { return openFleetArchive(t, loc, "w1") },
		failedState: "queued",
	},
}

// forEachBackend runs test as a subtest on each backend.
func forEachBackend(t *testing.T, test func(t *testing.T, b backend)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { test(t, b) })
	}
}

func openStore(t *testing.T, path string) *archive.Store {
	t.Helper()
	s, err := archive.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// archiveShape is what must match between an archive crawled in one go and
// one crawled through failures and resumes.
type archiveShape struct {
	Pages, Articles, Versions int
	Frontier                  string
	DuplicatePages            int // URLs stored more than once
}

type sqliteArchive struct{ *archive.Store }

func (s *sqliteArchive) shape(t *testing.T) archiveShape {
	t.Helper()
	ctx := context.Background()
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := s.Query(ctx, "SELECT count(*) FROM (SELECT url FROM pages GROUP BY url HAVING count(*) > 1)")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var dup int
	if rows.Next() {
		if err := rows.Scan(&dup); err != nil {
			t.Fatal(err)
		}
	}
	return archiveShape{Pages: st.Pages, Articles: st.Articles, Versions: st.Versions,
		Frontier: fmt.Sprint(st.FrontierByState), DuplicatePages: dup}
}

func (s *sqliteArchive) frontierState(t *testing.T, url string) string {
	t.Helper()
	e, err := s.FrontierEntry(context.Background(), url)
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	return e.State
}

func (s *sqliteArchive) pending(t *testing.T, runID int64) (int, int) {
	t.Helper()
	q, f, err := s.PendingCount(context.Background(), runID)
	if err != nil {
		t.Fatal(err)
	}
	return q, f
}

func (s *sqliteArchive) close(t *testing.T) {
	if err := s.Close(); err != nil {
		t.Error(err)
	}
}

// fleetArchive is a FleetStore on a PostgreSQL database, with a pool of its
// own to look into it.
type fleetArchive struct {
	*FleetStore
	db   *pgarchive.DB
	pool *pgxpool.Pool
}

// openFleetArchive opens the database at url as worker; set, when given,
// changes the store's options.
func openFleetArchive(t *testing.T, url, worker string, set ...func(*FleetOptions)) *fleetArchive {
	t.Helper()
	ctx := context.Background()
	db, err := pgarchive.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	o := FleetOptions{Fleet: db.Fleet(), Archive: db, Worker: worker}
	for _, f := range set {
		f(&o)
	}
	fs, err := NewFleetStore(o)
	if err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	return &fleetArchive{FleetStore: fs, db: db, pool: pool}
}

func (f *fleetArchive) count(t *testing.T, query string) int {
	t.Helper()
	var n int
	if err := f.pool.QueryRow(context.Background(), query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func (f *fleetArchive) shape(t *testing.T) archiveShape {
	t.Helper()
	c, err := f.FleetCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	byState := map[string]int{}
	for k, v := range c {
		byState[string(k)] = v
	}
	return archiveShape{
		Pages:          f.count(t, "SELECT count(*) FROM pages"),
		Articles:       f.count(t, "SELECT count(*) FROM articles"),
		Versions:       f.count(t, "SELECT count(*) FROM versions"),
		Frontier:       fmt.Sprint(byState),
		DuplicatePages: f.count(t, "SELECT count(*) FROM (SELECT url FROM pages GROUP BY url HAVING count(*) > 1) d"),
	}
}

func (f *fleetArchive) frontierState(t *testing.T, url string) string {
	t.Helper()
	s, _, _, err := f.db.Fleet().State(context.Background(), url)
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	return string(s)
}

func (f *fleetArchive) pending(t *testing.T, _ int64) (int, int) {
	t.Helper()
	q, fl, err := f.db.Pending(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return q, fl
}

func (f *fleetArchive) close(*testing.T) {
	f.Close()
	f.pool.Close()
	f.db.Close()
}
