package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/internal/pgtest"
	"github.com/newsarchive/newsarchive/internal/testsite"
)

// idKeys are the JSON keys whose values are archive ids (or times) that a
// copy renumbers (or sets anew): compared apart from them.
var idKeys = map[string]bool{
	"id": true, "version_id": true, "page_id": true, "article_id": true, "from_version": true, "to_version": true,
	"event_id": true, "from_id": true, "to_id": true, "extracted_at": true, "from_extracted_at": true,
	"to_extracted_at": true,
	// The same in Go values marshalled without JSON tags.
	"ID": true, "PageID": true, "VersionID": true, "ArticleID": true, "FromVersion": true, "ToVersion": true,
	"EventID": true, "ExtractedAt": true, "RunID": true, "FromArticleID": true, "ToArticleID": true,
}

// scrubIDs returns v (decoded JSON) with the values of idKeys removed, at
// any depth.
func scrubIDs(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if !idKeys[k] {
				out[k] = scrubIDs(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = scrubIDs(e)
		}
		return out
	}
	return v
}

// both runs the command args with --db SQLITE and with --db PG and returns
// both outputs; each must exit 0.
func both(t *testing.T, sqlitePath, pgURL string, args ...string) (sqliteOut, pgOut string) {
	t.Helper()
	var outs [2]string
	for i, db := range []string{sqlitePath, pgURL} {
		code, stdout, stderr := runCmd(t, append([]string{args[0], "--db", db}, args[1:]...)...)
		if code != 0 {
			t.Fatalf("%s on %s: exit %d: %s", strings.Join(args, " "), []string{"SQLite", "PostgreSQL"}[i], code, stderr)
		}
		outs[i] = stdout
	}
	return outs[0], outs[1]
}

// sameJSONLines compares two outputs of JSON lines apart from ids, in order.
func sameJSONLines(t *testing.T, what, a, b string) int {
	t.Helper()
	la, lb := jsonLines[any](t, a), jsonLines[any](t, b)
	if len(la) != len(lb) {
		t.Errorf("%s: %d lines on SQLite, %d on PostgreSQL", what, len(la), len(lb))
		return len(la)
	}
	for i := range la {
		if x, y := scrubIDs(la[i]), scrubIDs(lb[i]); !reflect.DeepEqual(x, y) {
			xa, _ := json.Marshal(x)
			yb, _ := json.Marshal(y)
			t.Errorf("%s line %d differs apart from ids:\nSQLite     %s\nPostgreSQL %s", what, i+1, xa, yb)
		}
	}
	return len(la)
}

// TestResearchCommandsOnPostgres: the demo archive copied into PostgreSQL
// with the copy command gives the same answers to search, show, export and
// stats, run as commands with --db SQLITE and --db postgres://… (apart
// from ids, which a copy renumbers, search order and snippets, which
// ts_rank_cd and ts_headline make differently, and the frontier and runs,
// which a copy leaves behind).
func TestResearchCommandsOnPostgres(t *testing.T) {
	lite := demoArchive(t)
	pg := pgtest.DB(t)
	copyJSON(t, lite, pg)

	// Export JSONL: every line the same apart from ids, the record bytes
	// identical.
	a, b := both(t, lite, pg, "export")
	type line struct {
		ID           int64           `json:"id"`
		CanonicalURL string          `json:"canonical_url"`
		FirstSeen    string          `json:"first_seen"`
		LastSeen     string          `json:"last_seen"`
		Versions     int             `json:"versions"`
		Record       json.RawMessage `json:"record"`
	}
	la, lb := jsonLines[line](t, a), jsonLines[line](t, b)
	if len(la) < 10 || len(la) != len(lb) {
		t.Fatalf("export: %d articles on SQLite, %d on PostgreSQL", len(la), len(lb))
	}
	var urls []string
	for i := range la {
		x, y := la[i], lb[i]
		if !bytes.Equal(x.Record, y.Record) {
			t.Errorf("export line %d (%s): record bytes differ:\nSQLite     %.300s\nPostgreSQL %.300s", i+1, x.CanonicalURL, x.Record, y.Record)
		}
		x.ID, y.ID, x.Record, y.Record = 0, 0, nil, nil
		if !reflect.DeepEqual(x, y) {
			t.Errorf("export line %d: %+v on SQLite, %+v on PostgreSQL", i+1, x, y)
		}
		urls = append(urls, la[i].CanonicalURL)
	}
	sameCmd(t, "export --links", lite, pg, "export", "--links")
	if x, y := both(t, lite, pg, "export", "--format", "csv", "--author", "Eva Fox", "musk"); dropFirstColumn(x) != dropFirstColumn(y) || !strings.Contains(x, "Eva Fox") {
		t.Errorf("export --format csv --author 'Eva Fox' musk:\nSQLite\n%.500s\nPostgreSQL\n%.500s", x, y)
	}
	if n := sameCmd(t, "export clubhouse", lite, pg, "export", "--since", "2021-02-01", "clubhouse"); n == 0 {
		t.Error("export --since 2021-02-01 clubhouse exported nothing")
	}

	// Search: the same hits (order and snippets aside) for queries with
	// every filter.
	for _, q := range [][]string{
		{"musk"}, {`"very interesting proposal"`}, {"clubhouse OR cybertruck"}, {"kremlin putin"},
		{"--author", "eva fox", "tesla"}, {"--tag", tagOf(t, la[0].Record), ""},
		{"--site", "www.tesmanian.com", "giga"}, {"--since", "2021-02-15", "--until", "2021-02-16", ""},
		{"--editor", "SmokeyShorts", ""},
	} {
		x, y := both(t, lite, pg, append([]string{"search", "--json", "--limit", "1000"}, q...)...)
		type hit struct {
			URL         string   `json:"canonical_url"`
			Site        string   `json:"site"`
			Title       string   `json:"title"`
			Authors     []string `json:"authors"`
			PublishedAt string   `json:"published_at"`
		}
		hx, hy := jsonLines[hit](t, x), jsonLines[hit](t, y)
		for _, hs := range [][]hit{hx, hy} {
			sort.Slice(hs, func(i, j int) bool { return hs[i].URL < hs[j].URL })
		}
		if len(hx) == 0 {
			t.Errorf("search %q found nothing in the demo archive", q)
		}
		if !reflect.DeepEqual(hx, hy) {
			t.Errorf("search %q:\nSQLite     %+v\nPostgreSQL %+v", q, hx, hy)
		}
	}

	// Show --json by URL: the same record, versions, related links and
	// aliases; the raw page byte for byte.
	for _, u := range []string{urls[0], urls[len(urls)/2], urls[len(urls)-1], "https://www.tesmanian.com" + kremlinPath} {
		sameCmd(t, "show --json "+u, lite, pg, "show", "--json", u)
		if x, y := both(t, lite, pg, "show", "--raw", u); x != y || len(x) < 1000 {
			t.Errorf("show --raw %s: %d bytes on SQLite, %d on PostgreSQL, not the same", u, len(x), len(y))
		}
	}

	// Stats: the same numbers, but for what lives in the frontier and the
	// runs (a copy carries the archive, not the crawl that made it).
	x, y := both(t, lite, pg, "stats", "--json")
	var sx, sy map[string]any
	if err := json.Unmarshal([]byte(x), &sx); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(y), &sy); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"Runs", "FrontierByState", "FrontierByReason", "FailedByReason", "SkippedByReason", "TrapTemplates"} {
		delete(sx, k)
		delete(sy, k)
	}
	if !reflect.DeepEqual(sx, sy) {
		t.Errorf("stats --json:\nSQLite     %v\nPostgreSQL %v", sx, sy)
	}
	if sx["Articles"] != float64(len(la)) {
		t.Errorf("stats: %v articles, export gave %d", sx["Articles"], len(la))
	}

	// sql: the same question in each dialect, the same answer.
	x = runOK(t, "sql", "--db", lite, "SELECT count(*) AS n FROM articles")
	y = runOK(t, "sql", "--db", pg, "SELECT count(*) AS n FROM articles")
	if x != y || x != fmt.Sprintf("n\n%d\n", len(la)) {
		t.Errorf("sql count: %q on SQLite, %q on PostgreSQL", x, y)
	}
}

// sameCmd runs a command on both backends and compares its JSON lines
// apart from ids (sameJSONLines).
func sameCmd(t *testing.T, what, sqlitePath, pgURL string, args ...string) int {
	t.Helper()
	a, b := both(t, sqlitePath, pgURL, args...)
	return sameJSONLines(t, what, a, b)
}

// dropFirstColumn removes the id column of CSV text (ids differ after a
// copy).
func dropFirstColumn(s string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if i := strings.IndexByte(l, ','); i >= 0 {
			l = l[i+1:]
		}
		b.WriteString(l)
	}
	return b.String()
}

// tagOf returns the first tag of a record.
func tagOf(t *testing.T, rec json.RawMessage) string {
	t.Helper()
	var r struct{ Tags []string }
	if err := json.Unmarshal(rec, &r); err != nil || len(r.Tags) == 0 {
		t.Fatalf("record without tags: %s", rec)
	}
	return r.Tags[0]
}

// TestChangesOnPostgres: an archive with an edited article and an event,
// copied into PostgreSQL, gives the same changes, timelines and diffs, and
// serve answers the same pages on both backends.
func TestChangesOnPostgres(t *testing.T) {
	lite, _ := changedArchive(t)
	st, err := archive.Open(t.Context(), lite)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := st.ArticleByURL(t.Context(), "https://www.tesmanian.com"+kremlinPath)
	if err != nil {
		t.Fatal(err)
	}
	// One event on an article with one version and one on a URL with none.
	other, err := st.Search(t.Context(), "musk", archive.SearchOptions{Limit: 1})
	if err != nil || len(other) == 0 {
		t.Fatalf("search musk: %v %v", other, err)
	}
	for _, e := range []archive.Event{
		{URL: other[0].CanonicalURL, ArticleID: other[0].ArticleID, Kind: archive.EventUnpublished, Status: 410,
			At: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)},
		{URL: "https://www.tesmanian.com/gone", Kind: archive.EventMoved, Status: 301, Detail: "https://www.tesmanian.com/",
			At: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)},
	} {
		if _, err := st.RecordEvent(t.Context(), e); err != nil {
			t.Fatal(err)
		}
	}
	versions := []int64{rec.Versions[0].ID, rec.Versions[1].ID}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	pg := pgtest.DB(t)
	copyJSON(t, lite, pg)

	for _, args := range [][]string{
		{"changes", "--json"}, {"changes", "--json", "--field", "title"}, {"changes", "--json", "--kind", "unpublished,moved"},
		{"changes", "--json", "--site", "www.tesmanian.com"}, {"changes", "--json", "--since", "2026-03-01", "--until", "2026-03-01"},
		{"show", "--json", "--diff", "https://www.tesmanian.com" + kremlinPath},
	} {
		if n := sameCmd(t, strings.Join(args, " "), lite, pg, args...); n == 0 {
			t.Errorf("%s printed nothing", strings.Join(args, " "))
		}
	}
	x, y := both(t, lite, pg, "changes", "--json")
	if n := len(jsonLines[any](t, x)); n != 3 {
		t.Errorf("changes: %d on SQLite, want 3 (an edit, two events):\n%s\n%s", n, x, y)
	}
	// The diff of two versions, named by their ids in each archive.
	var pgVersions []int64
	_, y = both(t, lite, pg, "show", "--json", "https://www.tesmanian.com"+kremlinPath)
	var shown struct {
		Versions []struct{ ID int64 } `json:"versions"`
	}
	if err := json.Unmarshal([]byte(y), &shown); err != nil || len(shown.Versions) != 2 {
		t.Fatalf("show --json on PostgreSQL: %v\n%s", err, y)
	}
	for _, v := range shown.Versions {
		pgVersions = append(pgVersions, v.ID)
	}
	dl := runOK(t, "show", "--db", lite, "--json", "--diff", fmt.Sprint(versions[0]), fmt.Sprint(versions[1]))
	dp := runOK(t, "show", "--db", pg, "--json", "--diff", fmt.Sprint(pgVersions[0]), fmt.Sprint(pgVersions[1]))
	sameJSONLines(t, "show --diff V1 V2", dl, dp)
	if !strings.Contains(dl, newKremlinHeadline) {
		t.Errorf("show --diff lacks the new headline:\n%s", dl)
	}
	tl, tp := runOK(t, "show", "--db", lite, "--diff", "https://www.tesmanian.com"+kremlinPath),
		runOK(t, "show", "--db", pg, "--diff", "https://www.tesmanian.com"+kremlinPath)
	if stripNumbers(tl) != stripNumbers(tp) {
		t.Errorf("show --diff URL:\nSQLite\n%s\nPostgreSQL\n%s", tl, tp)
	}

	// serve: the same pages answer on both backends with the same headlines.
	titles := []string{newKremlinHeadline}
	for _, h := range jsonLines[archive.SearchHit](t, runOK(t, "search", "--db", lite, "--json", "--limit", "1000", "")) {
		titles = append(titles, h.Title)
	}
	pages := func(db string, kremlinID, kremlinPage int64) map[string][]string {
		found := map[string][]string{}
		serveAndGet(t, db, []string{"/", "/?q=clubhouse", "/?author=Eva+Fox", fmt.Sprintf("/articles/%d", kremlinID),
			fmt.Sprintf("/snapshots/%d", kremlinPage), fmt.Sprintf("/snapshots/%d/content", kremlinPage),
			"/changes", "/changes.atom", "/api/search?q=musk&limit=100", "/stats"}, func(path, body string) {
			key := stripNumbers(path) // the article's id may differ
			found[key] = []string{}
			for _, ti := range titles {
				if strings.Contains(body, html.EscapeString(ti)) || strings.Contains(body, jsonString(ti)) {
					found[key] = append(found[key], ti)
				}
			}
			slices.Sort(found[key])
			found[key] = slices.Compact(found[key])
		})
		return found
	}
	pgRec := struct {
		ID       int64 `json:"id"`
		Versions []struct {
			PageID int64 `json:"page_id"`
		} `json:"versions"`
	}{}
	if err := json.Unmarshal([]byte(y), &pgRec); err != nil {
		t.Fatal(err)
	}
	fl, fp := pages(lite, rec.ID, rec.Versions[1].PageID), pages(pg, pgRec.ID, pgRec.Versions[1].PageID)
	for k, v := range fl {
		if k != "/stats" && k != "/snapshots/#" && len(v) == 0 { // a frame around /content
			t.Errorf("serve %s on SQLite shows no archived headline", k)
		}
	}
	if len(fl) != 10 {
		t.Errorf("serve: %d pages read, want 10: %v", len(fl), fl)
	}
	if !reflect.DeepEqual(fl, fp) {
		t.Errorf("serve: headlines per page differ:\nSQLite     %v\nPostgreSQL %v", fl, fp)
	}
}

// jsonString is s as encoding/json writes it inside a string, without
// quotes.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// runOK runs a command that must exit 0 and returns its stdout.
func runOK(t *testing.T, args ...string) string {
	t.Helper()
	code, stdout, stderr := runCmd(t, args...)
	if code != 0 {
		t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, stderr)
	}
	return stdout
}

// stripNumbers replaces every run of digits by "#": ids differ after a copy.
func stripNumbers(s string) string {
	var b strings.Builder
	digits := false
	for _, r := range s {
		if r >= '0' && r <= '9' {
			if !digits {
				b.WriteByte('#')
			}
			digits = true
			continue
		}
		digits = false
		b.WriteRune(r)
	}
	return b.String()
}

// serveAndGet runs the serve command on db, GETs each path (each must
// answer 200) and hands its body to check, then stops the server.
func serveAndGet(t *testing.T, db string, paths []string, check func(path, body string)) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var errb lockedBuffer
	e := &env{stdout: io.Discard, stderr: &errb, getenv: func(string) string { return "" }, hardStop: context.Background()}
	ctx, cancel := context.WithCancel(t.Context())
	codec := make(chan int, 1)
	go func() { codec <- run(ctx, e, []string{"serve", "--db", db, "--addr", addr, "--quiet"}) }()
	defer func() {
		cancel()
		if code := <-codec; code != 0 {
			t.Errorf("serve --db %s: exit %d:\n%s", db, code, errb.String())
		}
	}()
	for i, p := range paths {
		var resp *http.Response
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if resp, err = http.Get("http://" + addr + p); err == nil || i > 0 || time.Now().After(deadline) {
				break
			}
		}
		if err != nil {
			t.Fatalf("GET %s: %v\n%s", p, err, errb.String())
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s on %s: %d\n%.300s", p, redactURL(db), resp.StatusCode, body)
			continue
		}
		check(p, string(body))
	}
}

// TestSQLCommandOnPostgres: sql on PostgreSQL reads in a READ ONLY
// transaction (writes refused with exit status 2, whatever their form),
// runs one statement, stops at --timeout, and prints PostgreSQL's types as
// plain text and JSON.
func TestSQLCommandOnPostgres(t *testing.T) {
	pg := pgtest.DB(t)
	copyJSON(t, demoArchive(t), pg)
	out := runOK(t, "sql", "--db", pg, "--json",
		"SELECT a.name, count(*) AS n FROM version_authors va JOIN authors a ON a.id = va.author_id GROUP BY a.name ORDER BY n DESC, a.name")
	rows := jsonLines[map[string]any](t, out)
	if len(rows) == 0 || rows[0]["name"] != "Eva Fox" || rows[0]["n"] != float64(6) || !strings.HasPrefix(out, `{"name":`) {
		t.Errorf("sql --json: %s", out)
	}
	if out := runOK(t, "sql", "--db", pg, "SELECT count(*) AS articles FROM articles"); out != "articles\n11\n" {
		t.Errorf("text output %q", out)
	}
	// NEWSARCHIVE_DB names the archive when --db is not given.
	var outb, errb bytes.Buffer
	e := &env{stdout: &outb, stderr: &errb, hardStop: context.Background(), getenv: func(k string) string {
		if k == "NEWSARCHIVE_DB" {
			return pg
		}
		return ""
	}}
	if code := run(t.Context(), e, []string{"sql", "SELECT count(*) AS n FROM article_search"}); code != 0 || outb.String() != "n\n11\n" {
		t.Errorf("sql with NEWSARCHIVE_DB=postgres://…: exit %d, %q %s", code, outb.String(), errb.String())
	}
	out = runOK(t, "sql", "--db", pg, "--json", `SELECT DATE '2021-02-15' AS d, 1.50::numeric AS x, 7::numeric AS i,
		'{"a": [1, "b"]}'::jsonb AS j, ARRAY[1, 2] AS arr, NULL AS n, true AS b, 'a'||chr(9)||'b' AS s`)
	if want := `{"d":"2021-02-15T00:00:00Z","x":1.50,"i":7,"j":{"a":[1,"b"]},"arr":[1,2],"n":null,"b":true,"s":"a\tb"}` + "\n"; out != want {
		t.Errorf("sql --json types:\n got %s want %s", out, want)
	}
	out = runOK(t, "sql", "--db", pg, `SELECT '{"a": 1}'::jsonb AS j, 'a'||chr(10)||'b' AS s, NULL AS n, now() > '2020-01-01' AS b`)
	if want := "j\ts\tn\tb\n{\"a\":1}\ta\\nb\t\ttrue\n"; out != want {
		t.Errorf("sql text types:\n got %q\nwant %q", out, want)
	}
	for _, q := range []string{
		"INSERT INTO tags (name) VALUES ('x')",
		"UPDATE versions SET title = 'x'",
		"DELETE FROM articles",
		"DROP TABLE links",
		"CREATE TEMP TABLE t (x int)",
		"WITH d AS (DELETE FROM links RETURNING 1) SELECT count(*) FROM d",
		"SET TRANSACTION READ WRITE",
		"COPY articles TO STDOUT",
		"SELECT nextval(pg_get_serial_sequence('tags', 'id'))",
		"EXPLAIN ANALYZE DELETE FROM links",
	} {
		code, out, stderr := runCmd(t, "sql", "--db", pg, q)
		if code != exitUsage || out != "" || !strings.Contains(stderr, "refused") {
			t.Errorf("sql %q: exit %d, stdout %q, stderr %q; want refused (exit 2)", q, code, out, stderr)
		}
	}
	for _, q := range []string{"SELECT 1; DELETE FROM articles", "SELECT 1; SELECT 2"} {
		code, _, stderr := runCmd(t, "sql", "--db", pg, q)
		if code != exitUsage || !strings.Contains(stderr, "more than one SQL statement") {
			t.Errorf("sql %q: exit %d, stderr %q; want exit 2, more than one statement", q, code, stderr)
		}
	}
	if out := runOK(t, "sql", "--db", pg, "SELECT count(*) AS n FROM links"); out == "n\n0\n" {
		t.Error("links deleted by a refused statement")
	}
	if out := runOK(t, "sql", "--db", pg, "/* a comment */ (SELECT 1 AS n) -- and another"); out != "n\n1\n" {
		t.Errorf("comments and parentheses: %q", out)
	}
	start := time.Now()
	code, _, stderr := runCmd(t, "sql", "--db", pg, "--timeout", "300ms", "SELECT pg_sleep(30)")
	if code != exitError || !strings.Contains(stderr, "--timeout of 300ms") {
		t.Errorf("timeout: exit %d, stderr %q; want 1 and a message naming the timeout", code, stderr)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("the query ran %s after a 300ms timeout", d)
	}
}

// sameValues compares two Go values through their JSON apart from ids.
func sameValues(t *testing.T, what string, a, b any) {
	t.Helper()
	var x, y any
	for i, v := range []any{a, b} {
		j, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(j, []*any{&x, &y}[i]); err != nil {
			t.Fatal(err)
		}
	}
	if x, y = scrubIDs(x), scrubIDs(y); !reflect.DeepEqual(x, y) {
		xa, _ := json.Marshal(x)
		yb, _ := json.Marshal(y)
		t.Errorf("%s differs apart from ids at %s:\nSQLite     %.2000s\nPostgreSQL %.2000s", what, firstDiff("", x, y), xa, yb)
	}
}

// firstDiff names the first place (a path of keys and indexes) where two
// decoded JSON values differ, with both values there.
func firstDiff(path string, x, y any) string {
	switch a := x.(type) {
	case map[string]any:
		if b, ok := y.(map[string]any); ok {
			keys := []string{}
			for k := range a {
				keys = append(keys, k)
			}
			for k := range b {
				if _, ok := a[k]; !ok {
					keys = append(keys, k)
				}
			}
			sort.Strings(keys)
			for _, k := range keys {
				if !reflect.DeepEqual(a[k], b[k]) {
					return firstDiff(path+"."+k, a[k], b[k])
				}
			}
		}
	case []any:
		if b, ok := y.([]any); ok && len(a) == len(b) {
			for i := range a {
				if !reflect.DeepEqual(a[i], b[i]) {
					return firstDiff(fmt.Sprintf("%s[%d]", path, i), a[i], b[i])
				}
			}
		}
	}
	return fmt.Sprintf("%s (%.200v ≠ %.200v)", path, x, y)
}

// TestReaderContract: archive.Reader on a SQLite archive crawled with
// --warc and on its PostgreSQL copy gives the same values, method by
// method (ids apart); export --format warc gives the same bytes.
func TestReaderContract(t *testing.T) {
	site := testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true})
	srv := httptest.NewServer(site)
	defer srv.Close()
	lite := filepath.Join(t.TempDir(), "warc.db")
	crawlJSON(t, lite, "--warc", filepath.Join(t.TempDir(), "warc"), "--page-requisites=false", srv.URL+"/")
	pgURL := pgtest.DB(t)
	copyJSON(t, lite, pgURL)

	ctx := t.Context()
	var rs [2]archive.Reader
	for i, db := range []string{lite, pgURL} {
		r, closeR, err := openReader(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer closeR()
		rs[i] = r
	}
	call := func(what string, f func(r archive.Reader) (any, error)) {
		t.Helper()
		var vs [2]any
		for i, r := range rs {
			v, err := f(r)
			if err != nil {
				t.Fatalf("%s on %s: %v", what, []string{"SQLite", "PostgreSQL"}[i], err)
			}
			vs[i] = v
		}
		sameValues(t, what, vs[0], vs[1])
	}
	collect := func(seq func(yield func(any, error) bool)) (any, error) {
		var out []any
		for v, err := range seq {
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	kremlin := "https://www.tesmanian.com" + kremlinPath
	call("ArticleByURL", func(r archive.Reader) (any, error) { return r.ArticleByURL(ctx, kremlin) })
	call("Timeline", func(r archive.Reader) (any, error) {
		rec, err := r.ArticleByURL(ctx, kremlin)
		if err != nil {
			return nil, err
		}
		_, tl, err := r.Timeline(ctx, rec.ID)
		return tl, err
	})
	call("Version of the latest version", func(r archive.Reader) (any, error) {
		rec, err := r.ArticleByURL(ctx, kremlin)
		if err != nil {
			return nil, err
		}
		return r.Version(ctx, rec.VersionID)
	})
	call("Page of the latest version", func(r archive.Reader) (any, error) {
		rec, err := r.ArticleByURL(ctx, kremlin)
		if err != nil {
			return nil, err
		}
		p, err := r.Page(ctx, rec.PageID)
		if err != nil {
			return nil, err
		}
		q := *p
		q.Body = nil
		return []any{q, string(p.Body)}, nil
	})
	call("Previous", func(r archive.Reader) (any, error) {
		p, ok, err := r.Previous(ctx, srv.URL+kremlinPath)
		if !ok && err == nil {
			err = fmt.Errorf("no previous capture of %s", srv.URL+kremlinPath)
		}
		return p, err
	})
	call("Previous of an unknown URL", func(r archive.Reader) (any, error) {
		_, ok, err := r.Previous(ctx, srv.URL+"/nowhere")
		return ok, err
	})
	call("Activity", func(r archive.Reader) (any, error) { return r.Activity(ctx, "") })
	call("Activity of a site", func(r archive.Reader) (any, error) { return r.Activity(ctx, "www.tesmanian.com") })
	call("Changes", func(r archive.Reader) (any, error) { return r.Changes(ctx, archive.ChangesFilter{}) })
	call("WARCFiles", func(r archive.Reader) (any, error) { return r.WARCFiles(ctx) })
	call("CapturedPages", func(r archive.Reader) (any, error) {
		return collect(func(yield func(any, error) bool) {
			for v, err := range r.CapturedPages(ctx) {
				if !yield(v, err) {
					return
				}
			}
		})
	})
	call("Links", func(r archive.Reader) (any, error) {
		return collect(func(yield func(any, error) bool) {
			for v, err := range r.Links(ctx, "", archive.SearchOptions{Author: "Eva Fox"}) {
				if !yield(v, err) {
					return
				}
			}
		})
	})
	for i, r := range rs {
		if _, err := r.Article(ctx, 1<<40); !errors.Is(err, archive.ErrNotFound) {
			t.Errorf("Article of no id on %d: %v, want ErrNotFound", i, err)
		}
		if _, err := r.Version(ctx, 1<<40); !errors.Is(err, archive.ErrNotFound) {
			t.Errorf("Version of no id on %d: %v, want ErrNotFound", i, err)
		}
		if _, err := r.Page(ctx, 1<<40); !errors.Is(err, archive.ErrNotFound) {
			t.Errorf("Page of no id on %d: %v, want ErrNotFound", i, err)
		}
		if _, err := r.WarmSearch(ctx); err != nil {
			t.Errorf("WarmSearch on %d: %v", i, err)
		}
	}
	if files, err := rs[0].WARCFiles(ctx); err != nil || len(files) == 0 {
		t.Fatalf("the crawl wrote no WARC file (%v)", err)
	}
	x, y := both(t, lite, pgURL, "export", "--format", "warc")
	if x != y || len(x) < 10000 {
		t.Errorf("export --format warc: %d bytes on SQLite, %d on PostgreSQL, not the same", len(x), len(y))
	}
	x, y = both(t, lite, pgURL, "export", "--format", "wacz")
	if len(x) < 10000 || len(y) < 10000 {
		t.Errorf("export --format wacz: %d bytes on SQLite, %d on PostgreSQL", len(x), len(y))
	}
}

// TestReadOnlyRole: the researchers' commands work with a PostgreSQL role
// granted nothing but SELECT (they apply no migration), and sql with it
// still refuses writes.
func TestReadOnlyRole(t *testing.T) {
	pgURL := pgtest.DB(t)
	copyJSON(t, demoArchive(t), pgURL)
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, pgURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	// Roles belong to the whole server: a name of this test's database.
	u, err := url.Parse(pgURL)
	if err != nil {
		t.Fatal(err)
	}
	role := strings.TrimPrefix(u.Path, "/") + "_reader"
	ident := pgx.Identifier{role}.Sanitize()
	for _, q := range []string{"CREATE ROLE " + ident + " LOGIN", "GRANT USAGE ON SCHEMA public TO " + ident,
		"GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + ident} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	t.Cleanup(func() {
		// Before pgtest drops the database (cleanups run last first): the
		// role's grants in it, then the role, which belongs to the server.
		for _, c := range [][2]string{{pgURL, "DROP OWNED BY " + ident}, {os.Getenv(pgtest.Env), "DROP ROLE " + ident}} {
			conn, err := pgx.Connect(context.Background(), c[0])
			if err != nil {
				t.Error(err)
				return
			}
			if _, err := conn.Exec(context.Background(), c[1]); err != nil {
				t.Errorf("%s: %v", c[1], err)
			}
			conn.Close(context.Background())
		}
	})
	u.User = url.User(role)
	reader := u.String()
	if out := runOK(t, "search", "--db", reader, "--json", "clubhouse"); len(jsonLines[any](t, out)) == 0 {
		t.Error("search as a read-only role found nothing")
	}
	if out := runOK(t, "stats", "--db", reader); !strings.Contains(out, "articles 11") {
		t.Errorf("stats as a read-only role: %s", out)
	}
	if out := runOK(t, "sql", "--db", reader, "SELECT count(*) AS n FROM articles"); out != "n\n11\n" {
		t.Errorf("sql as a read-only role: %q", out)
	}
	if code, _, stderr := runCmd(t, "sql", "--db", reader, "DELETE FROM links"); code != exitUsage {
		t.Errorf("sql DELETE as a read-only role: exit %d, %s", code, stderr)
	}
}
