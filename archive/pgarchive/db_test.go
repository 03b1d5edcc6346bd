package pgarchive

import (
	"context"
	"sync"
	"testing"

	"github.com/newsarchive/newsarchive/internal/pgtest"
)

// TestOpenConcurrently opens one new database from four goroutines at once,
// as workers starting together do: each migration is applied once, and a
// later Open applies nothing.
func TestOpenConcurrently(t *testing.T) {
	ctx := context.Background()
	url := pgtest.DB(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			db, err := Open(ctx, url)
			if err != nil {
				errs <- err
				return
			}
			db.Close()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	db, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows, versions int
	if err := db.pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&rows, &versions); err != nil {
		t.Fatal(err)
	}
	if rows == 0 || rows != versions {
		t.Fatalf("schema_migrations: %d rows for %d versions", rows, versions)
	}
}
