// Package crawlbench holds the yardsticks and the measuring harness of the crawl
// benchmark (issue 3, and the 50,000-page memory benchmark of issue 4): a bare
// colly collector written the way colly's README shows it (BareColly), a raw
// net/http worker pool (NetHTTPPool), and a way to run each crawler in a child
// process of the test binary so that its CPU time and peak memory are its own
// (RunChild, ServeChild).
//
// The benchmark itself is BenchmarkCrawl in cmd/newsarchive, which adds the full
// newsarchive pipeline as a third mode and prints the ratios.
package crawlbench

import (
	"fmt"
	"time"
)

// Result is what one crawl measured.
type Result struct {
	// Pages is the number of responses the crawler received (2xx or not),
	// duplicate fetches included.
	Pages int `json:"pages"`
	// Unique is the number of distinct URLs among those responses, as the
	// crawler itself saw them (the test server's counters are the authority on
	// duplicate fetches; this is a cross-check).
	Unique int `json:"unique"`
	// Errors is the number of requests that got no response (network errors,
	// cancelled requests).
	Errors int `json:"errors"`
	// Elapsed is the wall-clock time of the crawl.
	Elapsed time.Duration `json:"elapsed_ns"`
	// CPU is the user+system CPU time the process spent during the crawl
	// (getrusage(RUSAGE_SELF) delta), so it includes the garbage collector and
	// every goroutine, not only the crawler's.
	CPU time.Duration `json:"cpu_ns"`
	// MaxRSS is the process's peak resident set size in bytes. It is set only by
	// ServeChild (a child process measures only its own crawl); in-process runs
	// leave it 0.
	MaxRSS int64 `json:"max_rss_bytes"`
}

// PagesPerSec returns Unique per second of Elapsed (0 when Elapsed is 0).
func (r Result) PagesPerSec() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Unique) / r.Elapsed.Seconds()
}

// CPUPerPage returns CPU per received response (0 when there was none).
func (r Result) CPUPerPage() time.Duration {
	if r.Pages == 0 {
		return 0
	}
	return r.CPU / time.Duration(r.Pages)
}

// String formats r on one line.
func (r Result) String() string {
	return fmt.Sprintf("%d pages (%d unique, %d errors) in %v: %.1f unique pages/s, %.2f ms CPU/page, peak RSS %.1f MB",
		r.Pages, r.Unique, r.Errors, r.Elapsed.Round(time.Millisecond), r.PagesPerSec(),
		float64(r.CPUPerPage())/float64(time.Millisecond), float64(r.MaxRSS)/1e6)
}

// Meter measures the wall-clock and CPU time of a span of work in this process.
type Meter struct {
	start time.Time
	cpu   time.Duration
}

// StartMeter starts measuring.
func StartMeter() Meter {
	return Meter{start: time.Now(), cpu: processCPU()}
}

// Stop returns r with Elapsed and CPU set to the time since StartMeter.
func (m Meter) Stop(r Result) Result {
	r.Elapsed = time.Since(m.start)
	r.CPU = processCPU() - m.cpu
	return r
}
