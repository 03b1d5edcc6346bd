package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrWriteRefused is returned by Query for a statement that would modify a
// database, attach one, or change a setting.
var ErrWriteRefused = errors.New("read-only SQL: statement refused")

// ErrMultipleStatements is returned by Query for SQL text holding more than
// one statement (SQLite would run them all, one after the other).
var ErrMultipleStatements = errors.New("more than one SQL statement")

// Bounds of Query, so that one statement typed by a person can neither take
// the machine's memory nor run forever unnoticed (the caller's context bounds
// the time).
const (
	// MaxSQLValueBytes is SQLITE_LIMIT_LENGTH for Query: the largest string
	// or BLOB a statement may make or read. Four times the crawler's default
	// body cap (16 MiB), so every archived page still reads whole, while
	// randomblob(1e9) fails at once ("string or blob too big") instead of
	// allocating a gigabyte.
	MaxSQLValueBytes = 64 << 20
	// SQLHeapLimit is SQLite's hard heap limit for Query (PRAGMA
	// hard_heap_limit): past it an allocation fails with "out of memory"
	// instead of growing the process. The soft limit, half of it, makes
	// SQLite give back page cache first. Both are process-wide in SQLite,
	// which is why only the one-shot sql command uses Query.
	SQLHeapLimit = 512 << 20
)

// SQLRows is the result of Query; Close it.
type SQLRows struct {
	*sql.Rows
	conn *sql.Conn
	db   *sql.DB
}

// Close releases the rows and their connection.
func (r *SQLRows) Close() error {
	return errors.Join(r.Rows.Close(), r.conn.Close(), r.db.Close())
}

// readPragmas are the PRAGMAs Query allows, and only without an argument
// that sets a value: they report on the schema and the file.
var readPragmas = map[string]bool{
	"table_info": true, "table_xinfo": true, "table_list": true, "index_list": true, "index_info": true,
	"index_xinfo": true, "foreign_key_list": true, "collation_list": true, "function_list": true,
	"module_list": true, "pragma_list": true, "compile_options": true, "database_list": true,
	"page_count": true, "page_size": true, "freelist_count": true, "schema_version": true,
	"user_version": true, "application_id": true, "encoding": true, "journal_mode": true,
	"integrity_check": true, "quick_check": true, "foreign_key_check": true, "data_version": true,
}

// readOnlyAuthorizer admits reading statements only. It is the last of three
// locks (with mode=ro and query_only): those two already refuse writes to the
// file, but not ATTACH (reading any other file on the machine), temp objects
// or PRAGMAs that change the connection.
func readOnlyAuthorizer(action sqlite.AuthorizerActionCode, arg1, arg2, _, _ string) sqlite.AuthorizerReturnCode {
	switch action {
	case sqlite.AuthSelect, sqlite.AuthRead, sqlite.AuthFunction, sqlite.AuthRecursive:
		return sqlite.AuthorizerOK
	case sqlite.AuthPragma:
		if readPragmas[strings.ToLower(arg1)] && (arg2 == "" || isPragmaTableArg(arg1)) {
			return sqlite.AuthorizerOK
		}
	}
	return sqlite.AuthorizerDeny
}

// isPragmaTableArg reports whether the PRAGMA's argument names a table or
// index (which reads) rather than a value to set.
func isPragmaTableArg(name string) bool {
	switch strings.ToLower(name) {
	case "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list",
		"integrity_check", "quick_check", "foreign_key_check", "table_list":
		return true
	}
	return false
}

// Query runs one read-only SQL statement given by a person (the sql command)
// on its own connection, opened read-only (mode=ro, query_only) and guarded by
// an authorizer that refuses anything but reading: INSERT, UPDATE, DELETE,
// CREATE, DROP, ATTACH and setting PRAGMAs fail with ErrWriteRefused before
// they run. It works while a crawl writes to the file.
//
// query must be exactly one statement (ErrMultipleStatements otherwise; a
// trailing semicolon and comments are fine). Values are bounded by
// MaxSQLValueBytes and SQLite's heap by SQLHeapLimit; the statement stops,
// through SQLite's interrupt, when ctx is done.
func (s *Store) Query(ctx context.Context, query string, args ...any) (*SQLRows, error) {
	if err := oneStatement(query); err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	// busy_timeout: see Open. One connection: the authorizer is installed on
	// it, and nothing else uses it. The heap limits are set before the
	// authorizer, which refuses PRAGMAs that set values.
	db, err := sql.Open("sqlite", fileURI(s.path)+"?mode=ro&_pragma=busy_timeout(5000)&_pragma=query_only(1)"+
		fmt.Sprintf("&_pragma=hard_heap_limit(%d)&_pragma=soft_heap_limit(%d)", SQLHeapLimit, SQLHeapLimit/2))
	if err != nil {
		return nil, wrap("sql", err)
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, wrap("sql", err)
	}
	if _, err := sqlite.Limit(conn, sqlite3.SQLITE_LIMIT_LENGTH, MaxSQLValueBytes); err != nil {
		conn.Close()
		db.Close()
		return nil, wrap("sql: limit value length", err)
	}
	err = conn.Raw(func(dc any) error {
		reg, ok := dc.(sqlite.AuthorizerRegisterer)
		if !ok {
			return errors.New("driver has no authorizer")
		}
		return reg.RegisterAuthorizer(readOnlyAuthorizer)
	})
	if err != nil {
		conn.Close()
		db.Close()
		return nil, wrap("sql", err)
	}
	rows, err := conn.QueryContext(ctx, query, args...)
	if err != nil {
		conn.Close()
		db.Close()
		var se *sqlite.Error
		if errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_AUTH || se.Code()&0xff == sqlite3.SQLITE_READONLY) ||
			strings.Contains(err.Error(), "not authorized") {
			return nil, fmt.Errorf("archive: %w: %w", ErrWriteRefused, err)
		}
		return nil, wrap("sql", err)
	}
	return &SQLRows{Rows: rows, conn: conn, db: db}, nil
}

// QueryLimit reports whether err (from Query or its rows) is a statement
// stopped by one of Query's bounds, and says which in words for people.
func QueryLimit(err error) (string, bool) {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return "", false
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_TOOBIG:
		return fmt.Sprintf("a value would exceed the %d MiB limit (string or blob too big)", MaxSQLValueBytes>>20), true
	case sqlite3.SQLITE_NOMEM:
		return fmt.Sprintf("the query needs more than SQLite's %d MiB memory limit", SQLHeapLimit>>20), true
	}
	return "", false
}

// oneStatement returns ErrMultipleStatements when query holds SQL after its
// first statement: anything but blanks, comments and semicolons after a
// semicolon outside quotes, identifiers and comments. SQLite's tokenizer
// has the same quoting rules ('…', "…", `…`, […], -- and /* */ comments).
func oneStatement(query string) error {
	ended := false // a top-level semicolon was seen
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == ';':
			ended = true
			continue
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			continue
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				return nil
			}
			i += j
			continue
		case c == '/' && i+1 < len(query) && query[i+1] == '*':
			j := strings.Index(query[i+2:], "*/")
			if j < 0 {
				return nil // SQLite reads an open comment to the end
			}
			i += j + 3
			continue
		}
		if ended {
			return fmt.Errorf("%w (found %q after the first; run them one at a time)", ErrMultipleStatements, excerpt(query[i:]))
		}
		var closer byte
		switch c {
		case '\'', '"', '`':
			closer = c
		case '[':
			closer = ']'
		default:
			continue
		}
		// Doubled quotes inside a quoted token are two quoted tokens back to
		// back for this scan, which comes to the same.
		j := strings.IndexByte(query[i+1:], closer)
		if j < 0 {
			return nil // unterminated: SQLite reports the syntax error
		}
		i += j + 1
	}
	return nil
}

// excerpt shortens s for an error message.
func excerpt(s string) string {
	if len(s) > 40 {
		return strings.ToValidUTF8(s[:40], "") + "…"
	}
	return s
}
