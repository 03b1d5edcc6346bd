package pgarchive

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/klauspost/compress/zstd"

	"github.com/newsarchive/newsarchive/archive/migrations"
)

// OpenReader connects to the archive at url for reading only (the
// researchers' commands: search, show, export, stats, sql, serve, changes).
// Unlike Open it applies no migration, so a role granted nothing but SELECT
// can use it; when the database lacks a migration it falls back to Open,
// which applies it (and needs a role that may).
func OpenReader(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("pgarchive: open: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgarchive: open: %w", err)
	}
	ms, err := migrations.Postgres()
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("pgarchive: open: %w", err)
	}
	var applied int
	err = pool.QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&applied)
	if err != nil || applied < len(ms) {
		// No archive here yet, or an older one: Open migrates it.
		pool.Close()
		return Open(ctx, url)
	}
	db := &DB{pool: pool}
	// Open's codecs; the encoder is never used to read, but Close closes it.
	if db.enc, err = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest)); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pgarchive: open: %w", err)
	}
	if db.dec, err = zstd.NewReader(nil); err != nil {
		db.enc.Close()
		pool.Close()
		return nil, fmt.Errorf("pgarchive: open: %w", err)
	}
	return db, nil
}
