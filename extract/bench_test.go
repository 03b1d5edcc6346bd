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
// "ratio" (the target is ≤ 1.3). On a shared, busy machine the means are noisy,
// so it also reports "best-ratio": the same ratio over each page's fastest
// parse and fastest extraction.
func BenchmarkExtractVsParse(b *testing.B) {
	urls, pages := benchPages(b)
	e := defaultExtractor(b)
	var parse, extract time.Duration
	bestParse := make([]time.Duration, len(pages))
	bestExtract := make([]time.Duration, len(pages))
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
		dp, de := t1.Sub(t0), t2.Sub(t1)
		parse += dp
		extract += de
		if bestParse[k] == 0 || dp < bestParse[k] {
			bestParse[k] = dp
		}
		if bestExtract[k] == 0 || de < bestExtract[k] {
			bestExtract[k] = de
		}
		i++
	}
	if i < len(pages) || parse == 0 {
		return
	}
	var bp, be time.Duration
	for k := range pages {
		bp += bestParse[k]
		be += bestExtract[k]
	}
	b.ReportMetric(float64(parse.Nanoseconds())/float64(i), "parse-ns/page")
	b.ReportMetric(float64(extract.Nanoseconds())/float64(i), "extract-ns/page")
	b.ReportMetric(float64(extract)/float64(parse), "ratio")
	b.ReportMetric(float64(be)/float64(bp), "best-ratio")
	reportPages(b, i, extract)
}
