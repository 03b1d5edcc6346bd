package scraper

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// This file holds test helpers only: an in-memory Frontier, Sink and History
// with the contracts of types.go, and a recording test server. The product
// implementations live in cmd/ (backed by the SQLite archive).

type memEntry struct {
	e     Entry
	state State
}

type memStore struct {
	mu      sync.Mutex
	entries map[string]*memEntry
	order   []string
	results []*Result
	prev    map[string]Previous
	commit  func(r *Result) error // optional hook
}

func newMemStore() *memStore {
	return &memStore{entries: make(map[string]*memEntry), prev: make(map[string]Previous)}
}

func (m *memStore) Add(_ context.Context, entries []Entry) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.addLocked(entries), nil
}

func (m *memStore) addLocked(entries []Entry) int {
	n := 0
	for _, e := range entries {
		if _, ok := m.entries[e.URL]; ok {
			continue
		}
		m.entries[e.URL] = &memEntry{e: e, state: StateQueued}
		m.order = append(m.order, e.URL)
		n++
	}
	return n
}

func (m *memStore) Claim(_ context.Context, n int) ([]Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	var out []Entry
	for _, u := range m.order {
		if len(out) >= n {
			break
		}
		me := m.entries[u]
		if me.state == StateQueued && !me.e.NotBefore.After(now) {
			me.state = StateInFlight
			out = append(out, me.e)
		}
	}
	return out, nil
}

func (m *memStore) Pending(context.Context) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, me := range m.entries {
		if me.state == StateQueued || me.state == StateInFlight {
			n++
		}
	}
	return n, nil
}

func (m *memStore) Commit(_ context.Context, r *Result) error {
	if m.commit != nil {
		if err := m.commit(r); err != nil {
			return err
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	me := m.entries[r.Entry.URL]
	if me == nil {
		me = &memEntry{}
		m.entries[r.Entry.URL] = me
		m.order = append(m.order, r.Entry.URL)
	}
	me.e, me.state = r.Entry, r.State
	m.addLocked(r.Links)
	m.results = append(m.results, r)
	return nil
}

func (m *memStore) Previous(_ context.Context, url string) (Previous, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.prev[url]
	return p, ok, nil
}

// state returns the frontier state of url.
func (m *memStore) state(url string) State {
	m.mu.Lock()
	defer m.mu.Unlock()
	if me := m.entries[url]; me != nil {
		return me.state
	}
	return ""
}

// last returns the last result committed for url.
func (m *memStore) last(url string) *Result {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := len(m.results) - 1; i >= 0; i-- {
		if m.results[i].Entry.URL == url {
			return m.results[i]
		}
	}
	return nil
}

// resultsFor returns every result committed for url, in order.
func (m *memStore) resultsFor(url string) []*Result {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*Result
	for _, r := range m.results {
		if r.Entry.URL == url {
			out = append(out, r)
		}
	}
	return out
}

func (m *memStore) countState(s State) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, me := range m.entries {
		if me.state == s {
			n++
		}
	}
	return n
}

// recServer is an httptest server on 127.0.0.1 that records request paths
// and start times.
type recServer struct {
	*httptest.Server
	mu    sync.Mutex
	hits  map[string]int
	times map[string][]time.Time
	all   []time.Time
	order []string
}

func newRecServer(t *testing.T, h http.Handler) *recServer {
	t.Helper()
	rs := &recServer{hits: make(map[string]int), times: make(map[string][]time.Time)}
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		p := r.URL.RequestURI()
		rs.mu.Lock()
		rs.hits[p]++
		rs.times[p] = append(rs.times[p], now)
		rs.all = append(rs.all, now)
		rs.order = append(rs.order, p)
		rs.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(rs.Close)
	return rs
}

func (rs *recServer) count(path string) int {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return rs.hits[path]
}

// countPath counts the requests whose path (query and ;parameters aside) is
// path.
func (rs *recServer) countPath(path string) int {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	n := 0
	for p, c := range rs.hits {
		p, _, _ = strings.Cut(p, "?")
		p, _, _ = strings.Cut(p, ";")
		if p == path {
			n += c
		}
	}
	return n
}

// countPrefix counts the requests whose path and query start with prefix.
func (rs *recServer) countPrefix(prefix string) int {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	n := 0
	for p, c := range rs.hits {
		if strings.HasPrefix(p, prefix) {
			n += c
		}
	}
	return n
}

func (rs *recServer) timesOf(path string) []time.Time {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return slices.Clone(rs.times[path])
}

func (rs *recServer) startTimes() []time.Time {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return slices.Clone(rs.all)
}

func (rs *recServer) requested() []string {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return slices.Clone(rs.order)
}

// u returns the canonical URL of path on the server.
func (rs *recServer) u(path string) string { return rs.URL + path }

// testConfig is fast: no delay, short retries and timeouts.
func testConfig() Config {
	cfg := DefaultConfig()
	cfg.Contact = "https://example.org/crawler"
	cfg.Delay = 0
	cfg.Parallelism = 4
	cfg.Workers = 8
	cfg.RetryBaseDelay = 10 * time.Millisecond
	cfg.RetryMaxDelay = 40 * time.Millisecond
	cfg.ConnectTimeout = 2 * time.Second
	cfg.ResponseHeaderTimeout = 2 * time.Second
	cfg.IdleReadTimeout = 2 * time.Second
	cfg.OverallTimeout = 5 * time.Second
	return cfg
}

// logBuffer is a concurrency-safe log sink for asserting on messages.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) has(msg string) bool {
	return strings.Contains(l.String(), `msg="`+msg+`"`) || strings.Contains(l.String(), "msg="+msg+" ")
}

// crawl seeds and runs a crawler over store with cfg and returns the summary.
func crawl(t *testing.T, cfg Config, store *memStore, seeds ...string) (Summary, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := New(cfg, store, store, store, logger)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Seed(t.Context(), seeds); err != nil {
		t.Fatal(err)
	}
	sum, err := c.Run(t.Context(), RunOptions{})
	if err != nil {
		t.Fatalf("run: %v\nlogs:\n%s", err, logs)
	}
	if t.Failed() || testing.Verbose() {
		t.Logf("summary: %+v", sum)
	}
	return sum, logs
}

// writePage writes an HTML page whose body holds the given links.
func writePage(w http.ResponseWriter, links ...string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var b strings.Builder
	b.WriteString("<!doctype html><html><head><title>t</title></head><body>")
	for _, l := range links {
		b.WriteString(`<a href="` + l + `">x</a>`)
	}
	b.WriteString("</body></html>")
	w.Write([]byte(b.String()))
}
