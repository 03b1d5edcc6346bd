package ingest

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/internal/testsite"
	"github.com/newsarchive/newsarchive/scraper"
)

// submitWaves submits waves×perWave articles to run, each wave through its
// own sink, closed before the next: each wave is at least one commit, and
// so at least one full-text index segment.
func submitWaves(t *testing.T, run *Run, waves, perWave int) {
	t.Helper()
	const origin = "https://example.org"
	site := testsite.NewGenerated(testsite.GenOptions{Pages: waves * perWave})
	for w := range waves {
		sk := run.NewSink()
		for i := w * perWave; i < (w+1)*perWave; i++ {
			u := origin + site.ArticlePath(i)
			r := &scraper.Result{
				Entry: scraper.Entry{URL: u, Kind: scraper.KindPage, Attempts: 1},
				State: scraper.StateDone,
				Response: &scraper.Response{URL: u, FinalURL: u, Status: 200, Header: http.Header{"Content-Type": {"text/html"}},
					ContentType: "text/html; charset=utf-8", Body: []byte(site.Article(origin, i)), FetchedAt: time.Now()},
			}
			if err := sk.Submit(r, archive.WARCLocation{}); err != nil {
				t.Fatal(err)
			}
		}
		if err := sk.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// ftsSegments returns the number of segments in the full-text index's
// structure record (articles_fts_data id 10: a 4-byte cookie, an optional
// 4-byte "structure v2" marker, then varints nLevel and nSegment).
func ftsSegments(t *testing.T, db *sql.DB) int {
	t.Helper()
	var b []byte
	if err := db.QueryRow(`SELECT block FROM articles_fts_data WHERE id = 10`).Scan(&b); err != nil {
		t.Fatalf("FTS5 structure record: %v", err)
	}
	i := 4
	if len(b) >= 8 && bytes.Equal(b[4:8], []byte{0xff, 0x00, 0x00, 0x01}) {
		i = 8
	}
	varint := func() int { // SQLite varint, big-endian groups of 7 bits
		v := 0
		for ; i < len(b); i++ {
			v = v<<7 | int(b[i]&0x7f)
			if b[i]&0x80 == 0 {
				i++
				return v
			}
		}
		t.Fatalf("truncated FTS5 structure record %x", b)
		return 0
	}
	varint() // nLevel
	return varint()
}

// TestFinishOptimizesAfterLargeRun: a run over the optimize threshold
// leaves the full-text index in one segment, sound, and says so on the log;
// the same run under the threshold merges its segments among themselves
// (fewer, no optimize), and with optimizing disabled leaves the segments its
// commits wrote.
func TestFinishOptimizesAfterLargeRun(t *testing.T) {
	for _, tc := range []struct {
		name     string
		policy   OptimizePolicy
		optimize bool
	}{
		{"default policy, small run", OptimizePolicy{}, false},
		{"over the threshold", OptimizePolicy{MinVersions: 5}, true},
		{"over the threshold, disabled", OptimizePolicy{MinVersions: 5, Disabled: true}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "a.db")
			s := openStore(t, path)
			defer s.Close()
			db, err := sql.Open("sqlite", path) // the driver archive registers
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var logs bytes.Buffer
			pl := &Pipeline{Store: s, Extractor: testExtractor(t), Optimize: tc.policy,
				Logger: slog.New(slog.NewTextHandler(&logs, nil))}
			run, err := pl.Start(ctx, []string{"test:feed"}, map[string]any{"test": true})
			if err != nil {
				t.Fatal(err)
			}
			submitWaves(t, run, 3, 4)
			if c := run.Counts(); c.NewArticles != 12 {
				t.Fatalf("%d new articles, want 12", c.NewArticles)
			}
			before := ftsSegments(t, db)
			if before < 2 {
				t.Fatalf("%d index segments before Finish; the test needs several", before)
			}
			if err := run.Finish(ctx, archive.RunFinished, run.Counts().RunCounts()); err != nil {
				t.Fatal(err)
			}
			n := ftsSegments(t, db)
			logged := strings.Contains(logs.String(), "search index optimized")
			if tc.optimize && (n != 1 || !logged) {
				t.Errorf("%d index segments after Finish (optimize logged: %v), want 1, logged\n%s", n, logged, logs.String())
			}
			if !tc.optimize && logged {
				t.Errorf("%d index segments after Finish: optimized a run it should not have", n)
			}
			// Under the threshold the run's segments are merged among
			// themselves; disabled, they are left alone.
			if !tc.optimize && tc.policy.Disabled && n != before {
				t.Errorf("disabled: %d index segments after Finish, %d before", n, before)
			}
			if !tc.optimize && !tc.policy.Disabled && n >= before {
				t.Errorf("small run: %d index segments after Finish, %d before: not merged", n, before)
			}
			if _, err := db.ExecContext(ctx, `INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')`); err != nil {
				t.Errorf("integrity-check: %v", err)
			}
		})
	}
}

// TestOptimizePolicy: the thresholds, with their defaults.
func TestOptimizePolicy(t *testing.T) {
	for _, tc := range []struct {
		p              OptimizePolicy
		added, indexed int
		want           bool
	}{
		{OptimizePolicy{}, 0, 0, false},
		{OptimizePolicy{}, 10_000, 1_000_000, true},
		{OptimizePolicy{}, 9_999, 1_000_000, false},
		{OptimizePolicy{}, 2_000, 10_000, true},  // a fifth of the index
		{OptimizePolicy{}, 1_999, 10_000, false}, // under a fifth
		{OptimizePolicy{}, 99, 100, false},       // tiny: under the floor
		{OptimizePolicy{}, 100, 100, true},
		{OptimizePolicy{MinShare: 0.5}, 2_000, 10_000, false},
		{OptimizePolicy{MinVersions: 5}, 5, 1_000_000, true},
		{OptimizePolicy{Disabled: true}, 1_000_000, 1_000_000, false},
	} {
		if got := tc.p.shouldOptimize(tc.added, tc.indexed); got != tc.want {
			t.Errorf("%+v.shouldOptimize(%d, %d) = %v, want %v", tc.p, tc.added, tc.indexed, got, tc.want)
		}
	}
}
