package extract

import (
	"bytes"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// benchPages loads the fixture articles once per benchmark.
func benchPages(b *testing.B) (urls []string, pages [][]byte) {
	b.Helper()
	for _, h := range fixturePages(b) {
		urls = append(urls, fixtureURL+h)
		pages = append(pages, readFixture(b, h))
	}
	if len(pages) == 0 {
		b.Skip("no fixture pages")
	}
	return urls, pages
}

func reportPages(b *testing.B, n int, elapsed time.Duration) {
	b.Helper()
	if elapsed > 0 {
		b.ReportMetric(float64(n)/elapsed.Seconds(), "pages/s")
	}
}

// BenchmarkParseOnly is the baseline: building the DOM of each fixture page
// with goquery, nothing else.
func BenchmarkParseOnly(b *testing.B) {
	_, pages := benchPages(b)
	b.ReportAllocs()
	start := time.Now()
	i := 0
	for b.Loop() {
		if _, err := goquery.NewDocumentFromReader(bytes.NewReader(pages[i%len(pages)])); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportPages(b, i, time.Since(start))
}

// BenchmarkExtract is the whole extraction of each fixture page.
func BenchmarkExtract(b *testing.B) {
	urls, pages := benchPages(b)
	e := defaultExtractor(b)
	b.ReportAllocs()
	start := time.Now()
	i := 0
	for b.Loop() {
		k := i % len(pages)
		if _, err := e.Extract(urls[k], nil, pages[k]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportPages(b, i, time.Since(start))
}

// BenchmarkExtractVsParse times parse-only and full extraction of the same
// pages in one run, alternating, and reports extraction time / parse time as
// "ratio" (the target is ≤ 1.3).
func BenchmarkExtractVsParse(b *testing.B) {
	urls, pages := benchPages(b)
	e := defaultExtractor(b)
	var parse, extract time.Duration
	i := 0
	for b.Loop() {
		k := i % len(pages)
		t0 := time.Now()
		if _, err := goquery.NewDocumentFromReader(bytes.NewReader(pages[k])); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := e.Extract(urls[k], nil, pages[k]); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		parse += t1.Sub(t0)
		extract += t2.Sub(t1)
		i++
	}
	if i > 0 && parse > 0 {
		b.ReportMetric(float64(parse.Nanoseconds())/float64(i), "parse-ns/page")
		b.ReportMetric(float64(extract.Nanoseconds())/float64(i), "extract-ns/page")
		b.ReportMetric(float64(extract)/float64(parse), "ratio")
		reportPages(b, i, extract)
	}
}
