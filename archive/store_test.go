package archive

import (
	"bytes"
	"database/sql"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/archive/migrations"
	"github.com/newsarchive/newsarchive/extract"
)

func TestOpenMigrationsIdempotent(t *testing.T) {
	ctx := t.Context()
	s, path := openTest(t)
	run := startRun(t, s)
	commit(t, s, run, captureOf("https://example.com/a", newArticle("https://example.com/a", "A")))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		s2, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		files, err := migrations.SQLite()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := queryInt(t, s2, `SELECT count(*) FROM schema_migrations`), len(files); got != want {
			t.Errorf("schema_migrations rows = %d, want %d", got, want)
		}
		if n, _ := s2.CountArticles(ctx); n != 1 {
			t.Errorf("articles after reopen = %d, want 1", n)
		}
		var mode string
		if err := s2.r.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("journal_mode = %q, %v; want wal", mode, err)
		}
		var fk int
		if err := s2.w.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
			t.Errorf("foreign_keys = %d, %v; want 1", fk, err)
		}
		if err := s2.Close(); err != nil {
			t.Fatal(err)
		}
	}
	// Reopening the store object from openTest's cleanup must not fail.
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func TestOpenReadOnly(t *testing.T) {
	ctx := t.Context()
	if _, err := OpenReadOnly(ctx, t.TempDir()+"/missing.db"); !errors.Is(err, ErrNotArchive) {
		t.Errorf("OpenReadOnly(missing) = %v, want ErrNotArchive", err)
	}
	s, path := openTest(t)
	run := startRun(t, s)
	commit(t, s, run, captureOf("https://example.com/a", newArticle("https://example.com/a", "A")))
	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatalf("OpenReadOnly: %v", err)
	}
	defer ro.Close()
	if n, err := ro.CountArticles(ctx); err != nil || n != 1 {
		t.Errorf("CountArticles = %d, %v; want 1", n, err)
	}
	if _, err := ro.Commit(ctx, run, nil); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Commit on read-only = %v, want ErrReadOnly", err)
	}
	if _, err := ro.r.Exec(`DELETE FROM articles`); !errors.Is(wrap("x", err), ErrReadOnly) {
		t.Errorf("DELETE through read-only pool = %v, want a read-only error", err)
	}
	// Also after the writer closed cleanly (no -wal/-shm files left).
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ro2, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatalf("OpenReadOnly after writer closed: %v", err)
	}
	defer ro2.Close()
	if n, err := ro2.CountArticles(ctx); err != nil || n != 1 {
		t.Errorf("CountArticles = %d, %v; want 1", n, err)
	}
}

func TestCommitRawPageFirst(t *testing.T) {
	ctx := t.Context()
	s, _ := openTest(t)
	run := startRun(t, s)
	c := captureOf("https://example.com/broken", nil)
	c.ExtractError = "extract: body not found"
	c.Page.Truncated = true
	res := commit(t, s, run, c)
	if res[0].PageID == 0 || res[0].ArticleID != 0 {
		t.Fatalf("result = %+v, want a page and no article", res[0])
	}
	p, err := s.Page(ctx, res[0].PageID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(p.Body, c.Page.Body) {
		t.Errorf("body round trip differs")
	}
	if p.SHA256 == "" || len(p.SHA256) != 64 {
		t.Errorf("sha256 = %q, want computed digest", p.SHA256)
	}
	if !p.Truncated || p.Header.Get("Etag") != `"v1"` || p.Status != 200 {
		t.Errorf("page = %+v", p)
	}
	if got := queryInt(t, s, `SELECT count(*) FROM pages WHERE extract_error = 'extract: body not found'`); got != 1 {
		t.Errorf("pages with extract_error = %d, want 1", got)
	}
	if n, _ := s.CountArticles(ctx); n != 0 {
		t.Errorf("articles = %d, want 0", n)
	}
	fe, err := s.FrontierEntry(ctx, c.Entry.URL)
	if err != nil {
		t.Fatal(err)
	}
	if fe.State != StateDone || fe.PageID != res[0].PageID {
		t.Errorf("frontier = %+v, want done with page", fe)
	}
	if _, err := s.Page(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Page(999) = %v, want ErrNotFound", err)
	}
	// An article without a page is a caller bug, refused before writing.
	bad := Capture{Entry: QueueEntry{URL: "https://example.com/x"}, State: StateDone, Article: newArticle("https://example.com/x", "X")}
	if _, err := s.Commit(ctx, run, []Capture{bad}); !errors.Is(err, ErrInvalid) {
		t.Errorf("article without page = %v, want ErrInvalid", err)
	}
}

func TestCommitVersioning(t *testing.T) {
	ctx := t.Context()
	s, _ := openTest(t)
	run := startRun(t, s)
	u := "https://example.com/blogs/n/model-y"
	a1 := newArticle(u, "Model Y", withBody("first text"))
	r1 := commit(t, s, run, captureOf(u, a1))[0]
	if !r1.NewArticle || !r1.NewVersion {
		t.Errorf("first commit = %+v, want new article and version", r1)
	}
	// Same content fetched again (a different fetch time and extractor
	// bookkeeping do not count as change).
	a1b := newArticle(u, "Model Y", withBody("first text"))
	a1b.Sources = map[string]string{"title": "opengraph"}
	r2 := commit(t, s, run, captureOf(u, a1b))[0]
	if r2.NewArticle || r2.NewVersion || r2.VersionID != r1.VersionID || r2.ArticleID != r1.ArticleID {
		t.Errorf("unchanged commit = %+v, want same version %d", r2, r1.VersionID)
	}
	// Changed body: a second version, the first kept.
	a2 := newArticle(u, "Model Y", withBody("second text, updated"))
	r3 := commit(t, s, run, captureOf(u, a2))[0]
	if r3.NewArticle || !r3.NewVersion || r3.VersionID == r1.VersionID {
		t.Errorf("changed commit = %+v, want new version", r3)
	}
	rec, err := s.Article(ctx, r1.ArticleID)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(rec.Versions); got != 2 {
		t.Fatalf("versions = %d, want 2", got)
	}
	if rec.Record.BodyText != "second text, updated" || rec.VersionID != r3.VersionID {
		t.Errorf("latest record body = %q", rec.Record.BodyText)
	}
	old, err := s.Version(ctx, r1.VersionID)
	if err != nil {
		t.Fatal(err)
	}
	if old.Record.BodyText != "first text" {
		t.Errorf("old version body = %q, want kept", old.Record.BodyText)
	}
	if got := queryInt(t, s, `SELECT count(*) FROM pages`); got != 3 {
		t.Errorf("pages = %d, want 3 (every fetch kept)", got)
	}
	// The search index holds only the latest version.
	if hits, err := s.Search(ctx, `"first text"`, SearchOptions{}); err != nil || len(hits) != 0 {
		t.Errorf("search old text = %v, %v; want none", hits, err)
	}
	if hits, err := s.Search(ctx, "updated", SearchOptions{}); err != nil || len(hits) != 1 || hits[0].VersionID != r3.VersionID {
		t.Errorf("search new text = %+v, %v; want latest version", hits, err)
	}
	if got := queryInt(t, s, `SELECT count(*) FROM articles_fts_docsize`); got != 1 {
		t.Errorf("fts rows = %d, want 1", got)
	}
}

func TestCommitCanonicalAndAliases(t *testing.T) {
	ctx := t.Context()
	s, _ := openTest(t)
	run := startRun(t, s)
	canon := "https://example.com/blogs/n/story"
	u1 := canon + "?utm_source=feed"
	u2 := "https://example.com/amp/story"
	c1 := captureOf(u1, newArticle(u1, "Story", withCanonical(canon)))
	c2 := captureOf(u2, newArticle(u2, "Story", withCanonical(canon)))
	res := commit(t, s, run, c1, c2)
	if res[0].ArticleID != res[1].ArticleID || !res[0].NewArticle || res[1].NewArticle || res[1].NewVersion {
		t.Fatalf("results = %+v, want one article, one version", res)
	}
	for _, u := range []string{canon, u1, u2} {
		rec, err := s.ArticleByURL(ctx, u)
		if err != nil {
			t.Fatalf("ArticleByURL(%s): %v", u, err)
		}
		if rec.ID != res[0].ArticleID || rec.CanonicalURL != canon {
			t.Errorf("ArticleByURL(%s) = %d %s", u, rec.ID, rec.CanonicalURL)
		}
		if !slices.Equal(rec.Aliases, []string{u2, canon, u1}) {
			t.Errorf("aliases = %v", rec.Aliases)
		}
	}
	// No canonical URL: keyed by the final URL after redirects.
	u3 := "https://example.com/old-path"
	c3 := captureOf(u3, newArticle(u3, "Moved", withCanonical("")))
	c3.Page.FinalURL = "https://example.com/new-path"
	c3.Page.Redirects = []string{u3}
	r3 := commit(t, s, run, c3)[0]
	rec, err := s.Article(ctx, r3.ArticleID)
	if err != nil {
		t.Fatal(err)
	}
	if rec.CanonicalURL != "https://example.com/new-path" {
		t.Errorf("canonical = %s, want final URL", rec.CanonicalURL)
	}
	// The redirect target is done in the frontier, so a link to it is not fetched again.
	fe, err := s.FrontierEntry(ctx, "https://example.com/new-path")
	if err != nil || fe.State != StateDone || fe.Reason != ReasonRedirectTarget {
		t.Errorf("redirect target frontier = %+v, %v", fe, err)
	}
	if n, err := s.Enqueue(ctx, run, []QueueEntry{{URL: "https://example.com/new-path"}}); err != nil || n != 0 {
		t.Errorf("Enqueue(redirect target) = %d, %v; want 0", n, err)
	}
	if _, err := s.ArticleByURL(ctx, "https://nowhere.example/"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ArticleByURL(unknown) = %v, want ErrNotFound", err)
	}
}

func TestFrontierRunScoping(t *testing.T) {
	ctx := t.Context()
	s, _ := openTest(t)
	run1, resumed, err := s.StartRun(ctx, []string{"https://example.com/"}, nil)
	if err != nil || resumed {
		t.Fatalf("StartRun = %d, %v, %v", run1, resumed, err)
	}
	entries := []QueueEntry{{URL: "https://example.com/a"}, {URL: "https://example.com/b"}, {URL: "https://example.com/a"}}
	if n, err := s.Enqueue(ctx, run1, entries); err != nil || n != 2 {
		t.Fatalf("Enqueue = %d, %v; want 2", n, err)
	}
	if n, err := s.Enqueue(ctx, run1, entries); err != nil || n != 0 {
		t.Errorf("Enqueue again in same run = %d, %v; want 0", n, err)
	}
	got, err := s.Claim(ctx, run1, 1, time.Now())
	if err != nil || len(got) != 1 || got[0].URL != "https://example.com/a" {
		t.Fatalf("Claim = %v, %v", got, err)
	}
	commit(t, s, run1, captureOf("https://example.com/a", nil))
	if q, f, err := s.PendingCount(ctx, run1); err != nil || q != 1 || f != 0 {
		t.Errorf("PendingCount = %d, %d, %v; want 1, 0", q, f, err)
	}
	// Kill: b is in flight when the process dies. The next StartRun resumes.
	if _, err := s.Claim(ctx, run1, 10, time.Now()); err != nil {
		t.Fatal(err)
	}
	if q, f, _ := s.PendingCount(ctx, run1); q != 0 || f != 1 {
		t.Errorf("PendingCount = %d, %d; want 0, 1", q, f)
	}
	run, resumed, err := s.StartRun(ctx, []string{"https://example.com/"}, nil)
	if err != nil || !resumed || run != run1 {
		t.Fatalf("StartRun after crash = %d, %v, %v; want resumed %d", run, resumed, err, run1)
	}
	if q, f, _ := s.PendingCount(ctx, run1); q != 1 || f != 0 {
		t.Errorf("after resume PendingCount = %d, %d; want 1, 0", q, f)
	}
	if _, err := s.Claim(ctx, run1, 10, time.Now()); err != nil {
		t.Fatal(err)
	}
	commit(t, s, run1, captureOf("https://example.com/b", nil))
	if err := s.FinishRun(ctx, run1, RunFinished, map[string]int{"done": 2}); err != nil {
		t.Fatal(err)
	}
	// A new run re-queues URLs done in the earlier run (to revisit them) and
	// ignores repeats within itself.
	run2, resumed, err := s.StartRun(ctx, []string{"https://example.com/"}, nil)
	if err != nil || resumed || run2 == run1 {
		t.Fatalf("StartRun 2 = %d, %v, %v", run2, resumed, err)
	}
	if n, err := s.Enqueue(ctx, run2, []QueueEntry{{URL: "https://example.com/a"}, {URL: "https://example.com/c"}}); err != nil || n != 2 {
		t.Errorf("Enqueue in new run = %d, %v; want 2", n, err)
	}
	if n, err := s.Enqueue(ctx, run2, []QueueEntry{{URL: "https://example.com/a"}}); err != nil || n != 0 {
		t.Errorf("Enqueue repeat in new run = %d, %v; want 0", n, err)
	}
	fe, err := s.FrontierEntry(ctx, "https://example.com/a")
	if err != nil || fe.RunID != run2 || fe.State != StateQueued || fe.PageID == 0 {
		t.Errorf("re-queued entry = %+v, %v", fe, err)
	}
	if q, _, _ := s.PendingCount(ctx, run2); q != 2 {
		t.Errorf("run 2 queued = %d, want 2", q)
	}
	if q, _, _ := s.PendingCount(ctx, run1); q != 0 {
		t.Errorf("run 1 queued = %d, want 0", q)
	}
	runs, err := s.Runs(ctx)
	if err != nil || len(runs) != 2 || runs[0].Status != RunFinished || runs[0].Counts["done"] != 2 || runs[1].Status != RunRunning {
		t.Errorf("Runs = %+v, %v", runs, err)
	}
	if err := s.FinishRun(ctx, run2, "bogus", nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("FinishRun(bogus) = %v, want ErrInvalid", err)
	}
	// An interrupted run is resumed too.
	if err := s.FinishRun(ctx, run2, RunInterrupted, nil); err != nil {
		t.Fatal(err)
	}
	if id, resumed, err := s.StartRun(ctx, nil, nil); err != nil || !resumed || id != run2 {
		t.Errorf("StartRun after interrupt = %d, %v, %v; want resumed %d", id, resumed, err, run2)
	}
}

func TestClaimOrderAndNotBefore(t *testing.T) {
	ctx := t.Context()
	s, _ := openTest(t)
	run := startRun(t, s)
	now := time.Now()
	entries := []QueueEntry{
		{URL: "https://example.com/deep", Depth: 3},
		{URL: "https://example.com/p1", Depth: 1},
		{URL: "https://example.com/later", Depth: 0, NotBefore: now.Add(time.Hour)},
		{URL: "https://example.com/feed.xml", Depth: 1, Kind: "feed"},
		{URL: "https://example.com/p2", Depth: 1},
		{URL: "https://example.com/sitemap.xml", Depth: 1, Kind: "sitemap"},
		{URL: "https://example.com/robots.txt", Depth: 2, Kind: "robots"},
	}
	if _, err := s.Enqueue(ctx, run, entries); err != nil {
		t.Fatal(err)
	}
	got, err := s.Claim(ctx, run, 3, now)
	if err != nil {
		t.Fatal(err)
	}
	got2, err := s.Claim(ctx, run, 10, now)
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, e := range append(got, got2...) {
		urls = append(urls, e.URL)
	}
	want := []string{"https://example.com/robots.txt", "https://example.com/sitemap.xml", "https://example.com/feed.xml",
		"https://example.com/p1", "https://example.com/p2", "https://example.com/deep"}
	if !slices.Equal(urls, want) {
		t.Errorf("claim order = %v\nwant %v", urls, want)
	}
	next, ok, err := s.NextReadyAt(ctx, run)
	if err != nil || !ok || next.UnixMilli() != now.Add(time.Hour).UnixMilli() {
		t.Errorf("NextReadyAt = %v, %v, %v; want %v", next, ok, err, now.Add(time.Hour))
	}
	if got, _ := s.Claim(ctx, run, 10, now.Add(59*time.Minute)); len(got) != 0 {
		t.Errorf("claimed before not_before: %v", got)
	}
	got, err = s.Claim(ctx, run, 10, now.Add(time.Hour))
	if err != nil || len(got) != 1 || got[0].URL != "https://example.com/later" {
		t.Errorf("claim after not_before = %v, %v", got, err)
	}
	if _, ok, _ := s.NextReadyAt(ctx, run); ok {
		t.Errorf("NextReadyAt with nothing queued: ok")
	}
	// A retry: the capture goes back to queued with attempts and a backoff.
	c := captureOf("https://example.com/p1", nil)
	c.Page.Status = 503
	c.State, c.Reason = StateQueued, "http_503"
	c.Entry.Attempts, c.Entry.NotBefore = 2, now.Add(30*time.Second)
	commit(t, s, run, c)
	fe, err := s.FrontierEntry(ctx, "https://example.com/p1")
	if err != nil || fe.State != StateQueued || fe.Attempts != 2 || fe.Reason != "http_503" || fe.NotBefore.UnixMilli() != now.Add(30*time.Second).UnixMilli() {
		t.Errorf("retry entry = %+v, %v", fe, err)
	}
	if got, _ := s.Claim(ctx, run, 10, now); len(got) != 0 {
		t.Errorf("retry claimed before backoff: %v", got)
	}
	if got, _ := s.Claim(ctx, run, 10, now.Add(31*time.Second)); len(got) != 1 || got[0].Attempts != 2 {
		t.Errorf("retry claim = %+v", got)
	}
}

func TestCommitNotModified(t *testing.T) {
	ctx := t.Context()
	s, _ := openTest(t)
	run := startRun(t, s)
	u := "https://example.com/blogs/n/unchanged"
	a := newArticle(u, "Unchanged", withRelated(extract.Link{Title: "Other", URL: "https://example.com/other"}))
	first := commit(t, s, run, captureOf(u, a))[0]
	prev, ok, err := s.Previous(ctx, u)
	if err != nil || !ok {
		t.Fatalf("Previous = %v, %v", ok, err)
	}
	if prev.ETag != `"v1"` || prev.LastModified == "" || !bytes.Equal(prev.Body, htmlFor(a)) || prev.PageID != first.PageID {
		t.Errorf("Previous = %+v", prev)
	}
	// 304 without re-extraction: page stored without body, article touched.
	c := captureOf(u, nil)
	c.Page.Status, c.Page.NotModified, c.Page.Body = 304, true, nil
	c.Page.FetchedAt = time.Now().Add(time.Minute)
	r := commit(t, s, run, c)[0]
	if r.PageID == 0 || r.ArticleID != first.ArticleID || r.NewVersion || r.VersionID != first.VersionID {
		t.Errorf("304 result = %+v", r)
	}
	// 304 with a record re-extracted from the previous body: unchanged.
	c2 := captureOf(u, newArticle(u, "Unchanged"))
	c2.Page.Status, c2.Page.NotModified, c2.Page.Body = 304, true, nil
	r2 := commit(t, s, run, c2)[0]
	if r2.NewVersion || r2.VersionID != first.VersionID {
		t.Errorf("304 with record = %+v, want unchanged", r2)
	}
	p, err := s.Page(ctx, r.PageID)
	if err != nil || p.Body != nil || !p.NotModified || p.Status != 304 {
		t.Errorf("304 page = %+v, %v", p, err)
	}
	rec, err := s.Article(ctx, first.ArticleID)
	if err != nil || len(rec.Versions) != 1 || !rec.LastSeen.After(rec.FirstSeen) {
		t.Errorf("article after 304 = %+v, %v", rec, err)
	}
	// Previous still points at the full 200 capture.
	prev2, ok, err := s.Previous(ctx, u)
	if err != nil || !ok || prev2.PageID != first.PageID {
		t.Errorf("Previous after 304 = %+v, %v, %v", prev2, ok, err)
	}
	if _, ok, err := s.Previous(ctx, "https://example.com/never"); ok || err != nil {
		t.Errorf("Previous(unknown) = %v, %v", ok, err)
	}
}

func TestRelatedLinksArchived(t *testing.T) {
	ctx := t.Context()
	s, _ := openTest(t)
	run := startRun(t, s)
	a := newArticle("https://example.com/a", "A", withRelated(
		extract.Link{Title: "B", URL: "https://example.com/b"},
		extract.Link{Title: "Elsewhere", URL: "https://other.example/x"}))
	b := newArticle("https://example.com/b", "B")
	res := commit(t, s, run, captureOf("https://example.com/a", a), captureOf("https://example.com/b", b))
	rec, err := s.Article(ctx, res[0].ArticleID)
	if err != nil {
		t.Fatal(err)
	}
	want := []RelatedLink{{Title: "B", URL: "https://example.com/b", ArticleID: res[1].ArticleID}, {Title: "Elsewhere", URL: "https://other.example/x"}}
	if !slices.Equal(rec.Related, want) {
		t.Errorf("related = %+v, want %+v", rec.Related, want)
	}
	if !rec.Related[0].Archived() || rec.Related[1].Archived() {
		t.Errorf("Archived() wrong")
	}
}

func TestErrLocked(t *testing.T) {
	ctx := t.Context()
	s, path := openTest(t, WithBusyTimeout(50*time.Millisecond))
	run := startRun(t, s)
	other, err := sql.Open("sqlite", fileURI(path)+"?_pragma=busy_timeout(50)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	_, err = s.Commit(ctx, run, []Capture{captureOf("https://example.com/a", nil)})
	if !errors.Is(err, ErrLocked) {
		t.Errorf("Commit while locked = %v, want ErrLocked", err)
	}
	if _, err := conn.ExecContext(ctx, `ROLLBACK`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Commit(ctx, run, []Capture{captureOf("https://example.com/a", nil)}); err != nil {
		t.Errorf("Commit after unlock = %v", err)
	}
}

func TestErrDiskFull(t *testing.T) {
	ctx := t.Context()
	s, _ := openTest(t)
	run := startRun(t, s)
	// The writer has one connection, so this limit applies to the next Commit:
	// max_page_count makes SQLite answer SQLITE_FULL exactly as a full disk does.
	var pages int
	if err := s.w.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec(`PRAGMA max_page_count = ` + itoa(pages+2)); err != nil {
		t.Fatal(err)
	}
	c := realisticCapture(newRand(1), 1)
	c.Page.Body = bytes.Repeat(randomBytes(1<<16), 4) // incompressible-ish
	_, err := s.Commit(ctx, run, []Capture{c})
	if !errors.Is(err, ErrDiskFull) {
		t.Fatalf("Commit on full disk = %v, want ErrDiskFull", err)
	}
	if got := queryInt(t, s, `SELECT count(*) FROM pages`); got != 0 {
		t.Errorf("pages after failed commit = %d, want 0 (nothing partial)", got)
	}
	if out, err := s.IntegrityCheck(ctx); err != nil || out != "ok" {
		t.Errorf("integrity_check = %q, %v", out, err)
	}
}

// TestCommitOlderCapture commits captures out of time order, as an import of
// older WARC files does: an older capture becomes a version of its own (or
// reuses the stored one with its content) and never displaces the latest
// version; first and last seen only widen; versions list in fetch order.
func TestCommitOlderCapture(t *testing.T) {
	ctx := t.Context()
	s, _ := openTest(t)
	run := startRun(t, s)
	u := "https://example.com/blogs/n/starship"
	at := func(c Capture, d time.Time) Capture { c.Page.FetchedAt = d; return c }
	t2 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	t1, t0 := t2.AddDate(0, -1, 0), t2.AddDate(0, -2, 0)

	newest := commit(t, s, run, at(captureOf(u, newArticle(u, "Starship", withBody("corrected text"))), t2))[0]
	old := commit(t, s, run, at(captureOf(u, newArticle(u, "Starship", withBody("original text"))), t1))[0]
	if !old.NewVersion || old.VersionID == newest.VersionID {
		t.Errorf("older capture with other content = %+v, want a version of its own", old)
	}
	again := commit(t, s, run, at(captureOf(u, newArticle(u, "Starship", withBody("original text"))), t0))[0]
	if again.NewVersion || again.VersionID != old.VersionID {
		t.Errorf("older capture with stored content = %+v, want version %d reused", again, old.VersionID)
	}
	rec, err := s.Article(ctx, newest.ArticleID)
	if err != nil {
		t.Fatal(err)
	}
	if rec.VersionID != newest.VersionID || rec.Record.BodyText != "corrected text" {
		t.Errorf("latest = version %d %q, want %d (the newest fetch)", rec.VersionID, rec.Record.BodyText, newest.VersionID)
	}
	if !rec.FirstSeen.Equal(t0) || !rec.LastSeen.Equal(t2) {
		t.Errorf("seen %v – %v, want %v – %v", rec.FirstSeen, rec.LastSeen, t0, t2)
	}
	if len(rec.Versions) != 2 || rec.Versions[0].ID != old.VersionID || rec.Versions[1].ID != newest.VersionID ||
		!rec.Versions[0].FetchedAt.Equal(t1) {
		t.Errorf("versions = %+v, want the older one first", rec.Versions)
	}
	if hits, err := s.Search(ctx, `"original text"`, SearchOptions{}); err != nil || len(hits) != 0 {
		t.Errorf("search older text = %v, %v; want none (the index holds the latest)", hits, err)
	}
	if hits, err := s.Search(ctx, "corrected", SearchOptions{}); err != nil || len(hits) != 1 {
		t.Errorf("search latest text = %+v, %v; want one hit", hits, err)
	}
	// A newer capture than all of them moves the latest version again.
	newer := commit(t, s, run, at(captureOf(u, newArticle(u, "Starship", withBody("original text"))), t2.AddDate(0, 1, 0)))[0]
	if !newer.NewVersion {
		t.Errorf("newest capture = %+v, want a new version", newer)
	}
	if rec, _ := s.Article(ctx, newest.ArticleID); rec == nil || rec.VersionID != newer.VersionID {
		t.Errorf("latest after a newer capture = %+v, want version %d", rec, newer.VersionID)
	}
}
