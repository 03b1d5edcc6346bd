package archive

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/frontier"
	"github.com/newsarchive/newsarchive/frontier/frontiertest"
)

// TestFleetContract runs the fleet frontier contract on the SQLite archive.
func TestFleetContract(t *testing.T) {
	frontiertest.Run(t, func(t *testing.T) frontier.Fleet {
		s, _ := openTest(t)
		return s.Fleet()
	})
}

// TestFleetContractSharedFile runs the contract on four Stores open on one
// file, each call going to the next: each Store has its own writer
// connection, so exclusivity rests on SQLite's file locks (BEGIN IMMEDIATE
// and busy_timeout), as between processes.
func TestFleetContractSharedFile(t *testing.T) {
	frontiertest.Run(t, func(t *testing.T) frontier.Fleet {
		s, path := openTest(t)
		m := &roundRobin{fs: []frontier.Fleet{s.Fleet()}}
		for range 3 {
			o, err := Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { o.Close() })
			m.fs = append(m.fs, o.Fleet())
		}
		return m
	})
}

// roundRobin is a frontier.Fleet that sends each call to the next of fs.
type roundRobin struct {
	fs []frontier.Fleet
	n  atomic.Uint64
}

func (m *roundRobin) next() frontier.Fleet { return m.fs[m.n.Add(1)%uint64(len(m.fs))] }

func (m *roundRobin) Enqueue(ctx context.Context, es []frontier.Entry) (int, error) {
	return m.next().Enqueue(ctx, es)
}

func (m *roundRobin) ClaimHost(ctx context.Context, w string, max int, ttl time.Duration) (frontier.Lease, bool, error) {
	return m.next().ClaimHost(ctx, w, max, ttl)
}

func (m *roundRobin) Renew(ctx context.Context, l frontier.Lease, ttl time.Duration) (time.Time, error) {
	return m.next().Renew(ctx, l, ttl)
}

func (m *roundRobin) Complete(ctx context.Context, l frontier.Lease, rs []frontier.Result) error {
	return m.next().Complete(ctx, l, rs)
}

func (m *roundRobin) Release(ctx context.Context, l frontier.Lease, p frontier.Pace) error {
	return m.next().Release(ctx, l, p)
}

func (m *roundRobin) Reap(ctx context.Context) (int, error) { return m.next().Reap(ctx) }

func (m *roundRobin) Robots(ctx context.Context, host string) (frontier.Robots, bool, error) {
	return m.next().Robots(ctx, host)
}

func (m *roundRobin) PutRobots(ctx context.Context, host string, r frontier.Robots) error {
	return m.next().PutRobots(ctx, host, r)
}

func (m *roundRobin) Counts(ctx context.Context) (map[frontier.State]int, error) {
	return m.next().Counts(ctx)
}

func (m *roundRobin) State(ctx context.Context, url string) (frontier.State, frontier.Reason, bool, error) {
	return m.next().State(ctx, url)
}
