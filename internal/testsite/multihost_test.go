package testsite

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var hrefRE = regexp.MustCompile(`href="([^"]+)"`)

// crawlMulti fetches everything reachable from the seeds, one request at a
// time with gap between starts to the same host, each URL once (robots.txt
// first on every host), and returns the article URLs found.
func crawlMulti(t *testing.T, s *MultiSite, gap time.Duration) map[string]bool {
	t.Helper()
	queue := []string{}
	for _, o := range s.Origins() {
		queue = append(queue, o+"/robots.txt")
	}
	queue = append(queue, s.Seeds()...)
	seen := map[string]bool{}
	for _, u := range queue {
		seen[u] = true
	}
	last := map[string]time.Time{}
	articles := map[string]bool{}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		pu, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		if wait := gap - time.Since(last[pu.Host]); wait > 0 {
			time.Sleep(wait)
		}
		last[pu.Host] = time.Now()
		body := getMulti(t, u)
		if s.IsArticle(pu.Path) {
			articles[u] = true
		}
		for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
			ref, err := pu.Parse(m[1])
			if err != nil {
				t.Fatal(err)
			}
			if !seen[ref.String()] {
				seen[ref.String()] = true
				queue = append(queue, ref.String())
			}
		}
	}
	return articles
}

func getMulti(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
	return string(b)
}

// TestMultiHostPoliteCrawl: a polite crawl, one URL at a time, reaches every
// article through the listings and cross-host links, and the checks find
// nothing wrong with it.
func TestMultiHostPoliteCrawl(t *testing.T) {
	s := StartMultiHost(t, MultiOptions{Articles: 60, PerPage: 8})
	hp := s.HostPorts()
	if len(hp) != 3 || hp[0] == hp[1] || hp[1] == hp[2] || hp[0] == hp[2] {
		t.Fatalf("hosts %v, want three distinct", hp)
	}
	if !strings.Contains(s.ArticleURL(0), hp[0]) || !strings.Contains(s.ArticleURL(1), hp[1]) {
		t.Errorf("articles 0 and 1 at %s and %s, want on hosts 0 and 1", s.ArticleURL(0), s.ArticleURL(1))
	}
	if body := getMulti(t, s.ArticleURL(0)); !strings.Contains(body, `href="`+s.ArticleURL(1)+`"`) || !strings.Contains(body, `"NewsArticle"`) {
		t.Errorf("article 0 does not link to article 1 on the next host, or is no NewsArticle:\n%s", body)
	}
	padded := StartMultiHost(t, MultiOptions{Hosts: 1, Articles: 2, PadTo: 50 << 10})
	if body := getMulti(t, padded.ArticleURL(1)); len(body) < 50<<10 || len(body) > 54<<10 || !strings.HasSuffix(body, "</body></html>\n") {
		t.Errorf("article padded to 50 KB: %d bytes", len(body))
	}
	s.Reset()
	const delay = 20 * time.Millisecond
	found := crawlMulti(t, s, delay)
	if len(found) != s.Articles() {
		t.Errorf("crawl found %d articles, want %d", len(found), s.Articles())
	}
	log := s.Requests()
	if bad := s.CheckOnce(log); len(bad) > 0 {
		t.Errorf("CheckOnce on a clean crawl: %v", bad)
	}
	// The client spaced its starts by delay; the server sees them a few
	// milliseconds closer or farther apart (connection set-up, scheduling).
	if bad := CheckPoliteness(log, 1, delay, delay/2); len(bad) > 0 {
		t.Errorf("CheckPoliteness on a clean crawl: %v", bad)
	}
	if n := s.ByUserAgent(log)["Go-http-client/1.1"]; n != s.Articles() {
		t.Errorf("ByUserAgent: %d article fetches by Go-http-client/1.1, want %d", n, s.Articles())
	}
	// Unknown paths and another host's article are no articles.
	if s.IsArticle("/news/1-x") || s.IsArticle("/list/2") {
		t.Error("IsArticle accepts a wrong slug or a listing")
	}
	resp, err := http.Get(s.Origins()[0] + strings.TrimPrefix(s.ArticleURL(1), s.Origins()[1]))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("article 1 on host 0: %d, want 404", resp.StatusCode)
	}
}

// TestMultiHostChecksCatchViolations: each check fails on a deliberate
// violation of what it checks.
func TestMultiHostChecksCatchViolations(t *testing.T) {
	s := StartMultiHost(t, MultiOptions{Articles: 9, Latency: 40 * time.Millisecond})
	// Every article once, except article 4 twice and article 7 never.
	for i := 0; i < s.Articles(); i++ {
		if i != 7 {
			getMulti(t, s.ArticleURL(i))
		}
	}
	getMulti(t, s.ArticleURL(4))
	bad := s.CheckOnce(s.Requests())
	if len(bad) != 2 || !strings.Contains(bad[0]+bad[1], s.ArticleURL(4)+" fetched 2 times") ||
		!strings.Contains(bad[0]+bad[1], s.ArticleURL(7)+" never fetched") {
		t.Errorf("CheckOnce with a duplicate and a missing article: %q", bad)
	}
	// Sequential requests 40 ms long: no overlap, but starts 40 ms apart.
	if bad := CheckPoliteness(s.Requests(), 1, 30*time.Millisecond, 0); len(bad) != 0 {
		t.Errorf("sequential requests flagged: %q", bad)
	}
	if bad := CheckPoliteness(s.Requests(), 1, 200*time.Millisecond, 0); len(bad) == 0 || !strings.Contains(bad[0], "delay 200ms") {
		t.Errorf("starts 40 ms apart not flagged against a 200 ms delay: %q", bad)
	}
	// Three requests at once to host 0.
	s.Reset()
	var wg sync.WaitGroup
	for _, i := range []int{0, 3, 6} {
		wg.Go(func() {
			if resp, err := http.Get(s.ArticleURL(i)); err == nil {
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	bad = CheckPoliteness(s.Requests(), 2, 0, 0)
	if len(bad) != 1 || !strings.Contains(bad[0], "3 requests at once") || !strings.Contains(bad[0], s.HostPorts()[0]) {
		t.Errorf("three concurrent requests with parallelism 2: %q", bad)
	}
	if bad := CheckPoliteness(s.Requests(), 3, 0, 0); len(bad) != 0 {
		t.Errorf("three concurrent requests with parallelism 3 flagged: %q", bad)
	}
}

// TestMaxConcurrent: touching intervals do not overlap; nested ones do.
func TestMaxConcurrent(t *testing.T) {
	t0 := time.Unix(0, 0)
	at := func(a, b int) MultiRequest {
		return MultiRequest{Start: t0.Add(time.Duration(a) * time.Millisecond), End: t0.Add(time.Duration(b) * time.Millisecond)}
	}
	for _, tc := range []struct {
		log  []MultiRequest
		want int
	}{
		{nil, 0},
		{[]MultiRequest{at(0, 10), at(10, 20), at(20, 30)}, 1},
		{[]MultiRequest{at(0, 10), at(9, 20), at(19, 30)}, 2},
		{[]MultiRequest{at(0, 100), at(10, 20), at(15, 30), at(50, 60)}, 3},
	} {
		if n, _ := MaxConcurrent(tc.log); n != tc.want {
			t.Errorf("MaxConcurrent(%v) = %d, want %d", tc.log, n, tc.want)
		}
	}
	if g := MinStartGap([]MultiRequest{at(30, 31), at(0, 1), at(12, 13), at(50, 51)}); g != 12*time.Millisecond {
		t.Errorf("MinStartGap = %v, want 12ms", g)
	}
}
