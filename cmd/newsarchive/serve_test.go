package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
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

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/internal/web"
)

// xssTitle is the title of an archived article: it must show as text.
const xssTitle = `<img src=x onerror=alert(1)>`

// hostileSite serves two article pages about zeppelins: one full of scripts,
// event handlers and beacons aimed at its /beacon endpoint, and one whose
// title is markup. Every request to /beacon is counted (and logged by ?via=).
type hostileSite struct {
	srv     *httptest.Server
	beacons atomic.Int64
	mu      sync.Mutex
	via     []string
}

func newHostileSite(t *testing.T) *hostileSite {
	h := &hostileSite{}
	mux := http.NewServeMux()
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
	h.srv = httptest.NewServer(mux)
	t.Cleanup(h.srv.Close)
	return h
}

// hostileArchive crawls the hostile site into a new archive.
func hostileArchive(t *testing.T, h *hostileSite) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "hostile.db")
	code, out, stderr := runCmd(t, "crawl", "--db", db, "--delay", "0", "--quiet", "--max-depth", "1",
		h.srv.URL+"/hostile", h.srv.URL+"/xss")
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
	t.Skip("no Chromium: install Debian's chromium package (apt-get install chromium) to run the browser test")
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
	store, err := archive.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ui, err := web.New(store, nil, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
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
	active := eval("active", `String(document.querySelectorAll('script, iframe, object, embed, meta, link, video, audio, [onerror], [onload]').length)`)
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
	store, err := archive.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ui, err := web.New(store, nil, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
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
