package testsite

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// MultiOptions configures a multi-host site.
type MultiOptions struct {
	// Hosts is the number of hosts (default 3). Host k listens on
	// 127.0.0.(k+1) when the machine routes all of 127.0.0.0/8 to loopback
	// (Linux), else on 127.0.0.1 with a port of its own.
	Hosts int
	// Articles is the number of articles over all hosts (default 300);
	// article i lives on host i % Hosts.
	Articles int
	// PerPage is the number of articles on a listing page (default 20).
	PerPage int
	// Latency is slept before answering each request (robots.txt included).
	Latency time.Duration
	// Paragraphs is the number of body paragraphs per article (default 3).
	Paragraphs int
	// PadTo pads each article with the generated site's head styles,
	// script noise and comments of random words to about this many bytes,
	// as real pages carry (0: no padding, pages of a few KB).
	PadTo int
}

// MultiRequest is one request a MultiSite received.
type MultiRequest struct {
	// Host is the host:port the request was sent to (its Host header).
	Host string
	// Method and Path (with the query, if any) of the request.
	Method, Path string
	// UserAgent is the request's User-Agent header.
	UserAgent string
	// Status is the response's status code.
	Status int
	// Start is when the handler was entered, End when it returned.
	Start, End time.Time
}

// MultiSite is one news site served by several hosts on loopback, each its
// own HTTP server: articles are spread over the hosts and link to each other
// across hosts; every host has a robots.txt that allows everything and a
// paginated listing of its own articles ("/" is its first page,
// "/list/N" the others, each with rel=next). It records every request with
// its host, path, User-Agent and start and end times, for the checks of a
// crawler fleet's guarantees (CheckOnce, CheckPoliteness). It is safe for
// concurrent use.
type MultiSite struct {
	opts    MultiOptions
	servers []*httptest.Server
	origins []string // "http://host:port", one per server

	mu  sync.Mutex
	log []MultiRequest
}

// StartMultiHost starts a multi-host site; its servers are closed when t ends.
func StartMultiHost(t testing.TB, opts MultiOptions) *MultiSite {
	t.Helper()
	if opts.Hosts <= 0 {
		opts.Hosts = 3
	}
	if opts.Articles <= 0 {
		opts.Articles = 300
	}
	if opts.PerPage <= 0 {
		opts.PerPage = 20
	}
	if opts.Paragraphs <= 0 {
		opts.Paragraphs = 3
	}
	s := &MultiSite{opts: opts}
	listeners := make([]net.Listener, opts.Hosts)
	for k := range listeners {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", k+1))
		if err != nil {
			// Not every system routes 127.0.0.0/8: one address, a port per host.
			ln, err = net.Listen("tcp", "127.0.0.1:0")
		}
		if err != nil {
			t.Fatalf("testsite: listen for host %d: %v", k, err)
		}
		listeners[k] = ln
		s.origins = append(s.origins, "http://"+ln.Addr().String())
	}
	for k, ln := range listeners {
		srv := httptest.NewUnstartedServer(s.handler(k))
		srv.Listener.Close()
		srv.Listener = ln
		srv.Start()
		s.servers = append(s.servers, srv)
		t.Cleanup(srv.Close)
	}
	return s
}

// Origins returns the hosts' origins ("http://127.0.0.2:PORT"), in host order.
func (s *MultiSite) Origins() []string { return slices.Clone(s.origins) }

// Seeds returns the hosts' home pages, one per host.
func (s *MultiSite) Seeds() []string {
	seeds := make([]string, len(s.origins))
	for k, o := range s.origins {
		seeds[k] = o + "/"
	}
	return seeds
}

// HostPorts returns the hosts as "host:port", in host order.
func (s *MultiSite) HostPorts() []string {
	hp := make([]string, len(s.origins))
	for k, o := range s.origins {
		hp[k] = strings.TrimPrefix(o, "http://")
	}
	return hp
}

// Articles returns the number of articles.
func (s *MultiSite) Articles() int { return s.opts.Articles }

// ArticleURL returns article i's absolute URL.
func (s *MultiSite) ArticleURL(i int) string {
	return s.origins[i%s.opts.Hosts] + s.articlePath(i)
}

// ArticleURLs returns every article's absolute URL, in article order.
func (s *MultiSite) ArticleURLs() []string {
	urls := make([]string, s.opts.Articles)
	for i := range urls {
		urls[i] = s.ArticleURL(i)
	}
	return urls
}

func (s *MultiSite) articlePath(i int) string {
	return "/news/" + strconv.Itoa(i) + "-" + slug(multiTitle(i))
}

// Requests returns every request received so far, in the order they ended.
func (s *MultiSite) Requests() []MultiRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

// Reset forgets the requests received so far.
func (s *MultiSite) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

func (s *MultiSite) handler(k int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		s.serve(k, sw, r)
		rec := MultiRequest{Host: r.Host, Method: r.Method, Path: requestKey(r), UserAgent: r.UserAgent(),
			Status: sw.status, Start: start, End: time.Now()}
		if rec.Status == 0 {
			rec.Status = http.StatusOK
		}
		s.mu.Lock()
		s.log = append(s.log, rec)
		s.mu.Unlock()
	})
}

func (s *MultiSite) serve(k int, w http.ResponseWriter, r *http.Request) {
	if s.opts.Latency > 0 {
		t := time.NewTimer(s.opts.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
	}
	p := r.URL.Path
	switch {
	case p == "/robots.txt":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "User-agent: *\nAllow: /\n")
	case p == "/":
		s.writeHTML(w, s.listing(k, 1))
	case strings.HasPrefix(p, "/list/"):
		n, err := strconv.Atoi(strings.TrimPrefix(p, "/list/"))
		if err != nil || n < 2 || n > s.listingPages(k) {
			http.NotFound(w, r)
			return
		}
		s.writeHTML(w, s.listing(k, n))
	case strings.HasPrefix(p, "/news/"):
		i, ok := s.articleIndex(p)
		if !ok || i%s.opts.Hosts != k {
			http.NotFound(w, r)
			return
		}
		s.writeHTML(w, s.article(i))
	default:
		http.NotFound(w, r)
	}
}

func (s *MultiSite) writeHTML(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write([]byte(body))
}

// articleIndex parses "/news/<i>-<slug>"; only the exact path of article i
// is an article.
func (s *MultiSite) articleIndex(p string) (int, bool) {
	rest := strings.TrimPrefix(p, "/news/")
	num, _, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(num)
	if err != nil || i < 0 || i >= s.opts.Articles || s.articlePath(i) != p {
		return 0, false
	}
	return i, true
}

// hostArticles returns the indexes of host k's articles.
func (s *MultiSite) hostArticles(k int) []int {
	var idx []int
	for i := k; i < s.opts.Articles; i += s.opts.Hosts {
		idx = append(idx, i)
	}
	return idx
}

func (s *MultiSite) listingPages(k int) int {
	n := len(s.hostArticles(k))
	return max(1, (n+s.opts.PerPage-1)/s.opts.PerPage)
}

func (s *MultiSite) listing(k, n int) string {
	idx := s.hostArticles(k)
	lo := min((n-1)*s.opts.PerPage, len(idx))
	hi := min(lo+s.opts.PerPage, len(idx))
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Loopback News %d, page %d</title>\n", k+1, n)
	if n < s.listingPages(k) {
		fmt.Fprintf(&b, "<link rel=\"next\" href=\"/list/%d\">\n", n+1)
	}
	b.WriteString("</head><body><h1>Latest news</h1><ul>\n")
	for _, i := range idx[lo:hi] {
		fmt.Fprintf(&b, "<li><a href=\"%s\">%s</a></li>\n", s.articlePath(i), multiTitle(i))
	}
	b.WriteString("</ul>\n")
	if n < s.listingPages(k) {
		fmt.Fprintf(&b, "<a rel=\"next\" href=\"/list/%d\">Older</a>\n", n+1)
	}
	// The other hosts' home pages: each host leads to the others.
	for j, o := range s.origins {
		if j != k {
			fmt.Fprintf(&b, "<a href=\"%s/\">Loopback News %d</a>\n", o, j+1)
		}
	}
	b.WriteString("</body></html>\n")
	return b.String()
}

func multiTitle(i int) string {
	w := func(n int) string { return genWords[n%len(genWords)] }
	return fmt.Sprintf("Story %d %s %s %s", i, w(i*7+1), w(i*13+5), w(i*31+11))
}

// related returns the articles article i links to: the next one (on the
// next host) and three more spread over the site.
func (s *MultiSite) related(i int) []int {
	n := s.opts.Articles
	var out []int
	for _, j := range []int{i + 1, i + 2, i*7 + 3, i + n/2} {
		j = ((j % n) + n) % n
		if j != i && !slices.Contains(out, j) {
			out = append(out, j)
		}
	}
	return out
}

func (s *MultiSite) article(i int) string {
	title := multiTitle(i)
	canon := s.ArticleURL(i)
	pub := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * 37 * time.Minute)
	author := genAuthors[i%len(genAuthors)][0]
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title>\n", title)
	fmt.Fprintf(&b, "<link rel=\"canonical\" href=\"%s\">\n<meta property=\"og:type\" content=\"article\">\n<meta property=\"og:title\" content=\"%s\">\n", canon, title)
	fmt.Fprintf(&b, "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",\"mainEntityOfPage\":\"%s\",\"headline\":\"%s\",\"datePublished\":\"%s\",\"author\":{\"@type\":\"Person\",\"name\":\"%s\"},\"publisher\":{\"@type\":\"Organization\",\"name\":\"Loopback News\"}}</script>\n",
		canon, title, pub.Format(time.RFC3339), author)
	fmt.Fprintf(&b, "</head><body><nav><a href=\"/\">Home</a></nav><main><article><h1>%s</h1><p class=\"byline\">By %s, <time datetime=\"%s\">%s</time></p>\n",
		title, author, pub.Format(time.RFC3339), pub.Format("Jan 2, 2006"))
	r := newMultiRand(i)
	for k := 0; k < s.opts.Paragraphs; k++ {
		fmt.Fprintf(&b, "<p>%s</p>\n", paragraph(r, 50+r.IntN(40)))
	}
	b.WriteString("</article><aside><h2>Read more</h2><ul>\n")
	for _, j := range s.related(i) {
		fmt.Fprintf(&b, "<li><a href=\"%s\">%s</a></li>\n", s.ArticleURL(j), multiTitle(j))
	}
	b.WriteString("</ul></aside></main>\n")
	if s.opts.PadTo > 0 {
		// Script noise compresses to almost nothing when repeated; the
		// comments of random words between keep the page about as
		// compressible as the generated site's (100 KB to 20-30 KB).
		b.WriteString(genHeadNoise)
		for b.Len() < s.opts.PadTo {
			b.WriteString(genScriptNoise)
			fmt.Fprintf(&b, "<!-- %s -->\n", paragraph(r, 250))
		}
	}
	b.WriteString("</body></html>\n")
	return b.String()
}

// Violation checks.

// IsArticle reports whether a request path is one of the site's articles.
func (s *MultiSite) IsArticle(path string) bool {
	_, ok := s.articleIndex(path)
	return ok
}

// CheckOnce checks that every article was fetched exactly once, on its own
// host, with a GET answered 200 (robots.txt and listing pages are not
// counted). It returns one line per violation.
func (s *MultiSite) CheckOnce(log []MultiRequest) []string {
	seen := map[string]int{}
	var bad []string
	for _, r := range log {
		if r.Method != http.MethodGet || !s.IsArticle(r.Path) {
			continue
		}
		u := "http://" + r.Host + r.Path
		seen[u]++
		if r.Status != http.StatusOK {
			bad = append(bad, fmt.Sprintf("%s answered %d", u, r.Status))
		}
	}
	for _, u := range s.ArticleURLs() {
		switch n := seen[u]; n {
		case 1:
		case 0:
			bad = append(bad, u+" never fetched")
		default:
			bad = append(bad, fmt.Sprintf("%s fetched %d times", u, n))
		}
		delete(seen, u)
	}
	for u, n := range seen {
		bad = append(bad, fmt.Sprintf("%s fetched %d times on the wrong host", u, n))
	}
	sort.Strings(bad)
	return bad
}

// CheckPoliteness checks every host's requests (all of them: robots.txt,
// listings and articles): never more than parallelism at once, and no two
// starts closer than delay minus slack. slack allows for the time between a
// client starting a request and the server's handler seeing it, which varies
// by a few milliseconds on a loaded machine. It returns one line per
// violation.
func CheckPoliteness(log []MultiRequest, parallelism int, delay, slack time.Duration) []string {
	var bad []string
	for _, g := range ShortGaps(log, delay-slack) {
		bad = append(bad, g.String(delay))
	}
	for _, h := range hostsIn(log) {
		if n, at := MaxConcurrent(ofHost(log, h)); n > parallelism {
			bad = append(bad, fmt.Sprintf("%s: %d requests at once at %s (parallelism %d)", h, n, at.Format("15:04:05.000000"), parallelism))
		}
	}
	return bad
}

// Gap is two successive starts of requests to one host.
type Gap struct {
	Prev, Next MultiRequest
}

// Len is the time between the two starts.
func (g Gap) Len() time.Duration { return g.Next.Start.Sub(g.Prev.Start) }

// String describes the gap as a violation of delay.
func (g Gap) String(delay time.Duration) string {
	return fmt.Sprintf("%s: %s started %v after %s (delay %v)", g.Next.Host, g.Next.Path, g.Len(), g.Prev.Path, delay)
}

// ShortGaps returns, host by host, every pair of successive request starts
// closer than min.
func ShortGaps(log []MultiRequest, min time.Duration) []Gap {
	var out []Gap
	for _, h := range hostsIn(log) {
		reqs := ofHost(log, h)
		sort.SliceStable(reqs, func(a, b int) bool { return reqs[a].Start.Before(reqs[b].Start) })
		for k := 1; k < len(reqs); k++ {
			if g := (Gap{reqs[k-1], reqs[k]}); g.Len() < min {
				out = append(out, g)
			}
		}
	}
	return out
}

func hostsIn(log []MultiRequest) []string {
	var hosts []string
	for _, r := range log {
		if !slices.Contains(hosts, r.Host) {
			hosts = append(hosts, r.Host)
		}
	}
	sort.Strings(hosts)
	return hosts
}

func ofHost(log []MultiRequest, host string) []MultiRequest {
	var out []MultiRequest
	for _, r := range log {
		if r.Host == host {
			out = append(out, r)
		}
	}
	return out
}

// MinStartGap returns the shortest time between the starts of two requests
// of log (0 with fewer than two).
func MinStartGap(log []MultiRequest) time.Duration {
	starts := make([]time.Time, len(log))
	for k, r := range log {
		starts[k] = r.Start
	}
	slices.SortFunc(starts, time.Time.Compare)
	var best time.Duration
	for k := 1; k < len(starts); k++ {
		if gap := starts[k].Sub(starts[k-1]); k == 1 || gap < best {
			best = gap
		}
	}
	return best
}

// MaxConcurrent returns the largest number of requests of log in progress at
// one moment, and the first moment it was reached. A request that ends at the
// instant another starts does not overlap it.
func MaxConcurrent(log []MultiRequest) (int, time.Time) {
	type edge struct {
		at    time.Time
		delta int
	}
	edges := make([]edge, 0, 2*len(log))
	for _, r := range log {
		edges = append(edges, edge{r.Start, 1}, edge{r.End, -1})
	}
	sort.Slice(edges, func(a, b int) bool {
		if edges[a].at.Equal(edges[b].at) {
			return edges[a].delta < edges[b].delta // ends before starts
		}
		return edges[a].at.Before(edges[b].at)
	})
	cur, best := 0, 0
	var at time.Time
	for _, e := range edges {
		cur += e.delta
		if cur > best {
			best, at = cur, e.at
		}
	}
	return best, at
}

// ByUserAgent counts the article fetches of log per User-Agent.
func (s *MultiSite) ByUserAgent(log []MultiRequest) map[string]int {
	n := map[string]int{}
	for _, r := range log {
		if r.Method == http.MethodGet && s.IsArticle(r.Path) {
			n[r.UserAgent]++
		}
	}
	return n
}

func newMultiRand(i int) *rand.Rand { return rand.New(rand.NewPCG(uint64(i), 0x6d756c7469)) }
