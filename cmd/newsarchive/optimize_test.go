package main

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsarchive/newsarchive/internal/testsite"
)

// TestNoOptimize: a crawl or import of 100 articles into an empty archive
// is over the optimize threshold (a fifth of the index, at least 100):
// import merges the search index and logs it; crawl --no-optimize and
// import --no-optimize do not.
func TestNoOptimize(t *testing.T) {
	site := httptest.NewServer(testsite.NewGenerated(testsite.GenOptions{Pages: 100}))
	defer site.Close()
	dir := t.TempDir()
	warcDir := filepath.Join(dir, "warc")
	const optimized = "search index optimized"
	code, _, stderr := runCmd(t, "crawl", "--db", filepath.Join(dir, "crawl.db"), "--delay", "0", "--no-optimize",
		"--warc", warcDir, "--page-requisites=false", site.URL+"/")
	if code != 0 {
		t.Fatalf("crawl exit %d:\n%s", code, stderr)
	}
	if strings.Contains(stderr, optimized) {
		t.Errorf("crawl --no-optimize optimized:\n%s", stderr)
	}
	warcs, err := filepath.Glob(filepath.Join(warcDir, "*.warc.gz"))
	if err != nil || len(warcs) == 0 {
		entries, _ := os.ReadDir(warcDir)
		t.Fatalf("no WARC written (%v): %v", err, entries)
	}
	for _, tc := range []struct {
		flags    []string
		optimize bool
	}{
		{nil, true},
		{[]string{"--no-optimize"}, false},
	} {
		args := append([]string{"import", "--db", filepath.Join(t.TempDir(), "i.db")}, tc.flags...)
		code, out, stderr := runCmd(t, append(args, warcs...)...)
		if code != 0 {
			t.Fatalf("import %v exit %d:\n%s", tc.flags, code, stderr)
		}
		if got := strings.Contains(stderr, optimized); got != tc.optimize {
			t.Errorf("import %v: optimized %v, want %v\n%s\n%s", tc.flags, got, tc.optimize, out, stderr)
		}
	}
}
