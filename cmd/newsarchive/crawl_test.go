package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

func integrityOK(t *testing.T, db string) {
	t.Helper()
	st, err := archive.OpenReadOnly(t.Context(), db)
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
}

func TestRecrawlConditional(t *testing.T) {
	site := testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true})
	srv := httptest.NewServer(site)
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "a.db")
	crawlOnce := func() crawlSummary {
		t.Helper()
		code, out, stderr := runCmd(t, "crawl", "--db", db, "--delay", "0", "--quiet", "--json", srv.URL+"/")
		if code != 0 {
			t.Fatalf("crawl exit %d: %s %s", code, out, stderr)
		}
		var s crawlSummary
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatalf("summary: %v", err)
		}
		return s
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

// TestCrashResume kills real crawls with SIGKILL at random moments, resumes each,
// and checks the archive stays intact with every article archived exactly once.
func TestCrashResume(t *testing.T) {
	if testing.Short() {
		t.Skip("crash loop skipped in -short mode")
	}
	site := testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true})
	// Slow the site down so that kills land in the middle of the crawl.
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(15 * time.Millisecond)
		site.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(slow)
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "crash.db")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rounds := 20
	if os.Getenv("NEWSARCHIVE_CI") == "" {
		rounds = 8
	}
	for i := range rounds {
		cmd := exec.Command(exe, "crawl", "--db", db, "--delay", "0", "--parallelism", "4", "--quiet", srv.URL+"/")
		cmd.Env = append(os.Environ(), "NEWSARCHIVE_TEST_MAIN=1")
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wait := time.Duration(20+rng.IntN(400)) * time.Millisecond
		time.Sleep(wait)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		integrityOK(t, db)
		got := archivedArticles(t, db)
		for u, n := range got {
			if n != 1 {
				t.Fatalf("round %d: article %s archived %d times", i, u, n)
			}
		}
	}
	// A last, uninterrupted run completes the crawl.
	cmd := exec.Command(exe, "crawl", "--db", db, "--delay", "0", "--quiet", srv.URL+"/")
	cmd.Env = append(os.Environ(), "NEWSARCHIVE_TEST_MAIN=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("final crawl: %v\n%s", err, out)
	}
	integrityOK(t, db)
	assertEveryArticleOnce(t, db)
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
