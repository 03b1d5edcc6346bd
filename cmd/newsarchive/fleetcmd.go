package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/newsarchive/newsarchive/archive/pgarchive"
	"github.com/newsarchive/newsarchive/frontier"
	"github.com/newsarchive/newsarchive/ingest"
)

// defaultLeaseTTL is crawl --lease-ttl by default: how long a worker that
// died keeps its hosts from the rest of the fleet.
const defaultLeaseTTL = 30 * time.Second

// defaultWorker names a worker when --worker is not given: host-pid.
func defaultWorker() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "worker"
	}
	return host + "-" + strconv.Itoa(os.Getpid())
}

// fleetSettings are how a crawl or import joins a PostgreSQL archive.
type fleetSettings struct {
	worker    string
	leaseTTL  time.Duration
	perLease  int
	maxLeases int
	delay     time.Duration
	imports   bool
}

// openFleetStore connects to the PostgreSQL archive at url (migrating it)
// and returns the pipeline's store over its fleet frontier, named worker.
// closeStore stops renewing leases and closes the connections.
func openFleetStore(ctx context.Context, url string, fs fleetSettings, logger *slog.Logger) (store *ingest.FleetStore, closeStore func(), err error) {
	db, err := pgarchive.Open(ctx, url)
	if err != nil {
		return nil, nil, fmt.Errorf("open archive %s: %w", redactURL(url), err)
	}
	store, err = ingest.NewFleetStore(ingest.FleetOptions{
		Fleet: db.Fleet(), Archive: db, Worker: fs.worker, Import: fs.imports,
		LeaseTTL: fs.leaseTTL, PerLease: fs.perLease, MaxLeases: fs.maxLeases, Delay: fs.delay, Logger: logger,
	})
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return store, func() { store.Close(); db.Close() }, nil
}

// fleetTotals is the fleet frontier's URLs by state (--json summary).
type fleetTotals struct {
	Queued   int `json:"queued"`
	InFlight int `json:"in_flight"`
	Done     int `json:"done"`
	Failed   int `json:"failed"`
	Skipped  int `json:"skipped"`
}

func fleetTotalsOf(c map[frontier.State]int) fleetTotals {
	return fleetTotals{
		Queued: c[frontier.StateQueued], InFlight: c[frontier.StateInFlight], Done: c[frontier.StateDone],
		Failed: c[frontier.StateFailed], Skipped: c[frontier.StateSkipped],
	}
}

func (t fleetTotals) String() string {
	return fmt.Sprintf("fleet: %d done, %d queued, %d in flight, %d failed, %d skipped", t.Done, t.Queued, t.InFlight, t.Failed, t.Skipped)
}
