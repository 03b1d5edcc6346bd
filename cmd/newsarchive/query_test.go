package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/extract"
	"github.com/newsarchive/newsarchive/internal/testsite"
)

// demoArchive builds the fixture site's archive with the demo command.
func demoArchive(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "demo.db")
	if code, _, stderr := runCmd(t, "demo", "--db", db, "--quiet"); code != 0 {
		t.Fatalf("demo exit %d: %s", code, stderr)
	}
	return db
}

// jsonLines parses one JSON object per line of out into T.
func jsonLines[T any](t *testing.T, out string) []T {
	t.Helper()
	var got []T
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l == "" {
			continue
		}
		var v T
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("not a JSON line: %v\n%s", err, l)
		}
		got = append(got, v)
	}
	return got
}

const kremlinTitle = "The Kremlin Considers Elon Musk’s Clubhouse Chat Invite to Russian President Vladimir Putin 'a very interesting proposal'"

func TestSearchCommand(t *testing.T) {
	db := demoArchive(t)
	tests := []struct {
		name      string
		args      []string
		wantN     int    // hits; -1: at least one
		wantTitle string // a title among the hits
		check     func(t *testing.T, h archive.SearchHit)
	}{
		{name: "author filter", args: []string{"--author", "Eva Fox", ""}, wantN: 6,
			check: func(t *testing.T, h archive.SearchHit) {
				if len(h.Authors) == 0 || h.Authors[0] != "Eva Fox" {
					t.Errorf("hit %d authors %v", h.ArticleID, h.Authors)
				}
			}},
		{name: "author filter with query", args: []string{"--author", "eva fox", "tesla"}, wantN: -1},
		{name: "editor filter", args: []string{"--editor", "SmokeyShorts", ""}, wantN: 4},
		{name: "editor filter with @", args: []string{"--editor", "@smokeyshorts", ""}, wantN: 4},
		{name: "phrase", args: []string{`"very interesting proposal"`}, wantN: 1, wantTitle: kremlinTitle,
			check: func(t *testing.T, h archive.SearchHit) {
				if !strings.Contains(h.Snippet, "[") || h.Score >= 0 {
					t.Errorf("snippet %q score %v", h.Snippet, h.Score)
				}
			}},
		{name: "date range", args: []string{"--since", "2021-02-15", "--until", "2021-02-16", ""}, wantN: -1,
			wantTitle: kremlinTitle,
			check: func(t *testing.T, h archive.SearchHit) {
				if d := h.PublishedAt[:10]; d < "2021-02-15" || d > "2021-02-16" {
					t.Errorf("hit %d published %s outside the range", h.ArticleID, h.PublishedAt)
				}
			}},
		{name: "no match", args: []string{"zeppelin"}, wantN: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"search", "--db", db, "--json"}, tt.args...)
			code, out, stderr := runCmd(t, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			hits := jsonLines[archive.SearchHit](t, out)
			if tt.wantN >= 0 && len(hits) != tt.wantN || tt.wantN < 0 && len(hits) == 0 {
				t.Errorf("%d hits, want %d:\n%s", len(hits), tt.wantN, out)
			}
			found := tt.wantTitle == ""
			for _, h := range hits {
				found = found || h.Title == tt.wantTitle
				if tt.check != nil {
					tt.check(t, h)
				}
			}
			if !found {
				t.Errorf("no hit titled %q in\n%s", tt.wantTitle, out)
			}
		})
	}
	t.Run("text output", func(t *testing.T) {
		code, out, _ := runCmd(t, "search", "--db", db, `"very interesting proposal"`)
		if code != 0 || !strings.Contains(out, kremlinTitle) || !strings.Contains(out, "[very]") {
			t.Errorf("exit %d, output:\n%s", code, out)
		}
	})
	t.Run("date range excludes", func(t *testing.T) {
		_, out, _ := runCmd(t, "search", "--db", db, "--json", "--since", "2021-02-15", "--until", "2021-02-16", "")
		_, all, _ := runCmd(t, "search", "--db", db, "--json", "--limit", "100", "")
		if n, m := len(jsonLines[archive.SearchHit](t, out)), len(jsonLines[archive.SearchHit](t, all)); n >= m {
			t.Errorf("date range gives %d of %d articles", n, m)
		}
	})
	for _, q := range []string{`"unbalanced`, `tesla AND`, `nosuchcolumn:x`, `*`} {
		t.Run("malformed "+q, func(t *testing.T) {
			code, out, stderr := runCmd(t, "search", "--db", db, q)
			if code != exitUsage || out != "" || strings.Count(strings.TrimSpace(stderr), "\n") != 0 ||
				strings.Contains(stderr, "SELECT") || strings.Contains(stderr, "SQL logic") {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and one line", code, out, stderr)
			}
		})
	}
	t.Run("bad date", func(t *testing.T) {
		if code, _, stderr := runCmd(t, "search", "--db", db, "--since", "15/02/2021", "x"); code != exitUsage {
			t.Errorf("exit %d: %s", code, stderr)
		}
	})
	t.Run("help", func(t *testing.T) {
		code, out, _ := runCmd(t, "search", "--help")
		if code != 0 || !strings.Contains(out, "Examples:") || !strings.Contains(out, "Exit status") {
			t.Errorf("exit %d help:\n%s", code, out)
		}
	})
}

func TestExportCommand(t *testing.T) {
	db := demoArchive(t)
	code, out, stderr := runCmd(t, "export", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	all := jsonLines[struct {
		exportJSON
		Record extract.Article `json:"record"`
	}](t, out)
	if len(all) != len(fixtureArticles(t)) {
		t.Errorf("exported %d articles, want %d", len(all), len(fixtureArticles(t)))
	}
	for _, a := range all {
		if a.Record.Title == "" || a.Record.CanonicalURL != a.CanonicalURL || a.Versions != 1 {
			t.Errorf("record %d: %+v", a.ID, a)
		}
	}
	code, out, stderr = runCmd(t, "export", "--db", db, "--format", "csv", "--author", "Eva Fox")
	if code != 0 {
		t.Fatalf("csv exit %d: %s", code, stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v", err)
	}
	if len(rows) != 7 || strings.Join(rows[0], ",") != strings.Join(exportCSVHeader, ",") {
		t.Errorf("csv has %d rows (want header + 6), header %v", len(rows), rows[0])
	}
	for _, r := range rows[1:] {
		if !strings.Contains(r[4], "Eva Fox") || r[15] == "" {
			t.Errorf("csv row %v", r[:5])
		}
	}
	_, out, _ = runCmd(t, "export", "--db", db, "--editor", "SmokeyShorts", "--since", "2021-02-15", "--until", "2021-02-16", "clubhouse")
	for _, a := range jsonLines[exportJSON](t, out) {
		if a.ID == 0 {
			t.Errorf("bad line %+v", a)
		}
	}
	code, out, stderr = runCmd(t, "export", "--db", db, "--links")
	if code != 0 {
		t.Fatalf("links exit %d: %s", code, stderr)
	}
	edges := jsonLines[linkJSON](t, out)
	archived := 0
	for _, e := range edges {
		if e.FromID == 0 || e.ToURL == "" || e.Archived != (e.ToID != 0) {
			t.Errorf("edge %+v", e)
		}
		if e.Archived {
			archived++
		}
	}
	if len(edges) == 0 || archived == 0 {
		t.Errorf("%d edges, %d to archived articles", len(edges), archived)
	}
	code, out, _ = runCmd(t, "export", "--db", db, "--links", "--format", "csv")
	if lines := strings.Count(out, "\n"); code != 0 || lines != len(edges)+1 {
		t.Errorf("links csv exit %d, %d lines, want %d", code, lines, len(edges)+1)
	}
	if code, _, stderr := runCmd(t, "export", "--db", db, "--format", "parquet"); code != exitUsage {
		t.Errorf("parquet exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCmd(t, "export", "--db", db, `"open`); code != exitUsage || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Errorf("malformed query exit %d: %s", code, stderr)
	}
}

func TestSQLCommand(t *testing.T) {
	db := demoArchive(t)
	code, out, stderr := runCmd(t, "sql", "--db", db, "--json",
		"SELECT a.name, count(*) AS n FROM version_authors va JOIN authors a ON a.id = va.author_id GROUP BY a.name ORDER BY n DESC, a.name")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := jsonLines[map[string]any](t, out)
	if len(rows) == 0 || rows[0]["name"] != "Eva Fox" || rows[0]["n"] != float64(6) {
		t.Errorf("rows = %v", rows)
	}
	if !strings.HasPrefix(out, `{"name":`) {
		t.Errorf("columns not in SELECT order: %s", out)
	}
	code, out, _ = runCmd(t, "sql", "--db", db, "SELECT count(*) AS articles FROM articles")
	if code != 0 || out != "articles\n11\n" {
		t.Errorf("text output exit %d: %q", code, out)
	}
	for _, q := range []string{
		"INSERT INTO tags (name) VALUES ('x')",
		"UPDATE versions SET title = 'x'",
		"DELETE FROM articles",
		"ATTACH DATABASE '" + filepath.Join(t.TempDir(), "x.db") + "' AS x",
		"PRAGMA query_only = 0",
		"PRAGMA user_version = 3",
		"PRAGMA journal_mode = DELETE",
		"DROP TABLE links",
		"CREATE TEMP TABLE t (x)",
		"SELECT 1; DELETE FROM articles",
	} {
		code, out, stderr := runCmd(t, "sql", "--db", db, q)
		if code != exitUsage || out != "" && out != "1\n" && !strings.HasPrefix(out, "1\n") {
			t.Errorf("sql %q: exit %d, stdout %q, stderr %q; want refused (exit 2)", q, code, out, stderr)
		}
	}
	_, out, _ = runCmd(t, "sql", "--db", db, "SELECT count(*) FROM articles")
	if out != "count(*)\n11\n" {
		t.Errorf("archive changed by refused statements: %q", out)
	}
}

func TestStatsCommand(t *testing.T) {
	db := demoArchive(t)
	code, out, stderr := runCmd(t, "stats", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"Articles per site", "Articles per author", "Eva Fox", "Articles per editor",
		"SmokeyShorts", "Articles per month", "2021-02", "Crawl runs:", "skipped by reason: robots=10"} {
		if !strings.Contains(out, want) {
			t.Errorf("stats lacks %q:\n%s", want, out)
		}
	}
	_, out, _ = runCmd(t, "stats", "--db", db, "--json")
	var st archive.Stats
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	if st.Articles != 11 || st.SkippedByReason["robots"] != 10 || len(st.Runs) != 1 || st.Runs[0].Counts["pages"] == 0 {
		t.Errorf("stats json = %+v", st)
	}
}

// twoVersionArchive makes an archive with one article in two versions.
func twoVersionArchive(t *testing.T) (db string, v1, v2 int64) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "v.db")
	s, err := archive.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	run, _, err := s.StartRun(t.Context(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	u := "https://news.example/a"
	var ids []int64
	for i, body := range []string{"First paragraph.\n\nSecond paragraph.", "First paragraph.\n\nSecond paragraph, corrected.\n\nA new third."} {
		a := &extract.Article{URL: u, CanonicalURL: u, Title: []string{"Old title", "New title"}[i], BodyText: body,
			Authors: []extract.Author{{Name: "Eva Fox"}}, IsArticle: true, PublishedAt: "2021-02-15T10:00:00Z"}
		res, err := s.Commit(t.Context(), run, []archive.Capture{{Entry: archive.QueueEntry{URL: u}, State: archive.StateDone,
			Page: &archive.Page{URL: u, FinalURL: u, Status: 200, FetchedAt: time.Now(), Body: []byte("<p>" + body)}, Article: a}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res[0].VersionID)
	}
	return db, ids[0], ids[1]
}

func TestShowCommand(t *testing.T) {
	db := demoArchive(t)
	kremlin := "https://www.tesmanian.com/blogs/tesmanian-blog/the-kremlin-considers-elon-musks-clubhouse-chat-invite-to-russian-president-vladimir-putin-a-very-interesting-proposal"
	code, out, stderr := runCmd(t, "show", "--db", db, "--json", kremlin)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rec struct {
		Record  extract.Article `json:"record"`
		Related []struct {
			Archived bool `json:"archived"`
		} `json:"related"`
		Versions []any `json:"versions"`
	}
	if err := json.Unmarshal([]byte(out), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Record.Title != kremlinTitle || len(rec.Versions) != 1 || len(rec.Related) == 0 || rec.Record.Authors[0].Bio == "" {
		t.Errorf("show --json = %+v", rec)
	}
	code, out, _ = runCmd(t, "show", "--db", db, kremlin)
	for _, want := range []string{"Bio:", "Editor:", "Related links:", "Versions:"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCmd(t, "show", "--db", db, "--raw", kremlin)
	if code != 0 || !strings.Contains(out, "<html") {
		t.Errorf("show --raw exit %d", code)
	}

	vdb, v1, v2 := twoVersionArchive(t)
	code, out, stderr = runCmd(t, "show", "--db", vdb, "--json", "--diff", strconv.FormatInt(v1, 10), strconv.FormatInt(v2, 10))
	if code != 0 {
		t.Fatalf("diff exit %d: %s", code, stderr)
	}
	var d versionDiff
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	wantBody := []string{"  First paragraph.", "+ Second paragraph, corrected.", "+ A new third.", "- Second paragraph."}
	if len(d.Changes) < 1 || d.Changes[0] != (fieldChange{"title", "Old title", "New title"}) ||
		strings.Join(sortedCopy(d.Body), "|") != strings.Join(sortedCopy(wantBody), "|") {
		t.Errorf("diff = %+v", d)
	}
	code, out, _ = runCmd(t, "show", "--db", vdb, "--diff", strconv.FormatInt(v1, 10), strconv.FormatInt(v2, 10), "https://news.example/a")
	if code != 0 || !strings.Contains(out, "- Old title") || !strings.Contains(out, "+ New title") {
		t.Errorf("text diff exit %d:\n%s", code, out)
	}
	if code, _, _ := runCmd(t, "show", "--db", vdb, "--diff"); code != exitUsage {
		t.Errorf("--diff without arguments: exit %d", code)
	}
}

func sortedCopy(s []string) []string { return slices.Sorted(slices.Values(s)) }

// TestQueriesWhileCrawling runs search, sql, export and stats in a loop while a
// crawl writes to the same file: none may fail (no "database is locked").
func TestQueriesWhileCrawling(t *testing.T) {
	site := testsite.NewGenerated(testsite.GenOptions{Pages: 300})
	srv := httptest.NewServer(site)
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "live.db")
	// The archive must exist before readers open it: crawl the first page.
	if code, _, stderr := runCmd(t, "crawl", "--db", db, "--delay", "0", "--quiet", "--max-pages", "1", srv.URL+"/"); code != 0 && code != exitPartial {
		t.Fatalf("first crawl exit %d: %s", code, stderr)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var (
		crawlDone atomic.Bool
		crawlCode int
		crawlErr  bytes.Buffer
		wg        sync.WaitGroup
	)
	wg.Go(func() {
		defer crawlDone.Store(true)
		e := &env{stdout: &bytes.Buffer{}, stderr: &crawlErr, getenv: func(string) string { return "" }, hardStop: context.Background()}
		crawlCode = run(ctx, e, []string{"crawl", "--db", db, "--delay", "0", "--quiet", srv.URL + "/"})
	})
	queries := [][]string{
		{"search", "--db", db, "--json", "news"},
		{"search", "--db", db, "--json", ""},
		{"sql", "--db", db, "SELECT count(*) FROM articles"},
		{"export", "--db", db, "--limit", "50"},
		{"stats", "--db", db},
	}
	n := 0
	for !crawlDone.Load() || n < len(queries) {
		args := queries[n%len(queries)]
		var out, errb bytes.Buffer
		e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, hardStop: context.Background()}
		code := run(t.Context(), e, args)
		if code != 0 || strings.Contains(errb.String(), "locked") {
			t.Errorf("%v while crawling: exit %d: %s", args[0], code, errb.String())
		}
		n++
	}
	wg.Wait()
	if crawlCode != 0 {
		t.Errorf("crawl exit %d: %s", crawlCode, crawlErr.String())
	}
	_, out, _ := runCmd(t, "sql", "--db", db, "SELECT count(*) > 100 FROM articles")
	if out != "count(*) > 100\n1\n" {
		t.Errorf("crawl archived too little to overlap the queries: %q", out)
	}
	t.Logf("%d queries ran during the crawl", n)
}

// emptyArchive makes a new, empty archive.
func emptyArchive(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "empty.db")
	st, err := archive.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return db
}

// endlessQuery never finishes: a recursive CTE without a bound, counted.
const endlessQuery = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"

func TestSQLOneStatement(t *testing.T) {
	db := emptyArchive(t)
	for _, tc := range []struct {
		query string
		code  int
		out   string
	}{
		{"SELECT 1; SELECT 2", exitUsage, ""},
		{"SELECT 1;\nPRAGMA table_list", exitUsage, ""},
		{"SELECT 1 AS n /* ; */; -- trailing\n;", exitOK, "n\n1\n"},
		{"SELECT ';' AS x", exitOK, "x\n;\n"},
		{`SELECT 1 AS "a;b"`, exitOK, "a;b\n1\n"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			code, out, stderr := runCmd(t, "sql", "--db", db, tc.query)
			if code != tc.code || out != tc.out {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout %q", code, out, stderr, tc.code, tc.out)
			}
			if tc.code == exitUsage && !strings.Contains(stderr, "more than one SQL statement") {
				t.Errorf("stderr %q does not say why", stderr)
			}
		})
	}
}

func TestSQLTimeout(t *testing.T) {
	db := emptyArchive(t)
	start := time.Now()
	code, _, stderr := runCmd(t, "sql", "--db", db, "--timeout", "300ms", endlessQuery)
	if code != exitError || !strings.Contains(stderr, "--timeout of 300ms") {
		t.Errorf("exit %d, stderr %q; want 1 and a message naming the timeout", code, stderr)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("the query ran %s after a 300ms timeout", d)
	}
}

func TestSQLMemoryBound(t *testing.T) {
	db := emptyArchive(t)
	code, out, stderr := runCmd(t, "sql", "--db", db, "SELECT length(randomblob(1e9))")
	if code != exitError || out != "" || !strings.Contains(stderr, "too big") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and SQLite's \"string or blob too big\"", code, out, stderr)
	}
	// An archived page of the crawler's largest default size still reads.
	code, out, stderr = runCmd(t, "sql", "--db", db, "SELECT length(zeroblob(16 << 20))")
	if code != exitOK || out != "length(zeroblob(16 << 20))\n16777216\n" {
		t.Errorf("16 MiB value: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

// TestSQLInterrupt sends SIGINT to a child running an endless query: it
// stops with exit status 130 and says the query was stopped.
func TestSQLInterrupt(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT on Windows")
	}
	db := emptyArchive(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "sql", "--db", db, endlessQuery)
	cmd.Env = append(os.Environ(), "NEWSARCHIVE_TEST_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForOpen(t, cmd.Process.Pid, db)
	time.Sleep(200 * time.Millisecond) // into the query
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("the query did not stop within 20s of SIGINT; stderr %q", stderr.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
		t.Errorf("exit %d, want %d; stderr %q", code, exitInterrupted, stderr.String())
	}
	if s := stderr.String(); !strings.Contains(s, "query stopped by Ctrl-C") || strings.Contains(s, "pages") || strings.Contains(s, "resume") {
		t.Errorf("stderr %q; want a message about the query, not about a crawl", s)
	}
}

// waitForOpen waits until process pid has file open (it then handles
// SIGINT: main sets that up before a command opens anything). Where /proc
// is not there to tell, it waits two seconds.
func waitForOpen(t *testing.T, pid int, file string) {
	t.Helper()
	fdDir := fmt.Sprintf("/proc/%d/fd", pid)
	if _, err := os.Stat(fdDir); err != nil {
		time.Sleep(2 * time.Second)
		return
	}
	want, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		fds, _ := os.ReadDir(fdDir)
		for _, fd := range fds {
			if target, err := os.Readlink(filepath.Join(fdDir, fd.Name())); err == nil && target == want {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("process %d did not open %s within 30s", pid, file)
}
