// Package archive stores crawled pages and extracted articles in one SQLite file.
//
// It is the only package that talks SQL. Raw responses are archived first (body
// compressed with zstd), then the records extracted from them; articles are keyed
// by canonical URL and gain a new version only when their content changes. The
// crawl frontier lives in the same file, so a crawl resumes after any crash.
//
// A Store opened with Open owns one writer connection (all writes are serialised
// through it, one transaction per batch) and a separate pool of read-only
// connections; thanks to WAL mode, readers in this or another process never block
// the writer and never see a half-written batch.
package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/newsarchive/newsarchive/internal/sqlitefts"
	"modernc.org/sqlite"

	"github.com/newsarchive/newsarchive/archive/migrations"
	sqlite3 "modernc.org/sqlite/lib"
)

// Sentinel errors. Errors returned by Store methods wrap them; test with errors.Is.
var (
	// ErrNotFound is returned when a requested page, article or version does not exist.
	ErrNotFound = errors.New("not found")
	// ErrLocked is returned when another connection held the database's write lock
	// for longer than the busy timeout (SQLITE_BUSY / SQLITE_LOCKED).
	ErrLocked = errors.New("database is locked by another writer")
	// ErrDiskFull is returned when a write failed because the disk (or the
	// database's size limit) is full (SQLITE_FULL).
	ErrDiskFull = errors.New("disk full")
	// ErrReadOnly is returned by write methods of a Store opened with OpenReadOnly.
	ErrReadOnly = errors.New("archive opened read-only")
	// ErrNotArchive is returned by OpenReadOnly when the file is missing or holds
	// no newsarchive schema.
	ErrNotArchive = errors.New("not a newsarchive database")
	// ErrSchemaTooNew is returned when the database was migrated by a newer
	// version of newsarchive than this one.
	ErrSchemaTooNew = errors.New("database schema is newer than this program")
	// ErrInvalid is returned for invalid arguments (an unknown run status, a
	// capture with an article but no page).
	ErrInvalid = errors.New("invalid argument")
)

// Option configures Open.
type Option func(*options)

type options struct {
	busyTimeout time.Duration
	syncFull    bool
	readConns   int
}

// WithBusyTimeout sets how long a statement waits for another connection's
// lock before failing with ErrLocked. The default is 5 s.
func WithBusyTimeout(d time.Duration) Option {
	return func(o *options) { o.busyTimeout = d }
}

// WithSynchronousFull makes every commit durable against power loss (PRAGMA
// synchronous=FULL: the WAL is fsynced at each commit), at the cost of one fsync
// per batch. The default, NORMAL, loses at most the commits since the last
// checkpoint on power loss or OS crash and never corrupts the database; a killed
// process loses nothing that was committed.
func WithSynchronousFull() Option {
	return func(o *options) { o.syncFull = true }
}

// WithReadConns sets the size of the read connection pool (default: 2×GOMAXPROCS,
// at least 4).
func WithReadConns(n int) Option {
	return func(o *options) { o.readConns = n }
}

// Store is an open archive. Its methods are safe for concurrent use.
type Store struct {
	path     string
	readOnly bool
	w        *sql.DB // the single writer connection; nil when read-only
	r        *sql.DB // pool of query_only connections
	st       *stmts  // statements prepared on w
	enc      *zstd.Encoder
	dec      *zstd.Decoder
	known    *knownURLs // frontier URLs of the current run (writer only)
	schema   int        // migration version of the file (below the latest only when read-only)
	ftsRank  bool       // the read connections carry bm25_df (package sqlitefts)

	testRankWindow int // tests: overrides Search's rank and title windows

	dates dateCache // date ranges searched lately (see dateRange)
}

// Open opens the archive at path for reading and writing, creating the file and
// applying pending migrations as needed.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	o := options{busyTimeout: 5 * time.Second}
	for _, opt := range opts {
		opt(&o)
	}
	s := &Store{path: path, known: newKnownURLs()}
	sync := "NORMAL"
	if o.syncFull {
		sync = "FULL"
	}
	busy := strconv.FormatInt(o.busyTimeout.Milliseconds(), 10)
	// Writer DSN. Every PRAGMA and why:
	//   busy_timeout: wait for another process's write lock (or a checkpoint)
	//     instead of failing at once; after it, ErrLocked.
	//   journal_mode(WAL): readers never block the writer nor the writer the
	//     readers, and a crash at any moment leaves every committed transaction
	//     intact and no partial one. Persistent in the file, so readers inherit it.
	//   synchronous(NORMAL): in WAL mode a commit is not fsynced; the WAL is at
	//     checkpoints. The file can never be corrupted; a killed process loses
	//     nothing committed; power loss loses at most the commits since the last
	//     checkpoint (a crawl resumes and refetches them). FULL via option.
	//   foreign_keys(1): SQLite leaves them off for compatibility; on, a bug that
	//     points a version at a missing page fails loudly instead of archiving junk.
	//   cache_size(-16384): 16 MiB page cache so the frontier and alias indexes
	//     stay hot across batches (the default is 2 MiB).
	//   journal_size_limit: truncate the WAL back to 64 MiB after a checkpoint so
	//     a long crawl does not leave a WAL as large as its biggest burst.
	//   wal_autocheckpoint(8192): checkpoint when the WAL reaches 8192 pages
	//     (32 MiB) instead of 1000 (4 MiB). The checkpoint runs inside the commit
	//     that crosses the limit and fsyncs the WAL and the database; a crawl
	//     writes a few MiB per batch, so the default checkpointed (and fsynced
	//     twice) every other batch, and copied the hot frontier and index pages
	//     again each time. Durability is unchanged (see synchronous).
	//   temp_store(MEMORY): sorts for claim and stats never touch temp files.
	// _txlock=immediate: take the write lock at BEGIN, so a busy database waits
	// (busy_timeout) there rather than failing at the first write with a
	// deadlock-avoidance SQLITE_BUSY that busy_timeout cannot retry.
	wdsn := fileURI(path) + "?_txlock=immediate" +
		"&_pragma=busy_timeout(" + busy + ")" +
		"&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(" + sync + ")" +
		"&_pragma=foreign_keys(1)" +
		"&_pragma=cache_size(-16384)" +
		"&_pragma=journal_size_limit(67108864)" +
		"&_pragma=wal_autocheckpoint(8192)" +
		"&_pragma=temp_store(MEMORY)"
	w := sql.OpenDB(sqlitefts.NewConnector(wdsn))
	// One writer connection: SQLite allows one writer at a time anyway, and
	// serialising in Go avoids busy waits between our own goroutines.
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s.w = w
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, wrap("open "+path, err)
	}
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, err
	}
	s.schema = latestMigration()
	// Reader DSN: query_only refuses writes through the read pool (defence in
	// depth: the read API can never modify the archive); busy_timeout covers the
	// brief WAL-index locks a reader may meet during a checkpoint.
	rdsn := fileURI(path) + "?_pragma=busy_timeout(" + busy + ")" +
		"&_pragma=query_only(1)" +
		"&_pragma=temp_store(MEMORY)"
	if err := s.openReaders(ctx, rdsn, o.readConns); err != nil {
		w.Close()
		return nil, err
	}
	var err error
	if s.st, err = prepareStmts(ctx, w); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.initCodecs(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// OpenReadOnly opens an existing archive for reading only. It works while
// another process (or Store) writes to the same file, and never blocks it.
func OpenReadOnly(ctx context.Context, path string, opts ...Option) (*Store, error) {
	o := options{busyTimeout: 5 * time.Second}
	for _, opt := range opts {
		opt(&o)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("archive: open %s: %w: %w", path, ErrNotArchive, err)
	}
	s := &Store{path: path, readOnly: true}
	busy := strconv.FormatInt(o.busyTimeout.Milliseconds(), 10)
	// mode=ro: SQLite opens the file read-only (it still joins the WAL through
	// the -shm index when a writer has it open). query_only refuses writes even
	// where mode=ro would not (e.g. temp tables). busy_timeout: see Open.
	// cache_size(-32768): 32 MiB page cache per connection, so the doclists of
	// common words stay hot between searches (the default is 2 MiB).
	rdsn := fileURI(path) + "?mode=ro" +
		"&_pragma=busy_timeout(" + busy + ")" +
		"&_pragma=query_only(1)" +
		"&_pragma=cache_size(-32768)" +
		"&_pragma=temp_store(MEMORY)"
	if err := s.openReaders(ctx, rdsn, o.readConns); err != nil {
		return nil, err
	}
	var version int
	err := s.r.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&version)
	if err != nil {
		s.Close()
		if strings.Contains(err.Error(), "no such table") {
			return nil, fmt.Errorf("archive: open %s: %w", path, ErrNotArchive)
		}
		return nil, wrap("open "+path, err)
	}
	if version == 0 {
		// A file whose first migration never committed (e.g. a crawl killed while
		// creating it) holds no archive yet.
		s.Close()
		return nil, fmt.Errorf("archive: open %s: %w (no schema yet)", path, ErrNotArchive)
	}
	if known := latestMigration(); version > known {
		s.Close()
		return nil, fmt.Errorf("archive: open %s: %w (schema %d, known %d)", path, ErrSchemaTooNew, version, known)
	}
	// An older schema is read as it is (a read-only open cannot migrate):
	// the read paths that differ ask s.schema.
	s.schema = version
	if err := s.initCodecs(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) openReaders(ctx context.Context, dsn string, n int) error {
	if n <= 0 {
		n = max(4, 2*runtime.GOMAXPROCS(0))
	}
	// The connections carry the ranking function of package sqlitefts.
	r := sql.OpenDB(sqlitefts.NewConnector(dsn))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	if err := r.PingContext(ctx); err != nil {
		r.Close()
		return wrap("open "+s.path, err)
	}
	s.r = r
	s.ftsRank = checkFTSRank(ctx, r)
	return nil
}

func (s *Store) initCodecs() error {
	var err error
	// SpeedFastest: HTML compresses ~4–6× even at the fastest level, and the
	// crawl's CPU budget per page is a few milliseconds.
	// A 1 MiB window: each pooled encoder keeps a history buffer of about
	// twice the window after its largest input, and the default (8 MiB)
	// made every encoder hold 16 MiB once a huge page went through it.
	// HTML pages gain nothing from matches further back than 1 MiB.
	s.enc, err = zstd.NewWriter(nil,
		zstd.WithEncoderLevel(zstd.SpeedFastest),
		zstd.WithWindowSize(1<<20),
		zstd.WithEncoderConcurrency(runtime.GOMAXPROCS(0)))
	if err != nil {
		return wrap("zstd encoder", err)
	}
	s.dec, err = zstd.NewReader(nil,
		zstd.WithDecoderConcurrency(0),
		zstd.WithDecoderMaxMemory(1<<30))
	if err != nil {
		return wrap("zstd decoder", err)
	}
	return nil
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// ReadOnly reports whether the store was opened with OpenReadOnly.
func (s *Store) ReadOnly() bool { return s.readOnly }

// Close closes the store. The last connection to close checkpoints the WAL
// into the database file.
func (s *Store) Close() error {
	var errs []error
	if s.st != nil {
		errs = append(errs, s.st.close())
	}
	if s.w != nil {
		// optimize: lets SQLite refresh the planner statistics it finds stale,
		// cheap and recommended before closing a long-lived writer.
		_, _ = s.w.Exec(`PRAGMA optimize`)
		errs = append(errs, s.w.Close())
	}
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.enc != nil {
		errs = append(errs, s.enc.Close())
	}
	if s.dec != nil {
		s.dec.Close()
	}
	if err := errors.Join(errs...); err != nil {
		return wrap("close", err)
	}
	return nil
}

// IntegrityCheck runs PRAGMA integrity_check and returns its report: "ok" for
// a sound database, otherwise the problems found, one per line.
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	rows, err := s.r.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return "", wrap("integrity check", err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return "", wrap("integrity check", err)
		}
		lines = append(lines, l)
	}
	if err := rows.Err(); err != nil {
		return "", wrap("integrity check", err)
	}
	return strings.Join(lines, "\n"), nil
}

// fileURI turns a file path into an SQLite URI, escaping the characters that
// have a meaning in URIs.
func fileURI(p string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(p)
}

// wrap adds the operation to err and, for the SQLite errors callers must act
// on, the matching sentinel.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return fmt.Errorf("archive: %s: %w: %w", op, ErrLocked, err)
		case sqlite3.SQLITE_FULL:
			return fmt.Errorf("archive: %s: %w: %w", op, ErrDiskFull, err)
		case sqlite3.SQLITE_READONLY:
			return fmt.Errorf("archive: %s: %w: %w", op, ErrReadOnly, err)
		}
	}
	return fmt.Errorf("archive: %s: %w", op, err)
}

// latestMigration is the version of the newest SQLite migration.
func latestMigration() int {
	ms, err := migrations.SQLite()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].Version
}

// migrate applies, in order, each migration not yet recorded in
// schema_migrations, each in its own transaction with its record, so a crash
// leaves the schema at a migration boundary.
func migrate(ctx context.Context, db *sql.DB) error {
	ms, err := migrations.SQLite()
	if err != nil {
		return fmt.Errorf("archive: migrate: %w", err)
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return wrap("migrate", err)
	}
	var current int
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return wrap("migrate", err)
	}
	if known := ms[len(ms)-1].Version; current > known {
		return fmt.Errorf("archive: migrate: %w (schema %d, known %d)", ErrSchemaTooNew, current, known)
	}
	for _, m := range ms {
		if err := applyMigration(ctx, db, m); err != nil {
			return err
		}
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, m migrations.Migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return wrap("migrate "+m.Name, err)
	}
	defer tx.Rollback()
	// Checked inside the write transaction: two processes opening a new file
	// at once apply each migration once.
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
		return wrap("migrate "+m.Name, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return wrap("migrate "+m.Name, err)
	}
	if m.Version == 3 {
		if err := migrateRecordsOnce(ctx, tx); err != nil {
			return wrap("migrate "+m.Name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.Version, m.Name, fmtTime(time.Now())); err != nil {
		return wrap("migrate "+m.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return wrap("migrate "+m.Name, err)
	}
	return nil
}

// timeLayout is the fixed-width UTC form of every timestamp the archive writes:
// it sorts as text and SQLite's date functions read it.
const timeLayout = "2006-01-02T15:04:05.000Z"

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) time.Time {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		t, _ = time.Parse(time.RFC3339Nano, s)
	}
	return t
}

func nullTime(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	return parseTime(s.String)
}
