// Package pgarchive is the archive's PostgreSQL backend: the fleet frontier
// (frontier.Fleet) that several crawler processes share, behind the same
// contract as the SQLite archive's (frontier/frontiertest).
package pgarchive

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/klauspost/compress/zstd"

	"github.com/newsarchive/newsarchive/archive/migrations"
)

// migrateLock is the advisory lock key that serialises migrations: workers
// starting together on a new database apply each migration once.
const migrateLock = 0x6e61_6d69 // "nami"

// DB is an archive in a PostgreSQL database.
type DB struct {
	pool *pgxpool.Pool
	enc  *zstd.Encoder // page bodies; EncodeAll is safe for concurrent use
	dec  *zstd.Decoder
}

// Open connects to the database at url (postgres://…; pgxpool's parameters
// such as pool_max_conns apply; by default the pool holds up to 8
// connections, or the CPU count if higher) and applies pending migrations.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("pgarchive: open: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		// A crawl worker commits several pages at once besides claiming,
		// renewing and looking up earlier captures: at least 8 connections
		// (pgxpool's default is max(4, CPUs)).
		cfg.MaxConns = max(cfg.MaxConns, 8)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgarchive: open: %w", err)
	}
	db := &DB{pool: pool}
	// The SQLite archive's settings: the fastest level, as page bodies are
	// compressed inside the commit path.
	if db.enc, err = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest)); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pgarchive: open: %w", err)
	}
	if db.dec, err = zstd.NewReader(nil); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pgarchive: open: %w", err)
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the connection pool.
func (db *DB) Close() {
	db.pool.Close()
	db.enc.Close()
	db.dec.Close()
}

// migrate applies, in order, each migration not yet recorded in
// schema_migrations, each in its own transaction with its record.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations.Postgres()
	if err != nil {
		return fmt.Errorf("pgarchive: migrate: %w", err)
	}
	for _, m := range ms {
		err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrateLock); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
				version    integer     PRIMARY KEY,
				name       text        NOT NULL,
				applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
				return err
			}
			var done bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`, m.Version).Scan(&done); err != nil || done {
				return err
			}
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name)
			return err
		})
		if err != nil {
			return fmt.Errorf("pgarchive: migrate %s: %w", m.Name, err)
		}
	}
	return nil
}

// inTx runs fn in a transaction (READ COMMITTED), retrying it a few times on
// a deadlock or serialisation failure, which PostgreSQL resolves by
// aborting one of the transactions involved.
func (db *DB) inTx(ctx context.Context, op string, fn func(tx pgx.Tx) error) error {
	var err error
	for attempt := range 5 {
		err = pgx.BeginFunc(ctx, db.pool, fn)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || (pe.Code != "40P01" && pe.Code != "40001") {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("pgarchive: %s: %w", op, ctx.Err())
		case <-time.After(time.Duration(attempt+1) * 10 * time.Millisecond):
		}
	}
	if err != nil {
		return fmt.Errorf("pgarchive: %s: %w", op, err)
	}
	return nil
}
