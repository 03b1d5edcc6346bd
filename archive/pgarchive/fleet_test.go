package pgarchive

import (
	"context"
	"net/url"
	"testing"

	"github.com/newsarchive/newsarchive/frontier"
	"github.com/newsarchive/newsarchive/frontier/frontiertest"
	"github.com/newsarchive/newsarchive/internal/pgtest"
)

// openTest opens a new database for t, with a pool large enough for the
// contract's 8 concurrent claimers to hold a connection each.
func openTest(t *testing.T) *DB {
	t.Helper()
	u, err := url.Parse(pgtest.DB(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("pool_max_conns", "12")
	u.RawQuery = q.Encode()
	db, err := Open(context.Background(), u.String())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(db.Close)
	return db
}

// TestFleetContract runs the fleet frontier contract on PostgreSQL.
func TestFleetContract(t *testing.T) {
	frontiertest.Run(t, func(t *testing.T) frontier.Fleet { return openTest(t).Fleet() })
}
