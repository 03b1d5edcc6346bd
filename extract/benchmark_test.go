package extract

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// TestBenchmarkBodies extracts every page of an article-extraction benchmark laid
// out as ground-truth.json + html/<id>.html.gz and writes the predictions for
// score_bodies.py. It runs only when NEWSARCHIVE_BENCH_ARTICLES names the
// benchmark directory; NEWSARCHIVE_PRED_OUT names the output file (default: a
// temporary file). Every page must give a non-empty body.
func TestBenchmarkBodies(t *testing.T) {
	dir := os.Getenv("NEWSARCHIVE_BENCH_ARTICLES")
	if dir == "" {
		t.Skip("NEWSARCHIVE_BENCH_ARTICLES not set")
	}
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	var truth map[string]struct {
		URL string `json:"url"`
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		t.Fatalf("ground truth: %v", err)
	}
	ids := make([]string, 0, len(truth))
	for id := range truth {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	header := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	preds := make(map[string]map[string]string, len(ids))
	for _, id := range ids {
		body, err := readGzip(filepath.Join(dir, "html", id+".html.gz"))
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		a, err := e.Extract(truth[id].URL, header, body)
		if err != nil {
			t.Errorf("%s: %v", id, err)
			continue
		}
		if a.BodyText == "" {
			t.Errorf("%s: empty body", id)
		}
		preds[id] = map[string]string{"articleBody": a.BodyText}
	}
	out := os.Getenv("NEWSARCHIVE_PRED_OUT")
	if out == "" {
		out = filepath.Join(t.TempDir(), "preds.json")
	}
	data, err := json.MarshalIndent(preds, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d predictions written to %s", len(preds), out)
}

func readGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// BenchmarkDevSplit extracts every page of the benchmark named by
// NEWSARCHIVE_BENCH_ARTICLES (pages decompressed beforehand, so only
// extraction is timed) and reports pages/s; -benchmem's allocs/op is per page.
//
//	NEWSARCHIVE_BENCH_ARTICLES=DIR go test -run '^$' -bench BenchmarkDevSplit -benchmem -cpu 1 ./extract
func BenchmarkDevSplit(b *testing.B) {
	dir := os.Getenv("NEWSARCHIVE_BENCH_ARTICLES")
	if dir == "" {
		b.Skip("NEWSARCHIVE_BENCH_ARTICLES not set")
	}
	paths, err := filepath.Glob(filepath.Join(dir, "html", "*.html.gz"))
	if err != nil || len(paths) == 0 {
		b.Fatalf("no pages in %s/html: %v", dir, err)
	}
	sort.Strings(paths)
	pages := make([][]byte, len(paths))
	for i, p := range paths {
		if pages[i], err = readGzip(p); err != nil {
			b.Fatalf("%s: %v", p, err)
		}
	}
	e, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	header := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := e.Extract("https://example.com/article", header, pages[i%len(pages)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}
