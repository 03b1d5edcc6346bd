package archive

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/newsarchive/newsarchive/frontier"
)

// Fleet is the fleet frontier (frontier.Fleet) in the archive's SQLite file,
// tables fleet_* (migration 0005). SQLite has no SKIP LOCKED: every method is
// one write transaction begun IMMEDIATE (the writer DSN's _txlock), so claims
// from goroutines or processes on one file are serialised and exclusive.
type Fleet struct {
	s *Store
}

var _ frontier.Fleet = (*Fleet)(nil)

// Fleet returns the fleet frontier stored in s.
func (s *Store) Fleet() *Fleet { return &Fleet{s: s} }

func fleetMilli(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fleetTx runs fn in one write transaction.
func (f *Fleet) fleetTx(ctx context.Context, op string, fn func(tx *sql.Tx, now int64) error) error {
	if f.s.readOnly {
		return fmt.Errorf("archive: %s: %w", op, ErrReadOnly)
	}
	tx, err := f.s.w.BeginTx(ctx, nil)
	if err != nil {
		return wrap(op, err)
	}
	defer tx.Rollback()
	if err := fn(tx, time.Now().UnixMilli()); err != nil {
		if errors.Is(err, frontier.ErrStaleLease) || errors.Is(err, frontier.ErrNoHost) {
			return fmt.Errorf("archive: %s: %w", op, err)
		}
		return wrap(op, err)
	}
	return wrap(op, tx.Commit())
}

// Enqueue implements frontier.Fleet.
func (f *Fleet) Enqueue(ctx context.Context, entries []frontier.Entry) (int, error) {
	if len(entries) == 0 {
		return 0, nil
	}
	var added int
	err := f.fleetTx(ctx, "fleet enqueue", func(tx *sql.Tx, now int64) error {
		var err error
		added, err = fleetEnqueue(ctx, tx, entries, now)
		return err
	})
	return added, err
}

func fleetEnqueue(ctx context.Context, tx *sql.Tx, entries []frontier.Entry, now int64) (int, error) {
	addHost, err := tx.PrepareContext(ctx, `INSERT INTO fleet_hosts (host) VALUES (?) ON CONFLICT (host) DO NOTHING`)
	if err != nil {
		return 0, err
	}
	defer addHost.Close()
	addURL, err := tx.PrepareContext(ctx, `INSERT INTO fleet_urls
		(url, host, kind, priority, depth, via, request_url, listed, last_mod, attempts, not_before, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO NOTHING`)
	if err != nil {
		return 0, err
	}
	defer addURL.Close()
	added := 0
	for _, e := range entries {
		host, err := e.Host()
		if err != nil {
			return 0, err
		}
		if _, err := addHost.ExecContext(ctx, host); err != nil {
			return 0, err
		}
		kind := e.Kind
		if kind == "" {
			kind = frontier.KindPage
		}
		res, err := addURL.ExecContext(ctx, e.URL, host, string(kind), kind.Priority(), e.Depth, e.Via, e.Request,
			e.Listed, fleetMilli(e.LastMod), e.Attempts, fleetMilli(e.NotBefore), now)
		if err != nil {
			return 0, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		added += int(n)
	}
	return added, nil
}

// ClaimHost implements frontier.Fleet.
func (f *Fleet) ClaimHost(ctx context.Context, worker string, max int, ttl time.Duration) (frontier.Lease, bool, error) {
	var l frontier.Lease
	var ok bool
	err := f.fleetTx(ctx, "fleet claim", func(tx *sql.Tx, now int64) error {
		var (
			token   int64
			expires sql.NullInt64
		)
		err := tx.QueryRowContext(ctx, `SELECT host, lease_token, lease_expires FROM fleet_hosts h
			WHERE next_fetch_at <= ?1 AND (lease_expires IS NULL OR lease_expires <= ?1)
			  AND EXISTS (SELECT 1 FROM fleet_urls u WHERE u.host = h.host
			        AND (u.state = 'queued' AND u.not_before <= ?1
			             OR u.state = 'in_flight' AND h.lease_expires IS NOT NULL))
			ORDER BY next_fetch_at, host LIMIT 1`, now).Scan(&l.Host, &token, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if expires.Valid { // an expired lease: take it over
			if _, err := tx.ExecContext(ctx, `UPDATE fleet_urls SET state = 'queued', reason = ?, lease_token = 0, updated_at = ?
				WHERE host = ? AND state = 'in_flight'`, string(frontier.ReasonLeaseExpired), now, l.Host); err != nil {
				return err
			}
		}
		l.Token, l.Worker = token+1, worker
		l.Expires = time.UnixMilli(now + ttl.Milliseconds())
		if _, err := tx.ExecContext(ctx, `UPDATE fleet_hosts SET lease_token = ?, leased_by = ?, lease_expires = ? WHERE host = ?`,
			l.Token, worker, l.Expires.UnixMilli(), l.Host); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `UPDATE fleet_urls SET state = 'in_flight', lease_token = ?, attempts = attempts + 1, updated_at = ?
			WHERE rowid IN (SELECT rowid FROM fleet_urls WHERE host = ? AND state = 'queued' AND not_before <= ?
			                ORDER BY priority, depth, rowid LIMIT ?)
			RETURNING url, kind, depth, via, request_url, listed, last_mod, attempts, not_before, priority, rowid`,
			l.Token, now, l.Host, now, max)
		if err != nil {
			return err
		}
		defer rows.Close()
		type claimed struct {
			e        frontier.Entry
			priority int
			seq      int64
		}
		var cs []claimed
		for rows.Next() {
			var (
				c                 claimed
				kind              string
				lastMod, notBefor int64
			)
			if err := rows.Scan(&c.e.URL, &kind, &c.e.Depth, &c.e.Via, &c.e.Request, &c.e.Listed, &lastMod,
				&c.e.Attempts, &notBefor, &c.priority, &c.seq); err != nil {
				return err
			}
			c.e.Kind = frontier.Kind(kind)
			c.e.LastMod, c.e.NotBefore = fromUnixMilli(lastMod), fromUnixMilli(notBefor)
			cs = append(cs, c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(cs) == 0 {
			return nil // rolled back: nothing ready after all
		}
		// RETURNING gives no order: claim order is priority, depth, insertion.
		slices.SortFunc(cs, func(a, b claimed) int {
			return cmp.Or(cmp.Compare(a.priority, b.priority), cmp.Compare(a.e.Depth, b.e.Depth), cmp.Compare(a.seq, b.seq))
		})
		for _, c := range cs {
			l.Entries = append(l.Entries, c.e)
		}
		ok = true
		return nil
	})
	if err != nil || !ok {
		return frontier.Lease{}, false, err
	}
	return l, true, nil
}

// checkLease fails with ErrStaleLease unless l is host's current lease.
func checkLease(ctx context.Context, tx *sql.Tx, l frontier.Lease) error {
	var (
		token   int64
		expires sql.NullInt64
	)
	err := tx.QueryRowContext(ctx, `SELECT lease_token, lease_expires FROM fleet_hosts WHERE host = ?`, l.Host).Scan(&token, &expires)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (token != l.Token || !expires.Valid) {
		return fmt.Errorf("host %s token %d: %w", l.Host, l.Token, frontier.ErrStaleLease)
	}
	return err
}

// Renew implements frontier.Fleet.
func (f *Fleet) Renew(ctx context.Context, l frontier.Lease, ttl time.Duration) (time.Time, error) {
	var exp time.Time
	err := f.fleetTx(ctx, "fleet renew", func(tx *sql.Tx, now int64) error {
		if err := checkLease(ctx, tx, l); err != nil {
			return err
		}
		exp = time.UnixMilli(now + ttl.Milliseconds())
		_, err := tx.ExecContext(ctx, `UPDATE fleet_hosts SET lease_expires = ? WHERE host = ?`, exp.UnixMilli(), l.Host)
		return err
	})
	return exp, err
}

// Complete implements frontier.Fleet.
func (f *Fleet) Complete(ctx context.Context, l frontier.Lease, results []frontier.Result) error {
	return f.fleetTx(ctx, "fleet complete", func(tx *sql.Tx, now int64) error {
		if err := checkLease(ctx, tx, l); err != nil {
			return err
		}
		for _, r := range results {
			if !r.State.Terminal() && r.State != frontier.StateQueued {
				return fmt.Errorf("%s: result state %q", r.URL, r.State)
			}
			res, err := tx.ExecContext(ctx, `UPDATE fleet_urls SET state = ?, reason = ?, detail = ?, not_before = ?, lease_token = 0, updated_at = ?
				WHERE url = ? AND host = ? AND state = 'in_flight' AND lease_token = ?`,
				string(r.State), string(r.Reason), r.Detail, fleetMilli(r.NotBefore), now, r.URL, l.Host, l.Token)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n != 1 {
				return fmt.Errorf("%s not in flight under host %s token %d: %w", r.URL, l.Host, l.Token, frontier.ErrStaleLease)
			}
			if len(r.Links) > 0 {
				if _, err := fleetEnqueue(ctx, tx, r.Links, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// Release implements frontier.Fleet.
func (f *Fleet) Release(ctx context.Context, l frontier.Lease, p frontier.Pace) error {
	return f.fleetTx(ctx, "fleet release", func(tx *sql.Tx, now int64) error {
		if err := checkLease(ctx, tx, l); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE fleet_urls SET state = 'queued', reason = ?, lease_token = 0, updated_at = ?
			WHERE host = ? AND state = 'in_flight' AND lease_token = ?`,
			string(frontier.ReasonInterrupted), now, l.Host, l.Token); err != nil {
			return err
		}
		var failures int
		if err := tx.QueryRowContext(ctx, `SELECT errors FROM fleet_hosts WHERE host = ?`, l.Host).Scan(&failures); err != nil {
			return err
		}
		if failures = failures + 1; !p.Failed {
			failures = 0
		}
		_, err := tx.ExecContext(ctx, `UPDATE fleet_hosts SET lease_expires = NULL, leased_by = '', errors = ?, next_fetch_at = ?
			WHERE host = ?`, failures, now+p.Gap(failures).Milliseconds(), l.Host)
		return err
	})
}

// Reap implements frontier.Fleet.
func (f *Fleet) Reap(ctx context.Context) (int, error) {
	var n int64
	err := f.fleetTx(ctx, "fleet reap", func(tx *sql.Tx, now int64) error {
		res, err := tx.ExecContext(ctx, `UPDATE fleet_urls SET state = 'queued', reason = ?, lease_token = 0, updated_at = ?
			WHERE state = 'in_flight' AND host IN (SELECT host FROM fleet_hosts WHERE lease_expires <= ?)`,
			string(frontier.ReasonLeaseExpired), now, now)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE fleet_hosts SET lease_expires = NULL, leased_by = '' WHERE lease_expires <= ?`, now)
		return err
	})
	return int(n), err
}

// Robots implements frontier.Fleet.
func (f *Fleet) Robots(ctx context.Context, host string) (frontier.Robots, bool, error) {
	var (
		r                frontier.Robots
		fetched, expires int64
	)
	err := f.s.r.QueryRowContext(ctx, `SELECT status, body, fetched_at, expires_at FROM fleet_robots WHERE host = ?`, host).
		Scan(&r.Status, &r.Body, &fetched, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return frontier.Robots{}, false, nil
	}
	if err != nil {
		return frontier.Robots{}, false, wrap("fleet robots "+host, err)
	}
	r.FetchedAt, r.Expires = time.UnixMilli(fetched).UTC(), time.UnixMilli(expires).UTC()
	return r, true, nil
}

// PutRobots implements frontier.Fleet.
func (f *Fleet) PutRobots(ctx context.Context, host string, r frontier.Robots) error {
	return f.fleetTx(ctx, "fleet put robots "+host, func(tx *sql.Tx, now int64) error {
		body := r.Body
		if body == nil {
			body = []byte{}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO fleet_robots (host, status, body, fetched_at, expires_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (host) DO UPDATE SET status = excluded.status, body = excluded.body,
			fetched_at = excluded.fetched_at, expires_at = excluded.expires_at`,
			host, r.Status, body, r.FetchedAt.UnixMilli(), r.Expires.UnixMilli())
		return err
	})
}

// Counts implements frontier.Fleet.
func (f *Fleet) Counts(ctx context.Context) (map[frontier.State]int, error) {
	rows, err := f.s.r.QueryContext(ctx, `SELECT state, count(*) FROM fleet_urls GROUP BY state`)
	if err != nil {
		return nil, wrap("fleet counts", err)
	}
	defer rows.Close()
	c := map[frontier.State]int{}
	for rows.Next() {
		var (
			s string
			n int
		)
		if err := rows.Scan(&s, &n); err != nil {
			return nil, wrap("fleet counts", err)
		}
		c[frontier.State(s)] = n
	}
	return c, wrap("fleet counts", rows.Err())
}

// State implements frontier.Fleet.
func (f *Fleet) State(ctx context.Context, url string) (frontier.State, frontier.Reason, bool, error) {
	var s, r string
	err := f.s.r.QueryRowContext(ctx, `SELECT state, reason FROM fleet_urls WHERE url = ?`, url).Scan(&s, &r)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, wrap("fleet state", err)
	}
	return frontier.State(s), frontier.Reason(r), true, nil
}
