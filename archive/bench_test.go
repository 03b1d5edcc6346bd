package archive

import (
	"fmt"
	"syscall"
	"testing"
	"time"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCommit commits batches of 32 realistic captures: ~100 KB HTML
// pages, ~800-word articles with authors, editor, tags and related links, and
// 150 discovered links each (mostly already known, as in a real crawl). One
// op is one batch.
func BenchmarkCommit(b *testing.B) {
	const batch = 32
	s, _ := openTest(b)
	run := startRun(b, s)
	rnd := newRand(1)
	tmpl := make([]Capture, 256)
	var bytes int64
	for i := range tmpl {
		tmpl[i] = realisticCapture(rnd, i)
		bytes += int64(len(tmpl[i].Page.Body))
	}
	b.SetBytes(bytes / int64(len(tmpl)) * batch)
	b.ReportAllocs()
	caps := make([]Capture, batch)
	n := 0
	cpu0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		for i := range caps {
			t := &tmpl[n%len(tmpl)]
			p, a := *t.Page, *t.Article
			u := fmt.Sprintf("https://news.example.com/blogs/n/bench-%d", n)
			p.URL, p.FinalURL, a.URL, a.CanonicalURL = u, u, u, u
			caps[i] = Capture{Entry: QueueEntry{URL: u, Depth: 1, Kind: "page", Attempts: 1}, State: StateDone,
				Page: &p, Article: &a, Links: t.Links}
			n++
		}
		if _, err := s.Commit(b.Context(), run, caps); err != nil {
			b.Fatal(err)
		}
	}
	elapsed := b.Elapsed()
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(n)/elapsed.Seconds(), "pages/s")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(n), "cpu-ms/page")
}
