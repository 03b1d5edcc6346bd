package testsite

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"html"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// Trap names: the first path segment of each trap's URLs, and the keys of
// Hostile.TrapRequests.
const (
	TrapIndex    = "index"    // "/" (links to every trap's entry point)
	TrapRobots   = "robots"   // "/robots.txt"
	TrapSession  = "session"  // session ids and tracking parameters on the same articles
	TrapCalendar = "calendar" // /calendar/YYYY/MM month pages and /calendar/YYYY/MM/D day pages, prev/next for ever
	TrapListing  = "listing"  // a paginated listing: three pages of articles, then empty pages for ever
	TrapSearch   = "search"   // /search?q=a&lang=en, forbidden by robots.txt "Disallow: /search?q=" as linked
	TrapLoop     = "loop"     // repeating path segments /loop/a/b/a/b/…
	TrapQuery    = "query"    // ever-growing and repeating query strings
	TrapLong     = "long"     // paths growing past 2 KB
	TrapDup      = "dup"      // one article at two URLs, rel=canonical to one
	TrapRedirect = "redirect" // chains of 5 and 30, and a loop
	TrapBomb     = "bomb"     // gzip bomb
	TrapHuge     = "huge"     // 50 MB uncompressed HTML
	TrapSlow     = "slow"     // trickle (1 byte/s) and never-sends-headers
	TrapFlaky    = "flaky"    // 500/503/429/408 before a 200
	TrapPrivate  = "private"  // robots.txt: Disallow: /private/
	TrapRules    = "rules"    // robots.txt: Allow/Disallow precedence
	TrapPrint    = "print"    // robots.txt: Disallow: /*?print=1$
	TrapEnc      = "enc"      // articles in legacy encodings
	TrapBroken   = "broken"   // tag soup, deep nesting, broken JSON-LD, octet-stream, PDF, PNG
	TrapMissing  = "missing"  // 404
	TrapOther    = "other"    // any other path (404)
)

// hostileTraps lists every trap name.
func hostileTraps() []string {
	return []string{
		TrapIndex, TrapRobots, TrapSession, TrapCalendar, TrapListing, TrapSearch, TrapLoop, TrapQuery, TrapLong, TrapDup,
		TrapRedirect, TrapBomb, TrapHuge, TrapSlow, TrapFlaky, TrapPrivate, TrapRules, TrapPrint,
		TrapEnc, TrapBroken, TrapMissing, TrapOther,
	}
}

// Defaults of HostileOptions.
const (
	DefaultTrapCap     = 100000
	DefaultTrickleFor  = 120 * time.Second
	DefaultStallFor    = 120 * time.Second
	DefaultBombSize    = 1 << 30
	DefaultHugeSize    = 50 << 20
	DefaultRetryAfter  = 2 * time.Second
	hostileLongSegment = 300 // bytes added to the path per hop of the long-URL trap
	hostileQueryPad    = 300 // bytes added to the query per hop of the growing-query trap
	bombChunk          = 1 << 20
)

// HostileOptions configures a hostile site. The zero value gives the defaults.
type HostileOptions struct {
	// TrapCap bounds every trap: once a trap has answered this many
	// requests, it answers 404 without links (default 100,000), so that even a
	// crawler that falls into every trap ends.
	TrapCap int
	// TrickleFor is how long the trickle page sends one byte a second before
	// it ends its body (default 120 s).
	TrickleFor time.Duration
	// StallFor is how long the stalling page waits before sending anything
	// (default 120 s).
	StallFor time.Duration
	// BombSize is the inflated size of the gzip bomb, rounded up to a whole
	// MiB (default 1 GiB, about 1 MB compressed).
	BombSize int64
	// HugeSize is the size of the huge uncompressed page (default 50 MB).
	HugeSize int64
	// RefusedURL is linked from the index as a host that refuses connections.
	// Empty means http://127.0.0.1:<a loopback port found closed>/refused.
	RefusedURL string
}

// ArticleSpec is a good article of the hostile site: what the archive must
// hold for it, in UTF-8.
type ArticleSpec struct {
	Path   string // canonical URL path
	Title  string // exact expected title
	Author string // byline name
	// Phrase is a sentence of the first paragraph, in the article's own script,
	// that the extracted body text must contain.
	Phrase string

	extra bool // served but not a good article (a duplicate URL, an unreachable page)
}

// Exchange is one request the hostile site answered (or was answering when
// the client went away).
type Exchange struct {
	Path   string // path and query, as requested
	Start  time.Time
	End    time.Time
	Status int   // status written (200 when the handler wrote only a body; 0 when it wrote nothing)
	Bytes  int64 // body bytes written successfully
}

// Duration is how long the exchange lasted on the server.
func (e Exchange) Duration() time.Duration { return e.End.Sub(e.Start) }

// Hostile is a loopback news site made of crawler traps, bombs, stalls, bad
// encodings and broken pages, next to real articles that a good crawler must
// archive exactly once with correct text. Serve it with httptest.NewServer.
// It is bounded: every infinite behaviour has a cap (HostileOptions), and
// Close ends the slow handlers at once. It is safe for concurrent use.
//
// Each trap lives under its own first path segment (the Trap* constants) and
// has its own request counter (TrapRequests, TrapLog); the site-wide counter
// methods (Requests, TotalRequests, DuplicateFetches, RequestLog) are promoted
// from the package's counter. "/" links to every trap's entry point, so one
// crawl of "/" meets them all; "/robots.txt" forbids /private/, any URL
// ending in "?print=1", /rules/ except /rules/public/ (but not
// /rules/public/hidden…), and allows /rules/tie… (Allow and Disallow of the
// same length: allow wins).
type Hostile struct {
	opts     HostileOptions
	articles map[string]ArticleSpec // path → spec (good articles, including variants)
	traps    map[string]*counter    // read-only map after construction
	counter

	mu        sync.Mutex
	bare      map[string]int // path without ;params and query → requests
	exchanges []Exchange

	bombOnce sync.Once
	bomb     []byte

	stop     chan struct{}
	stopOnce sync.Once
}

// NewHostile returns a hostile site.
func NewHostile(opts HostileOptions) *Hostile {
	if opts.TrapCap <= 0 {
		opts.TrapCap = DefaultTrapCap
	}
	if opts.TrickleFor <= 0 {
		opts.TrickleFor = DefaultTrickleFor
	}
	if opts.StallFor <= 0 {
		opts.StallFor = DefaultStallFor
	}
	if opts.BombSize <= 0 {
		opts.BombSize = DefaultBombSize
	}
	if opts.HugeSize <= 0 {
		opts.HugeSize = DefaultHugeSize
	}
	if opts.RefusedURL == "" {
		opts.RefusedURL = "http://" + closedLoopbackAddr() + "/refused"
	}
	h := &Hostile{
		opts:     opts,
		articles: map[string]ArticleSpec{},
		traps:    map[string]*counter{},
		counter:  newCounter(),
		bare:     map[string]int{},
		stop:     make(chan struct{}),
	}
	for _, t := range hostileTraps() {
		c := newCounter()
		h.traps[t] = &c
	}
	for _, a := range hostileArticles() {
		h.articles[a.Path] = a
	}
	return h
}

// closedLoopbackAddr returns a loopback address on which nothing listens (a
// port that was just free); "127.0.0.1:9" (discard) when none can be found.
func closedLoopbackAddr() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "127.0.0.1:9"
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

// Close makes every slow handler (trickle, stall, huge page) return at once.
// Call it before closing the test server, whose Close waits for handlers.
func (h *Hostile) Close() {
	h.stopOnce.Do(func() { close(h.stop) })
}

// RefusedURL returns the URL of the host that refuses connections.
func (h *Hostile) RefusedURL() string { return h.opts.RefusedURL }

// GoodArticles returns canonical URL path → exact expected title of every
// article that a correct crawl archives exactly once.
func (h *Hostile) GoodArticles() map[string]string {
	out := make(map[string]string)
	for p, a := range h.articles {
		if !a.extra {
			out[p] = a.Title
		}
	}
	return out
}

// Article returns the spec of the good article at canonical path p.
func (h *Hostile) Article(p string) (ArticleSpec, bool) {
	a, ok := h.articles[p]
	return a, ok && !a.extra
}

// RobotsForbidden returns the paths (with query) that the site links to but
// its robots.txt forbids: a crawler must never request them.
func (h *Hostile) RobotsForbidden() []string {
	return []string{
		"/private/secret-story", "/private/", "/print/story?print=1",
		"/rules/closed-story", "/rules/public/hidden-story",
		// Canonicalisation sorts it to /search?lang=en&q=a, which the rule
		// does not match: only the form as linked is forbidden.
		"/search?q=a&lang=en",
	}
}

// Traps returns the trap names (the keys of TrapRequests).
func (h *Hostile) Traps() []string { return hostileTraps() }

// TrapRequests returns how many requests the given trap received.
func (h *Hostile) TrapRequests(trap string) int {
	c, ok := h.traps[trap]
	if !ok {
		return 0
	}
	return c.TotalRequests()
}

// TrapLog returns the requests the given trap received, in order, each as
// "METHOD /path?query".
func (h *Hostile) TrapLog(trap string) []string {
	c, ok := h.traps[trap]
	if !ok {
		return nil
	}
	return c.RequestLog()
}

// BareRequests returns how many requests asked for path p whatever their
// query and path parameters (";jsessionid=…"): "/session/story-1" counts
// "/session/story-1;jsessionid=X" and "/session/story-1?sid=Y".
func (h *Hostile) BareRequests(p string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.bare[p]
}

// Exchanges returns the finished exchanges whose path (without query and
// path parameters) is p, in the order they started.
func (h *Hostile) Exchanges(p string) []Exchange {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []Exchange
	for _, e := range h.exchanges {
		if barePath(e.Path) == p {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b Exchange) int { return a.Start.Compare(b.Start) })
	return out
}

// barePath strips the query and any ";params" from a path.
func barePath(p string) string {
	p, _, _ = strings.Cut(p, "?")
	p, _, _ = strings.Cut(p, ";")
	return p
}

// trapOf returns the trap a URL path belongs to.
func trapOf(p string) string {
	if p == "/" || p == "" {
		return TrapIndex
	}
	if p == "/robots.txt" {
		return TrapRobots
	}
	seg := strings.TrimPrefix(p, "/")
	seg, _, _ = strings.Cut(seg, "/")
	seg, _, _ = strings.Cut(seg, ";")
	if slices.Contains(hostileTraps(), seg) && seg != TrapIndex && seg != TrapRobots && seg != TrapOther {
		return seg
	}
	return TrapOther
}

// recorder records the status and body size of a response.
type recorder struct {
	http.ResponseWriter
	status int
	n      int64
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.n += int64(n)
	return n, err
}

// FlushError sends buffered data to the client.
func (r *recorder) FlushError() error { return http.NewResponseController(r.ResponseWriter).Flush() }

// Unwrap returns the wrapped writer for http.ResponseController.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// ServeHTTP implements http.Handler.
func (h *Hostile) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	key := requestKey(r)
	trap := trapOf(r.URL.Path)
	h.count(r)
	tc := h.traps[trap]
	tc.count(r)
	bp := barePath(r.URL.Path)
	h.mu.Lock()
	h.bare[bp]++
	nth := h.bare[bp]
	h.mu.Unlock()

	rec := &recorder{ResponseWriter: w}
	defer func() {
		h.mu.Lock()
		h.exchanges = append(h.exchanges, Exchange{Path: key, Start: start, End: time.Now(), Status: rec.status, Bytes: rec.n})
		h.mu.Unlock()
	}()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(rec, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if tc.TotalRequests() > h.opts.TrapCap && trap != TrapIndex && trap != TrapRobots {
		http.Error(rec, "trap cap reached", http.StatusNotFound)
		return
	}
	h.route(rec, r, trap, bp, nth)
}

func (h *Hostile) route(w http.ResponseWriter, r *http.Request, trap, bp string, nth int) {
	origin := "http://" + r.Host
	switch trap {
	case TrapIndex:
		h.serveHTML(w, http.StatusOK, h.indexPage())
		return
	case TrapRobots:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, hostileRobots)
		return
	case TrapSession:
		if bp == "/session/" || bp == "/session" {
			h.serveHTML(w, http.StatusOK, listingPage("Session listing", sessionLinks()))
			return
		}
	case TrapCalendar:
		if page, ok := calendarPage(bp); ok {
			h.serveHTML(w, http.StatusOK, page)
			return
		}
	case TrapListing:
		if bp == "/listing/" {
			h.serveHTML(w, http.StatusOK, listingPageN(r.URL.Query().Get("page")))
			return
		}
	case TrapSearch:
		h.serveHTML(w, http.StatusOK, listingPage("Search results", []string{"/search?q=b&lang=en"}))
		return
	case TrapLoop:
		if strings.HasSuffix(bp, "/") {
			next := "b/"
			if strings.HasSuffix(bp, "/b/") || bp == "/loop/" {
				next = "a/"
			}
			h.serveHTML(w, http.StatusOK, listingPage("Loop "+bp, []string{bp + next, "/"}))
			return
		}
	case TrapQuery:
		switch bp {
		case "/query/repeat":
			next := "/query/repeat?" + r.URL.RawQuery + "&p=1"
			h.serveHTML(w, http.StatusOK, listingPage("Repeating query", []string{next}))
			return
		case "/query/grow":
			n, _ := strconv.Atoi(r.URL.Query().Get("n"))
			next := fmt.Sprintf("/query/grow?n=%d&pad=%s", n+1, strings.Repeat(string(rune('a'+(n+1)%26)), (n+1)*hostileQueryPad))
			h.serveHTML(w, http.StatusOK, listingPage("Growing query", []string{next}))
			return
		}
	case TrapLong:
		if strings.HasPrefix(bp, "/long/") {
			hops := strings.Count(bp, "/") - 2
			seg := strings.Repeat(string(rune('a'+(hops+1)%26)), hostileLongSegment)
			h.serveHTML(w, http.StatusOK, listingPage("Long URL", []string{strings.TrimSuffix(bp, "/") + "/" + seg + "/"}))
			return
		}
	case TrapRedirect:
		if h.redirect(w, r, bp) {
			return
		}
	case TrapBomb:
		if bp == "/bomb/gzip" {
			h.serveBomb(w, r)
			return
		}
	case TrapHuge:
		if bp == "/huge/page" {
			h.serveHuge(w, r)
			return
		}
	case TrapSlow:
		switch bp {
		case "/slow/trickle":
			h.serveTrickle(w, r)
			return
		case "/slow/stall":
			h.serveStall(w, r)
			return
		}
	case TrapFlaky:
		if h.flaky(w, bp, nth) {
			return
		}
	case TrapMissing:
		h.serveHTML(w, http.StatusNotFound, listingPage("Not found", nil))
		return
	case TrapBroken:
		switch bp {
		case "/broken/report.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			_, _ = io.WriteString(w, fakePDF)
			return
		case "/broken/chart.png":
			w.Header().Set("Content-Type", "image/png")
			_, _ = io.WriteString(w, fakePNG)
			return
		}
	}
	if a, ok := h.articles[bp]; ok {
		h.serveArticle(w, r, origin, bp, a)
		return
	}
	h.serveHTML(w, http.StatusNotFound, listingPage("Not found", nil))
}

const hostileRobots = "# hostile test site\n" +
	"User-agent: *\n" +
	"Disallow: /private/\n" +
	"Disallow: /search?q=\n" +
	"Disallow: /*?print=1$\n" +
	"Disallow: /rules/\n" +
	"Allow: /rules/public/\n" +
	"Disallow: /rules/public/hidden\n" +
	"Disallow: /rules/tie\n" +
	"Allow: /rules/tie\n"

func (h *Hostile) serveHTML(w http.ResponseWriter, status int, page string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, page)
}

// indexLinks are the entry points of every trap, linked from "/".
func (h *Hostile) indexLinks() []string {
	links := []string{
		"/session/", "/calendar/2021/01/", "/listing/", "/loop/a/", "/query/repeat?p=1", "/query/grow?n=0", "/long/",
		"/dup/story", "/dup/story-copy",
		"/redirect/five/1", "/redirect/thirty/1", "/redirect/loop/a",
		"/bomb/gzip", "/huge/page", "/slow/trickle", "/slow/stall",
		"/flaky/500", "/flaky/503", "/flaky/429", "/flaky/408",
		"/print/story", "/rules/public/story", "/rules/tie-story",
		"/enc/cp1251", "/enc/shift-jis", "/enc/gb18030", "/enc/latin2", "/enc/utf16",
		"/broken/soup", "/broken/deep", "/broken/jsonld", "/broken/octet",
		"/missing/page", h.opts.RefusedURL,
	}
	return append(links, h.RobotsForbidden()...)
}

func (h *Hostile) indexPage() string {
	return listingPage("Hostile news", h.indexLinks())
}

// listingPage is a short page of links (not an article).
func listingPage(title string, links []string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
	b.WriteString(html.EscapeString(title))
	b.WriteString("</title></head><body><h1>")
	b.WriteString(html.EscapeString(title))
	b.WriteString("</h1><ul>\n")
	for _, l := range links {
		fmt.Fprintf(&b, "<li><a href=\"%s\">%s</a></li>\n", html.EscapeString(l), html.EscapeString(l))
	}
	b.WriteString("</ul></body></html>\n")
	return b.String()
}

// randID returns a fresh random session id.
func randID() string {
	return strconv.FormatUint(rand.Uint64(), 36) + strconv.FormatUint(rand.Uint64(), 36)
}

// sessionLinks are the same three articles (and the listing itself) under
// fresh session ids and tracking parameters, new on every response.
func sessionLinks() []string {
	id := randID
	return []string{
		"/session/story-1;jsessionid=" + id(),
		"/session/story-1?sid=" + id(),
		"/session/story-1?utm_source=" + id() + "&utm_medium=email",
		"/session/story-2?PHPSESSID=" + id(),
		"/session/story-2;jsessionid=" + id() + "?utm_campaign=" + id(),
		"/session/story-3?sid=" + id() + "&utm_source=" + id(),
		"/session/story-3#comments-" + id(),
		"/session/?sid=" + id(),
		"/session/;jsessionid=" + id(),
	}
}

// calendarPage answers /calendar/YYYY/MM (a month: links to its days and to
// the previous and next months) and /calendar/YYYY/MM/D (a day: links to its
// month and to the previous and next days), in both directions for ever. No
// page is an article.
func calendarPage(p string) (string, bool) {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) != 3 && len(parts) != 4 {
		return "", false
	}
	y, err1 := strconv.Atoi(parts[1])
	m, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || m < 1 || m > 12 || y < 1 || y > 9999 {
		return "", false
	}
	month := func(t time.Time) string { return fmt.Sprintf("/calendar/%04d/%02d", t.Year(), int(t.Month())) }
	first := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
	if len(parts) == 3 {
		links := []string{month(first.AddDate(0, -1, 0)), month(first.AddDate(0, 1, 0))}
		for d := first; d.Month() == first.Month(); d = d.AddDate(0, 0, 1) {
			links = append(links, fmt.Sprintf("%s/%d", month(d), d.Day()))
		}
		return listingPage(fmt.Sprintf("Archive %04d-%02d", y, m), links), true
	}
	d, err := strconv.Atoi(parts[3])
	if err != nil || d < 1 || d > 31 {
		return "", false
	}
	day := first.AddDate(0, 0, d-1)
	dayURL := func(t time.Time) string { return fmt.Sprintf("%s/%d", month(t), t.Day()) }
	return listingPage(fmt.Sprintf("Archive %s", day.Format("2006-01-02")),
		[]string{month(day), dayURL(day.AddDate(0, 0, -1)), dayURL(day.AddDate(0, 0, 1))}), true
}

// listingArticles is how many pages of the listing trap carry articles (two
// each); later pages are empty but still link the next one.
const listingArticles = 3

// listingPageN answers /listing/?page=N: pages 1 to listingArticles link two
// new articles each, every page links the next with rel=next, for ever.
func listingPageN(q string) string {
	n, err := strconv.Atoi(q)
	if err != nil || n < 1 {
		n = 1
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Latest news, page %d</title></head><body><h1>Latest news, page %d</h1><ul>\n", n, n)
	if n <= listingArticles {
		for k := 2*n - 1; k <= 2*n; k++ {
			fmt.Fprintf(&b, "<li><a href=\"/listing/story-%d\">Story %d</a></li>\n", k, k)
		}
	}
	fmt.Fprintf(&b, "</ul><a href=\"/\">home</a> <a rel=\"next\" href=\"/listing/?page=%d\">next page</a></body></html>\n", n+1)
	return b.String()
}

// redirect answers the redirect trap; it reports whether it did.
func (h *Hostile) redirect(w http.ResponseWriter, r *http.Request, p string) bool {
	codes := []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect}
	for _, chain := range []struct {
		name string
		n    int
	}{{"five", 5}, {"thirty", 30}} {
		prefix := "/redirect/" + chain.name + "/"
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok {
			continue
		}
		i, err := strconv.Atoi(rest)
		if err != nil || i < 1 || i > chain.n {
			return false // e.g. /redirect/five/article: served as an article
		}
		target := prefix + strconv.Itoa(i+1)
		if i == chain.n {
			target = prefix + "article"
		}
		http.Redirect(w, r, target, codes[(i-1)%len(codes)])
		return true
	}
	switch p {
	case "/redirect/loop/a":
		http.Redirect(w, r, "/redirect/loop/b", http.StatusFound)
		return true
	case "/redirect/loop/b":
		http.Redirect(w, r, "/redirect/loop/a", http.StatusFound)
		return true
	}
	return false
}

// flaky answers the failing attempts of the flaky articles; it reports
// whether it did (false: serve the article).
func (h *Hostile) flaky(w http.ResponseWriter, p string, nth int) bool {
	switch {
	case p == "/flaky/500" && nth <= 2:
		http.Error(w, "internal server error", http.StatusInternalServerError)
	case p == "/flaky/503" && nth == 1:
		w.Header().Set("Retry-After", strconv.Itoa(int(DefaultRetryAfter/time.Second)))
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
	case p == "/flaky/429" && nth == 1:
		// An HTTP date at least DefaultRetryAfter ahead (dates have whole seconds).
		at := time.Now().Add(DefaultRetryAfter + time.Second).UTC()
		w.Header().Set("Retry-After", at.Format(http.TimeFormat))
		http.Error(w, "too many requests", http.StatusTooManyRequests)
	case p == "/flaky/408" && nth == 1:
		w.Header().Set("Connection", "close")
		http.Error(w, "request timeout", http.StatusRequestTimeout)
	default:
		return false
	}
	return true
}

// Bomb returns the gzip bomb's bytes: a single gzip member (RFC 1952) whose
// deflate stream inflates to BombSize zero bytes. It is built once from a
// compress/flate BestCompression stream of zeros, flushed at 1 MiB
// boundaries so that one flushed 1 MiB block can be repeated.
func (h *Hostile) Bomb() []byte {
	h.bombOnce.Do(func() { h.bomb = gzipBomb(h.opts.BombSize) })
	return h.bomb
}

func gzipBomb(size int64) []byte {
	chunks := max((size+bombChunk-1)/bombChunk, 2)
	zeros := make([]byte, bombChunk)
	var def bytes.Buffer
	fw, _ := flate.NewWriter(&def, flate.BestCompression)
	_, _ = fw.Write(zeros)
	_ = fw.Flush()
	first := def.Len()
	_, _ = fw.Write(zeros)
	_ = fw.Flush()
	second := def.Len()
	_ = fw.Close()
	stream := def.Bytes()
	repeat := stream[first:second] // inflates to 1 MiB of zeros after a window of zeros
	tail := stream[second:]        // the final (empty) block

	var crc uint32
	for range chunks {
		crc = crc32.Update(crc, crc32.IEEETable, zeros)
	}
	out := make([]byte, 0, 10+first+int(chunks-1)*len(repeat)+len(tail)+8)
	out = append(out, 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255) // gzip header: deflate, max compression, OS unknown
	out = append(out, stream[:first]...)
	for range chunks - 1 {
		out = append(out, repeat...)
	}
	out = append(out, tail...)
	out = binary.LittleEndian.AppendUint32(out, crc)
	out = binary.LittleEndian.AppendUint32(out, uint32(chunks*bombChunk))
	return out
}

func (h *Hostile) serveBomb(w http.ResponseWriter, r *http.Request) {
	b := h.Bomb()
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Content-Encoding", "gzip")
	hd.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	for off := 0; off < len(b); off += 32 << 10 {
		if _, err := w.Write(b[off:min(off+32<<10, len(b))]); err != nil {
			return
		}
		if h.stopped(r) {
			return
		}
	}
}

func (h *Hostile) stopped(r *http.Request) bool {
	select {
	case <-h.stop:
		return true
	case <-r.Context().Done():
		return true
	default:
		return false
	}
}

// serveHuge sends a HugeSize-byte article page, uncompressed, without
// Content-Length.
func (h *Hostile) serveHuge(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	head := "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>The Endless Report</title>" +
		"<meta property=\"og:type\" content=\"article\"><meta property=\"og:title\" content=\"The Endless Report\">" +
		"</head><body><article><h1>The Endless Report</h1><p class=\"byline\">By Huge Writer</p>\n"
	f := filler()
	para := "<p>" + f[0] + " " + f[1] + "</p>\n"
	tailS := "</article></body></html>\n"
	sent := int64(0)
	write := func(s string) bool {
		n, err := io.WriteString(w, s)
		sent += int64(n)
		return err == nil && !h.stopped(r)
	}
	if !write(head) {
		return
	}
	var chunk strings.Builder
	for chunk.Len() < 64<<10 {
		chunk.WriteString(para)
	}
	c := chunk.String()
	for sent+int64(len(c))+int64(len(tailS)) <= h.opts.HugeSize {
		if !write(c) {
			return
		}
	}
	if pad := h.opts.HugeSize - sent - int64(len(tailS)); pad > 0 {
		if !write(strings.Repeat(" ", int(pad))) {
			return
		}
	}
	write(tailS)
}

// serveTrickle sends the headers, then one byte a second for TrickleFor.
func (h *Hostile) serveTrickle(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	page := articleHTML(ArticleSpec{Title: "Slow News", Author: "Tor Toise", Phrase: "This page arrives one byte at a time."}, "", "", "")
	deadline := time.NewTimer(h.opts.TrickleFor)
	defer deadline.Stop()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-h.stop:
			return
		case <-r.Context().Done():
			return
		case <-deadline.C:
			return
		case <-tick.C:
			if _, err := w.Write([]byte{page[i%len(page)]}); err != nil {
				return
			}
			if rc.Flush() != nil {
				return
			}
		}
	}
}

// serveStall sends nothing, not even headers, for StallFor.
func (h *Hostile) serveStall(w http.ResponseWriter, r *http.Request) {
	t := time.NewTimer(h.opts.StallFor)
	defer t.Stop()
	select {
	case <-h.stop:
	case <-r.Context().Done():
	case <-t.C:
	}
	http.Error(w, "stalled", http.StatusGatewayTimeout)
}

// serveArticle serves a good article in its encoding and shape.
func (h *Hostile) serveArticle(w http.ResponseWriter, r *http.Request, origin, p string, a ArticleSpec) {
	canonical := `<link rel="canonical" href="` + origin + a.Path + `">`
	extraLinks := `<a href="/">Home</a> <a href="/private/secret-story">Members only</a> <a href="/print/story?print=1">Print</a>`
	hd := w.Header()
	var (
		body []byte
		ct   = "text/html; charset=utf-8"
	)
	switch p {
	case "/session/story-1", "/session/story-2", "/session/story-3":
		// No rel=canonical: the crawler's own URL canonicalisation must merge the variants.
		var b strings.Builder
		for _, l := range sessionLinks() {
			fmt.Fprintf(&b, `<a href="%s">%s</a> `, html.EscapeString(l), html.EscapeString(l))
		}
		body = []byte(articleHTML(a, `<meta charset="utf-8">`, "", b.String()))
	case "/dup/story", "/dup/story-copy":
		body = []byte(articleHTML(a, `<meta charset="utf-8">`+`<link rel="canonical" href="`+origin+"/dup/story"+`">`, "", extraLinks))
	case "/enc/cp1251":
		ct = "text/html"
		body = encode(charmap.Windows1251, articleHTML(a, `<meta charset="windows-1251">`+canonical, "", extraLinks))
	case "/enc/shift-jis":
		ct = "text/html; charset=Shift_JIS"
		body = encode(japanese.ShiftJIS, articleHTML(a, canonical, "", extraLinks))
	case "/enc/gb18030":
		ct = "text/html"
		body = encode(simplifiedchinese.GB18030, articleHTML(a, `<meta http-equiv="Content-Type" content="text/html; charset=gb18030">`+canonical, "", extraLinks))
	case "/enc/latin2":
		ct = "text/html"
		body = encode(charmap.ISO8859_2, articleHTML(a, `<meta charset="iso-8859-2">`+canonical, "", extraLinks))
	case "/enc/utf16":
		ct = "text/html"
		body = encode(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), articleHTML(a, canonical, "", extraLinks))
	case "/broken/soup":
		body = []byte(tagSoup(a, origin))
	case "/broken/deep":
		body = []byte(deepPage(a, origin))
	case "/broken/jsonld":
		ld := `<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",` +
			`"headline":"` + a.Title + `","author":{"@type":"Person","name":"` + a.Author + `"},,"datePublished":"2021-03-` +
			"\n</script>" + `<script type="application/ld+json">[{"@type": "NewsArticle", "headline": 42, "author": null}` + "</script>"
		body = []byte(articleHTML(a, `<meta charset="utf-8">`+canonical+ld, "", extraLinks+` <a href="/broken/report.pdf">Report (PDF)</a>`))
	case "/broken/octet":
		ct = "application/octet-stream"
		body = []byte(articleHTML(a, `<meta charset="utf-8">`+canonical, "", extraLinks+` <a href="/broken/chart.png">Chart</a> <a href="/broken/report.pdf">Report</a>`))
	case "/redirect/thirty/article":
		body = []byte(articleHTML(a, `<meta charset="utf-8">`+canonical, "", extraLinks))
	default:
		body = []byte(articleHTML(a, `<meta charset="utf-8">`+canonical, "", extraLinks))
	}
	hd.Set("Content-Type", ct)
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

func encode(enc encoding.Encoding, s string) []byte {
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(fmt.Sprintf("testsite: hostile page not encodable: %v", err))
	}
	return b
}

// filler is ASCII English text for article paragraphs: each entry is about
// 70 words, so five paragraphs pass any word-count threshold.
func filler() []string {
	return []string{
		"The city council met on Tuesday evening to discuss the new budget for the coming year, and the debate ran late into the night as members argued over funding for schools, roads and the public library. Several residents spoke during the open session, asking the council to keep the branch libraries open on weekends and to repair the bridge on the river road before winter arrives.",
		"Officials said the proposal would raise spending by about four percent while keeping the property tax rate unchanged, largely because revenue from the new industrial park has grown faster than expected. The finance director warned, however, that the surplus may not last, and that the council should set aside money for the pension fund and for the maintenance of aging water pipes.",
		"A final vote is expected next month after two more public hearings, which will be held in the main hall of the municipal building and streamed online for those who cannot attend in person. The mayor said she was confident that a compromise could be reached, and thanked the many volunteers who had helped prepare the detailed spending tables for the public.",
		"Local business owners welcomed the plan to improve parking downtown, saying that customers often complain about the lack of spaces near the market square on Saturdays. Others were less enthusiastic, arguing that the money would be better spent on bicycle lanes and on more frequent buses, which they said would reduce traffic and make the centre of town more pleasant for everyone.",
		"Meanwhile, the school board announced that it will publish its own budget request in a separate report, including plans to hire more teachers for the primary grades and to replace the heating system in the oldest building. The board chair said the request reflects the growing number of families moving into the new neighbourhoods on the eastern edge of the city.",
	}
}

// articleHTML renders a good article page (UTF-8 text; the caller encodes
// it): title, byline, five paragraphs, the first one starting with Phrase.
func articleHTML(a ArticleSpec, head, beforeBody, links string) string {
	t := html.EscapeString(a.Title)
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head>")
	b.WriteString(head)
	b.WriteString("<title>" + t + "</title>\n")
	b.WriteString(`<meta property="og:type" content="article"><meta property="og:title" content="` + t + `">`)
	b.WriteString(`<meta name="author" content="` + html.EscapeString(a.Author) + `">` + "\n</head><body>\n")
	b.WriteString(beforeBody)
	b.WriteString("<header><nav>" + links + "</nav></header>\n<main><article>\n<h1>" + t + "</h1>\n")
	b.WriteString(`<p class="byline">By <span class="author">` + html.EscapeString(a.Author) + "</span></p>\n")
	for i, f := range filler() {
		if i == 0 {
			f = html.EscapeString(a.Phrase) + " " + f
		}
		b.WriteString("<p>" + f + "</p>\n")
	}
	b.WriteString("</article></main>\n<footer>" + links + "</footer>\n</body></html>\n")
	return b.String()
}

// tagSoup renders an article with unclosed and misnested everything.
func tagSoup(a ArticleSpec, origin string) string {
	t := html.EscapeString(a.Title)
	var b strings.Builder
	b.WriteString("<html><head><meta charset=utf-8><title>" + t + "</title>")
	b.WriteString(`<link rel=canonical href=` + origin + a.Path + `>`)
	b.WriteString(`<meta property=og:type content=article><meta property="og:title" content="` + t + `">`)
	b.WriteString("<body><table><tr><td><div class=wrap><font color=red><center>")
	b.WriteString(`<a href=/ >Home<a href=/broken/report.pdf>Report<a href=/private/secret-story>Secret</a></table>`)
	b.WriteString("<div class=article><h1>" + t + "</h1>")
	b.WriteString("<p class=byline>By <b><i>" + html.EscapeString(a.Author) + "</b></i>")
	for i, f := range filler() {
		if i == 0 {
			f = html.EscapeString(a.Phrase) + " " + f
		}
		b.WriteString("<p>" + f + "<span><b>")
		if i == 2 {
			b.WriteString("</div></div></td></tr>")
		}
	}
	b.WriteString("<li><li><option><select><form><blockquote>unclosed")
	return b.String()
}

// deepPage renders an article nested deeper than x/net/html's 512 open
// elements.
func deepPage(a ArticleSpec, origin string) string {
	const depth = 650
	t := html.EscapeString(a.Title)
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + t + "</title>")
	b.WriteString(`<link rel="canonical" href="` + origin + a.Path + `">`)
	b.WriteString(`<meta property="og:type" content="article"><meta property="og:title" content="` + t + `">`)
	b.WriteString(`<meta name="author" content="` + html.EscapeString(a.Author) + `"></head><body>`)
	b.WriteString(`<nav><a href="/">Home</a></nav>`)
	for range depth {
		b.WriteString(`<div class="wrap">`)
	}
	b.WriteString("<article><h1>" + t + "</h1>")
	b.WriteString(`<p class="byline">By ` + html.EscapeString(a.Author) + "</p>")
	for i, f := range filler() {
		if i == 0 {
			f = html.EscapeString(a.Phrase) + " " + f
		}
		b.WriteString("<p>" + f + "</p>")
	}
	b.WriteString("</article>")
	for range depth {
		b.WriteString("</div>")
	}
	b.WriteString("</body></html>\n")
	return b.String()
}

// hostileArticles are the good articles (and the non-canonical duplicate
// and unreachable end of the 30-redirect chain, which GoodArticles omits).
func hostileArticles() []ArticleSpec {
	return []ArticleSpec{
		{Path: "/session/story-1", Title: "Session Story One: Council Budget", Author: "Ada Session", Phrase: "Session story one opens here."},
		{Path: "/session/story-2", Title: "Session Story Two: Library Hours", Author: "Ada Session", Phrase: "Session story two opens here."},
		{Path: "/session/story-3", Title: "Session Story Three: Bridge Repairs", Author: "Ada Session", Phrase: "Session story three opens here."},
		{Path: "/dup/story", Title: "Duplicated Story Reached by Two URLs", Author: "Dee Duplicate", Phrase: "This story is served at two addresses."},
		{Path: "/dup/story-copy", Title: "Duplicated Story Reached by Two URLs", Author: "Dee Duplicate", Phrase: "This story is served at two addresses.", extra: true},
		{Path: "/redirect/five/article", Title: "Found After Five Redirects", Author: "Rita Redirect", Phrase: "Five hops led here."},
		{Path: "/redirect/thirty/article", Title: "Unreachable After Thirty Redirects", Author: "Rita Redirect", Phrase: "No crawler should get here.", extra: true},
		{Path: "/flaky/500", Title: "Archived Despite Two Server Errors", Author: "Fay Flaky", Phrase: "The server failed twice before this."},
		{Path: "/flaky/503", Title: "Archived After a 503 With Retry-After", Author: "Fay Flaky", Phrase: "The server asked for two seconds."},
		{Path: "/flaky/429", Title: "Archived After a 429 With an HTTP Date", Author: "Fay Flaky", Phrase: "The server was rate limiting."},
		{Path: "/flaky/408", Title: "Archived After a 408 Request Timeout", Author: "Fay Flaky", Phrase: "The server timed out the first request."},
		{Path: "/print/story", Title: "Printable Story Without the Print Parameter", Author: "Rob Robots", Phrase: "Only the print version is forbidden."},
		{Path: "/rules/public/story", Title: "Allowed by a Longer Allow Rule", Author: "Rob Robots", Phrase: "A longer Allow beats a shorter Disallow."},
		{Path: "/rules/tie-story", Title: "Allowed When Allow and Disallow Tie", Author: "Rob Robots", Phrase: "Equal rules: allow wins."},
		{Path: "/enc/cp1251", Title: "Новости архива: проверка кодировки «1251»", Author: "Ivan Petrov", Phrase: "Съешь же ещё этих мягких французских булок, да выпей чаю."},
		{Path: "/enc/shift-jis", Title: "日本語ニュース：文字コード試験", Author: "Taro Yamada", Phrase: "いろはにほへと、ちりぬるを。東京で新しい図書館が開館しました。"},
		{Path: "/enc/gb18030", Title: "中文新闻：编码测试𠮷", Author: "Li Wei", Phrase: "北京市政府今天宣布了新的预算方案。"},
		{Path: "/enc/latin2", Title: "Zażółć gęślą jaźń: polskie znaki", Author: "Anna Nowak", Phrase: "Pchnąć w tę łódź jeża lub ośm skrzyń fig."},
		{Path: "/enc/utf16", Title: "UTF-16 ohne Deklaration: Größenänderung ✓ 日本", Author: "Jörg Müller", Phrase: "Falsches Üben von Xylophonmusik quält jeden größeren Zwerg."},
		{Path: "/broken/soup", Title: "Tag Soup With Everything Unclosed", Author: "Sue Soup", Phrase: "Nothing on this page is closed."},
		{Path: "/broken/deep", Title: "Nested Six Hundred and Fifty Divs Deep", Author: "Dee Deep", Phrase: "This text sits below 650 open elements."},
		{Path: "/broken/jsonld", Title: "Broken JSON-LD Does Not Hide This Article", Author: "Jay Son", Phrase: "The structured data on this page is invalid."},
		{Path: "/broken/octet", Title: "HTML Served as Application Octet-Stream", Author: "Otto Octet", Phrase: "The server calls this page binary."},
		{Path: "/listing/story-1", Title: "Listing Story One: Harbour Dredging", Author: "Lee Listing", Phrase: "Listing story one opens here."},
		{Path: "/listing/story-2", Title: "Listing Story Two: Tram Timetable", Author: "Lee Listing", Phrase: "Listing story two opens here."},
		{Path: "/listing/story-3", Title: "Listing Story Three: School Meals", Author: "Lee Listing", Phrase: "Listing story three opens here."},
		{Path: "/listing/story-4", Title: "Listing Story Four: Park Benches", Author: "Lee Listing", Phrase: "Listing story four opens here."},
		{Path: "/listing/story-5", Title: "Listing Story Five: Night Market", Author: "Lee Listing", Phrase: "Listing story five opens here."},
		{Path: "/listing/story-6", Title: "Listing Story Six: River Festival", Author: "Lee Listing", Phrase: "Listing story six opens here."},
	}
}

// fakePDF is a minimal PDF document.
const fakePDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" +
	"trailer<</Root 1 0 R>>\n%%EOF\n<html><title>not a page</title></html>\n"

// fakePNG is a 1×1 PNG image.
const fakePNG = ("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
