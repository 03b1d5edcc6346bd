package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	newsarchive "github.com/newsarchive/newsarchive"
	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/internal/testsite"
)

// TestMain lets the test binary act as the newsarchive command in a child
// process, so crash tests can kill a real crawl with SIGKILL.
func TestMain(m *testing.M) {
	if os.Getenv("NEWSARCHIVE_TEST_MAIN") == "1" {
		os.Exit(realMain(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// runCmd runs a command in process and returns its exit status and output.
func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, hardStop: context.Background()}
	code = run(t.Context(), e, args)
	return code, out.String(), errb.String()
}

// fixtureArticles lists the canonical URLs of every article in the fixture site.
func fixtureArticles(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "fixtures.json"))
	if err != nil {
		t.Fatalf("read fixture list: %v", err)
	}
	var list struct {
		Articles []struct {
			Handle string `json:"handle"`
		} `json:"articles"`
	}
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatalf("parse fixture list: %v", err)
	}
	var urls []string
	for _, a := range list.Articles {
		urls = append(urls, "https://www.tesmanian.com/blogs/tesmanian-blog/"+a.Handle)
	}
	if len(urls) < 8 {
		t.Fatalf("fixture list has %d articles, want at least 8", len(urls))
	}
	return urls
}

// archivedArticles returns canonical URL → number of articles with that URL.
func archivedArticles(t *testing.T, db string) map[string]int {
	t.Helper()
	st, err := archive.OpenReadOnly(t.Context(), db)
	if errors.Is(err, archive.ErrNotArchive) {
		return map[string]int{} // e.g. killed before the schema was created
	}
	if err != nil {
		t.Fatalf("open archive: %v", err)
	}
	defer st.Close()
	list, err := st.ListArticles(t.Context(), archive.ListOptions{Limit: 10000})
	if err != nil {
		t.Fatalf("list articles: %v", err)
	}
	got := map[string]int{}
	for _, a := range list {
		got[a.CanonicalURL]++
	}
	return got
}

// crawlJSON runs `crawl --db db --delay 0 --quiet --json args...`, fails the
// test unless it exits 0, and returns its summary.
func crawlJSON(t *testing.T, db string, args ...string) crawlSummary {
	t.Helper()
	code, out, stderr := runCmd(t, append([]string{"crawl", "--db", db, "--delay", "0", "--quiet", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("crawl exit %d: %s %s", code, out, stderr)
	}
	var s crawlSummary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("summary: %v", err)
	}
	return s
}

// committedArticles counts the articles in the archive at db while a crawl
// writes it; 0 when it cannot be read yet.
func committedArticles(db string) int {
	st, err := archive.OpenReadOnly(context.Background(), db)
	if err != nil {
		return 0
	}
	defer st.Close()
	list, err := st.ListArticles(context.Background(), archive.ListOptions{Limit: 10000})
	if err != nil {
		return 0
	}
	return len(list)
}

func integrityOK(t *testing.T, db string) {
	t.Helper()
	st, err := archive.OpenReadOnly(t.Context(), db)
	if errors.Is(err, archive.ErrNotArchive) {
		return // killed before the schema was created: nothing to check yet
	}
	if err != nil {
		t.Fatalf("open archive: %v", err)
	}
	defer st.Close()
	res, err := st.IntegrityCheck(t.Context())
	if err != nil || res != "ok" {
		t.Fatalf("integrity_check = %q, %v; want ok", res, err)
	}
}

func assertEveryArticleOnce(t *testing.T, db string) {
	t.Helper()
	got := archivedArticles(t, db)
	for _, u := range fixtureArticles(t) {
		if got[u] != 1 {
			t.Errorf("article %s archived %d times, want 1", u, got[u])
		}
	}
	for u, n := range got {
		if n != 1 {
			t.Errorf("article %s archived %d times", u, n)
		}
	}
}

func TestCrawlFixtureSite(t *testing.T) {
	site := testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true})
	srv := httptest.NewServer(site)
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "a.db")

	code, out, stderr := runCmd(t, "crawl", "--db", db, "--delay", "0", "--quiet", "--json", srv.URL+"/")
	if code != 0 {
		t.Fatalf("crawl exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	var sum crawlSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("summary is not JSON: %v\n%s", err, out)
	}
	assertEveryArticleOnce(t, db)
	if sum.NewArticles != int64(len(fixtureArticles(t))) {
		t.Errorf("summary new_articles = %d, want %d", sum.NewArticles, len(fixtureArticles(t)))
	}
	// robots.txt forbids /account and multi-tag (+) blog URLs: never requested.
	for _, line := range site.RequestLog() {
		_, p, _ := strings.Cut(line, " ")
		if strings.HasPrefix(p, "/account") || strings.Contains(p, "+") || strings.Contains(strings.ToLower(p), "%2b") {
			t.Errorf("robots-forbidden path requested: %s", p)
		}
	}
	integrityOK(t, db)

	// Every response is archived once: no raw page twice, and as many raw pages
	// as the summary reports.
	st, err := archive.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.Query(t.Context(), `SELECT count(*), count(DISTINCT url || ' ' || fetched_at) FROM pages`)
	if err != nil {
		t.Fatal(err)
	}
	var pages, distinct int64
	for rows.Next() {
		if err := rows.Scan(&pages, &distinct); err != nil {
			t.Fatal(err)
		}
	}
	rows.Close()
	if pages != distinct || pages != sum.Pages {
		t.Errorf("raw pages: %d rows, %d distinct, summary says %d; want all equal", pages, distinct, sum.Pages)
	}
}

func TestRecrawlConditional(t *testing.T) {
	site := testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true})
	srv := httptest.NewServer(site)
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "a.db")
	crawlOnce := func() crawlSummary {
		t.Helper()
		return crawlJSON(t, db, srv.URL+"/")
	}
	first := crawlOnce()
	if first.NewArticles == 0 {
		t.Fatal("first crawl archived no article")
	}
	second := crawlOnce()
	if second.NewArticles != 0 || second.NewVersions != 0 {
		t.Errorf("unchanged re-crawl added %d articles and %d versions, want 0", second.NewArticles, second.NewVersions)
	}
	if second.NotModified == 0 {
		t.Errorf("unchanged re-crawl recorded no 304; summary %+v", second)
	}

	// Change one article's body: the next crawl stores a second version of it.
	path := "/blogs/tesmanian-blog/the-kremlin-considers-elon-musks-clubhouse-chat-invite-to-russian-president-vladimir-putin-a-very-interesting-proposal"
	body, err := fs.ReadFile(newsarchive.FixtureSite(), strings.TrimPrefix(path, "/")+".html")
	if err != nil {
		t.Fatalf("fixture page %s: %v", path, err)
	}
	changed := bytes.Replace(body, []byte("Elon Musk is ready for a dialogue"), []byte("Elon Musk is, it seems, ready for a dialogue"), 1)
	if bytes.Equal(changed, body) {
		t.Fatal("reference sentence not found in the fixture page")
	}
	if err := site.SetPage(path, changed); err != nil {
		t.Fatal(err)
	}
	third := crawlOnce()
	if third.NewVersions != 1 || third.NewArticles != 0 {
		t.Errorf("after one change: %d new versions, %d new articles; want 1, 0", third.NewVersions, third.NewArticles)
	}
	assertEveryArticleOnce(t, db)
}

// TestCrashResume kills real crawls with SIGKILL at random moments and resumes
// each: after every kill and every resume the archive is intact, and the resumed
// crawl ends with every article archived exactly once.
func TestCrashResume(t *testing.T) {
	if testing.Short() {
		t.Skip("crash loop skipped in -short mode")
	}
	site := testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true})
	// Slow the site down so that kills land in the middle of the crawl.
	var served, delayMS atomic.Int64
	delayMS.Store(15)
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(time.Duration(delayMS.Load()) * time.Millisecond)
		site.ServeHTTP(w, r)
		served.Add(1)
	})
	srv := httptest.NewServer(slow)
	defer srv.Close()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	crawlCmd := func(db string) *exec.Cmd {
		cmd := exec.Command(exe, "crawl", "--db", db, "--delay", "0", "--parallelism", "4", "--quiet", srv.URL+"/")
		cmd.Env = append(os.Environ(), "NEWSARCHIVE_TEST_MAIN=1")
		return cmd
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rounds := 20
	if os.Getenv("NEWSARCHIVE_CI") == "" {
		rounds = 6
	}
	total := len(fixtureArticles(t))
	midCrawl := 0
	for i := range rounds {
		db := filepath.Join(t.TempDir(), fmt.Sprintf("crash%d.db", i))
		// One or two kills at random moments, then a resume that runs to the end.
		for k := range 1 + rng.IntN(2) {
			cmd := crawlCmd(db)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Kill after the server has answered a random number of requests
			// (the fixture crawl makes about 35), plus a random few ms, so kills
			// land anywhere from start-up to the end of the crawl. In odd
			// rounds the first kill waits instead for a random number of
			// articles to be committed: commits come in batches, and on a
			// loaded machine request-timed kills could all land before the
			// first one.
			before := served.Load()
			deadline := time.Now().Add(20 * time.Second)
			delayMS.Store(15)
			if i%2 == 1 && k == 0 {
				delayMS.Store(40)             // articles then arrive over ~0.5 s
				want := 1 + rng.IntN(total/2) // well before the last ones
				for committedArticles(db) < want && time.Now().Before(deadline) {
					time.Sleep(2 * time.Millisecond)
				}
			} else {
				want := before + int64(rng.IntN(36))
				for served.Load() < want && time.Now().Before(deadline) {
					time.Sleep(time.Millisecond)
				}
			}
			wait := time.Duration(rng.IntN(20)) * time.Millisecond
			time.Sleep(wait)
			_ = cmd.Process.Signal(syscall.SIGKILL)
			_ = cmd.Wait()
			if _, err := os.Stat(db); err != nil {
				continue // killed before the archive was created
			}
			integrityOK(t, db)
			got := archivedArticles(t, db)
			for u, n := range got {
				if n != 1 {
					t.Fatalf("round %d kill %d: article %s archived %d times", i, k, u, n)
				}
			}
			if len(got) > 0 && len(got) < total {
				midCrawl++
			}
			t.Logf("round %d: killed after %d requests (+%v) with %d of %d articles archived", i, served.Load()-before, wait, len(got), total)
		}
		delayMS.Store(15)
		if out, err := crawlCmd(db).CombinedOutput(); err != nil {
			t.Fatalf("round %d: resumed crawl: %v\n%s", i, err, out)
		}
		integrityOK(t, db)
		assertEveryArticleOnce(t, db)
	}
	if midCrawl == 0 {
		t.Errorf("no kill landed in the middle of a crawl; the test proves nothing")
	}
}

func TestDemoTwiceNoDuplicates(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	for i := range 2 {
		code, out, stderr := runCmd(t, "demo", "--db", db, "--quiet")
		if code != 0 {
			t.Fatalf("demo run %d: exit %d\n%s\n%s", i, code, out, stderr)
		}
		if !strings.Contains(out, "The Kremlin Considers Elon Musk") {
			t.Errorf("demo run %d output lacks the reference article:\n%s", i, out)
		}
	}
	assertEveryArticleOnce(t, db)
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"crawl"}, exitUsage},
		{[]string{"crawl", "--parallelism", "x", "http://127.0.0.1/"}, exitUsage},
		{[]string{"nosuch"}, exitUsage},
		{[]string{"crawl", "--help"}, exitOK},
		{[]string{"extract"}, exitUsage},
	} {
		t.Run(fmt.Sprint(tc.args), func(t *testing.T) {
			code, _, stderr := runCmd(t, tc.args...)
			if code != tc.want {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.want, stderr)
			}
			if code == exitUsage && strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("usage error is not one line: %q", stderr)
			}
		})
	}
}

func TestSecondCrawlRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	unlock, err := lockArchive(db)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	code, _, stderr := runCmd(t, "crawl", "--db", db, "--delay", "0", "--quiet", "http://127.0.0.1:1/")
	if code != exitError || !strings.Contains(stderr, "another crawl is writing") {
		t.Errorf("exit %d, stderr %q; want a one-line refusal", code, stderr)
	}
}

// TestSecondCrawlRefusedThroughLinks: the lock belongs to the archive file,
// so another name for it (a symlink, a hard link) meets the same lock.
func TestSecondCrawlRefusedThroughLinks(t *testing.T) {
	for name, link := range map[string]func(old, new string) error{"symlink": os.Symlink, "hard link": os.Link} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "a.db")
			if err := os.WriteFile(db, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			unlock, err := lockArchive(db)
			if err != nil {
				t.Fatal(err)
			}
			defer unlock()
			other := filepath.Join(dir, "other.db")
			if err := link(db, other); err != nil {
				t.Skipf("cannot make a %s here: %v", name, err)
			}
			code, _, stderr := runCmd(t, "crawl", "--db", other, "--delay", "0", "--quiet", "http://127.0.0.1:1/")
			if code != exitError || !strings.Contains(stderr, "another crawl is writing") {
				t.Errorf("crawl through a %s: exit %d, stderr %q; want a one-line refusal", name, code, stderr)
			}
		})
	}
}

func TestMaxPagesContinues(t *testing.T) {
	site := testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true})
	srv := httptest.NewServer(site)
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "a.db")
	summary := func(args ...string) crawlSummary {
		t.Helper()
		return crawlJSON(t, db, args...)
	}
	first := summary("--max-pages", "8", srv.URL+"/")
	if !first.StoppedAtMaxPages || first.Pages > 8 {
		t.Fatalf("first run: stopped_at_max_pages=%v pages=%d; want true, ≤ 8", first.StoppedAtMaxPages, first.Pages)
	}
	second := summary(srv.URL + "/")
	if !second.Resumed || second.RunID != first.RunID {
		t.Errorf("second run: resumed=%v run %d; want it to continue run %d", second.Resumed, second.RunID, first.RunID)
	}
	assertEveryArticleOnce(t, db)
	if dup := site.DuplicateFetches(); dup != 0 {
		t.Errorf("%d pages fetched twice across the two invocations", dup)
	}
}
