package main

import (
	"context"
	"fmt"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/archive/pgarchive"
)

// openReader opens the archive at db (a SQLite file, opened read-only, or a
// postgres:// URL) for the researchers' commands. Call close when done.
func openReader(ctx context.Context, db string) (r archive.Reader, close func(), err error) {
	if isPostgres(db) {
		pg, err := pgarchive.OpenReader(ctx, db)
		if err != nil {
			return nil, nil, fmt.Errorf("open archive %s: %w", redactURL(db), err)
		}
		return pg, pg.Close, nil
	}
	store, err := archive.OpenReadOnly(ctx, db)
	if err != nil {
		return nil, nil, fmt.Errorf("open archive: %w", err)
	}
	return store, func() { _ = store.Close() }, nil
}
