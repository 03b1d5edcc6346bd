package crawlbench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestCrawlBenchChild is the child entry point of RunChild for this package's
// test binary.
func TestCrawlBenchChild(t *testing.T) {
	if _, ok := ChildMode(); !ok {
		t.Skip("run by RunChild only")
	}
	if err := ServeChild(context.Background(), os.Stdout, BaselineModes()); err != nil {
		t.Fatal(err)
	}
}

// tinySite is a small generated site: pages /p/0 … /p/n-1, each linking to the
// home page, a listing and a dozen other pages (relative, absolute, with
// fragments, off-site). It counts requests per path.
type tinySite struct {
	n    int
	mu   sync.Mutex
	hits map[string]int
}

func newTinySite(n int) *tinySite { return &tinySite{n: n, hits: map[string]int{}} }

func (s *tinySite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.RequestURI()]++
	s.mu.Unlock()
	var links []string
	switch {
	case r.URL.Path == "/":
		for i := 0; i < s.n; i += 20 {
			links = append(links, fmt.Sprintf("/list?page=%d", i/20))
		}
	case r.URL.Path == "/list":
		p, _ := strconv.Atoi(r.URL.Query().Get("page"))
		for i := p * 20; i < (p+1)*20 && i < s.n; i++ {
			links = append(links, fmt.Sprintf("/p/%d", i))
		}
	case strings.HasPrefix(r.URL.Path, "/p/"):
		i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/p/"))
		if err != nil || i < 0 || i >= s.n {
			http.NotFound(w, r)
			return
		}
		for k := 1; k <= 12; k++ {
			links = append(links, fmt.Sprintf("/p/%d", (i*7+k*13)%s.n))
		}
		links = append(links, "/", fmt.Sprintf("%d#comments", (i+1)%s.n), "http://elsewhere.invalid/x",
			fmt.Sprintf("http://%s/p/%d", r.Host, (i+2)%s.n), "/list?page=0&amp;sort=new")
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var b strings.Builder
	b.WriteString("<!doctype html><html><head><title>t</title></head><body>\n")
	for _, l := range links {
		fmt.Fprintf(&b, "<a href=\"%s\">link</a>\n", l)
	}
	b.WriteString(strings.Repeat("<p>filler text</p>\n", 50))
	b.WriteString("</body></html>\n")
	_, _ = w.Write([]byte(b.String()))
}

// pages returns the number of distinct paths requested and of extra requests.
func (s *tinySite) counts() (distinct, dups int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.hits {
		distinct++
		dups += n - 1
	}
	return distinct, dups
}

// tinySiteURLs is the number of distinct URLs of a tinySite of n pages reachable
// from /: the home page, the listings (plus the sorted variant of page 0) and
// the pages.
func tinySiteURLs(n int) int { return 1 + (n+19)/20 + 1 + n }

func TestBaselinesCrawlEverything(t *testing.T) {
	const n = 200
	for name, crawl := range map[string]func(context.Context, string, int, int) (Result, error){
		"colly": BareColly, "nethttp": NetHTTPPool,
	} {
		t.Run(name, func(t *testing.T) {
			site := newTinySite(n)
			srv := httptest.NewServer(site)
			defer srv.Close()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			res, err := crawl(ctx, srv.URL+"/", 8, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Log(res)
			distinct, dups := site.counts()
			if want := tinySiteURLs(n); distinct != want || res.Unique != want {
				t.Errorf("server saw %d distinct URLs, crawler %d unique, want %d", distinct, res.Unique, want)
			}
			if res.Pages != res.Unique+dups {
				t.Errorf("pages %d != unique %d + server-counted duplicates %d", res.Pages, res.Unique, dups)
			}
			if name == "nethttp" && dups != 0 {
				t.Errorf("net/http pool fetched %d duplicates", dups)
			}
			if res.Errors != 0 || res.Elapsed <= 0 || res.CPU <= 0 {
				t.Errorf("errors %d, elapsed %v, cpu %v", res.Errors, res.Elapsed, res.CPU)
			}
		})
	}
}

func TestBaselinesStopAtMaxPages(t *testing.T) {
	for name, crawl := range map[string]func(context.Context, string, int, int) (Result, error){
		"colly": BareColly, "nethttp": NetHTTPPool,
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(newTinySite(200))
			defer srv.Close()
			res, err := crawl(context.Background(), srv.URL+"/", 4, 50)
			if err != nil {
				t.Fatal(err)
			}
			// colly may finish the fetches in flight when the budget is reached,
			// unless the cancellation stops them first.
			if res.Pages < 50 || res.Pages > 50+4 {
				t.Errorf("got %d pages, want 50 (up to 54 for colly)", res.Pages)
			}
			if name == "nethttp" && res.Pages != 50 {
				t.Errorf("got %d pages, want exactly 50", res.Pages)
			}
		})
	}
}

func TestRunChild(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	const n = 200
	for _, mode := range []string{ModeColly, ModeNetHTTP} {
		t.Run(mode, func(t *testing.T) {
			site := newTinySite(n)
			srv := httptest.NewServer(site)
			defer srv.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			res, err := RunChild(ctx, mode, map[string]string{ArgURL: srv.URL + "/", ArgParallelism: "8"})
			if err != nil {
				t.Fatal(err)
			}
			t.Log(res)
			if want := tinySiteURLs(n); res.Unique != want {
				t.Errorf("child crawled %d unique pages, want %d", res.Unique, want)
			}
			if res.MaxRSS < 1<<20 || res.Elapsed <= 0 || res.CPU <= 0 {
				t.Errorf("implausible measurements: %+v", res)
			}
		})
	}
}

func TestRunChildErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	ctx := context.Background()
	if _, err := RunChild(ctx, "no-such-mode", nil); err == nil || !strings.Contains(err.Error(), "unknown mode") {
		t.Errorf("unknown mode: err = %v", err)
	}
	if _, err := RunChild(ctx, ModeNetHTTP, map[string]string{ArgParallelism: "x"}); err == nil || !strings.Contains(err.Error(), "parallelism") {
		t.Errorf("bad argument: err = %v", err)
	}
}

func TestRunChildCPUProfile(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	srv := httptest.NewServer(newTinySite(50))
	defer srv.Close()
	prof := t.TempDir() + "/cpu.prof"
	if _, err := RunChild(context.Background(), ModeNetHTTP, map[string]string{ArgURL: srv.URL + "/", ArgCPUProfile: prof}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(prof); err != nil || fi.Size() == 0 {
		t.Errorf("no CPU profile written: %v", err)
	}
}

func TestParseChildOutput(t *testing.T) {
	out := "=== RUN   TestCrawlBenchChild\n\n" + resultPrefix +
		`{"pages":3,"unique":2,"errors":0,"elapsed_ns":1000000000,"cpu_ns":5,"max_rss_bytes":42}` + "\n--- PASS\nPASS\n"
	res, found, err := parseChildOutput(strings.NewReader(out))
	if err != nil || !found {
		t.Fatalf("found %v, err %v", found, err)
	}
	want := Result{Pages: 3, Unique: 2, Elapsed: time.Second, CPU: 5, MaxRSS: 42}
	if res != want {
		t.Errorf("got %+v, want %+v", res, want)
	}
	if got := res.PagesPerSec(); got != 2 {
		t.Errorf("PagesPerSec = %v, want 2", got)
	}
	if _, _, err := parseChildOutput(strings.NewReader(errorPrefix + "boom\n")); err == nil || err.Error() != "boom" {
		t.Errorf("error line: err = %v", err)
	}
}

func TestHrefs(t *testing.T) {
	base, _ := urlParse("http://h:1/a/b?x=1")
	body := `<a href="/p/1#c">x</a><a href='rel'>y</a><a href=bare>z</a><a href="//h:1/q">
		<a href="http://other/x"></a><a href="/l?a=1&amp;b=2"></a><a href="#top"></a><a href="mailto:x@y">`
	got := hrefs([]byte(body), base, "h:1")
	want := []string{"http://h:1/p/1", "http://h:1/a/rel", "http://h:1/q", "http://h:1/l?a=1&b=2"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("hrefs = %q, want %q", got, want)
	}
}

func urlParse(s string) (*url.URL, error) { return url.Parse(s) }
