package scraper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"
	"golang.org/x/net/publicsuffix"
)

// Sentinel errors for failed fetches; check with errors.Is. Their text ends
// up in Result.Detail, under the reason codes redirect_limit and timeout.
var (
	// ErrRedirectLimit means a request was redirected more than
	// Config.MaxRedirects times.
	ErrRedirectLimit = errors.New("too many redirects")
	// ErrRedirectLoop means a redirect chain came back to a URL it had
	// already visited twice.
	ErrRedirectLoop = errors.New("redirect loop")
	// ErrIdleTimeout means the server sent nothing for Config.IdleReadTimeout
	// while the body was being read.
	ErrIdleTimeout = errors.New("idle read timeout")
)

// fetchIDHeader carries a request's id from colly to the transport and the
// redirect policy, which see only the *http.Request colly builds. It is
// removed before the request goes on the wire.
const fetchIDHeader = "X-Newsarchive-Fetch-Id"

// fetchIDKey is the colly.Context key holding the same id for the response
// callbacks. Only this string travels through the untyped colly.Context; the
// typed per-request state lives in fetcher.states.
const fetchIDKey = "newsarchive.fetch"

// robotsMaxRedirects is how many redirects a robots.txt fetch follows
// (RFC 9309 §2.3.1.2: at least five).
const robotsMaxRedirects = 5

// notHTMLBodyMax is the largest non-HTML body kept in a not_html result;
// larger ones are archived with their headers only.
const notHTMLBodyMax = 1 << 20

// fetchState is the typed state of one request, shared by the transport,
// the redirect policy and the colly callbacks.
type fetchState struct {
	robots       bool
	kind         Kind
	origin       string
	maxRedirects int

	mu      sync.Mutex
	hops    []string    // URLs requested, in order (the first is the entry's)
	codes   []int       // status of each hop
	status  int         // status of the last response
	header  http.Header // header of the last response, as received
	body    []byte
	gotBody bool
	notHTML bool // aborted after the headers: not HTML

	handoff      string // a redirect target not followed here, canonical
	handoffScope bool   // the target is out of scope

	wire []*wireRec // hops recorded when Config.RecordWire is set
}

// fetchOutcome is what one request produced.
type fetchOutcome struct {
	resp         *Response // nil when no response header was received
	err          error
	notHTML      bool
	handoff      string
	handoffScope bool
}

// fetcher runs requests through one colly.Collector.
type fetcher struct {
	cfg    Config
	coll   *colly.Collector
	base   *http.Transport
	states sync.Map // id → *fetchState
	seq    atomic.Uint64
	ua     string
	wire   wirePool // buffers of released wire recordings

	// follow decides whether a page redirect to u may be followed in this
	// request; when not, the target is handed to the frontier.
	follow func(origin string, u *url.URL) (ok, outOfScope bool)
}

func newFetcher(cfg Config, follow func(string, *url.URL) (bool, bool)) *fetcher {
	f := &fetcher{cfg: cfg, ua: cfg.userAgent(), follow: follow}
	dialer := &net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second}
	f.base = &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   cfg.TLSHandshakeTimeout,
		ResponseHeaderTimeout: cfg.ResponseHeaderTimeout,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConns:          max(100, 2*cfg.Workers),
		MaxIdleConnsPerHost:   max(2, cfg.Parallelism),
		// Compression stays on and Accept-Encoding unset: the transport then
		// asks for gzip and decodes it as a stream, so colly's MaxBodySize
		// applies to decoded bytes and a gzip bomb is cut at the cap.
	}
	if cfg.RecordWire {
		f.base.DialContext, f.base.DialTLSContext = recordingDialers(dialer, cfg.TLSHandshakeTimeout)
		f.base.ForceAttemptHTTP2 = false
	}
	jar, _ := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})

	c := colly.NewCollector()
	// Set after NewCollector: it applies COLLY_* environment variables last,
	// and none of them may change how pages are archived.
	c.UserAgent = f.ua
	c.AllowURLRevisit = true        // the frontier de-duplicates
	c.IgnoreRobotsTxt = true        // robots.txt is ours (robots.go): RFC 9309
	c.ParseHTTPErrorResponse = true // 4xx/5xx reach OnResponse
	c.DetectCharset = false         // raw bytes are archived; extract decodes
	c.MaxBodySize = int(min(cfg.MaxBodyBytes, int64(^uint(0)>>2))) + 1
	c.Async = false // our workers give the concurrency
	c.CacheDir = ""
	c.SetClient(&http.Client{
		Transport:     &shimTransport{f: f},
		CheckRedirect: f.checkRedirect,
		Jar:           jar,
		Timeout:       cfg.OverallTimeout,
	})
	c.OnResponseHeaders(f.onHeaders)
	c.OnResponse(f.onResponse)
	f.coll = c
	return f
}

func (f *fetcher) state(id string) *fetchState {
	if v, ok := f.states.Load(id); ok {
		return v.(*fetchState)
	}
	return nil
}

// shimTransport wraps the real transport. Per hop it records the URL,
// status and header in the request's fetchState, strips the internal id
// header, bounds the time between body reads, and shields the body from
// two colly behaviours: its own gzip decoding after the size limit
// (Uncompressed is set, so colly never inflates a .xml.gz or gzip-typed body
// unbounded; sitemaps are inflated with a cap in parseXMLLinks) and its
// charset conversion of bodies whose Content-Type names a charset (colly sees
// the type without parameters; the archived header is the original).
type shimTransport struct{ f *fetcher }

// RoundTrip implements http.RoundTripper.
func (s *shimTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	st := s.f.state(req.Header.Get(fetchIDHeader))
	ctx, cancel := context.WithCancel(req.Context())
	var rec *wireRec
	if s.f.cfg.RecordWire && st != nil {
		rec = &wireRec{pool: &s.f.wire, url: req.URL.String(), started: time.Now()}
		ctx = httptrace.WithClientTrace(ctx, rec.trace())
	}
	out := req.Clone(ctx)
	out.Header.Del(fetchIDHeader)
	resp, err := s.f.base.RoundTrip(out)
	if err != nil {
		cancel()
		if rec != nil {
			rec.finish()
		}
		return nil, err
	}
	if rec != nil {
		st.mu.Lock()
		st.wire = append(st.wire, rec)
		st.mu.Unlock()
		resp.Body = &wireBody{ReadCloser: resp.Body, rec: rec}
	}
	if st != nil {
		st.mu.Lock()
		u := req.URL.String()
		if len(st.hops) > 0 {
			st.hops = append(st.hops, u)
		} else {
			st.hops = []string{u}
		}
		st.codes = append(st.codes, resp.StatusCode)
		st.status = resp.StatusCode
		st.header = resp.Header
		st.mu.Unlock()
	}
	resp.Uncompressed = true
	if ct := resp.Header.Get("Content-Type"); strings.IndexByte(ct, ';') >= 0 {
		h := resp.Header.Clone()
		h.Set("Content-Type", strings.TrimSpace(ct[:strings.IndexByte(ct, ';')]))
		resp.Header = h
	}
	resp.Body = newIdleBody(resp.Body, s.f.cfg.IdleReadTimeout, cancel)
	return resp, nil
}

// idleBody fails a read when the server sends nothing for idle, by
// cancelling the hop's context.
type idleBody struct {
	rc     io.ReadCloser
	idle   time.Duration
	timer  *time.Timer
	fired  atomic.Bool
	cancel context.CancelFunc
}

func newIdleBody(rc io.ReadCloser, idle time.Duration, cancel context.CancelFunc) *idleBody {
	b := &idleBody{rc: rc, idle: idle, cancel: cancel}
	b.timer = time.AfterFunc(idle, func() {
		b.fired.Store(true)
		cancel()
	})
	return b
}

// Read re-arms the idle timer, then reads.
func (b *idleBody) Read(p []byte) (int, error) {
	b.timer.Reset(b.idle)
	n, err := b.rc.Read(p)
	if err != nil && err != io.EOF && b.fired.Load() {
		err = ErrIdleTimeout
	}
	return n, err
}

// Close stops the timer, closes the body and ends the hop's context.
func (b *idleBody) Close() error {
	b.timer.Stop()
	err := b.rc.Close()
	b.cancel()
	return err
}

// checkRedirect is the http.Client redirect policy: hop limit, loops, and
// for pages only same-origin, in-scope, robots-allowed targets; any other
// target ends the request with the 3xx and is handed to the frontier.
func (f *fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	st := f.state(via[0].Header.Get(fetchIDHeader))
	if st == nil {
		return http.ErrUseLastResponse
	}
	if len(via) > st.maxRedirects {
		return fmt.Errorf("%w (%d)", ErrRedirectLimit, st.maxRedirects)
	}
	target, err := canonicalURL(req.URL)
	if err != nil {
		return err
	}
	seen := 0
	for _, v := range via {
		if c, err := canonicalURL(v.URL); err == nil && c == target {
			seen++
		}
	}
	// One return to a URL is allowed (sites set a cookie and redirect to the
	// same page); a second is a loop.
	if seen >= 2 {
		return fmt.Errorf("%w at %s", ErrRedirectLoop, target)
	}
	if st.robots {
		return nil // RFC 9309 §2.3.1.2: follow, even across authorities
	}
	ok, outOfScope := f.follow(st.origin, req.URL)
	if !ok {
		st.mu.Lock()
		st.handoff, st.handoffScope = target, outOfScope
		st.mu.Unlock()
		return http.ErrUseLastResponse
	}
	return nil
}

// onHeaders aborts non-HTML page downloads once the headers show them: an
// archive of news pages has no use for the bytes of a video.
func (f *fetcher) onHeaders(r *colly.Response) {
	st := f.state(r.Ctx.Get(fetchIDKey))
	if st == nil || st.robots || st.kind != KindPage || r.StatusCode < 200 || r.StatusCode > 299 {
		return
	}
	st.mu.Lock()
	ct := ""
	if st.header != nil {
		ct = st.header.Get("Content-Type")
	}
	st.mu.Unlock()
	if isBinaryType(mediaType(ct)) {
		st.mu.Lock()
		st.notHTML = true
		st.mu.Unlock()
		r.Request.Abort()
	}
}

func (f *fetcher) onResponse(r *colly.Response) {
	st := f.state(r.Ctx.Get(fetchIDKey))
	if st == nil {
		return
	}
	st.mu.Lock()
	st.body, st.gotBody = r.Body, true
	st.mu.Unlock()
}

// fetch requests reqURL (GET; the form the site linked) through colly for
// the entry whose canonical URL is u, and collects the exchange. prev, when
// set, makes the request conditional. ctx only cancels (the collector's
// context is the run's hard-stop context).
func (f *fetcher) fetch(u, reqURL string, kind Kind, origin string, robots bool, prev *Previous) fetchOutcome {
	id := strconv.FormatUint(f.seq.Add(1), 36)
	st := &fetchState{robots: robots, kind: kind, origin: origin, maxRedirects: f.cfg.MaxRedirects}
	if robots {
		st.maxRedirects = robotsMaxRedirects
	}
	f.states.Store(id, st)
	defer f.states.Delete(id)

	hdr := http.Header{}
	hdr.Set("User-Agent", f.ua)
	switch {
	case robots:
		hdr.Set("Accept", "text/plain,*/*;q=0.5")
	case kind == KindPage:
		hdr.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	case kind == KindRequisite:
		hdr.Set("Accept", "*/*")
	default:
		hdr.Set("Accept", "application/xml,application/rss+xml,application/atom+xml,text/xml;q=0.9,*/*;q=0.8")
	}
	if prev != nil {
		if prev.ETag != "" {
			hdr.Set("If-None-Match", prev.ETag)
		}
		if prev.LastModified != "" {
			hdr.Set("If-Modified-Since", prev.LastModified)
		}
	}
	hdr.Set(fetchIDHeader, id)
	cctx := colly.NewContext()
	cctx.Put(fetchIDKey, id)

	start := time.Now()
	err := f.coll.Request(http.MethodGet, reqURL, nil, cctx, hdr)
	dur := time.Since(start)

	st.mu.Lock()
	defer st.mu.Unlock()
	out := fetchOutcome{notHTML: st.notHTML, handoff: st.handoff, handoffScope: st.handoffScope}
	if err != nil && !(st.notHTML && errors.Is(err, colly.ErrAbortedAfterHeaders)) {
		out.err = err
		if !st.gotBody {
			return out
		}
	}
	if st.header == nil {
		if out.err == nil {
			out.err = fmt.Errorf("no response")
		}
		return out
	}
	resp := &Response{
		URL:       u,
		FinalURL:  u,
		Status:    st.status,
		Header:    st.header,
		FetchedAt: start.UTC(),
		Duration:  dur,
	}
	// Without redirects FinalURL stays the canonical URL, also when the
	// request went to the form the site linked: the archive keys on it.
	if n := len(st.hops); n > 1 {
		resp.FinalURL = st.hops[n-1]
		resp.Redirects = append([]string{u}, st.hops[1:n-1]...)
		resp.RedirectStatuses = slices.Clone(st.codes[:n-1])
	}
	body := st.body
	limit := f.cfg.MaxBodyBytes
	if kind == KindRequisite && f.cfg.MaxRequisiteBytes > 0 {
		limit = min(limit, f.cfg.MaxRequisiteBytes)
	}
	if int64(len(body)) > limit {
		body, resp.Truncated = body[:limit], true
	}
	resp.Body = body
	resp.ContentType = contentType(st.header.Get("Content-Type"), body)
	for _, rec := range st.wire {
		rec.finish()
		resp.Wire = append(resp.Wire, rec.exchange())
	}
	if len(st.wire) > 0 {
		resp.wirePool = &f.wire
	}
	out.resp = resp
	return out
}

// mediaType returns the lowercased media type of a Content-Type value.
func mediaType(ct string) string {
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(ct, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

// contentType is the body's media type: the header's, or sniffed when the
// header is missing or generic, so that HTML served as
// application/octet-stream is still treated as HTML.
func contentType(header string, body []byte) string {
	mt := mediaType(header)
	switch mt {
	case "", "application/octet-stream", "binary/octet-stream", "application/unknown", "text/plain", "application/x-download":
		if looksHTML(body) {
			return "text/html"
		}
		if mt == "" && len(body) > 0 {
			return mediaType(http.DetectContentType(body))
		}
	}
	return mt
}

// looksHTML sniffs the first bytes for an HTML document.
func looksHTML(body []byte) bool {
	head := body[:min(len(body), 1024)]
	head = bytes.TrimLeft(trimBOM(head), " \t\r\n\f")
	if strings.HasPrefix(mediaType(http.DetectContentType(head)), "text/html") {
		return true
	}
	lower := bytes.ToLower(head)
	return bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.Contains(lower, []byte("<html"))
}

func isHTMLType(mt string) bool {
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// isBinaryType reports media types that are certainly not HTML, aborted
// after the headers on page fetches.
func isBinaryType(mt string) bool {
	for _, p := range []string{"image/", "video/", "audio/", "font/", "model/"} {
		if strings.HasPrefix(mt, p) {
			return true
		}
	}
	switch mt {
	case "application/pdf", "application/zip", "application/x-rar-compressed", "application/x-7z-compressed",
		"application/msword", "application/x-shockwave-flash", "application/vnd.ms-excel",
		"application/x-tar", "application/java-archive", "application/wasm":
		return true
	}
	return strings.HasPrefix(mt, "application/vnd.openxmlformats")
}

// isXMLish reports bodies worth trying as a sitemap or feed.
func isXMLish(mt, path string, body []byte) bool {
	if strings.Contains(mt, "xml") || mt == "application/gzip" || mt == "application/x-gzip" {
		return true
	}
	p := strings.ToLower(path)
	if strings.HasSuffix(p, ".xml") || strings.HasSuffix(p, ".xml.gz") || strings.HasSuffix(p, ".rss") || strings.HasSuffix(p, ".atom") {
		return true
	}
	head := bytes.TrimLeft(trimBOM(body[:min(len(body), 256)]), " \t\r\n")
	return bytes.HasPrefix(head, []byte("<?xml")) || (len(body) >= 2 && body[0] == 0x1f && body[1] == 0x8b)
}

// parseRetryAfter reads a Retry-After value, delay-seconds or an HTTP-date
// (RFC 9110 §10.2.3), relative to now; ok is false when absent or invalid.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > 1<<31 {
			n = 1 << 31
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}
