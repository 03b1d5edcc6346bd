package scraper

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// siteHandler serves a small news site: robots.txt forbidding /private/,
// a sitemap index (from robots.txt) and /sitemap.xml listing pages found
// nowhere else, an RSS feed linked from the home page, listing pagination,
// an external link, a trap link and a session-id duplicate.
func siteHandler(ext string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "User-agent: *\nDisallow: /private/\n\nUser-agent: otherbot\nDisallow: /\n\nSitemap: http://%s/sitemap-index.xml\n", r.Host)
	})
	mux.HandleFunc("/sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>http://%s/sitemap-only</loc><lastmod>2024-05-01</lastmod></url></urlset>`, r.Host)
	})
	mux.HandleFunc("/sitemap-index.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>http://%s/news.xml.gz</loc></sitemap></sitemapindex>`, r.Host)
	})
	mux.HandleFunc("/news.xml.gz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/gzip")
		zw := gzip.NewWriter(w)
		fmt.Fprintf(zw, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://%s/news-only</loc></url></urlset>`, r.Host)
		zw.Close()
	})
	mux.HandleFunc("/feed.rss", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>f</title><item><title>a</title><link>http://%s/feed-only</link></item></channel></rss>`, r.Host)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, `<html><head><link rel="alternate" type="application/rss+xml" href="/feed.rss"></head><body>
<a href="/a">a</a> <a href="b#top">b</a> <a href="/private/secret">s</a> <a href="%s/elsewhere">e</a>
<a href="/list?page=2&utm_source=x" rel="next">next</a> <a href="mailto:x@example.org">m</a>
<a href="/t/x/t/x/t/x/">trap</a> <a href="/a?sid=123">same as a</a></body></html>`, ext)
		case "/a", "/b", "/sitemap-only", "/news-only", "/feed-only", "/private/secret", "/t/x/t/x/t/x/":
			writePage(w, "/")
		case "/list":
			writePage(w, "/c")
		case "/c":
			writePage(w)
		default:
			http.NotFound(w, r)
		}
	})
	return mux
}

// requested maps a canonical path of siteHandler to the form it links and
// the crawler requests.
func requested(p string) string {
	if p == "/list?page=2" {
		return "/list?page=2&utm_source=x"
	}
	return p
}

func TestCrawlSite(t *testing.T) {
	ext := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writePage(w) }))
	srv := newRecServer(t, siteHandler(ext.URL))
	store := newMemStore()
	sum, logs := crawl(t, testConfig(), store, srv.URL+"/")

	for _, p := range []string{"/", "/a", "/b", "/list?page=2", "/c", "/sitemap-only", "/news-only", "/feed-only", "/sitemap.xml", "/feed.rss", "/sitemap-index.xml", "/news.xml.gz"} {
		if got := store.state(srv.u(p)); got != StateDone {
			t.Errorf("%s: state %q, want done", p, got)
		}
		if n := srv.count(requested(p)); n != 1 {
			t.Errorf("%s requested %d times, want 1", p, n)
		}
	}
	if n := srv.count("/private/secret"); n != 0 {
		t.Errorf("robots-forbidden /private/secret requested %d times", n)
	}
	if r := store.last(srv.u("/private/secret")); r == nil || r.State != StateSkipped || r.Reason != ReasonRobots {
		t.Errorf("/private/secret: got %+v, want skipped robots", r)
	}
	if r := store.last(srv.u("/t/x/t/x/t/x/")); r == nil || r.State != StateSkipped || r.Reason != ReasonTrap {
		t.Errorf("trap: got %+v, want skipped trap", r)
	}
	if n := srv.count("/t/x/t/x/t/x/"); n != 0 {
		t.Errorf("trap requested %d times", n)
	}
	if n := ext.count("/elsewhere"); n != 0 {
		t.Errorf("out-of-scope link requested %d times", n)
	}
	if store.state(ext.u("/elsewhere")) != "" {
		t.Error("out-of-scope link enqueued")
	}
	if sum.OutOfScope == 0 {
		t.Error("summary counts no out-of-scope link")
	}
	if n := srv.count("/robots.txt"); n != 1 {
		t.Errorf("robots.txt requested %d times, want 1", n)
	}
	if r := store.last(srv.u("/sitemap-only")); r == nil || r.Entry.LastMod.IsZero() {
		t.Errorf("sitemap lastmod lost: %+v", r)
	}
	if sum.StopReason != "done" || sum.Interrupted {
		t.Errorf("stop reason %q interrupted %v", sum.StopReason, sum.Interrupted)
	}
	if sum.ByReason[ReasonRobots] != 1 || sum.ByReason[ReasonTrap] != 1 {
		t.Errorf("by reason = %v", sum.ByReason)
	}
	for _, msg := range []string{"crawl started", "robots fetched", "page fetched", "robots disallowed", "crawl finished"} {
		if !logs.has(msg) {
			t.Errorf("log lacks %q", msg)
		}
	}
	// Every committed entry is terminal: nothing left queued or in flight.
	if n := store.countState(StateInFlight) + store.countState(StateQueued); n != 0 {
		t.Errorf("%d entries left pending", n)
	}
}

func TestPerHostDelay(t *testing.T) {
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			writePage(w, "/1", "/2", "/3", "/4", "/5")
		case "/robots.txt", "/sitemap.xml":
			http.NotFound(w, r)
		default:
			writePage(w)
		}
	}))
	cfg := testConfig()
	cfg.Delay = 80 * time.Millisecond
	cfg.Parallelism = 3
	crawl(t, cfg, newMemStore(), srv.URL+"/")
	ts := srv.startTimes()
	if len(ts) != 8 {
		t.Fatalf("%d requests, want 8 (robots, /, sitemap, 5 pages)", len(ts))
	}
	// Start times are taken in the handler, so each carries the skew
	// between the client sending a request and the server's goroutine
	// running: a TCP handshake, or tens of milliseconds on a loaded
	// machine under -race. One late arrival shortens the gap after it and
	// lengthens the one before by as much, so the span of all requests is
	// the exact test of the delay (it can lose one skew, at its start); a
	// single gap is only checked against gross violations, such as two
	// requests started together.
	const skew = 15 * time.Millisecond
	if span, want := ts[len(ts)-1].Sub(ts[0]), time.Duration(len(ts)-1)*cfg.Delay-skew; span < want {
		t.Errorf("%d requests spanned %v, want >= %v (a gap of %v each)", len(ts), span, want, cfg.Delay)
	}
	for i := 1; i < len(ts); i++ {
		if gap := ts[i].Sub(ts[i-1]); gap < cfg.Delay/2 {
			t.Errorf("gap %d = %v, want about %v", i, gap, cfg.Delay)
		}
	}
}

func TestCrawlDelayFromRobots(t *testing.T) {
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: newsarchive\nCrawl-delay: 0.15\n")
		case "/":
			writePage(w, "/1", "/2")
		default:
			writePage(w)
		}
	}))
	crawl(t, testConfig(), newMemStore(), srv.URL+"/")
	ts := srv.startTimes()
	for i := 2; i < len(ts); i++ { // after robots.txt is known
		if gap := ts[i].Sub(ts[i-1]); gap < 135*time.Millisecond {
			t.Errorf("gap %d = %v, want >= 150ms Crawl-delay", i, gap)
		}
	}
}

func TestRetryThenSuccess(t *testing.T) {
	var n atomic.Int32
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/flaky":
			if n.Add(1) <= 2 {
				http.Error(w, "boom", http.StatusInternalServerError)
				return
			}
			writePage(w)
		case "/":
			writePage(w, "/flaky", "/missing")
		default:
			http.NotFound(w, r)
		}
	}))
	store := newMemStore()
	sum, logs := crawl(t, testConfig(), store, srv.URL+"/")

	rs := store.resultsFor(srv.u("/flaky"))
	var states []State
	for _, r := range rs {
		states = append(states, r.State)
	}
	if fmt.Sprint(states) != "[queued queued done]" {
		t.Fatalf("flaky results %v, want [queued queued done]", states)
	}
	if rs[0].Reason != ReasonHTTPStatus || rs[0].Detail != "HTTP 500" || rs[0].Entry.NotBefore.IsZero() {
		t.Errorf("first retry = %+v", rs[0])
	}
	if rs[2].Entry.Attempts != 3 {
		t.Errorf("attempts = %d, want 3", rs[2].Entry.Attempts)
	}
	if srv.count("/flaky") != 3 {
		t.Errorf("flaky requested %d times", srv.count("/flaky"))
	}
	// 404: failed at once, not retried.
	if srv.count("/missing") != 1 {
		t.Errorf("/missing requested %d times, want 1", srv.count("/missing"))
	}
	r := store.last(srv.u("/missing"))
	if r == nil || r.State != StateFailed || r.Reason != ReasonHTTPStatus || r.Detail != "HTTP 404" || r.Response == nil {
		t.Errorf("/missing = %+v, want failed http_status HTTP 404 with response", r)
	}
	if sum.Retries != 2 || !logs.has("retry scheduled") {
		t.Errorf("retries = %d", sum.Retries)
	}
}

func TestRetriesExhausted(t *testing.T) {
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/down" {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		writePage(w, "/down")
	}))
	cfg := testConfig()
	cfg.MaxRetries = 2
	store := newMemStore()
	crawl(t, cfg, store, srv.URL+"/")
	if got := srv.count("/down"); got != 3 {
		t.Errorf("/down requested %d times, want 3", got)
	}
	r := store.last(srv.u("/down"))
	if r.State != StateFailed || r.Reason != ReasonHTTPStatus || !strings.HasPrefix(r.Detail, "HTTP 502") {
		t.Errorf("got %+v", r)
	}
}

func TestRetryAfter429(t *testing.T) {
	var n atomic.Int32
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/limited":
			if n.Add(1) == 1 {
				w.Header().Set("Retry-After", "2")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			writePage(w)
		case "/":
			writePage(w, "/limited")
		default:
			http.NotFound(w, r)
		}
	}))
	store := newMemStore()
	_, logs := crawl(t, testConfig(), store, srv.URL+"/")
	ts := srv.timesOf("/limited")
	if len(ts) != 2 {
		t.Fatalf("/limited requested %d times, want 2", len(ts))
	}
	if gap := ts[1].Sub(ts[0]); gap < 2*time.Second {
		t.Errorf("retried after %v, want >= 2s (Retry-After)", gap)
	}
	if store.state(srv.u("/limited")) != StateDone {
		t.Error("/limited not archived")
	}
	if !logs.has("host paused") {
		t.Error(`no "host paused" log`)
	}
}

func TestRedirects(t *testing.T) {
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case p == "/":
			writePage(w, "/old", "/loop1", "/chain/0", "/away")
		case p == "/old":
			http.Redirect(w, r, "/mid", http.StatusMovedPermanently)
		case p == "/mid":
			http.Redirect(w, r, "/new", http.StatusFound)
		case p == "/new":
			writePage(w, "/linked-from-new")
		case p == "/loop1":
			http.Redirect(w, r, "/loop2", http.StatusFound)
		case p == "/loop2":
			http.Redirect(w, r, "/loop1", http.StatusFound)
		case strings.HasPrefix(p, "/chain/"):
			var i int
			fmt.Sscanf(p, "/chain/%d", &i)
			http.Redirect(w, r, fmt.Sprintf("/chain/%d", i+1), http.StatusFound)
		case p == "/away":
			http.Redirect(w, r, "http://other.invalid/x", http.StatusFound)
		case p == "/robots.txt":
			http.NotFound(w, r)
		default:
			writePage(w)
		}
	}))
	store := newMemStore()
	cfg := testConfig()
	cfg.MaxRedirects = 5
	crawl(t, cfg, store, srv.URL+"/")

	r := store.last(srv.u("/old"))
	if r == nil || r.State != StateDone || r.Response == nil {
		t.Fatalf("/old = %+v", r)
	}
	if got, want := r.Response.FinalURL, srv.u("/new"); got != want {
		t.Errorf("final URL %q, want %q", got, want)
	}
	if got, want := fmt.Sprint(r.Response.Redirects), fmt.Sprint([]string{srv.u("/old"), srv.u("/mid")}); got != want {
		t.Errorf("redirect chain %v, want %v", got, want)
	}
	if got := fmt.Sprint(r.Response.RedirectStatuses); got != "[301 302]" {
		t.Errorf("redirect statuses %v, want [301 302]", got)
	}
	if store.state(srv.u("/linked-from-new")) != StateDone {
		t.Error("links of the redirect target not followed")
	}
	for _, p := range []string{"/loop1", "/chain/0"} {
		r := store.last(srv.u(p))
		if r == nil || r.State != StateFailed || r.Reason != ReasonRedirectLimit {
			t.Errorf("%s = %+v, want failed redirect_limit", p, r)
		}
	}
	if n := srv.count("/chain/6"); n != 0 {
		t.Errorf("followed past the limit: /chain/6 requested %d times", n)
	}
	if n := srv.count("/loop1"); n > 3 {
		t.Errorf("loop followed %d times", n)
	}
	if r := store.last(srv.u("/away")); r == nil || r.State != StateSkipped || r.Reason != ReasonOutOfScope {
		t.Errorf("/away = %+v, want skipped out_of_scope", r)
	}
}

// gzipBomb returns a gzip stream of n MiB of zeros, made of n copies of one
// 1 MiB gzip member (multistream, which the transport decodes).
func gzipBomb(n int) []byte {
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	zw.Write(make([]byte, 1<<20))
	zw.Close()
	return bytes.Repeat(member.Bytes(), n)
}

func TestGzipBomb(t *testing.T) {
	bomb := gzipBomb(1024) // 1 GiB decoded, ~1 MiB on the wire
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/bomb":
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb)
		case "/":
			writePage(w, "/bomb")
		default:
			http.NotFound(w, r)
		}
	}))
	cfg := testConfig()
	cfg.MaxBodyBytes = 2 << 20
	store := newMemStore()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	crawl(t, cfg, store, srv.URL+"/")
	runtime.ReadMemStats(&after)

	r := store.last(srv.u("/bomb"))
	if r == nil || r.Response == nil {
		t.Fatalf("bomb result %+v", r)
	}
	if !r.Response.Truncated || int64(len(r.Response.Body)) != cfg.MaxBodyBytes {
		t.Errorf("truncated %v, body %d bytes, want truncated at %d", r.Response.Truncated, len(r.Response.Body), cfg.MaxBodyBytes)
	}
	if r.State != StateDone || r.Reason != ReasonTooLarge {
		t.Errorf("state %s reason %q, want done too_large", r.State, r.Reason)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("took %v", el)
	}
	// Decoding the whole bomb would allocate 1 GiB; the cap keeps the whole
	// crawl far below that.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("allocated %d MiB", alloc>>20)
	}
}

func TestTimeouts(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			writePage(w, "/no-headers", "/stall-body", "/trickle")
		case "/no-headers":
			select {
			case <-release:
			case <-r.Context().Done():
			}
		case "/stall-body":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html><body>"))
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
			}
		case "/trickle":
			w.Header().Set("Content-Type", "text/html")
			for {
				if _, err := w.Write([]byte("<p>")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-release:
					return
				case <-r.Context().Done():
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
		default:
			http.NotFound(w, r)
		}
	}))
	cfg := testConfig()
	cfg.MaxRetries = 0
	cfg.ResponseHeaderTimeout = 200 * time.Millisecond
	cfg.IdleReadTimeout = 200 * time.Millisecond
	cfg.OverallTimeout = 600 * time.Millisecond
	store := newMemStore()
	start := time.Now()
	crawl(t, cfg, store, srv.URL+"/")
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("crawl took %v", el)
	}
	for _, p := range []string{"/no-headers", "/stall-body", "/trickle"} {
		r := store.last(srv.u(p))
		if r == nil || r.State != StateFailed || r.Reason != ReasonTimeout {
			t.Errorf("%s = %+v, want failed timeout", p, r)
		}
	}
}

func TestConditionalRequest(t *testing.T) {
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v2"`)
			writePage(w, "/new-link")
		case "/old-link":
			if r.Header.Get("If-Modified-Since") != "" {
				t.Errorf("unexpected conditional request for /old-link")
			}
			writePage(w)
		default:
			http.NotFound(w, r)
		}
	}))
	store := newMemStore()
	store.prev[srv.u("/")] = Previous{
		ETag: `"v1"`, ContentType: "text/html",
		Body: []byte(`<html><body><a href="/old-link">old</a></body></html>`),
	}
	crawl(t, testConfig(), store, srv.URL+"/")
	r := store.last(srv.u("/"))
	if r == nil || r.State != StateDone || r.Response == nil || !r.Response.NotModified || r.Response.Status != 304 {
		t.Fatalf("/ = %+v", r)
	}
	if store.state(srv.u("/old-link")) != StateDone || srv.count("/old-link") != 1 {
		t.Error("links of the previous body not re-found after 304")
	}
	if srv.count("/new-link") != 0 {
		t.Error("the new body was fetched despite 304")
	}
}

func TestContentTypes(t *testing.T) {
	page := []byte(`<!DOCTYPE html><html><body><a href="/from-octet">x</a></body></html>`)
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			writePage(w, "/doc.pdf", "/octet", "/image")
		case "/doc.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Write(bytes.Repeat([]byte("%PDF-1.4 "), 200_000))
		case "/octet":
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Write(page)
		case "/image":
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Write([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
		default:
			writePage(w)
		}
	}))
	store := newMemStore()
	crawl(t, testConfig(), store, srv.URL+"/")
	r := store.last(srv.u("/doc.pdf"))
	if r == nil || r.State != StateSkipped || r.Reason != ReasonNotHTML || r.Response == nil || r.Response.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("pdf = %+v", r)
	} else if len(r.Response.Body) != 0 {
		t.Errorf("pdf body kept: %d bytes", len(r.Response.Body))
	}
	r = store.last(srv.u("/octet"))
	if r == nil || r.State != StateDone || r.Response.ContentType != "text/html" {
		t.Errorf("octet-stream HTML = %+v", r)
	}
	if store.state(srv.u("/from-octet")) != StateDone {
		t.Error("links of octet-stream HTML not followed")
	}
	if r := store.last(srv.u("/image")); r == nil || r.State != StateSkipped || r.Reason != ReasonNotHTML {
		t.Errorf("sniffed image = %+v", r)
	}
}

func TestRawBytesKept(t *testing.T) {
	// windows-1251 "Привет": colly must not transcode the archived body.
	raw := []byte("<html><head><title>\xcf\xf0\xe8\xe2\xe5\xf2</title></head><body></body></html>")
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=windows-1251")
		w.Write(raw)
	}))
	store := newMemStore()
	crawl(t, testConfig(), store, srv.URL+"/")
	r := store.last(srv.u("/"))
	if r == nil || r.Response == nil || !bytes.Equal(r.Response.Body, raw) {
		t.Fatalf("body changed: %+v", r)
	}
	if got := r.Response.Header.Get("Content-Type"); got != "text/html; charset=windows-1251" {
		t.Errorf("archived Content-Type %q", got)
	}
}

func TestMaxPages(t *testing.T) {
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt", "/sitemap.xml":
			http.NotFound(w, r)
		case "/":
			var links []string
			for i := range 20 {
				links = append(links, fmt.Sprintf("/p%d", i))
			}
			writePage(w, links...)
		default:
			writePage(w)
		}
	}))
	cfg := testConfig()
	cfg.MaxPages = 5
	store := newMemStore()
	sum, _ := crawl(t, cfg, store, srv.URL+"/")
	pages := 0
	for _, p := range srv.requested() {
		if p != "/robots.txt" {
			pages++
		}
	}
	if pages != 5 {
		t.Errorf("%d fetches, want 5", pages)
	}
	if sum.StopReason != ReasonMaxPages {
		t.Errorf("stop reason %q", sum.StopReason)
	}
	if n := store.countState(StateInFlight); n != 0 {
		t.Errorf("%d entries left in flight", n)
	}
	if n := store.countState(StateQueued); n == 0 {
		t.Error("no entry left queued for the next run")
	}
}

func TestPerHostBudget(t *testing.T) {
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt", "/sitemap.xml":
			http.NotFound(w, r)
		case "/":
			writePage(w, "/1", "/2", "/3", "/4", "/5", "/6")
		default:
			writePage(w)
		}
	}))
	cfg := testConfig()
	cfg.PerHostPageBudget = 4
	store := newMemStore()
	sum, _ := crawl(t, cfg, store, srv.URL+"/")
	if got := len(srv.requested()) - 1; got != 4 { // minus robots.txt
		t.Errorf("%d fetches, want 4", got)
	}
	if sum.ByReason[ReasonMaxPages] == 0 || store.countState(StateQueued) != 0 {
		t.Errorf("by reason %v", sum.ByReason)
	}
}

func TestRobotsUnavailable(t *testing.T) {
	var robotsHits atomic.Int32
	var robotsOK atomic.Bool
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			if robotsHits.Add(1) <= 2 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			robotsOK.Store(true)
			fmt.Fprint(w, "User-agent: *\nAllow: /\n")
		default:
			if !robotsOK.Load() {
				t.Errorf("%s requested while robots.txt was unavailable", r.URL.Path)
			}
			writePage(w)
		}
	}))
	store := newMemStore()
	sum, logs := crawl(t, testConfig(), store, srv.URL+"/")
	if store.state(srv.u("/")) != StateDone {
		t.Errorf("/ not fetched after robots.txt came back")
	}
	if sum.ByReason[ReasonRobotsUnavail] == 0 || !logs.has("robots unavailable") {
		t.Errorf("by reason %v", sum.ByReason)
	}
}

func TestRobots4xxAllowsAll(t *testing.T) {
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		writePage(w)
	}))
	store := newMemStore()
	crawl(t, testConfig(), store, srv.URL+"/")
	if store.state(srv.u("/")) != StateDone {
		t.Error("403 robots.txt should allow all")
	}
}

func TestIgnoreRobots(t *testing.T) {
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: *\nDisallow: /\n")
			return
		}
		writePage(w)
	}))
	cfg := testConfig()
	cfg.IgnoreRobots = true
	store := newMemStore()
	_, logs := crawl(t, cfg, store, srv.URL+"/")
	if store.state(srv.u("/")) != StateDone || srv.count("/robots.txt") != 0 {
		t.Error("robots.txt not ignored")
	}
	if !logs.has("ignoring robots.txt") {
		t.Error("no warning about ignoring robots.txt")
	}
}

// slowSite serves a home page with n links to pages that take d each.
func slowSite(t *testing.T, n int, d time.Duration) *recServer {
	return newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt", "/sitemap.xml":
			http.NotFound(w, r)
		case "/":
			var links []string
			for i := range n {
				links = append(links, fmt.Sprintf("/p%d", i))
			}
			writePage(w, links...)
		default:
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
			writePage(w)
		}
	}))
}

func TestInterrupt(t *testing.T) {
	srv := slowSite(t, 40, 300*time.Millisecond)
	cfg := testConfig()
	cfg.Parallelism = 2
	cfg.Workers = 2
	store := newMemStore()
	c, err := New(cfg, store, store, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Seed(t.Context(), []string{srv.URL + "/"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	store.commit = func(r *Result) error {
		if strings.HasSuffix(r.Entry.URL, "/") && r.State == StateDone {
			time.AfterFunc(100*time.Millisecond, cancel) // mid-fetch of the first pages
		}
		return nil
	}
	sum, err := c.Run(ctx, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Interrupted || sum.StopReason != "interrupted" || sum.Aborted {
		t.Errorf("summary %+v", sum)
	}
	if n := store.countState(StateInFlight); n != 0 {
		t.Errorf("%d entries left in flight", n)
	}
	// Every page the server saw (the ones in flight at the interrupt, at
	// most one per worker) finished and was committed.
	requested := 0
	for _, p := range srv.requested() {
		if strings.HasPrefix(p, "/p") {
			requested++
			if got := store.state(srv.u(p)); got != StateDone {
				t.Errorf("in-flight %s: state %q, want done", p, got)
			}
		}
	}
	if requested == 0 || requested > cfg.Workers {
		t.Errorf("%d pages requested, want 1..%d", requested, cfg.Workers)
	}
	if sum.Released == 0 || sum.ByReason[ReasonInterrupted] == 0 {
		t.Errorf("no claimed entry released: %+v", sum)
	}
}

func TestHardStop(t *testing.T) {
	srv := slowSite(t, 10, 10*time.Second)
	cfg := testConfig()
	cfg.OverallTimeout = 30 * time.Second
	cfg.IdleReadTimeout = 30 * time.Second
	cfg.ResponseHeaderTimeout = 30 * time.Second
	store := newMemStore()
	c, err := New(cfg, store, store, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Seed(t.Context(), []string{srv.URL + "/"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	hard, hardCancel := context.WithCancel(t.Context())
	store.commit = func(r *Result) error {
		if strings.HasSuffix(r.Entry.URL, "/") && r.State == StateDone {
			time.AfterFunc(100*time.Millisecond, func() {
				cancel()
				time.AfterFunc(100*time.Millisecond, hardCancel)
			})
		}
		return nil
	}
	start := time.Now()
	sum, err := c.Run(ctx, RunOptions{HardStop: hard})
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("hard stop took %v", el)
	}
	if !sum.Interrupted || !sum.Aborted {
		t.Errorf("summary %+v", sum)
	}
}

func TestSinkErrorStops(t *testing.T) {
	srv := slowSite(t, 5, 0)
	store := newMemStore()
	boom := errors.New("disk full")
	store.commit = func(r *Result) error {
		if strings.Contains(r.Entry.URL, "/p") {
			return boom
		}
		return nil
	}
	c, err := New(testConfig(), store, store, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Seed(t.Context(), []string{srv.URL + "/"}); err != nil {
		t.Fatal(err)
	}
	sum, err := c.Run(t.Context(), RunOptions{})
	if !errors.Is(err, boom) || sum.StopReason != "error" {
		t.Errorf("err %v, stop %q", err, sum.StopReason)
	}
}

func TestSessionDuplicates(t *testing.T) {
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			writePage(w, "/story?id=1&PHPSESSID=aa", "/story?PHPSESSID=bb&id=1", "/story;jsessionid=CC?id=1#c", "/story?utm_source=x&id=1")
		default:
			writePage(w, fmt.Sprintf("/?sid=%d", time.Now().UnixNano()))
		}
	}))
	crawl(t, testConfig(), newMemStore(), srv.URL+"/")
	// The request goes to the form the site linked (the first link, as
	// written); the canonical form de-duplicates the other three.
	if n := srv.countPath("/story"); n != 1 {
		t.Errorf("story fetched %d times: %v", n, srv.requested())
	}
	if n := srv.count("/"); n != 1 {
		t.Errorf("home fetched %d times", n)
	}
}

func TestNewValidates(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Parallelism = 0
	cfg.Contact = ""
	_, err := New(cfg, newMemStore(), newMemStore(), nil, slog.Default())
	if !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "parallelism") || !strings.Contains(err.Error(), "contact") {
		t.Errorf("err = %v, want every problem", err)
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Errorf("default config invalid: %v", err)
	}
	if ua := DefaultConfig().userAgent(); !strings.HasPrefix(ua, "newsarchive/") || !strings.Contains(ua, DefaultContact) {
		t.Errorf("user agent %q", ua)
	}
}

func TestRunWithoutSeeds(t *testing.T) {
	c, err := New(testConfig(), newMemStore(), newMemStore(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(t.Context(), RunOptions{}); !errors.Is(err, ErrNoScope) {
		t.Errorf("err = %v", err)
	}
}
