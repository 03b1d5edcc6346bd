package pgarchive

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsarchive/newsarchive/frontier"
)

// Fleet is the fleet frontier (frontier.Fleet) in PostgreSQL. A claim locks
// one ready host row FOR NO KEY UPDATE SKIP LOCKED, so concurrent claimers
// never wait for each other and never get the same host. Every method takes
// the host row before any URL row, so two transactions never wait for each
// other in opposite orders. Times are the server's (now()), one clock for
// the whole fleet.
type Fleet struct {
	db *DB
}

var _ frontier.Fleet = (*Fleet)(nil)

// Fleet returns the fleet frontier stored in db.
func (db *DB) Fleet() *Fleet { return &Fleet{db: db} }

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func timeOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// Enqueue implements frontier.Fleet.
func (f *Fleet) Enqueue(ctx context.Context, entries []frontier.Entry) (int, error) {
	if len(entries) == 0 {
		return 0, nil
	}
	var added int
	err := f.db.inTx(ctx, "fleet enqueue", func(tx pgx.Tx) error {
		var err error
		added, err = enqueue(ctx, tx, entries)
		return err
	})
	return added, err
}

// enqueue inserts entries in one statement per table, in URL (and host)
// order, so concurrent enqueues of overlapping URLs wait for each other in
// one order and never deadlock.
func enqueue(ctx context.Context, tx pgx.Tx, entries []frontier.Entry) (int, error) {
	n := len(entries)
	var (
		urls, hosts, kinds, vias, requests = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		prios, depths, attempts            = make([]int32, n), make([]int32, n), make([]int32, n)
		listed                             = make([]bool, n)
		lastMods, notBefores               = make([]*time.Time, n), make([]*time.Time, n)
	)
	for i, e := range entries {
		host, err := e.Host()
		if err != nil {
			return 0, err
		}
		kind := cmp.Or(e.Kind, frontier.KindPage)
		urls[i], hosts[i], kinds[i], vias[i], requests[i] = e.URL, host, string(kind), e.Via, e.Request
		prios[i], depths[i], attempts[i] = int32(kind.Priority()), int32(e.Depth), int32(e.Attempts)
		listed[i], lastMods[i], notBefores[i] = e.Listed, timeOrNil(e.LastMod), timeOrNil(e.NotBefore)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO fleet_hosts (host)
		SELECT DISTINCT h FROM unnest($1::text[]) AS h ORDER BY h ON CONFLICT (host) DO NOTHING`, hosts); err != nil {
		return 0, err
	}
	tag, err := tx.Exec(ctx, `INSERT INTO fleet_urls
		(url, host, kind, priority, depth, via, request_url, listed, last_mod, attempts, not_before)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::text[], $7::text[],
		                     $8::bool[], $9::timestamptz[], $10::int[], $11::timestamptz[])
		ORDER BY 1
		ON CONFLICT (url) DO NOTHING`,
		urls, hosts, kinds, prios, depths, vias, requests, listed, lastMods, attempts, notBefores)
	if err != nil {
		return 0, err
	}
	return int(tag.RowsAffected()), nil
}

// ClaimHost implements frontier.Fleet.
func (f *Fleet) ClaimHost(ctx context.Context, worker string, max int, ttl time.Duration) (frontier.Lease, bool, error) {
	var (
		l  frontier.Lease
		ok bool
	)
	err := f.db.inTx(ctx, "fleet claim", func(tx pgx.Tx) error {
		l, ok = frontier.Lease{}, false
		var expired bool
		err := tx.QueryRow(ctx, `SELECT host, lease_expires IS NOT NULL FROM fleet_hosts h
			WHERE next_fetch_at <= now() AND (lease_expires IS NULL OR lease_expires <= now())
			  AND EXISTS (SELECT 1 FROM fleet_urls u WHERE u.host = h.host
			        AND (u.state = 'queued' AND (u.not_before IS NULL OR u.not_before <= now())
			             OR u.state = 'in_flight' AND h.lease_expires IS NOT NULL))
			ORDER BY next_fetch_at, host LIMIT 1
			FOR NO KEY UPDATE SKIP LOCKED`).Scan(&l.Host, &expired)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if expired { // an expired lease: take it over
			if _, err := tx.Exec(ctx, `UPDATE fleet_urls SET state = 'queued', reason = $2, lease_token = 0, updated_at = now()
				WHERE host = $1 AND state = 'in_flight'`, l.Host, string(frontier.ReasonLeaseExpired)); err != nil {
				return err
			}
		}
		l.Worker = worker
		if err := tx.QueryRow(ctx, `UPDATE fleet_hosts
			SET lease_token = lease_token + 1, leased_by = $2, lease_expires = now() + $3 * interval '1 millisecond'
			WHERE host = $1 RETURNING lease_token, lease_expires`, l.Host, worker, ttl.Milliseconds()).Scan(&l.Token, &l.Expires); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `UPDATE fleet_urls SET state = 'in_flight', lease_token = $2, attempts = attempts + 1, updated_at = now()
			WHERE id IN (SELECT id FROM fleet_urls WHERE host = $1 AND state = 'queued' AND (not_before IS NULL OR not_before <= now())
			             ORDER BY priority, depth, id LIMIT $3)
			RETURNING url, kind, depth, via, request_url, listed, last_mod, attempts, not_before, priority, id`,
			l.Host, l.Token, max)
		if err != nil {
			return err
		}
		type claimed struct {
			e        frontier.Entry
			priority int
			id       int64
		}
		var cs []claimed
		for rows.Next() {
			var (
				c                 claimed
				kind              string
				lastMod, notBefor *time.Time
			)
			if err := rows.Scan(&c.e.URL, &kind, &c.e.Depth, &c.e.Via, &c.e.Request, &c.e.Listed, &lastMod,
				&c.e.Attempts, &notBefor, &c.priority, &c.id); err != nil {
				rows.Close()
				return err
			}
			c.e.Kind, c.e.LastMod, c.e.NotBefore = frontier.Kind(kind), timeOrZero(lastMod), timeOrZero(notBefor)
			cs = append(cs, c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(cs) == 0 {
			return errNothingReady // roll back the lease
		}
		// RETURNING gives no order: claim order is priority, depth, insertion.
		slices.SortFunc(cs, func(a, b claimed) int {
			return cmp.Or(cmp.Compare(a.priority, b.priority), cmp.Compare(a.e.Depth, b.e.Depth), cmp.Compare(a.id, b.id))
		})
		for _, c := range cs {
			l.Entries = append(l.Entries, c.e)
		}
		ok = true
		return nil
	})
	if errors.Is(err, errNothingReady) {
		return frontier.Lease{}, false, nil
	}
	if err != nil || !ok {
		return frontier.Lease{}, false, err
	}
	return l, true, nil
}

// errNothingReady rolls back a claim that found no URL after all.
var errNothingReady = errors.New("nothing ready")

// checkLease locks l's host row and fails with ErrStaleLease unless l is the
// host's current lease.
func checkLease(ctx context.Context, tx pgx.Tx, l frontier.Lease) error {
	return checkLeaseLock(ctx, tx, l, "FOR NO KEY UPDATE")
}

// checkLeaseShared is checkLease with a share lock, for a transaction that
// does not update the host row (a page commit): commits under one lease run
// side by side, while a claim taking the host over, a renewal or a release
// (FOR NO KEY UPDATE) waits for them, and they for it.
func checkLeaseShared(ctx context.Context, tx pgx.Tx, l frontier.Lease) error {
	return checkLeaseLock(ctx, tx, l, "FOR SHARE")
}

func checkLeaseLock(ctx context.Context, tx pgx.Tx, l frontier.Lease, lock string) error {
	var (
		token  int64
		leased bool
	)
	err := tx.QueryRow(ctx, `SELECT lease_token, lease_expires IS NOT NULL FROM fleet_hosts WHERE host = $1 `+lock,
		l.Host).Scan(&token, &leased)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && (token != l.Token || !leased) {
		return fmt.Errorf("host %s token %d: %w", l.Host, l.Token, frontier.ErrStaleLease)
	}
	return err
}

// Renew implements frontier.Fleet.
func (f *Fleet) Renew(ctx context.Context, l frontier.Lease, ttl time.Duration) (time.Time, error) {
	var exp time.Time
	err := f.db.inTx(ctx, "fleet renew", func(tx pgx.Tx) error {
		if err := checkLease(ctx, tx, l); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `UPDATE fleet_hosts SET lease_expires = now() + $2 * interval '1 millisecond'
			WHERE host = $1 RETURNING lease_expires`, l.Host, ttl.Milliseconds()).Scan(&exp)
	})
	return exp, err
}

// Complete implements frontier.Fleet.
func (f *Fleet) Complete(ctx context.Context, l frontier.Lease, results []frontier.Result) error {
	return f.db.inTx(ctx, "fleet complete", func(tx pgx.Tx) error {
		if err := checkLease(ctx, tx, l); err != nil {
			return err
		}
		return complete(ctx, tx, l, results)
	})
}

// complete sets the state of leased URLs and enqueues their links, inside a
// transaction that checked the lease (checkLease).
func complete(ctx context.Context, tx pgx.Tx, l frontier.Lease, results []frontier.Result) error {
	n := len(results)
	urls, states, reasons, details := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	notBefores := make([]*time.Time, n)
	var links []frontier.Entry
	seen := make(map[string]bool, n)
	for i, r := range results {
		if !r.State.Terminal() && r.State != frontier.StateQueued {
			return fmt.Errorf("%s: result state %q", r.URL, r.State)
		}
		if seen[r.URL] {
			return fmt.Errorf("%s: two results", r.URL)
		}
		seen[r.URL] = true
		urls[i], states[i], reasons[i], details[i] = r.URL, string(r.State), string(r.Reason), r.Detail
		notBefores[i] = timeOrNil(r.NotBefore)
		links = append(links, r.Links...)
	}
	// The links first, the URLs' own rows last: a page's commit that
	// updated its URL and then waited to insert a link another commit had
	// just inserted, while that commit waited on the updated row (its own
	// link to this page), deadlocked. Now an enqueue never waits on a row
	// its waiter will update after it.
	if len(links) > 0 {
		if _, err := enqueue(ctx, tx, links); err != nil {
			return err
		}
	}
	tag, err := tx.Exec(ctx, `UPDATE fleet_urls u
		SET state = r.state, reason = r.reason, detail = r.detail, not_before = r.not_before, lease_token = 0, updated_at = now()
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS r (url, state, reason, detail, not_before)
		WHERE u.url = r.url AND u.host = $6 AND u.state = 'in_flight' AND u.lease_token = $7`,
		urls, states, reasons, details, notBefores, l.Host, l.Token)
	if err != nil {
		return err
	}
	if int(tag.RowsAffected()) != n {
		return fmt.Errorf("%d of %d URLs not in flight under host %s token %d: %w",
			n-int(tag.RowsAffected()), n, l.Host, l.Token, frontier.ErrStaleLease)
	}
	return nil
}

// Release implements frontier.Fleet.
func (f *Fleet) Release(ctx context.Context, l frontier.Lease, p frontier.Pace) error {
	return f.db.inTx(ctx, "fleet release", func(tx pgx.Tx) error {
		if err := checkLease(ctx, tx, l); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE fleet_urls SET state = 'queued', reason = $3, lease_token = 0, updated_at = now()
			WHERE host = $1 AND state = 'in_flight' AND lease_token = $2`,
			l.Host, l.Token, string(frontier.ReasonInterrupted)); err != nil {
			return err
		}
		var failures int
		if err := tx.QueryRow(ctx, `SELECT errors FROM fleet_hosts WHERE host = $1`, l.Host).Scan(&failures); err != nil {
			return err
		}
		if failures = failures + 1; !p.Failed {
			failures = 0
		}
		_, err := tx.Exec(ctx, `UPDATE fleet_hosts SET lease_expires = NULL, leased_by = '', errors = $2,
			next_fetch_at = now() + $3 * interval '1 millisecond' WHERE host = $1`,
			l.Host, failures, p.Gap(failures).Milliseconds())
		return err
	})
}

// Reap implements frontier.Fleet. Hosts another transaction holds (a claim
// taking the lease over, a late commit being refused) are skipped.
func (f *Fleet) Reap(ctx context.Context) (int, error) {
	var n int
	err := f.db.inTx(ctx, "fleet reap", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `WITH h AS (
				SELECT host FROM fleet_hosts WHERE lease_expires <= now() ORDER BY host FOR NO KEY UPDATE SKIP LOCKED
			), released AS (
				UPDATE fleet_hosts SET lease_expires = NULL, leased_by = '' FROM h WHERE fleet_hosts.host = h.host
				RETURNING fleet_hosts.host
			)
			UPDATE fleet_urls u SET state = 'queued', reason = $1, lease_token = 0, updated_at = now()
			FROM released WHERE u.host = released.host AND u.state = 'in_flight'`, string(frontier.ReasonLeaseExpired))
		n = int(tag.RowsAffected())
		return err
	})
	return n, err
}

// Robots implements frontier.Fleet.
func (f *Fleet) Robots(ctx context.Context, host string) (frontier.Robots, bool, error) {
	var r frontier.Robots
	err := f.db.pool.QueryRow(ctx, `SELECT status, body, fetched_at, expires_at FROM fleet_robots WHERE host = $1`, host).
		Scan(&r.Status, &r.Body, &r.FetchedAt, &r.Expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return frontier.Robots{}, false, nil
	}
	if err != nil {
		return frontier.Robots{}, false, fmt.Errorf("pgarchive: fleet robots %s: %w", host, err)
	}
	return r, true, nil
}

// PutRobots implements frontier.Fleet.
func (f *Fleet) PutRobots(ctx context.Context, host string, r frontier.Robots) error {
	body := r.Body
	if body == nil {
		body = []byte{}
	}
	_, err := f.db.pool.Exec(ctx, `INSERT INTO fleet_robots (host, status, body, fetched_at, expires_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (host) DO UPDATE SET status = excluded.status, body = excluded.body,
		fetched_at = excluded.fetched_at, expires_at = excluded.expires_at`,
		host, r.Status, body, r.FetchedAt, r.Expires)
	if err != nil {
		return fmt.Errorf("pgarchive: fleet put robots %s: %w", host, err)
	}
	return nil
}

// Counts implements frontier.Fleet.
func (f *Fleet) Counts(ctx context.Context) (map[frontier.State]int, error) {
	rows, err := f.db.pool.Query(ctx, `SELECT state, count(*) FROM fleet_urls GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("pgarchive: fleet counts: %w", err)
	}
	c := map[frontier.State]int{}
	var (
		s string
		n int
	)
	_, err = pgx.ForEachRow(rows, []any{&s, &n}, func() error {
		c[frontier.State(s)] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("pgarchive: fleet counts: %w", err)
	}
	return c, nil
}

// State implements frontier.Fleet.
func (f *Fleet) State(ctx context.Context, url string) (frontier.State, frontier.Reason, bool, error) {
	var s, r string
	err := f.db.pool.QueryRow(ctx, `SELECT state, reason FROM fleet_urls WHERE url = $1`, url).Scan(&s, &r)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, fmt.Errorf("pgarchive: fleet state: %w", err)
	}
	return frontier.State(s), frontier.Reason(r), true, nil
}
