package pgarchive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/netip"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/newsarchive/newsarchive/archive"
)

// ErrQueryTimeout is returned by Query when the statement ran past its
// statement_timeout (the deadline of its context).
var ErrQueryTimeout = errors.New("statement timeout")

// readVerbs are the first words of the statements Query runs: those that
// only read. The READ ONLY transaction refuses writes whatever the verb; the
// list also keeps out what a read-only transaction allows but a person
// reading the archive never needs (COPY … TO, LISTEN, SET, LOCK, DO…).
var readVerbs = map[string]bool{"select": true, "with": true, "values": true, "table": true, "explain": true, "show": true}

// SQLRows is the result of Query: its columns and rows, each value a plain
// Go value (nil, bool, int64, float64, string, []byte, or json.RawMessage
// for json, jsonb and arrays; timestamps as RFC 3339 text). Close it.
type SQLRows struct {
	rows pgx.Rows
	tx   pgx.Tx
	vals []any
	err  error
	// peeked: the first row was read by Query and Next has not returned it.
	peeked bool
}

// Query runs one read-only SQL statement given by a person (the sql
// command) in a READ ONLY transaction of its own, with a statement_timeout
// set from ctx's deadline. A statement that does not start with SELECT,
// WITH, VALUES, TABLE, EXPLAIN or SHOW, or that tries to write, fails with
// archive.ErrWriteRefused; more than one statement fails with
// archive.ErrMultipleStatements; the timeout with ErrQueryTimeout.
func (db *DB) Query(ctx context.Context, query string) (*SQLRows, error) {
	verb := strings.ToLower(firstWord(query))
	if verb == "" {
		return nil, fmt.Errorf("pgarchive: sql: empty statement")
	}
	if !readVerbs[verb] {
		return nil, fmt.Errorf("pgarchive: sql: %s: %w", strings.ToUpper(verb), archive.ErrWriteRefused)
	}
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("pgarchive: sql: %w", err)
	}
	// SET LOCAL: the settings end with the transaction, so the pooled
	// connection goes back as it came. A query first: from then on the
	// transaction cannot be switched to READ WRITE.
	timeout := int64(0)
	if d, ok := ctx.Deadline(); ok {
		timeout = max(time.Until(d).Milliseconds(), 1)
	}
	if _, err := tx.Exec(ctx, `SELECT set_config('statement_timeout', $1, true)`, fmt.Sprint(timeout)); err != nil {
		_ = tx.Rollback(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("pgarchive: sql: %w", err)
	}
	rows, err := tx.Query(ctx, query)
	if err != nil {
		_ = tx.Rollback(context.WithoutCancel(ctx))
		return nil, queryError(err)
	}
	// pgx reports a refused or failed statement at the first Next, and
	// knows the columns only then: read the first row now, so that an
	// error comes before anything is printed.
	r := &SQLRows{rows: rows, tx: tx}
	r.peeked = r.next()
	if !r.peeked {
		if err := r.Err(); err != nil {
			r.Close()
			return nil, err
		}
	}
	return r, nil
}

// queryError maps PostgreSQL's refusals to the archive's errors.
func queryError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "25006": // read_only_sql_transaction
			return fmt.Errorf("pgarchive: sql: %s: %w", pe.Message, archive.ErrWriteRefused)
		case "42601":
			if strings.Contains(pe.Message, "multiple commands") {
				return fmt.Errorf("pgarchive: sql: %w", archive.ErrMultipleStatements)
			}
		case "57014": // query_canceled: statement_timeout
			return fmt.Errorf("pgarchive: sql: %w", ErrQueryTimeout)
		}
	}
	return fmt.Errorf("pgarchive: sql: %w", err)
}

// firstWord returns the statement's first word, after spaces, comments and
// opening parentheses.
func firstWord(q string) string {
	for {
		q = strings.TrimLeft(q, " \t\r\n(")
		switch {
		case strings.HasPrefix(q, "--"):
			i := strings.IndexByte(q, '\n')
			if i < 0 {
				return ""
			}
			q = q[i+1:]
		case strings.HasPrefix(q, "/*"):
			i := strings.Index(q, "*/")
			if i < 0 {
				return ""
			}
			q = q[i+2:]
		default:
			end := strings.IndexFunc(q, func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_')
			})
			if end < 0 {
				return q
			}
			return q[:end]
		}
	}
}

// Columns returns the column names.
func (r *SQLRows) Columns() ([]string, error) {
	fds := r.rows.FieldDescriptions()
	cols := make([]string, len(fds))
	for i, fd := range fds {
		cols[i] = fd.Name
	}
	return cols, nil
}

// Next advances to the next row; false at the end or on an error (Err).
func (r *SQLRows) Next() bool {
	if r.peeked {
		r.peeked = false
		return true
	}
	return r.next()
}

func (r *SQLRows) next() bool {
	if r.err != nil || !r.rows.Next() {
		return false
	}
	vals, err := r.rows.Values()
	if err != nil {
		r.err = err
		return false
	}
	for i, v := range vals {
		if vals[i], err = plain(v); err != nil {
			r.err = err
			return false
		}
	}
	r.vals = vals
	return true
}

// Scan copies the current row's values into dest, which must be *any.
func (r *SQLRows) Scan(dest ...any) error {
	if len(dest) != len(r.vals) {
		return fmt.Errorf("pgarchive: sql: scan %d values into %d", len(r.vals), len(dest))
	}
	for i, d := range dest {
		p, ok := d.(*any)
		if !ok {
			return fmt.Errorf("pgarchive: sql: scan into %T, want *any", d)
		}
		*p = r.vals[i]
	}
	return nil
}

// Err returns the error that ended the rows, if any.
func (r *SQLRows) Err() error {
	if r.err != nil {
		return queryError(r.err)
	}
	if err := r.rows.Err(); err != nil {
		return queryError(err)
	}
	return nil
}

// Close releases the rows and ends their transaction.
func (r *SQLRows) Close() error {
	r.rows.Close()
	return r.tx.Rollback(context.Background())
}

// plain turns a value pgx decoded into one of SQLRows' plain types.
func plain(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool, string, []byte, float64:
		return v, nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case int64:
		return x, nil
	case float32:
		return float64(x), nil
	case time.Time:
		return x.Format(time.RFC3339Nano), nil
	case netip.Prefix:
		return x.String(), nil
	case [16]byte: // uuid
		return fmt.Sprintf("%x-%x-%x-%x-%x", x[0:4], x[4:6], x[6:8], x[8:10], x[10:16]), nil
	case pgtype.Numeric:
		if !x.Valid {
			return nil, nil
		}
		if x.NaN || x.InfinityModifier != pgtype.Finite {
			f, err := x.Float64Value()
			if err != nil {
				return nil, err
			}
			return f.Float64, nil
		}
		if x.Exp >= 0 {
			n := new(big.Int).Mul(x.Int, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(x.Exp)), nil))
			if n.IsInt64() {
				return n.Int64(), nil
			}
		}
		b, err := x.MarshalJSON()
		return json.Number(b), err
	case fmt.Stringer:
		return x.String(), nil
	}
	b, err := json.Marshal(v) // json, jsonb, arrays, composite values
	if err != nil {
		return fmt.Sprint(v), nil
	}
	return json.RawMessage(b), nil
}
