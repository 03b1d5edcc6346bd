package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	iawarc "github.com/internetarchive/gowarc"

	"github.com/newsarchive/newsarchive/internal/testsite"
	"github.com/newsarchive/newsarchive/warc"
)

// TestExportWACZ checks a WACZ export against the WACZ 1.1.1 specification
// (https://specs.webrecorder.net/wacz/1.1.1/): the layout, datapackage.json
// and its digests, the CDXJ index resolving to the records (read with the
// independent WARC reader) and the pages.jsonl format.
func TestExportWACZ(t *testing.T) {
	srv := httptest.NewServer(testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true}))
	defer srv.Close()
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	crawlWARC(t, srv.URL+"/", db, filepath.Join(dir, "warc"), "--warc-max-size", "300000")
	out := filepath.Join(dir, "a.wacz")
	code, stdout, stderr := runCmd(t, "export", "--db", db, "--format", "wacz", "--output", out)
	if code != 0 {
		t.Fatalf("export exit %d\n%s\n%s", code, stdout, stderr)
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	defer zr.Close()
	files := map[string][]byte{}
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "archive/") && f.Method != zip.Store {
			t.Errorf("%s is compressed in the zip; WARCs must be stored for range reads", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = b
	}
	for _, name := range []string{"datapackage.json", "datapackage-digest.json", "indexes/index.cdxj", "pages/pages.jsonl"} {
		if _, ok := files[name]; !ok {
			t.Fatalf("%s missing", name)
		}
	}

	// datapackage.json: profile, version, and every other file listed with
	// its size and SHA-256.
	var dp struct {
		Profile     string `json:"profile"`
		WACZVersion string `json:"wacz_version"`
		Created     string `json:"created"`
		Software    string `json:"software"`
		Resources   []struct {
			Name, Path, Hash string
			Bytes            int64
		} `json:"resources"`
	}
	if err := json.Unmarshal(files["datapackage.json"], &dp); err != nil {
		t.Fatal(err)
	}
	if dp.Profile != "data-package" || dp.WACZVersion != "1.1.1" || dp.Software == "" {
		t.Errorf("datapackage.json header: %+v", dp)
	}
	if _, err := time.Parse(time.RFC3339, dp.Created); err != nil {
		t.Errorf("created %q: %v", dp.Created, err)
	}
	listed := map[string]bool{}
	warcs := 0
	for _, r := range dp.Resources {
		b, ok := files[r.Path]
		if !ok {
			t.Errorf("resource %s not in the package", r.Path)
			continue
		}
		listed[r.Path] = true
		sum := sha256.Sum256(b)
		if r.Hash != "sha256:"+hex.EncodeToString(sum[:]) || r.Bytes != int64(len(b)) {
			t.Errorf("resource %s: hash %s bytes %d, file has %x and %d", r.Path, r.Hash, r.Bytes, sum, len(b))
		}
		if strings.HasPrefix(r.Path, "archive/") {
			warcs++
		}
	}
	for name := range files {
		if !listed[name] && name != "datapackage.json" && name != "datapackage-digest.json" {
			t.Errorf("%s not listed in datapackage.json", name)
		}
	}
	if warcs < 2 {
		t.Errorf("%d WARC files in the package, want the rotated files", warcs)
	}
	var dg struct{ Path, Hash string }
	if err := json.Unmarshal(files["datapackage-digest.json"], &dg); err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(files["datapackage.json"]); dg.Path != "datapackage.json" || dg.Hash != "sha256:"+hex.EncodeToString(sum[:]) {
		t.Errorf("datapackage-digest.json %+v does not match datapackage.json", dg)
	}

	// The CDXJ index: sorted lines "key timestamp {json}", each resolving to
	// its record in the stored WARC.
	var lines []string
	indexed := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(files["indexes/index.cdxj"]))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) == 0 || !sort.StringsAreSorted(lines) {
		t.Fatalf("%d index lines, sorted %v", len(lines), sort.StringsAreSorted(lines))
	}
	for _, l := range lines {
		parts := strings.SplitN(l, " ", 3)
		if len(parts) != 3 || len(parts[1]) != 14 {
			t.Fatalf("bad CDXJ line %q", l)
		}
		var js map[string]string
		if err := json.Unmarshal([]byte(parts[2]), &js); err != nil {
			t.Fatalf("CDXJ json %q: %v", parts[2], err)
		}
		if parts[0] != warc.SURT(js["url"]) {
			t.Errorf("key %s for %s", parts[0], js["url"])
		}
		off, _ := strconv.ParseInt(js["offset"], 10, 64)
		n, _ := strconv.ParseInt(js["length"], 10, 64)
		b, ok := files["archive/"+js["filename"]]
		if !ok || n <= 0 || off+n > int64(len(b)) {
			t.Fatalf("CDXJ %q: file or range not in the package", l)
		}
		r, err := iawarc.NewReader(bytes.NewReader(b[off : off+n]))
		if err != nil {
			t.Fatal(err)
		}
		rec, err := r.ReadRecord()
		if err != nil {
			t.Fatalf("CDXJ %q: record: %v", l, err)
		}
		typ := rec.Header.Get("WARC-Type")
		if (typ != "response" && typ != "revisit") || rec.Header.Get("WARC-Target-URI") != js["url"] ||
			rec.Size != n || !strings.HasPrefix(strings.NewReplacer("-", "", ":", "", "T", "").Replace(rec.Header.Get("WARC-Date")), parts[1]) {
			t.Errorf("CDXJ %q resolves to %s %s (%s, %d bytes)", l, typ, rec.Header.Get("WARC-Target-URI"), rec.Header.Get("WARC-Date"), rec.Size)
		}
		if js["digest"] != rec.Header.Get("WARC-Payload-Digest") {
			t.Errorf("CDXJ %q: digest differs from the record's %s", l, rec.Header.Get("WARC-Payload-Digest"))
		}
		rec.Content.Close()
		indexed[js["url"]] = true
	}

	// pages.jsonl: a header line, then one page per archived article.
	pl := strings.Split(strings.TrimSpace(string(files["pages/pages.jsonl"])), "\n")
	var head map[string]any
	if err := json.Unmarshal([]byte(pl[0]), &head); err != nil || head["format"] != "json-pages-1.0" || head["id"] == nil {
		t.Errorf("pages.jsonl header %q", pl[0])
	}
	if got, want := len(pl)-1, len(fixtureArticles(t)); got != want {
		t.Errorf("%d pages, want %d articles", got, want)
	}
	for _, l := range pl[1:] {
		var p struct{ URL, TS, Title string }
		if err := json.Unmarshal([]byte(l), &p); err != nil {
			t.Fatalf("page line %q: %v", l, err)
		}
		if _, err := time.Parse(time.RFC3339, p.TS); err != nil || p.URL == "" || p.Title == "" {
			t.Errorf("page line %q", l)
		}
		if !indexed[p.URL] {
			t.Errorf("page %s has no capture in the index", p.URL)
		}
	}

	// --format warc: the same captures as one WARC stream.
	code, stdout, stderr = runCmd(t, "export", "--db", db, "--format", "warc")
	if code != 0 {
		t.Fatalf("export warc exit %d\n%s", code, stderr)
	}
	r, err := iawarc.NewReader(strings.NewReader(stdout))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		rec, err := r.ReadRecord()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("exported WARC, record %d: %v", n, err)
		}
		rec.Content.Close()
		n++
	}
	if n < len(lines) {
		t.Errorf("exported WARC has %d records, the index %d captures", n, len(lines))
	}
}
