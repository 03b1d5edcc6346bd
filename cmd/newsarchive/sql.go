package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/archive/pgarchive"
)

const sqlExamples = `  newsarchive sql "SELECT name, count(*) FROM authors JOIN version_authors ON author_id = id GROUP BY 1"
  newsarchive sql --json "SELECT id, title FROM versions WHERE published_at LIKE '2021-02%'" | jq .title
  newsarchive sql "SELECT v.title FROM articles_fts JOIN versions v ON v.id = articles_fts.rowid WHERE articles_fts MATCH 'clubhouse'"
  newsarchive sql "PRAGMA table_info(versions)"

One statement per call (a second one is refused, exit status 2). A query
stops after --timeout (exit status 1) or at Ctrl-C (exit status 130); a value
(string or BLOB) may not exceed 64 MiB and SQLite's memory is capped at
512 MiB, so a runaway query fails with a clear error instead of taking the
machine.

The schema is documented in archive/migrations/sqlite/0001_init.sql; the same file opens
as-is in the sqlite3 shell and in Datasette. Only reading is allowed: the
database is opened read-only and any statement that would write, ATTACH another
file or set a PRAGMA is refused (exit status 2). Text output is tab-separated
with a header line; --json prints one object per row (BLOBs as base64).

On PostgreSQL (--db postgres://…) the statement runs in a READ ONLY transaction
with a statement_timeout of --timeout; it must start with SELECT, WITH, VALUES,
TABLE, EXPLAIN or SHOW. The dialect and schema are PostgreSQL's
(archive/migrations/postgres; docs/fleet.md, "Querying with SQL"):
  newsarchive sql --db postgres://reader@db/archive "SELECT record->>'title' FROM versions LIMIT 5"
`

func runSQL(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "sql", "sql [--db PATH] [--json] \"SELECT …\"", sqlExamples)
	db := fs.String("db", "", dbFlagHelp)
	asJSON := fs.Bool("json", false, "print one JSON object per row")
	timeout := fs.Duration("timeout", 30*time.Second, "stop the query after this long (0: no limit)")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || strings.TrimSpace(fs.Arg(0)) == "" {
		return usagef("sql takes one SQL statement (quote it)")
	}
	if *timeout < 0 {
		return usagef("--timeout must not be negative")
	}
	path := dbPath(e, *db)
	var open func(ctx context.Context, query string) (sqlRows, error)
	if isPostgres(path) {
		pg, err := pgarchive.OpenReader(ctx, path)
		if err != nil {
			return fmt.Errorf("open archive %s: %w", redactURL(path), err)
		}
		defer pg.Close()
		open = func(ctx context.Context, q string) (sqlRows, error) { return pg.Query(ctx, q) }
	} else {
		store, err := archive.OpenReadOnly(ctx, path)
		if err != nil {
			return fmt.Errorf("open archive: %w", err)
		}
		defer store.Close()
		open = func(ctx context.Context, q string) (sqlRows, error) { return store.Query(ctx, q) }
	}
	qctx := ctx
	if *timeout > 0 {
		var cancel context.CancelFunc
		qctx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
	}
	start := time.Now()
	err := printQuery(qctx, e, open, fs.Arg(0), *asJSON)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, archive.ErrWriteRefused) && isPostgres(path):
		return usagef("statement refused: the archive is read-only here (SELECT, WITH, VALUES, TABLE, EXPLAIN and SHOW only)")
	case errors.Is(err, archive.ErrWriteRefused):
		return usagef("statement refused: the archive is read-only here (SELECT, WITH and reading PRAGMAs only)")
	case errors.Is(err, archive.ErrMultipleStatements):
		return usagef("%v", errors.Unwrap(err))
	case ctx.Err() != nil:
		return fmt.Errorf("query stopped by Ctrl-C after %s: %w", time.Since(start).Round(time.Millisecond), errInterrupted)
	case qctx.Err() != nil || errors.Is(err, pgarchive.ErrQueryTimeout):
		return fmt.Errorf("query stopped after the --timeout of %s (raise it with --timeout, 0 for none)", *timeout)
	}
	if msg, ok := archive.QueryLimit(err); ok {
		return fmt.Errorf("query stopped: %s", msg)
	}
	return fmt.Errorf("sql: %w", err)
}

// sqlRows is the result of a backend's Query (archive.SQLRows,
// pgarchive.SQLRows): Scan takes *any.
type sqlRows interface {
	Columns() ([]string, error)
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

// printQuery runs query and prints its rows to e.stdout.
func printQuery(ctx context.Context, e *env, open func(context.Context, string) (sqlRows, error), query string, asJSON bool) error {
	rows, err := open(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	w := bufio.NewWriter(e.stdout)
	defer w.Flush()
	if !asJSON {
		fmt.Fprintln(w, strings.Join(cols, "\t"))
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if asJSON {
			// An ordered object: the columns as selected.
			var b strings.Builder
			b.WriteByte('{')
			for i, c := range cols {
				if i > 0 {
					b.WriteByte(',')
				}
				k, _ := json.Marshal(c)
				v, err := json.Marshal(jsonValue(vals[i]))
				if err != nil {
					return fmt.Errorf("column %s: %w", c, err)
				}
				b.Write(k)
				b.WriteByte(':')
				b.Write(v)
			}
			b.WriteString("}\n")
			if _, err := w.WriteString(b.String()); err != nil {
				return err
			}
			continue
		}
		for i, v := range vals {
			if i > 0 {
				w.WriteByte('\t')
			}
			w.WriteString(textValue(v))
		}
		w.WriteByte('\n')
	}
	return rows.Err()
}

// jsonValue keeps text BLOBs readable; other BLOBs become base64.
func jsonValue(v any) any {
	if b, ok := v.([]byte); ok && utf8.Valid(b) {
		return string(b)
	}
	return v
}

// textValue prints one cell on one line: NULL as empty, newlines and tabs escaped.
func textValue(v any) string {
	var s string
	switch x := v.(type) {
	case nil:
		return ""
	case json.RawMessage:
		s = string(x)
	case []byte:
		if !utf8.Valid(x) {
			return "<blob " + strconv.Itoa(len(x)) + " bytes>"
		}
		s = string(x)
	case string:
		s = x
	case float64:
		s = strconv.FormatFloat(x, 'g', -1, 64)
	default:
		s = fmt.Sprint(x)
	}
	return strings.NewReplacer("\\", `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`).Replace(s)
}
