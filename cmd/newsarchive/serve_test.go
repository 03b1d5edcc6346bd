package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/internal/citest"
	"github.com/newsarchive/newsarchive/internal/testsite"
	"github.com/newsarchive/newsarchive/internal/web"
)

// onePixelPNG is a 1×1 PNG.
var onePixelPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

// xssTitle is the title of an archived article: it must show as text.
const xssTitle = `<img src=x onerror=alert(1)>`

// hostileSite serves two article pages about zeppelins: one full of scripts,
// event handlers and beacons aimed at its /beacon endpoint, and one whose
// title is markup. Every request to /beacon is counted (and logged by ?via=).
type hostileSite struct {
	srv     *httptest.Server
	evil    *httptest.Server // another site, where SMIL would send a click
	beacons atomic.Int64
	evilHit atomic.Int64
	served  atomic.Int64 // every request to srv
	mu      sync.Mutex
	via     []string
}

// svgSetPage is the reported attack: an SVG link whose href SMIL retargets
// to another site, beside a stylesheet and an image of the page's own site.
const svgSetPage = `<!doctype html><html><head><title>SVG set</title><link rel="stylesheet" href="/style.css"></head>
<body><p class="archived-style">Styled by the archived stylesheet.</p><img id="pic" src="/pic.png" alt="archived image">
<svg width="300" height="60"><a href="/ok"><set attributeName="href" to="%[1]s/set"/>
<animate attributeName="href" values="%[1]s/animate" begin="0s" fill="freeze"/>
<rect id="svg-link" width="300" height="60" fill="#c00"/><text x="10" y="35">click me</text></a></svg>
</body></html>`

func newHostileSite(t *testing.T) *hostileSite {
	h := &hostileSite{}
	h.evil = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.evilHit.Add(1)
		fmt.Fprint(w, "<title>evil</title>you left the archive")
	}))
	t.Cleanup(h.evil.Close)
	mux := http.NewServeMux()
	mux.HandleFunc("/svg-set", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, svgSetPage, h.evil.URL)
	})
	mux.HandleFunc("/style.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		fmt.Fprint(w, ".archived-style { color: rgb(1, 2, 3); background: url(/beacon?via=css-bg-not-archived) }")
	})
	mux.HandleFunc("/pic.png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(onePixelPNG)
	})
	mux.HandleFunc("/beacon", func(w http.ResponseWriter, r *http.Request) {
		h.beacons.Add(1)
		h.mu.Lock()
		h.via = append(h.via, r.URL.Query().Get("via"))
		h.mu.Unlock()
		w.Header().Set("Content-Type", "image/gif")
	})
	words := strings.Repeat("The zeppelin tour crossed the lake at dawn, and the passengers watched the shore pass slowly below. ", 30)
	mux.HandleFunc("/hostile", func(w http.ResponseWriter, r *http.Request) {
		b := h.srv.URL + "/beacon?via="
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><meta charset="utf-8"><title>Zeppelin tour over the lake</title>
<meta property="og:type" content="article"><meta property="og:title" content="Zeppelin tour over the lake">
<meta http-equiv="refresh" content="1;url=%[1]srefresh">
<link rel="stylesheet" href="%[1]slink-css"><link rel="prefetch" href="%[1]sprefetch">
<style>body { background: url(%[1]scss-bg) } @import url(%[1]simport);</style>
<script>document.title = 'PWNED'; try { localStorage.setItem('pwned', '1') } catch (e) {}
fetch('%[1]sfetch'); navigator.sendBeacon('%[1]ssendbeacon'); new Image().src = '%[1]simage-js';</script>
<script src="%[1]sscript-src"></script>
</head><body onload="fetch('%[1]sonload')">
<article><h1>Zeppelin tour over the lake</h1>
<p>%[2]s</p>
<p><img src="x" onerror="document.body.setAttribute('data-pwned', 'onerror'); fetch('%[1]sonerror')">
<img src="%[1]simg" srcset="%[1]ssrcset 2x"> <img src="/beacon?via=relative-img"></p>
<div style="background-image: url('%[1]sstyle-attr')">Styled block.</div>
<iframe src="%[1]siframe"></iframe><iframe srcdoc="<script>fetch('%[1]ssrcdoc')</script>"></iframe>
<object data="%[1]sobject"></object><embed src="%[1]sembed">
<svg><script>fetch('%[1]ssvg')</script><image href="%[1]ssvg-image"/></svg>
<video src="%[1]svideo" autoplay></video><audio src="%[1]saudio" autoplay></audio>
<form action="%[1]sform"><input name="q" autofocus onfocus="fetch('%[1]sonfocus')"></form>
<a href="javascript:fetch('%[1]sjs-link')">A javascript link</a>
<p>%[2]s</p>
</article></body></html>`, b, words)
	})
	mux.HandleFunc("/xss", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><title>&lt;img src=x onerror=alert(1)&gt;</title>
<meta property="og:type" content="article"><meta property="og:title" content="&lt;img src=x onerror=alert(1)&gt;">
</head><body><article><h1>&lt;img src=x onerror=alert(1)&gt;</h1><p>%s</p><p>%s</p></article></body></html>`, words, words)
	})
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.served.Add(1)
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

// hostileArchive crawls the hostile site into a new archive.
func hostileArchive(t *testing.T, h *hostileSite) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "hostile.db")
	code, out, stderr := runCmd(t, "crawl", "--db", db, "--delay", "0", "--quiet", "--max-depth", "1",
		h.srv.URL+"/hostile", h.srv.URL+"/xss", h.srv.URL+"/svg-set", h.srv.URL+"/style.css", h.srv.URL+"/pic.png")
	if code != 0 {
		t.Fatalf("crawl exit %d\n%s\n%s", code, out, stderr)
	}
	return db
}

func chromiumPath(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	citest.SkipOrFail(t, "no Chromium: install Debian's chromium package (apt-get install chromium) to run the browser test")
	return ""
}

func artifactDir(t *testing.T) string {
	if d := os.Getenv("NEWSARCHIVE_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// TestBrowserSnapshotsAreInert drives headless Chromium through the UI:
// search → article page → archived snapshot of a hostile page. No script or
// event handler may run, no request may reach the beacon, and markup in a
// title must show as text.
func TestBrowserSnapshotsAreInert(t *testing.T) {
	exe := chromiumPath(t)
	h := newHostileSite(t)
	db := hostileArchive(t, h)
	store, ui := openUI(t, db, web.Options{})
	// The same UI, plus a route serving the hostile page exactly as fetched
	// under the snapshot CSP alone: the header must hold without the rewriting.
	var rawPage atomic.Int64
	mux := http.NewServeMux()
	mux.Handle("/", ui)
	var csp atomic.Value
	mux.HandleFunc("/test-raw-with-csp", func(w http.ResponseWriter, r *http.Request) {
		p, err := store.Page(r.Context(), rawPage.Load())
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Security-Policy", csp.Load().(string))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(p.Body)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	h.beacons.Store(0) // the crawl itself may have followed the meta refresh

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Headless,
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	actx, cancel := chromedp.NewExecAllocator(t.Context(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	var dialogs atomic.Int64
	if err := chromedp.Listen(ctx, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
			t.Logf("dialog opened: %q", d.Message)
		}
	}); err != nil {
		t.Fatalf("start chromium: %v", err)
	}

	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	eval := func(step, js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return v
	}

	// Search.
	do("search page", chromedp.Navigate(srv.URL+"/?q=zeppelin"), chromedp.WaitVisible(chromedp.CSS(`li.hit a.title`)))
	var hitTitles []string
	if err := json.Unmarshal([]byte(eval("hits", `JSON.stringify([...document.querySelectorAll('li.hit a.title')].map(a => a.textContent))`)), &hitTitles); err != nil {
		t.Fatal(err)
	}
	if len(hitTitles) != 2 || !contains(hitTitles, xssTitle) || !contains(hitTitles, "Zeppelin tour over the lake") {
		t.Errorf("search hits %q, want both articles with the markup title as text", hitTitles)
	}
	if n := eval("imgs", `String(document.querySelectorAll('main img').length)`); n != "0" {
		t.Errorf("%s <img> elements in the search page: a title was not escaped", n)
	}

	// Article page of the hostile article, and its screenshot.
	do("open article", chromedp.Click(chromedp.Search(`//li[contains(@class,"hit")]/a[contains(., "Zeppelin tour")]`)),
		chromedp.WaitVisible(chromedp.CSS(`article.record h1`)))
	if h1 := eval("h1", `document.querySelector('article.record h1').textContent`); h1 != "Zeppelin tour over the lake" {
		t.Errorf("article h1 = %q", h1)
	}
	snapshotHref := eval("snapshot link", `[...document.querySelectorAll('a')].find(a => a.textContent === 'archived page').getAttribute('href')`)
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	shotPath := filepath.Join(artifactDir(t), "article-page.png")
	if err := os.WriteFile(shotPath, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the article page: %s", shotPath)

	// The snapshot viewer (banner + sandboxed frame), then the snapshot
	// document itself; wait past the meta refresh's 1 s.
	do("snapshot viewer", chromedp.Click(chromedp.Search(`//a[.="archived page"]`)),
		chromedp.WaitVisible(chromedp.CSS(`iframe.snapshot`)), chromedp.Sleep(2*time.Second))
	if n := eval("frames", `String(document.querySelectorAll('iframe').length)`); n != "1" {
		t.Errorf("viewer has %s frames, want 1", n)
	}
	do("snapshot content", chromedp.Navigate(srv.URL+snapshotHref+"/content"), chromedp.WaitReady(chromedp.CSS(`body`)),
		chromedp.Sleep(2*time.Second))
	title := eval("title", `document.title`)
	pwned := eval("pwned", `document.body.getAttribute('data-pwned') || ''`)
	stored := eval("storage", `(() => { try { return localStorage.getItem('pwned') || '' } catch (e) { return 'no storage: ' + e.name } })()`)
	active := eval("active", `String(document.querySelectorAll('script, iframe, object, embed, meta, link:not([href^="/snapshots/resource?"]), video, audio, [onerror], [onload]').length)`)
	if title == "PWNED" || pwned != "" || stored == "1" || active != "0" {
		t.Errorf("snapshot: title %q, data-pwned %q, storage %q, %s active elements left", title, pwned, stored, active)
	}
	if !strings.Contains(eval("text", `document.body.innerText`), "zeppelin tour crossed the lake") {
		t.Errorf("snapshot lost the page's text")
	}

	// The page exactly as fetched, under the snapshot CSP alone.
	resp, err := http.Get(srv.URL + snapshotHref + "/content")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	csp.Store(resp.Header.Get("Content-Security-Policy"))
	if c := csp.Load().(string); !strings.HasPrefix(c, "sandbox") || strings.Contains(c, "allow-scripts") || strings.Contains(c, "allow-same-origin") {
		t.Errorf("snapshot CSP %q", c)
	}
	var pid int64
	fmt.Sscanf(strings.TrimPrefix(snapshotHref, "/snapshots/"), "%d", &pid)
	rawPage.Store(pid)
	do("raw page under CSP", chromedp.Navigate(srv.URL+"/test-raw-with-csp"), chromedp.WaitReady(chromedp.CSS(`body`)),
		chromedp.Sleep(2500*time.Millisecond))
	title = eval("raw title", `document.title`)
	pwned = eval("raw pwned", `document.body.getAttribute('data-pwned') || ''`)
	if title == "PWNED" || pwned != "" {
		t.Errorf("raw page under the CSP ran scripts: title %q, data-pwned %q", title, pwned)
	}

	if n := h.beacons.Load(); n != 0 {
		h.mu.Lock()
		t.Errorf("%d request(s) reached the beacon endpoint, via %v", n, h.via)
		h.mu.Unlock()
	}
	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d JavaScript dialog(s) opened", n)
	}

	// The JSON API carries the markup title as data.
	resp, err = http.Get(srv.URL + "/api/search?q=zeppelin")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var api struct {
		Hits []struct {
			Title string `json:"title"`
		} `json:"hits"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&api); err != nil || len(api.Hits) != 2 {
		t.Errorf("api/search = %+v, %v", api, err)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TestServePages checks every page and API of the UI over the fixture archive,
// without a browser.
func TestServePages(t *testing.T) {
	db := demoArchive(t)
	store, ui := openUI(t, db, web.Options{})
	srv := httptest.NewServer(ui)
	defer srv.Close()
	hits, err := store.Search(t.Context(), `"very interesting proposal"`, archive.SearchOptions{})
	if err != nil || len(hits) != 1 {
		t.Fatalf("search = %v, %v", hits, err)
	}
	rec, err := store.Article(t.Context(), hits[0].ArticleID)
	if err != nil {
		t.Fatal(err)
	}
	id := fmt.Sprint(rec.ID)
	tests := []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{"Newest articles"}},
		{"/?q=%22very+interesting+proposal%22", 200, []string{"<mark>very</mark>", "/articles/" + id}},
		{"/?q=clubhouse&author=Eva+Fox&since=2021-02-15&until=2021-02-16", 200, []string{"/articles/" + id}},
		{"/?editor=SmokeyShorts", 200, []string{"hit"}},
		{"/?q=%22open", 400, []string{"unterminated"}},
		{"/?since=yesterday", 400, []string{"not a date"}},
		{"/articles/" + id, 200, []string{"The Kremlin Considers", "Related articles", "Versions", "/authors/Eva%20Fox", "/editors/SmokeyShorts", "Eva Fox joined Tesmanian"}},
		{"/articles/999999", 404, nil},
		{"/authors/Eva%20Fox", 200, []string{"Eva Fox joined Tesmanian", "The Kremlin Considers"}},
		{"/editors/SmokeyShorts", 200, []string{"SmokeyShorts"}},
		{"/authors/Nobody", 404, nil},
		{"/authors/Eva%20Fox?page=50", 404, nil}, // past the last page (was a panic: hits[0] of none)
		{"/stats", 200, []string{"Per author", "Crawl runs", "robots"}},
		{"/snapshots/" + fmt.Sprint(rec.PageID), 200, []string{`<iframe class="snapshot" sandbox=`}},
		{"/snapshots/" + fmt.Sprint(rec.PageID) + "/content", 200, []string{"Kremlin"}},
		{"/api/search?q=clubhouse&limit=2", 200, []string{`"hits":[`}},
		{"/api/search?q=%22open", 400, []string{`"error"`}},
		{"/api/articles/" + id, 200, []string{`"archived":true`, `"versions":[`}},
		{"/api/articles/x", 404, nil},
		{"/go?url=" + url.QueryEscape(rec.CanonicalURL), 200, []string{"The Kremlin Considers"}},
		{"/go?url=https%3A%2F%2Fnowhere.example%2F", 404, []string{"nowhere.example"}},
		{"/static/style.css", 200, []string{"--accent"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := http.Get(srv.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d\n%s", resp.StatusCode, tt.status, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("body lacks %q", w)
				}
			}
			csp := resp.Header.Get("Content-Security-Policy")
			if strings.HasSuffix(tt.path, "/content") {
				if !strings.HasPrefix(csp, "sandbox") || strings.Contains(csp, "allow-scripts") || strings.Contains(csp, "allow-same-origin") {
					t.Errorf("snapshot CSP %q", csp)
				}
			} else if !strings.Contains(csp, "default-src 'none'") {
				t.Errorf("UI CSP %q", csp)
			}
		})
	}
}

// pagedArchive crawls a generated site of 45 articles, all matching the
// query "report": three pages of search results.
func pagedArchive(t *testing.T) string {
	t.Helper()
	site := testsite.NewGenerated(testsite.GenOptions{Pages: 45})
	srv := httptest.NewServer(site)
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "paged.db")
	if code, _, stderr := runCmd(t, "crawl", "--db", db, "--delay", "0", "--quiet", srv.URL+"/"); code != 0 {
		t.Fatalf("crawl exit %d: %s", code, stderr)
	}
	return db
}

// get fetches path from srv with an optional Host header.
func get(t *testing.T, srv *httptest.Server, path, host string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

// pagerHref returns the href of the search page's link with rel, as the
// browser reads it.
func pagerHref(t *testing.T, body, rel string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var href string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "a" {
			var r, h string
			for _, a := range n.Attr {
				switch a.Key {
				case "rel":
					r = a.Val
				case "href":
					h = a.Val
				}
			}
			if r == rel || r == "" && strings.Contains(textOf(n), map[string]string{"next": "Next", "prev": "Previous"}[rel]) {
				href = h
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return href
}

func textOf(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(textOf(c))
	}
	return b.String()
}

// TestServeSearchBounds: the pager links to the next page of the same query;
// page, limit and filters out of bounds are a 400 (never a 500 or another
// page); LIKE wildcards in a site filter match themselves.
func TestServeSearchBounds(t *testing.T) {
	db := pagedArchive(t)
	_, ui := openUI(t, db, web.Options{})
	srv := httptest.NewServer(ui)
	defer srv.Close()

	t.Run("pager", func(t *testing.T) {
		_, body := get(t, srv, "/?q=report&site=Generated+News", "")
		next := pagerHref(t, body, "next")
		u, err := url.Parse(next)
		if err != nil || u.Path != "/" || u.Query().Get("q") != "report" || u.Query().Get("site") != "Generated News" || u.Query().Get("page") != "2" {
			t.Fatalf("Next links to %q, want / with q=report, site=Generated News, page=2", next)
		}
		resp, body2 := get(t, srv, next, "")
		if resp.StatusCode != 200 || !strings.Contains(body2, "page 2") || !strings.Contains(body2, "Results for <q>report</q>") {
			t.Errorf("Next: status %d, not page 2 of the query:\n%s", resp.StatusCode, body2)
		}
		prev := pagerHref(t, body2, "prev")
		if u, err := url.Parse(prev); err != nil || u.Query().Get("q") != "report" || u.Query().Has("page") {
			t.Errorf("Previous on page 2 links to %q, want page 1 of q=report", prev)
		}
	})

	long := strings.Repeat("x", 60000)
	for _, tc := range []struct {
		path string
		want string
	}{
		{"/?q=report&page=9223372036854775807", "page"},
		{"/?q=report&page=-1", "page"},
		{"/?q=report&page=two", "page"},
		{"/?site=" + long, "site filter"},
		{"/?author=" + long, "author filter"},
		{"/?q=" + long, "query of 60000 bytes"},
		{"/api/search?q=report&page=9223372036854775807", "page"},
		{"/api/search?q=report&limit=9223372036854775807&page=2", ""},
		{"/api/search?q=report&limit=-5", "limit"},
		{"/api/search?site=" + long, "site filter"},
		{"/authors/x?page=9223372036854775807", "page"},
	} {
		name := tc.path
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			resp, body := get(t, srv, tc.path, "")
			if tc.want == "" { // a limit above the maximum is clamped
				if resp.StatusCode != 200 {
					t.Errorf("status %d: %s", resp.StatusCode, body)
				}
				return
			}
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, tc.want) {
				t.Errorf("status %d, want 400 naming %q:\n%.300s", resp.StatusCode, tc.want, body)
			}
		})
	}

	t.Run("site wildcards", func(t *testing.T) {
		count := func(site string) int {
			_, body := get(t, srv, "/api/search?limit=100&site="+url.QueryEscape(site), "")
			var out struct{ Hits []archive.SearchHit }
			if err := json.Unmarshal([]byte(body), &out); err != nil {
				t.Fatalf("site %q: %v: %s", site, err, body)
			}
			return len(out.Hits)
		}
		if n := count("Generated News"); n != 45 {
			t.Errorf("site=Generated News: %d hits, want 45", n)
		}
		for _, s := range []string{"%", "_%", "127.0.0.1:%", "%.%"} {
			if n := count(s); n != 0 {
				t.Errorf("site=%s: %d hits, want 0 (a wildcard must match only itself)", s, n)
			}
		}
		if code, out, _ := runCmd(t, "search", "--db", db, "--site", "%", "--json", ""); code != 0 || out != "" {
			t.Errorf("CLI search --site %%: exit %d, %d bytes of hits; want none", code, len(out))
		}
		if code, _, stderr := runCmd(t, "search", "--db", db, "--site", long, ""); code != exitUsage || !strings.Contains(stderr, "site filter") {
			t.Errorf("CLI search with a 60,000-byte --site: exit %d, %q; want a usage error", code, stderr)
		}
	})

	t.Run("one hit type", func(t *testing.T) {
		_, cli, _ := runCmd(t, "search", "--db", db, "--json", "--limit", "2", "report")
		_, body := get(t, srv, "/api/search?q=report&limit=2", "")
		var api struct{ Hits []json.RawMessage }
		if err := json.Unmarshal([]byte(body), &api); err != nil {
			t.Fatal(err)
		}
		// The API's snippets mark matches as the CLI's do: the same bytes.
		var lines []string
		for _, h := range api.Hits {
			lines = append(lines, string(h))
		}
		if got, want := strings.Join(lines, "\n")+"\n", cli; got != want {
			t.Errorf("API hits differ from the CLI's:\n api %s\n cli %s", got, want)
		}
	})
}

// TestServeHostAndHeaders: a request naming another host gets 421; every
// response under /snapshots/, a 404 included, carries the sandboxing CSP and
// nosniff; archived resources are served from the archive only.
func TestServeHostAndHeaders(t *testing.T) {
	h := newHostileSite(t)
	db := hostileArchive(t, h)
	store, ui := openUI(t, db, web.Options{AllowedHosts: allowedHosts("127.0.0.1:0", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1})})
	srv := httptest.NewServer(ui)
	defer srv.Close()
	port := srv.URL[strings.LastIndexByte(srv.URL, ':'):]

	for _, tc := range []struct {
		host string
		want int
	}{
		{"", 200}, {"localhost" + port, 200}, {"LOCALHOST" + port, 200}, {"[::1]" + port, 200},
		{"evil.example" + port, 421}, {"evil.example", 421}, {"127.0.0.1.evil.example" + port, 421},
	} {
		resp, body := get(t, srv, "/api/search?q=zeppelin", tc.host)
		if resp.StatusCode != tc.want {
			t.Errorf("Host %q: status %d, want %d: %.200s", tc.host, resp.StatusCode, tc.want, body)
		}
	}

	svg, ok, err := store.Previous(t.Context(), h.srv.URL+"/svg-set")
	if err != nil || !ok {
		t.Fatalf("svg-set page not archived: %v", err)
	}
	sid := fmt.Sprint(svg.PageID)
	for _, tc := range []struct {
		path   string
		status int
		ctype  string
	}{
		{"/snapshots/" + sid + "/content", 200, "text/html"},
		{"/snapshots/999999/content", 404, ""},
		{"/snapshots/abc", 404, ""},
		{"/snapshots/abc/content", 404, ""},
		{"/snapshots/" + sid + "/nosuch", 404, ""},
		{"/snapshots/", 404, ""},
		{"/snapshots/resource?url=" + url.QueryEscape(h.srv.URL+"/style.css"), 200, "text/css"},
		{"/snapshots/resource?url=" + url.QueryEscape(h.srv.URL+"/pic.png"), 200, "image/png"},
		{"/snapshots/resource?url=" + url.QueryEscape(h.srv.URL+"/not-archived.png"), 404, ""},
		{"/snapshots/resource?url=" + url.QueryEscape(h.srv.URL+"/hostile"), 404, ""}, // a page is not a resource
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := get(t, srv, tc.path, "")
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d: %.200s", resp.StatusCode, tc.status, body)
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "sandbox") || strings.Contains(csp, "allow-scripts") {
				t.Errorf("CSP %q, want the snapshot sandbox", csp)
			}
			if ns := resp.Header.Get("X-Content-Type-Options"); ns != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", ns)
			}
			if tc.ctype != "" && !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.ctype) {
				t.Errorf("Content-Type %q, want %s", resp.Header.Get("Content-Type"), tc.ctype)
			}
			if tc.ctype == "text/css" && (strings.Contains(body, "url(/beacon") || !strings.Contains(body, "/snapshots/resource?url=")) {
				t.Errorf("archived stylesheet not rewritten into the archive: %s", body)
			}
			if tc.ctype == "image/png" {
				p, _, err := store.Previous(t.Context(), h.srv.URL+"/pic.png")
				if err != nil || body != string(p.Body) {
					t.Errorf("archived image: %d bytes, want the %d archived (%v)", len(body), len(p.Body), err)
				}
			}
		})
	}
	if n := h.beacons.Load(); n != 0 {
		t.Errorf("%d request(s) reached the site's beacon", n)
	}
}

// TestBrowserPagerAndSVGSet drives headless Chromium: Next on a search with
// three pages lands on page 2 of the same query; a snapshot whose SVG link
// SMIL retargets to another site stays in the archive when clicked, with its
// archived stylesheet applied and not a request to either site.
func TestBrowserPagerAndSVGSet(t *testing.T) {
	exe := chromiumPath(t)
	paged := pagedArchive(t)
	h := newHostileSite(t)
	hostileDB := hostileArchive(t, h)
	serveDB := func(db string) *httptest.Server {
		_, ui := openUI(t, db, web.Options{AllowedHosts: []string{"127.0.0.1"}})
		srv := httptest.NewServer(ui)
		t.Cleanup(srv.Close)
		return srv
	}
	pagedSrv, hostileSrv := serveDB(paged), serveDB(hostileDB)
	st, err := archive.OpenReadOnly(t.Context(), hostileDB)
	if err != nil {
		t.Fatal(err)
	}
	svg, ok, err := st.Previous(t.Context(), h.srv.URL+"/svg-set")
	st.Close()
	if err != nil || !ok {
		t.Fatalf("svg-set page not archived: %v", err)
	}
	servedByCrawl := h.served.Load()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Headless,
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	actx, cancel := chromedp.NewExecAllocator(t.Context(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	eval := func(step, js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return v
	}

	// Start the browser on ctx: a step's own timeout must not end it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}

	// The pager.
	do("search", chromedp.Navigate(pagedSrv.URL+"/?q=report"), chromedp.WaitVisible(chromedp.CSS(`li.hit a.title`)))
	first := eval("page 1 hits", `[...document.querySelectorAll('li.hit a.title')].map(a => a.getAttribute('href')).join(' ')`)
	do("click Next", chromedp.Click(chromedp.Search(`//nav[@class="pager"]/a[contains(., "Next")]`)),
		chromedp.WaitVisible(chromedp.Search(`//p[@class="count"][contains(., "page 2")]`)))
	// (Before the fix, Next led to /?q%3dreport%26page%3d2: page 1 of the empty query.)
	loc, err := url.Parse(eval("location", `location.href`))
	if err != nil || loc.Path != "/" || loc.Query().Get("q") != "report" || loc.Query().Get("page") != "2" {
		t.Errorf("Next led to %v, want /?q=report&page=2", loc)
	}
	second := eval("page 2 hits", `[...document.querySelectorAll('li.hit a.title')].map(a => a.getAttribute('href')).join(' ')`)
	if second == "" || second == first {
		t.Errorf("page 2 shows the hits of page 1 (or none): %q", second)
	}
	if q := eval("query box", `document.querySelector('input[name=q]').value`); q != "report" {
		t.Errorf("page 2's query box holds %q, want report", q)
	}

	// The SVG set snapshot, clicked where the retargeted link is, after the
	// animation has begun.
	content := hostileSrv.URL + "/snapshots/" + fmt.Sprint(svg.PageID) + "/content"
	do("snapshot", chromedp.Navigate(content), chromedp.WaitReady(chromedp.CSS(`body`)), chromedp.Sleep(time.Second))
	if c := eval("archived style", `getComputedStyle(document.querySelector('.archived-style')).color`); c != "rgb(1, 2, 3)" {
		t.Errorf("archived stylesheet not applied: color %q", c)
	}
	if n := eval("svg link", `String(document.querySelectorAll('svg a, svg set, svg animate').length)`); n != "0" {
		t.Errorf("%s SVG links or animations left in the snapshot", n)
	}
	do("click the SVG", chromedp.Click(chromedp.CSS(`#svg-link`)), chromedp.Sleep(1500*time.Millisecond))
	if got := eval("location after click", `location.href`); got != content {
		t.Errorf("clicking the SVG link navigated to %s, want to stay on %s", got, content)
	}
	// And in the viewer, where the snapshot is a sandboxed frame.
	do("viewer", chromedp.Navigate(hostileSrv.URL+"/snapshots/"+fmt.Sprint(svg.PageID)),
		chromedp.WaitVisible(chromedp.CSS(`iframe.snapshot`)), chromedp.Sleep(time.Second))
	rect := eval("frame position", `(() => { const r = document.querySelector('iframe.snapshot').getBoundingClientRect(); return r.left + ',' + r.top })()`)
	var fx, fy float64
	fmt.Sscanf(rect, "%f,%f", &fx, &fy)
	// The SVG is the last block of the frame's body: click down its column.
	for y := 20.0; y < 200; y += 20 {
		do("click in frame", chromedp.MouseClickXY(fx+40, fy+y))
	}
	do("settle", chromedp.Sleep(1500*time.Millisecond))
	if got := eval("top location", `location.href`); !strings.HasPrefix(got, hostileSrv.URL+"/") {
		t.Errorf("the viewer navigated off the archive to %s", got)
	}
	if n := h.evilHit.Load(); n != 0 {
		t.Errorf("%d request(s) reached the other site", n)
	}
	if n := h.served.Load() - servedByCrawl; n != 0 {
		t.Errorf("%d request(s) reached the archived site while browsing its snapshot", n)
	}
}

// openUI opens the archive db read-only and the web UI over it, closed when
// the test ends.
func openUI(t *testing.T, db string, opts web.Options) (*archive.Store, *web.Server) {
	t.Helper()
	store, err := archive.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ui, err := web.New(store, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	return store, ui
}
