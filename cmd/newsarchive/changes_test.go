package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"html/template"
	"io/fs"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	newsarchive "github.com/newsarchive/newsarchive"
	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/internal/testsite"
	"github.com/newsarchive/newsarchive/internal/web"
)

// kremlinPath is the reference article's path on the fixture site.
const kremlinPath = "/blogs/tesmanian-blog/the-kremlin-considers-elon-musks-clubhouse-chat-invite-to-russian-president-vladimir-putin-a-very-interesting-proposal"

// Headlines of the reference article before and after the edit changedArchive makes.
const (
	oldKremlinHeadline = kremlinTitle
	newKremlinHeadline = "Kremlin Weighs Elon Musk’s Clubhouse Invite to Russian President Vladimir Putin 'a very interesting proposal'"
)

// changedArchive crawls the fixture site on loopback, then edits the
// reference article the way newsrooms do (headline rewritten, a sentence
// reworded, the author credit changed, the publication date corrected into
// December 2020) and crawls again: the archive holds two real versions of it.
// It returns the archive and the article's id.
func changedArchive(t *testing.T) (db string, articleID int64) {
	t.Helper()
	site := testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true})
	srv := httptest.NewServer(site)
	defer srv.Close()
	db = filepath.Join(t.TempDir(), "changes.db")
	if s := crawlJSON(t, db, srv.URL+"/"); s.NewArticles == 0 {
		t.Fatal("first crawl archived no article")
	}
	body, err := fs.ReadFile(newsarchive.FixtureSite(), strings.TrimPrefix(kremlinPath, "/")+".html")
	if err != nil {
		t.Fatal(err)
	}
	changed := body
	for _, r := range [][2]string{
		{"The Kremlin Considers Elon Musk’s Clubhouse Chat Invite", "Kremlin Weighs Elon Musk’s Clubhouse Invite"},
		{"Elon Musk is ready for a dialogue", "Elon Musk is, it seems, ready for a dialogue"},
		{"Eva Fox", "Karen Hill"},
		{"2021-02-15T10:03:11", "2020-12-15T10:03:11"},
	} {
		next := bytes.ReplaceAll(changed, []byte(r[0]), []byte(r[1]))
		if bytes.Equal(next, changed) {
			t.Fatalf("%q not found in the fixture page", r[0])
		}
		changed = next
	}
	if err := site.SetPage(kremlinPath, changed); err != nil {
		t.Fatal(err)
	}
	if s := crawlJSON(t, db, srv.URL+"/"); s.NewVersions != 1 {
		t.Fatalf("re-crawl after the edit stored %d new versions, want 1", s.NewVersions)
	}
	st, err := archive.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rec, err := st.ArticleByURL(t.Context(), "https://www.tesmanian.com"+kremlinPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Versions) != 2 {
		t.Fatalf("reference article has %d versions, want 2", len(rec.Versions))
	}
	return db, rec.ID
}

func TestChangesCommand(t *testing.T) {
	db, id := changedArchive(t)

	code, out, stderr := runCmd(t, "changes", "--db", db)
	if code != 0 {
		t.Fatalf("changes exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 1 {
		t.Fatalf("changes printed %d lines, want 1 (one edit):\n%s", len(lines), out)
	}
	for _, want := range []string{"edit", "article " + strconv.FormatInt(id, 10), "title", "body (+", "published_at",
		`headline "` + oldKremlinHeadline + `" → "` + newKremlinHeadline + `"`, `authors +"Karen Hill" -"Eva Fox"`,
		"https://www.tesmanian.com" + kremlinPath} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("changes line lacks %q:\n%s", want, lines[0])
		}
	}

	code, out, stderr = runCmd(t, "changes", "--db", db, "--json", "--field", "title")
	if code != 0 {
		t.Fatalf("changes --json exit %d: %s", code, stderr)
	}
	var c archive.Change
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatalf("changes --json: %v\n%s", err, out)
	}
	if c.Kind != "edit" || c.ArticleID != id || c.Diff == nil || c.Diff.OldTitle != oldKremlinHeadline ||
		c.Diff.NewTitle != newKremlinHeadline || !slices.Equal(c.Diff.AuthorsAdded, []string{"Karen Hill"}) ||
		!slices.Equal(c.Diff.AuthorsRemoved, []string{"Eva Fox"}) || c.Diff.WordsAdded == 0 || !c.Diff.Changed("body") {
		t.Errorf("changes --json = %+v, diff %+v", c, c.Diff)
	}

	// Filters that select nothing print nothing; bad ones are usage errors.
	for _, args := range [][]string{{"--field", "tags"}, {"--kind", "unpublished"}, {"--site", "example.org"}, {"--until", "2000-01-01"}} {
		code, out, stderr := runCmd(t, append([]string{"changes", "--db", db}, args...)...)
		if code != 0 || out != "" {
			t.Errorf("changes %q: exit %d, output %q %s", args, code, out, stderr)
		}
	}
	for _, args := range [][]string{{"--field", "nonsense"}, {"--since", "yesterday"}, {"--limit", "0"}, {"extra"}} {
		if code, _, _ := runCmd(t, append([]string{"changes", "--db", db}, args...)...); code != exitUsage {
			t.Errorf("changes %q: exit %d, want %d", args, code, exitUsage)
		}
	}
	if code, out, _ := runCmd(t, "changes", "--db", db, "--since", "1h", "--site", "www.tesmanian.com", "--field", "dates"); code != 0 || strings.Count(out, "\n") != 1 {
		t.Errorf("changes --since 1h --site --field dates: exit %d\n%s", code, out)
	}

	// An event recorded by watch (here directly) merges in, newest first.
	rw, err := archive.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = rw.RecordEvent(t.Context(), archive.Event{URL: "https://www.tesmanian.com" + kremlinPath, ArticleID: id,
		Kind: archive.EventUnpublished, Status: 410})
	rw.Close()
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCmd(t, "changes", "--db", db)
	lines = strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != 0 || len(lines) != 2 || !strings.Contains(lines[0], "unpublished") || !strings.Contains(lines[0], "HTTP 410") ||
		!strings.Contains(lines[0], newKremlinHeadline) || !strings.Contains(lines[1], "edit") {
		t.Errorf("changes with an event: exit %d\n%s", code, out)
	}
	if code, out, _ = runCmd(t, "changes", "--db", db, "--kind", "unpublished", "--json"); code != 0 ||
		!strings.Contains(out, `"kind":"unpublished"`) || strings.Count(out, "\n") != 1 {
		t.Errorf("changes --kind unpublished --json: exit %d\n%s", code, out)
	}

	// show --diff ID: the timeline.
	code, out, stderr = runCmd(t, "show", "--db", db, "--diff", strconv.FormatInt(id, 10))
	if code != 0 {
		t.Fatalf("show --diff exit %d: %s", code, stderr)
	}
	for _, want := range []string{"2 version(s)", "first version", "title: \"" + oldKremlinHeadline + "\" → \"" + newKremlinHeadline + "\"", "body (+"} {
		if !strings.Contains(out, want) {
			t.Errorf("show --diff %d lacks %q:\n%s", id, want, out)
		}
	}
	code, out, _ = runCmd(t, "show", "--db", db, "--json", "--diff", "https://www.tesmanian.com"+kremlinPath)
	var tl struct {
		Versions []struct {
			Title string        `json:"title"`
			Diff  *archive.Diff `json:"diff"`
		} `json:"versions"`
	}
	if err := json.Unmarshal([]byte(out), &tl); code != 0 || err != nil || len(tl.Versions) != 2 || tl.Versions[0].Diff != nil ||
		tl.Versions[1].Diff == nil || !tl.Versions[1].Diff.Changed("title") || tl.Versions[1].Title != newKremlinHeadline {
		t.Errorf("show --json --diff URL: exit %d, %v, %+v", code, err, tl)
	}
}

// TestServeChangesFeed reads /changes.atom of an archive with a real edit
// as Atom 1.0 with encoding/xml: the feed's required elements, one entry
// per change with its old and new headline, and markup in text escaped.
func TestServeChangesFeed(t *testing.T) {
	db, id := changedArchive(t)
	_, ui := openUI(t, db, web.Options{})
	srv := httptest.NewServer(ui)
	defer srv.Close()

	resp, body := get(t, srv, "/changes.atom", "")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("GET /changes.atom: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	type link struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	}
	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Title   string   `xml:"title"`
		Updated string   `xml:"updated"`
		Author  struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Links   []link `xml:"link"`
		Entries []struct {
			ID       string `xml:"id"`
			Title    string `xml:"title"`
			Updated  string `xml:"updated"`
			Summary  string `xml:"summary"`
			Links    []link `xml:"link"`
			Category []struct {
				Term string `xml:"term,attr"`
			} `xml:"category"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(body), &feed); err != nil {
		t.Fatalf("feed is not Atom XML: %v\n%s", err, body)
	}
	if feed.ID == "" || feed.Title == "" || feed.Author.Name == "" || len(feed.Links) == 0 || feed.Links[0].Rel != "self" {
		t.Errorf("feed head: %+v", feed)
	}
	if _, err := time.Parse(time.RFC3339, feed.Updated); err != nil {
		t.Errorf("feed updated %q: %v", feed.Updated, err)
	}
	if len(feed.Entries) != 1 {
		t.Fatalf("%d entries, want 1 (one edit)", len(feed.Entries))
	}
	e := feed.Entries[0]
	if _, err := time.Parse(time.RFC3339, e.Updated); err != nil || e.ID == "" || len(e.Category) != 1 || e.Category[0].Term != "edit" {
		t.Errorf("entry %+v (%v)", e, err)
	}
	if e.Title != "Edited: "+newKremlinHeadline || !strings.Contains(e.Summary, "“"+oldKremlinHeadline+"” → “"+newKremlinHeadline+"”") ||
		!strings.Contains(e.Summary, "Authors added: Karen Hill") || !strings.Contains(e.Summary, "Authors removed: Eva Fox") {
		t.Errorf("entry title %q, summary:\n%s", e.Title, e.Summary)
	}
	// The entry leads to the diff page, which answers.
	u, err := url.Parse(e.Links[0].Href)
	if err != nil || u.Path != "/articles/"+strconv.FormatInt(id, 10)+"/diff" {
		t.Fatalf("entry link %q", e.Links[0].Href)
	}
	resp, page := get(t, srv, u.RequestURI(), "")
	if resp.StatusCode != 200 || !strings.Contains(page, "<del>Eva Fox") || !strings.Contains(page, "<ins>Karen Hill") {
		t.Errorf("diff page %d:\n%s", resp.StatusCode, page)
	}
	// An event whose text carries markup: escaped in the feed and the page.
	const evil = `https://evil.example/<script>alert(1)</script>?a=1&b="2"`
	rw, err := archive.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = rw.RecordEvent(t.Context(), archive.Event{URL: "https://www.tesmanian.com" + kremlinPath, ArticleID: id,
		Kind: archive.EventMoved, Status: 301, Detail: evil})
	rw.Close()
	if err != nil {
		t.Fatal(err)
	}
	_, body = get(t, srv, "/changes.atom", "")
	feed.Entries = nil
	if err := xml.Unmarshal([]byte(body), &feed); err != nil || len(feed.Entries) != 2 {
		t.Fatalf("feed with an event: %v, %d entries\n%s", err, len(feed.Entries), body)
	}
	if e := feed.Entries[0]; e.Category[0].Term != "moved" || !strings.Contains(e.Summary, evil) || e.ID == feed.Entries[1].ID {
		t.Errorf("event entry %+v", e)
	}
	if strings.Contains(body, "<script>") {
		t.Errorf("feed carries raw markup:\n%s", body)
	}
	if _, page := get(t, srv, "/changes", ""); strings.Contains(page, "<script>") || !strings.Contains(page, "&lt;script&gt;") {
		t.Errorf("changes page does not escape the event's detail")
	}
	if _, page := get(t, srv, "/articles/"+strconv.FormatInt(id, 10), ""); !strings.Contains(page, `<li class="event moved">`) ||
		strings.Contains(page, "<script>") || !strings.Contains(page, "HTTP 301") {
		t.Errorf("article page lacks the moved event, escaped")
	}

	// Filters apply to the feed; an unknown field is a 400.
	if _, body := get(t, srv, "/changes.atom?field=tags", ""); strings.Contains(body, "<entry>") {
		t.Errorf("field=tags feed has entries:\n%s", body)
	}
	if resp, _ := get(t, srv, "/changes.atom?field=bogus", ""); resp.StatusCode != 400 {
		t.Errorf("field=bogus: %d", resp.StatusCode)
	}
}

// TestServeChangesPages checks the changes page, the home page's recent
// changes, the article timeline, the statistics charts and /api/changes.
func TestServeChangesPages(t *testing.T) {
	db, id := changedArchive(t)
	_, ui := openUI(t, db, web.Options{})
	srv := httptest.NewServer(ui)
	defer srv.Close()
	sid := strconv.FormatInt(id, 10)
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/changes", []string{`class="chart edits-per-day"`, `<del class="old-title">` + htmlText(oldKremlinHeadline), `<ins class="new-title">` + htmlText(newKremlinHeadline), "/articles/" + sid + "/diff?from="}},
		{"/", []string{"Recent changes", htmlText(newKremlinHeadline)}},
		{"/articles/" + sid, []string{`<svg class="timeline"`, `class="timeline"`, htmlText(oldKremlinHeadline), "2 versions"}},
		{"/stats", []string{`class="chart published-per-month"`, `data-key="2020-12"`, `data-key="2021-02"`}},
		{"/articles/" + sid + "/diff", []string{"<del>" + htmlText(oldKremlinHeadline), "<ins>" + htmlText(newKremlinHeadline), "it seems"}},
	} {
		resp, body := get(t, srv, tc.path, "")
		if resp.StatusCode != 200 {
			t.Errorf("GET %s: %d", tc.path, resp.StatusCode)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s lacks %q", tc.path, w)
			}
		}
	}
	if resp, _ := get(t, srv, "/articles/"+sid+"/diff?from=999999", ""); resp.StatusCode != 404 {
		t.Errorf("diff from a version of no such article: %d", resp.StatusCode)
	}
	if resp, _ := get(t, srv, "/changes?since=nonsense", ""); resp.StatusCode != 400 {
		t.Errorf("changes?since=nonsense: %d", resp.StatusCode)
	}
	resp, body := get(t, srv, "/api/changes?field=title", "")
	var api struct {
		Changes []struct {
			archive.Change
			DiffURL string `json:"diff_url"`
		} `json:"changes"`
	}
	if err := json.Unmarshal([]byte(body), &api); err != nil || resp.StatusCode != 200 || len(api.Changes) != 1 ||
		api.Changes[0].Diff.NewTitle != newKremlinHeadline || api.Changes[0].DiffURL == "" || api.Changes[0].Diff.Body != nil {
		t.Errorf("/api/changes: %d %v %s", resp.StatusCode, err, body)
	}
	if _, body := get(t, srv, "/api/changes?kind=unpublished", ""); !strings.Contains(body, `"changes":[]`) {
		t.Errorf("/api/changes?kind=unpublished: %s", body)
	}
}

// htmlText is s as html/template writes it in text.
func htmlText(s string) string { return template.HTMLEscapeString(s) }

// TestBrowserChangesTimeline drives headless Chromium: an article's page
// shows its versions on a timeline with the old and the new headline, the
// timeline's point for the edit leads to the side-by-side diff, and the
// statistics page's monthly chart has one bar per month of the archive's
// publication dates (the fixture's February 2021 and the corrected
// December 2020), each drawn with a height.
func TestBrowserChangesTimeline(t *testing.T) {
	exe := chromiumPath(t)
	db, id := changedArchive(t)
	store, ui := openUI(t, db, web.Options{})
	srv := httptest.NewServer(ui)
	defer srv.Close()
	st, err := store.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var months []string
	for _, c := range st.ArticlesByMonth {
		if c.Key != "unknown" {
			months = append(months, c.Key)
		}
	}
	if !slices.Equal(months, []string{"2020-12", "2021-02"}) {
		t.Fatalf("archive's publication months %q, want 2020-12 and 2021-02", months)
	}

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
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
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

	// From the home page's recent changes to the article's timeline.
	do("home", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`section.recent-changes li.change a.title`)))
	do("open the changed article", chromedp.Click(chromedp.CSS(`section.recent-changes li.change a.title`)),
		chromedp.WaitVisible(chromedp.CSS(`ol.timeline`)))
	if p := eval("location", `location.pathname`); p != "/articles/"+strconv.FormatInt(id, 10) {
		t.Errorf("recent change led to %s", p)
	}
	var headlines []string
	if err := json.Unmarshal([]byte(eval("headlines", `JSON.stringify([...document.querySelectorAll('ol.timeline li .headline')].map(e => e.innerText))`)), &headlines); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(headlines, []string{oldKremlinHeadline, newKremlinHeadline}) {
		t.Errorf("timeline headlines %q, want old then new", headlines)
	}
	if n := eval("points", `String([...document.querySelectorAll('svg.timeline circle.version')].filter(c => c.getBoundingClientRect().width > 0).length)`); n != "2" {
		t.Errorf("%s visible points on the timeline, want 2", n)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	shotPath := filepath.Join(artifactDir(t), "article-timeline.png")
	if err := os.WriteFile(shotPath, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the article timeline: %s", shotPath)

	// The edit's point on the timeline opens the side-by-side diff.
	do("click the edit on the timeline", chromedp.Click(chromedp.CSS(`svg.timeline circle.changed`)),
		chromedp.WaitVisible(chromedp.CSS(`table.diff`)))
	old := eval("old headline", `document.querySelector('table.diff tr.field td.old').innerText`)
	cur := eval("new headline", `document.querySelector('table.diff tr.field td.new').innerText`)
	if old != oldKremlinHeadline || cur != newKremlinHeadline {
		t.Errorf("diff page title row: %q → %q", old, cur)
	}

	// The statistics page's monthly chart.
	do("stats", chromedp.Navigate(srv.URL+"/stats"), chromedp.WaitVisible(chromedp.CSS(`figure.published-per-month svg`)))
	var bars []struct {
		Key    string  `json:"key"`
		N      string  `json:"n"`
		Height float64 `json:"height"`
	}
	if err := json.Unmarshal([]byte(eval("bars", `JSON.stringify([...document.querySelectorAll('figure.published-per-month rect.bar')].map(r =>
		({key: r.dataset.key, n: r.dataset.n, height: r.getBoundingClientRect().height})))`)), &bars); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, b := range bars {
		keys = append(keys, b.Key)
		if b.Height <= 0 {
			t.Errorf("bar %s drawn without height", b.Key)
		}
	}
	if !slices.Equal(keys, months) {
		t.Errorf("monthly chart bars %q, want one per month %q", keys, months)
	}
	if len(bars) == 2 && bars[1].Height <= bars[0].Height {
		t.Errorf("February 2021 (%s articles) drawn no taller than December 2020 (%s)", bars[1].N, bars[0].N)
	}
}
