package archive

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"slices"
	"sync"
	"time"
	"unicode/utf8"
)

// Frontier states (frontier.state).
const (
	StateQueued   = "queued"
	StateInFlight = "in_flight"
	StateDone     = "done"
	StateFailed   = "failed"
	StateSkipped  = "skipped"
)

// ReasonRedirectTarget is the frontier reason of a URL marked done because
// another entry's request was redirected to it and its page is archived.
const ReasonRedirectTarget = "redirect_target"

// kindPriority orders claims: robots.txt first (it gates everything on its
// host), then sitemaps and feeds (they discover the most), then pages.
func kindPriority(kind string) int {
	switch kind {
	case "robots":
		return 0
	case "sitemap":
		return 1
	case "feed":
		return 2
	}
	return 3
}

func kindOrDefault(kind string) string {
	if kind == "" {
		return "page"
	}
	return kind
}

func unixMilli(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromUnixMilli(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// Enqueue adds entries to the frontier of run runID as queued and returns how
// many were added. A URL already in this run is left as it is; a URL known
// from an earlier run is queued again for this one (its conditional refetch is
// the scraper's business). An entry's NotBefore delays its first claim.
func (s *Store) Enqueue(ctx context.Context, runID int64, entries []QueueEntry) (int, error) {
	if s.readOnly {
		return 0, fmt.Errorf("archive: enqueue: %w", ErrReadOnly)
	}
	if len(entries) == 0 {
		return 0, nil
	}
	entries = s.known.filter(runID, entries)
	if len(entries) == 0 {
		return 0, nil
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, wrap("enqueue", err)
	}
	defer tx.Rollback()
	n, err := enqueueGroups(ctx, tx.StmtContext(ctx, s.st.enqueue), runID, fmtTime(time.Now()), groupEntries(entries))
	if err != nil {
		return 0, wrap("enqueue", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, wrap("enqueue", err)
	}
	s.known.add(runID, entryURLs(entries))
	return n, nil
}

// maxKnownURLs bounds knownURLs: past it the set starts over (it is only a
// cache of what the frontier table holds). 2^19 keys take about 20 MiB.
const maxKnownURLs = 1 << 19

// knownURLs remembers URLs that have a frontier row owned by one run, so that
// enqueueing them again, which the enqueue statement would leave as they are,
// skips the SQL entirely. A news page links ~150 URLs and nearly all of them
// are already queued or done: without the set each costs a B-tree probe and a
// conflict check inside the write transaction. Rows never leave a run except
// to a later run, and the set is reset when the run changes, so a URL in the
// set is always a no-op to enqueue. URLs are added only after the transaction
// that wrote them committed. Keys are two independent 64-bit hashes of the
// URL; a false hit needs a 128-bit collision.
type knownURLs struct {
	mu     sync.Mutex
	runID  int64
	s1, s2 maphash.Seed
	m      map[[2]uint64]struct{}
}

func newKnownURLs() *knownURLs {
	return &knownURLs{s1: maphash.MakeSeed(), s2: maphash.MakeSeed()}
}

func (k *knownURLs) key(u string) [2]uint64 {
	return [2]uint64{maphash.String(k.s1, u), maphash.String(k.s2, u)}
}

// filter returns the entries of run runID not known to be in its frontier.
// It may return entries itself when none is known.
func (k *knownURLs) filter(runID int64, entries []QueueEntry) []QueueEntry {
	if k == nil || len(entries) == 0 {
		return entries
	}
	keys := make([][2]uint64, len(entries))
	for i := range entries {
		keys[i] = k.key(entries[i].URL)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.runID != runID || len(k.m) == 0 {
		return entries
	}
	var out []QueueEntry
	for i, key := range keys {
		if _, ok := k.m[key]; ok {
			if out == nil {
				out = make([]QueueEntry, 0, len(entries))
				out = append(out, entries[:i]...)
			}
			continue
		}
		if out != nil {
			out = append(out, entries[i])
		}
	}
	if out == nil {
		return entries
	}
	return out
}

// add records that urls now have frontier rows owned by run runID (their
// transaction committed).
func (k *knownURLs) add(runID int64, urls []string) {
	if k == nil || len(urls) == 0 {
		return
	}
	keys := make([][2]uint64, len(urls))
	for i, u := range urls {
		keys[i] = k.key(u)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.runID != runID || k.m == nil || len(k.m)+len(keys) > maxKnownURLs {
		k.runID = runID
		k.m = make(map[[2]uint64]struct{}, max(len(keys), 1024))
	}
	for _, key := range keys {
		k.m[key] = struct{}{}
	}
}

// entryURLs returns the URLs of entries.
func entryURLs(entries []QueueEntry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.URL
	}
	return out
}

// entryGroup is a run of entries that share everything but the URL, so one
// statement inserts them all from a JSON array of URLs (an entry with a
// request URL or listed flag is an array [url, request_url, listed]): one statement per
// page's links costs far less than one per link, and reading plain strings
// from json_each avoids a JSON lookup per field.
type entryGroup struct {
	depth     int
	kind      string
	priority  int
	via       string
	notBefore int64
	urls      []byte // JSON array of strings
}

// groupEntries splits entries into groups of equal attributes, in order of
// first appearance (a page's links usually form one group).
func groupEntries(entries []QueueEntry) []entryGroup {
	var gs []entryGroup
	for _, e := range entries {
		kind, nb := kindOrDefault(string(e.Kind)), unixMilli(e.NotBefore)
		i := slices.IndexFunc(gs, func(g entryGroup) bool {
			return g.depth == e.Depth && g.kind == kind && g.via == e.Via && g.notBefore == nb
		})
		if i < 0 {
			gs = append(gs, entryGroup{depth: e.Depth, kind: kind, priority: kindPriority(kind), via: e.Via, notBefore: nb,
				urls: append(make([]byte, 0, 96*len(entries)), '[')})
			i = len(gs) - 1
		}
		g := &gs[i]
		if len(g.urls) > 1 {
			g.urls = append(g.urls, ',')
		}
		if e.Request == "" && !e.Listed {
			g.urls = appendJSONString(g.urls, e.URL)
			continue
		}
		// [url, request_url, listed]: see the enqueue statement.
		g.urls = append(g.urls, '[')
		g.urls = appendJSONString(g.urls, e.URL)
		g.urls = append(g.urls, ',')
		g.urls = appendJSONString(g.urls, e.Request)
		if e.Listed {
			g.urls = append(g.urls, ",1]"...)
		} else {
			g.urls = append(g.urls, ",0]"...)
		}
	}
	for i := range gs {
		gs[i].urls = append(gs[i].urls, ']')
	}
	return gs
}

// enqueueGroups runs the enqueue statement for each group and returns the
// number of entries added or re-queued.
func enqueueGroups(ctx context.Context, stmt *sql.Stmt, runID int64, now string, gs []entryGroup) (int, error) {
	added := 0
	for _, g := range gs {
		res, err := stmt.ExecContext(ctx, runID, now, string(g.urls), g.depth, g.kind, g.priority, g.via, g.notBefore)
		if err != nil {
			return added, err
		}
		n, _ := res.RowsAffected()
		added += int(n)
	}
	return added, nil
}

// appendJSONString appends s as a JSON string. Invalid UTF-8 is replaced, as
// encoding/json does.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// Claim atomically moves up to n ready entries of run runID (queued, with
// not_before at or before now) to in_flight and returns them in claim order:
// robots.txt, sitemaps and feeds first, then by depth, then in discovery order.
func (s *Store) Claim(ctx context.Context, runID int64, n int, now time.Time) ([]QueueEntry, error) {
	if s.readOnly {
		return nil, fmt.Errorf("archive: claim: %w", ErrReadOnly)
	}
	if n <= 0 {
		return nil, nil
	}
	// "+not_before" keeps the planner on frontier_claim, whose order is the
	// claim order, instead of range-scanning frontier_ready and sorting the
	// whole queue on every claim.
	rows, err := s.w.QueryContext(ctx, `
		UPDATE frontier SET state = 'in_flight', updated_at = ?1
		WHERE rowid IN (
			SELECT rowid FROM frontier
			WHERE run_id = ?2 AND state = 'queued' AND +not_before <= ?3
			ORDER BY priority, depth, rowid
			LIMIT ?4)
		RETURNING url, depth, kind, via, attempts, not_before, priority, rowid, request_url, listed`,
		fmtTime(now), runID, now.UnixMilli(), n)
	if err != nil {
		return nil, wrap("claim", err)
	}
	defer rows.Close()
	type claimed struct {
		e             QueueEntry
		prio, rowid   int64
		notBeforeMsec int64
	}
	var cs []claimed
	for rows.Next() {
		var c claimed
		if err := rows.Scan(&c.e.URL, &c.e.Depth, &c.e.Kind, &c.e.Via, &c.e.Attempts, &c.notBeforeMsec, &c.prio, &c.rowid,
			&c.e.Request, &c.e.Listed); err != nil {
			return nil, wrap("claim", err)
		}
		c.e.NotBefore = fromUnixMilli(c.notBeforeMsec)
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("claim", err)
	}
	// RETURNING does not follow the subquery's ORDER BY.
	slices.SortFunc(cs, func(a, b claimed) int {
		if a.prio != b.prio {
			return int(a.prio - b.prio)
		}
		if a.e.Depth != b.e.Depth {
			return a.e.Depth - b.e.Depth
		}
		return int(a.rowid - b.rowid)
	})
	out := make([]QueueEntry, len(cs))
	for i, c := range cs {
		out[i] = c.e
	}
	return out, nil
}

// PendingCount returns how many entries of run runID are queued and in flight.
// It counts index entries (about 5 ms per 50,000 queued): call it for progress
// reports, not before every claim.
func (s *Store) PendingCount(ctx context.Context, runID int64) (queued, inFlight int, err error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT state, count(*) FROM frontier
		WHERE run_id = ? AND state IN ('queued', 'in_flight') GROUP BY state`, runID)
	if err != nil {
		return 0, 0, wrap("pending count", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return 0, 0, wrap("pending count", err)
		}
		if st == StateQueued {
			queued = n
		} else {
			inFlight = n
		}
	}
	if err := rows.Err(); err != nil {
		return 0, 0, wrap("pending count", err)
	}
	return queued, inFlight, nil
}

// NextReadyAt returns the earliest not_before among the queued entries of run
// runID, so a scheduler with nothing to claim knows how long to sleep. ok is
// false when nothing is queued; the zero time means an entry is ready now.
func (s *Store) NextReadyAt(ctx context.Context, runID int64) (t time.Time, ok bool, err error) {
	var ms sql.NullInt64
	err = s.r.QueryRowContext(ctx, `SELECT min(not_before) FROM frontier WHERE run_id = ? AND state = 'queued'`, runID).Scan(&ms)
	if err != nil {
		return time.Time{}, false, wrap("next ready", err)
	}
	if !ms.Valid {
		return time.Time{}, false, nil
	}
	return fromUnixMilli(ms.Int64), true, nil
}

// FrontierEntry is one frontier row as stored, for inspection and tests.
type FrontierEntry struct {
	QueueEntry
	RunID     int64
	State     string
	Reason    string
	Detail    string
	PageID    int64 // 0 when no page was fetched
	UpdatedAt time.Time
}

// FrontierEntry returns the frontier row of url, or ErrNotFound.
func (s *Store) FrontierEntry(ctx context.Context, url string) (*FrontierEntry, error) {
	var (
		e         FrontierEntry
		nb        int64
		page      sql.NullInt64
		updatedAt string
	)
	err := s.r.QueryRowContext(ctx, `
		SELECT url, run_id, state, reason, detail, depth, kind, via, attempts, not_before, page_id, updated_at
		FROM frontier WHERE url = ?`, url).Scan(
		&e.URL, &e.RunID, &e.State, &e.Reason, &e.Detail, &e.Depth, &e.Kind, &e.Via, &e.Attempts, &nb, &page, &updatedAt)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("archive: frontier entry %s: %w", url, ErrNotFound)
	}
	if err != nil {
		return nil, wrap("frontier entry", err)
	}
	e.NotBefore = fromUnixMilli(nb)
	e.PageID = page.Int64
	e.UpdatedAt = parseTime(updatedAt)
	return &e, nil
}

// Run is one crawl (table runs).
type Run struct {
	ID         int64
	StartedAt  time.Time
	FinishedAt time.Time // zero while running
	Status     string    // running, finished, interrupted, failed
	Seeds      []string
	Settings   json.RawMessage
	Counts     map[string]int
}

// Run statuses (runs.status).
const (
	RunRunning     = "running"
	RunFinished    = "finished"
	RunInterrupted = "interrupted"
	RunFailed      = "failed"
)

// StartRun begins a crawl. When the latest run did not finish (it is running —
// the process was killed — interrupted or failed) it is resumed: its id is
// returned with resumed=true, its status set back to running and its in-flight
// frontier entries queued again, so nothing claimed before the crash is lost.
// Otherwise a new run is created with the given seeds and settings (any value
// encoding/json accepts).
func (s *Store) StartRun(ctx context.Context, seeds []string, settings any) (runID int64, resumed bool, err error) {
	if s.readOnly {
		return 0, false, fmt.Errorf("archive: start run: %w", ErrReadOnly)
	}
	if seeds == nil {
		seeds = []string{}
	}
	seedsJSON, err := json.Marshal(seeds)
	if err != nil {
		return 0, false, fmt.Errorf("archive: start run: seeds: %w", err)
	}
	if settings == nil {
		settings = struct{}{}
	}
	settingsJSON, err := json.Marshal(settings)
	if err != nil {
		return 0, false, fmt.Errorf("archive: start run: settings: %w", err)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, false, wrap("start run", err)
	}
	defer tx.Rollback()
	now := fmtTime(time.Now())
	var (
		id     int64
		status string
	)
	err = tx.QueryRowContext(ctx, `SELECT id, status FROM runs ORDER BY id DESC LIMIT 1`).Scan(&id, &status)
	switch {
	case err == sql.ErrNoRows || (err == nil && status == RunFinished):
		res, err := tx.ExecContext(ctx, `INSERT INTO runs (started_at, status, seeds, settings) VALUES (?, 'running', ?, ?)`,
			now, string(seedsJSON), string(settingsJSON))
		if err != nil {
			return 0, false, wrap("start run", err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return 0, false, wrap("start run", err)
		}
	case err != nil:
		return 0, false, wrap("start run", err)
	default:
		resumed = true
		if _, err := tx.ExecContext(ctx, `UPDATE runs SET status = 'running', finished_at = NULL WHERE id = ?`, id); err != nil {
			return 0, false, wrap("start run", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE frontier SET state = 'queued', updated_at = ? WHERE run_id = ? AND state = 'in_flight'`, now, id); err != nil {
			return 0, false, wrap("start run", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, false, wrap("start run", err)
	}
	return id, resumed, nil
}

// FinishRun records the end of run runID with status finished, interrupted or
// failed and the outcome counts.
func (s *Store) FinishRun(ctx context.Context, runID int64, status string, counts map[string]int) error {
	if s.readOnly {
		return fmt.Errorf("archive: finish run: %w", ErrReadOnly)
	}
	switch status {
	case RunFinished, RunInterrupted, RunFailed:
	default:
		return fmt.Errorf("archive: finish run: %w: status %q", ErrInvalid, status)
	}
	if counts == nil {
		counts = map[string]int{}
	}
	countsJSON, err := json.Marshal(counts)
	if err != nil {
		return fmt.Errorf("archive: finish run: %w", err)
	}
	res, err := s.w.ExecContext(ctx, `UPDATE runs SET status = ?, finished_at = ?, counts = ? WHERE id = ?`,
		status, fmtTime(time.Now()), string(countsJSON), runID)
	if err != nil {
		return wrap("finish run", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("archive: finish run %d: %w", runID, ErrNotFound)
	}
	return nil
}

// Runs returns every crawl run, oldest first.
func (s *Store) Runs(ctx context.Context) ([]Run, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, started_at, finished_at, status, seeds, settings, counts FROM runs ORDER BY id`)
	if err != nil {
		return nil, wrap("runs", err)
	}
	defer rows.Close()
	var runs []Run
	for rows.Next() {
		var (
			r                      Run
			started                string
			finished               sql.NullString
			seeds, settings, count string
		)
		if err := rows.Scan(&r.ID, &started, &finished, &r.Status, &seeds, &settings, &count); err != nil {
			return nil, wrap("runs", err)
		}
		r.StartedAt = parseTime(started)
		r.FinishedAt = nullTime(finished)
		r.Settings = json.RawMessage(settings)
		if err := json.Unmarshal([]byte(seeds), &r.Seeds); err != nil {
			return nil, fmt.Errorf("archive: runs: run %d seeds: %w", r.ID, err)
		}
		if err := json.Unmarshal([]byte(count), &r.Counts); err != nil {
			return nil, fmt.Errorf("archive: runs: run %d counts: %w", r.ID, err)
		}
		runs = append(runs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("runs", err)
	}
	return runs, nil
}

// TemplateStat is the trap-defence state of one path template in a run
// (table trap_templates).
type TemplateStat struct {
	Template   string
	Fetches    int
	SinceYield int
}

// TemplateStats returns the trap-defence state of run runID, so a resumed
// crawl goes on counting where it stopped.
func (s *Store) TemplateStats(ctx context.Context, runID int64) ([]TemplateStat, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT template, fetches, since_yield FROM trap_templates WHERE run_id = ?`, runID)
	if err != nil {
		return nil, wrap("template stats", err)
	}
	defer rows.Close()
	var out []TemplateStat
	for rows.Next() {
		var t TemplateStat
		if err := rows.Scan(&t.Template, &t.Fetches, &t.SinceYield); err != nil {
			return nil, wrap("template stats", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("template stats", err)
	}
	return out, nil
}

// TrapTemplateCounts returns, for run runID, the path templates trap defence
// cut (frontier reason trap_template, the template as detail) with the URLs
// skipped for each, most first.
func (s *Store) TrapTemplateCounts(ctx context.Context, runID int64) ([]Count, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT detail, count(*) FROM frontier
		WHERE run_id = ? AND reason = 'trap_template' GROUP BY 1 ORDER BY 2 DESC, 1`, runID)
	if err != nil {
		return nil, wrap("trap templates", err)
	}
	defer rows.Close()
	var out []Count
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.Key, &c.N); err != nil {
			return nil, wrap("trap templates", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("trap templates", err)
	}
	return out, nil
}
