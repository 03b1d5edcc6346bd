//go:build linux

package main

// The huge-page memory benchmark of issue 14: the real binary, in a child
// process at default settings, crawls a site of several 10 MB pages and a
// 1 GiB gzip bomb; the child's peak RSS must stay at or under 250 MB. Run it
// explicitly (it builds the binary and takes about 15 s at the default 1 s
// delay):
//
//	go test -run '^$' -bench BenchmarkHugePagesRSS -benchtime 1x ./cmd/newsarchive
//
// NEWSARCHIVE_HUGE_ARGS adds crawl flags (e.g. "--max-parse 0" to see the
// peak without the parse cap).

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/internal/testsite"
)

// Shape of the huge-page site.
const (
	hugePages    = 5
	hugePageSize = 10 << 20
	hugeRSSLimit = 250 << 20
)

// hugeSite serves "/" linking hugePages pages of 10 MB (the hostile site's
// endless report) and the hostile site's 1 GiB gzip bomb.
func hugeSite() (http.Handler, func()) {
	h := testsite.NewHostile(testsite.HostileOptions{HugeSize: hugePageSize})
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		var b strings.Builder
		b.WriteString("<!DOCTYPE html><html><head><title>Huge pages</title></head><body><ul>")
		for i := 1; i <= hugePages; i++ {
			fmt.Fprintf(&b, `<li><a href="/big/%d">report %d</a></li>`, i, i)
		}
		b.WriteString(`<li><a href="/bomb/gzip">bomb</a></li></ul></body></html>`)
		fmt.Fprint(w, b.String())
	})
	mux.HandleFunc("/big/{n}", func(w http.ResponseWriter, r *http.Request) {
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/huge/page"
		h.ServeHTTP(w, r2)
	})
	mux.Handle("/", h) // robots.txt, the bomb, 404s
	return mux, h.Close
}

// buildBinary builds the newsarchive command into dir.
func buildBinary(tb testing.TB, dir string) string {
	tb.Helper()
	bin := filepath.Join(dir, "newsarchive")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func BenchmarkHugePagesRSS(b *testing.B) {
	dir := b.TempDir()
	bin := buildBinary(b, dir)
	handler, stop := hugeSite()
	srv := httptest.NewServer(handler)
	b.Cleanup(func() {
		stop()
		srv.Close()
	})
	extra := strings.Fields(os.Getenv("NEWSARCHIVE_HUGE_ARGS"))
	b.ResetTimer()
	for i := range b.N {
		db := filepath.Join(dir, fmt.Sprintf("huge%d.db", i))
		args := append([]string{"crawl", "--db", db, "--quiet", "--json"}, extra...)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		cmd := exec.CommandContext(ctx, bin, append(args, srv.URL+"/")...)
		cmd.Stderr = os.Stderr
		start := time.Now()
		out, err := cmd.Output()
		cancel()
		if err != nil && cmd.ProcessState == nil {
			b.Fatalf("crawl: %v", err)
		}
		ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		if !ok {
			b.Fatal("no rusage for the child")
		}
		peak := ru.Maxrss << 10 // KiB on Linux
		var sum crawlSummary
		if err := json.Unmarshal(out, &sum); err != nil {
			b.Fatalf("crawl exit %v; summary: %v\n%s", err, err, out)
		}
		fmt.Printf("huge pages: %d × %d MiB pages and a 1 GiB gzip bomb, default settings %v: exit %d in %.1fs, %d pages archived, peak RSS %.1f MB (limit %d)\n",
			hugePages, hugePageSize>>20, extra, cmd.ProcessState.ExitCode(), time.Since(start).Seconds(), sum.Pages,
			float64(peak)/(1<<20), hugeRSSLimit>>20)
		b.ReportMetric(float64(peak)/(1<<20), "peak_RSS_MB")
		if sum.Pages < hugePages+2 {
			b.Errorf("%d pages archived, want at least %d (home, pages, bomb)", sum.Pages, hugePages+2)
		}
		if peak > hugeRSSLimit && len(extra) == 0 {
			b.Errorf("peak RSS %.1f MB over %d MB", float64(peak)/(1<<20), hugeRSSLimit>>20)
		}
	}
}
