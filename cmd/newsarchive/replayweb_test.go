package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/internal/citest"
	"github.com/newsarchive/newsarchive/internal/testsite"
)

// replayWebPageEnv names the directory of the npm package replaywebpage
// (2.x: its ui.js and sw.js) that .ci/run installs.
const replayWebPageEnv = "NEWSARCHIVE_REPLAYWEBPAGE"

// replayWebPageDir returns the replaywebpage package directory.
func replayWebPageDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv(replayWebPageEnv)
	if dir == "" {
		citest.SkipOrFail(t, "no ReplayWeb.page: set "+replayWebPageEnv+" to the directory of the npm package replaywebpage 2.x (see .ci/run)")
	}
	for _, f := range []string{"ui.js", "sw.js"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			citest.SkipOrFail(t, fmt.Sprintf("ReplayWeb.page in %s: %v", dir, err))
		}
	}
	return dir
}

// TestReplayWebPage opens an exported WACZ in ReplayWeb.page (the npm
// package, served with the WACZ by a loopback static server that answers
// Range requests) in headless Chromium, after a crawl and a conditional
// re-crawl with page requisites: the article's newest capture (a
// not-modified revisit) and the embed without a timestamp both show the
// article with its stylesheet applied and its lead image loaded.
func TestReplayWebPage(t *testing.T) {
	rwp := replayWebPageDir(t)
	exe := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			exe = p
			break
		}
	}
	if exe == "" {
		citest.SkipOrFail(t, "no Chromium: install Debian's chromium package to run the replay test")
	}

	_, fixture, db, _, _, _ := requisiteCrawl(t)
	wacz := filepath.Join(t.TempDir(), "site.wacz")
	if code, _, stderr := runCmd(t, "export", "--db", db, "--format", "wacz", "--output", wacz); code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	// The article and its lead image, and the timestamp of its newest
	// capture in the package's index.
	const handle = "/blogs/tesmanian-blog/giga-berlin-brandenburg-environment-agency-approval-grunheide"
	pageURL := fixture.URL + handle
	store, err := archive.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := store.ArticleByURL(t.Context(), pageURL)
	store.Close()
	if err != nil || rec.Record.Image == nil || rec.Record.Image.URL == "" {
		t.Fatalf("article %s: %+v, %v", pageURL, rec, err)
	}
	iu, err := url.Parse(rec.Record.Image.URL)
	if err != nil {
		t.Fatal(err)
	}
	leadImage := path.Base(iu.Path)
	var newest cdxjLine
	for _, l := range parseCDXJ(t, readZip(t, wacz)["indexes/index.cdxj"]) {
		if l.js["url"] == pageURL && l.ts >= newest.ts {
			newest = l
		}
	}
	if newest.js["mime"] != "warc/revisit" || newest.js["status"] != "200" {
		t.Errorf("newest capture %s of the article: %v; want the re-crawl's revisit", newest.ts, newest.js)
	}

	// The static server: ReplayWeb.page's files, the service worker under
	// /replay/ (its scope), the WACZ (http.ServeContent answers Range), and
	// one embedding page per case.
	mux := http.NewServeMux()
	for _, f := range []string{"ui.js", "sw.js"} {
		for _, p := range []string{"/" + f, "/replay/" + f} {
			mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
				http.ServeFile(w, r, filepath.Join(rwp, f))
			})
		}
	}
	mux.HandleFunc("/site.wacz", func(w http.ResponseWriter, r *http.Request) {
		f, err := os.Open(wacz)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		defer f.Close()
		w.Header().Set("Content-Type", "application/wacz+zip")
		http.ServeContent(w, r, "site.wacz", time.Time{}, f)
	})
	mux.HandleFunc("/embed", func(w http.ResponseWriter, r *http.Request) {
		ts := ""
		if v := r.URL.Query().Get("ts"); v != "" {
			ts = ` ts="` + html.EscapeString(v) + `"`
		}
		fmt.Fprintf(w, `<!doctype html><html><head><script src="/ui.js"></script></head>
<body style="margin:0"><replay-web-page style="display:block;width:1280px;height:850px" source="/site.wacz" url="%s"%s replaybase="/replay/" embed="replayonly"></replay-web-page></body></html>`,
			html.EscapeString(pageURL), ts)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Headless,
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		// Only loopback: an archived page must never reach the live web.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	actx, cancel := chromedp.NewExecAllocator(t.Context(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 240*time.Second)
	defer cancel()

	// The first visit registers ReplayWeb.page's service worker; a frame
	// loaded before it is active would reach this server instead of it.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/embed")); err != nil {
		t.Fatalf("open the embed: %v", err)
	}
	for deadline := time.Now().Add(60 * time.Second); ; {
		active, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
			`navigator.serviceWorker.getRegistration('/replay/').then(r => !!(r && r.active))`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("service worker: %v", err)
		}
		if active {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("ReplayWeb.page's service worker did not become active in 60 s")
		}
		time.Sleep(250 * time.Millisecond)
	}

	for _, c := range []struct{ name, query string }{
		{"newest capture", "?ts=" + newest.ts},
		{"embed without timestamp", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/embed"+c.query)); err != nil {
				t.Fatalf("open the embed: %v", err)
			}
			got := replayedPage(t, ctx, leadImage)
			if got.Error != "" {
				shot, _ := chromedp.Run(ctx, chromedp.FullScreenshot(90))
				p := filepath.Join(artifactDir(t), "replay-"+strings.ReplaceAll(c.name, " ", "-")+".png")
				_ = os.WriteFile(p, shot, 0o644)
				t.Fatalf("replayed page: %s (screenshot %s)", got.Error, p)
			}
			if !strings.Contains(got.Title, rec.Record.Title) && !strings.Contains(got.H1, rec.Record.Title) {
				t.Errorf("replayed page: title %q, h1 %q; want the article %q", got.Title, got.H1, rec.Record.Title)
			}
			if got.Border != testsite.AssetBodyBorder {
				t.Errorf("body border-top-width %q, want %q: the stylesheet is not applied", got.Border, testsite.AssetBodyBorder)
			}
			if got.ImageWidth <= 0 {
				t.Errorf("lead image %s: naturalWidth %d", leadImage, got.ImageWidth)
			}
		})
	}
}

// replayState is what replayedPage reads from the replayed article.
type replayState struct {
	URL, Title, H1, Border string
	ImageWidth             int
	Error                  string
}

// replayedPageJS finds the replayed document (an iframe, within shadow
// roots and frames, whose address is a replay URL of the "mp_" modifier)
// and reports its title, first h1, the computed border of its body and the
// natural width of the lead image once loaded.
const replayedPageJS = `(() => {
  const seen = [];
  const find = (root) => {
    for (const f of root.querySelectorAll('iframe')) {
      let d = null;
      try { d = f.contentDocument } catch (e) {}
      seen.push(d ? d.location.href + ' (' + d.readyState + ')' : f.src + ' (no document)');
      if (!d) continue;
      if (d.location.href.includes('mp_/')) return d;
      const r = find(d);
      if (r) return r;
    }
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) { const r = find(el.shadowRoot); if (r) return r; }
    }
    return null;
  };
  const d = find(document);
  if (!d || d.readyState !== 'complete' || !d.body) return JSON.stringify({Error: 'not loaded; frames: ' + seen.join(', ')});
  const img = [...d.images].find(i => (i.currentSrc || i.src).includes(%q));
  const h1 = d.querySelector('h1');
  return JSON.stringify({
    URL: d.location.href, Title: d.title, H1: h1 ? h1.textContent.trim() : '',
    Border: getComputedStyle(d.body).borderTopWidth,
    ImageWidth: img && img.complete ? img.naturalWidth : -1,
  });
})()`

// replayedPage polls the replayed document until it is loaded with its
// lead image, or 90 s have passed.
func replayedPage(t *testing.T, ctx context.Context, leadImage string) replayState {
	t.Helper()
	js := fmt.Sprintf(replayedPageJS, leadImage)
	var st replayState
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			return replayState{Error: err.Error()}
		}
		st = replayState{}
		if err := json.Unmarshal([]byte(v), &st); err != nil {
			return replayState{Error: err.Error()}
		}
		if st.Error == "" && st.ImageWidth > 0 && st.Border == testsite.AssetBodyBorder {
			return st
		}
		time.Sleep(500 * time.Millisecond)
	}
	if st.Error == "" {
		t.Logf("last state: %+v", st)
	}
	return st
}
