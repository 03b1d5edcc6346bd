package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// benchmarkPages reads the article benchmark's saved pages from ../shared:
// skipped when it is absent, but a failure under NEWSARCHIVE_CI=1 (CI has it).
func benchmarkPages(tb testing.TB) map[string][]byte {
	tb.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "benchmarks", "articles", "html")
	files, _ := filepath.Glob(filepath.Join(dir, "*.html.gz"))
	if len(files) == 0 {
		if os.Getenv("NEWSARCHIVE_CI") == "1" {
			tb.Fatalf("no benchmark pages in %s (CI must have ../shared)", dir)
		}
		tb.Skipf("no benchmark pages in %s: ../shared is absent", dir)
	}
	pages := map[string][]byte{}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			tb.Fatal(err)
		}
		zr, err := gzip.NewReader(fh)
		if err != nil {
			tb.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		fh.Close()
		if err != nil {
			tb.Fatal(err)
		}
		pages[filepath.Base(f)] = b
	}
	return pages
}

// presentation counts what a reader sees of a page without scripts: words of
// visible text, class attributes (the hooks of its layout) and stylesheets.
type presentation struct{ words, classes, sheets int }

func presentationOf(t *testing.T, page []byte) presentation {
	doc, err := html.ParseWithOptions(bytes.NewReader(page), html.ParseOptionEnableScripting(false))
	if err != nil {
		t.Fatal(err)
	}
	var p presentation
	var walk func(n *html.Node, hidden bool)
	walk = func(n *html.Node, hidden bool) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "template", "head", "iframe", "textarea", "select", "noembed":
				hidden = true
			}
			if n.Data == "style" && n.Namespace == "" {
				p.sheets++
			}
			for _, a := range n.Attr {
				if a.Key == "class" {
					p.classes++
				}
				if n.Data == "link" && a.Key == "rel" && strings.EqualFold(strings.TrimSpace(a.Val), "stylesheet") {
					p.sheets++
				}
			}
		}
		if n.Type == html.TextNode && !hidden {
			p.words += len(strings.Fields(n.Data))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, hidden)
		}
	}
	walk(doc, false)
	return p
}

// TestNeutraliseRealPages runs the cleaner over real news pages: each comes
// out inert, and what presents the page survives (docs/snapshots.md has the
// figures and the comparison with bluemonday).
func TestNeutraliseRealPages(t *testing.T) {
	pages := benchmarkPages(t)
	var in, out presentation
	for name, page := range pages {
		got, err := neutralise(page, "text/html; charset=utf-8", "https://news.example/2021/article")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		assertInert(t, got)
		a, b := presentationOf(t, page), presentationOf(t, got)
		in.words += a.words
		in.classes += a.classes
		in.sheets += a.sheets
		out.words += b.words
		out.classes += b.classes
		out.sheets += b.sheets
	}
	ratio := func(a, b int) float64 { return float64(a) / float64(max(b, 1)) }
	t.Logf("%d pages: %.1f%% of the words, %.1f%% of the class attributes, %.1f%% of the stylesheets kept",
		len(pages), 100*ratio(out.words, in.words), 100*ratio(out.classes, in.classes), 100*ratio(out.sheets, in.sheets))
	if ratio(out.words, in.words) < 0.99 || ratio(out.classes, in.classes) < 0.95 || out.sheets < in.sheets {
		t.Errorf("the cleaner loses presentation: words %d of %d, classes %d of %d, stylesheets %d of %d",
			out.words, in.words, out.classes, in.classes, out.sheets, in.sheets)
	}
}

// BenchmarkNeutralise cleans every benchmark page once per iteration; see
// docs/snapshots.md for the figure per page.
func BenchmarkNeutralise(b *testing.B) {
	pages := benchmarkPages(b)
	var size int64
	for _, p := range pages {
		size += int64(len(p))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pages {
			if _, err := neutralise(p, "text/html; charset=utf-8", "https://news.example/a"); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pages))/1e6, "ms/page")
}
