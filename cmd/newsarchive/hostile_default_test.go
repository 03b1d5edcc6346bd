//go:build linux

package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/internal/testsite"
)

// TestHostileDefaultSettings crawls the hostile site (all its defaults: a
// 1 GiB bomb, a 50 MB page, 120 s trickle and stall) with the built binary
// at DEFAULT settings (1 s delay per host, 2 in parallel, 60 s timeout, 3
// retries, depth 25) and reports the wall time, the requests per trap and
// the peak RSS. It takes minutes, so it runs only when asked:
//
//	NEWSARCHIVE_HOSTILE_DEFAULT=1 go test -run TestHostileDefaultSettings -v -timeout 30m ./cmd/newsarchive
//
// The ≤ 100-requests-per-trap assertions at delay 0 are in TestHostile.
func TestHostileDefaultSettings(t *testing.T) {
	if os.Getenv("NEWSARCHIVE_HOSTILE_DEFAULT") == "" {
		t.Skip("set NEWSARCHIVE_HOSTILE_DEFAULT=1 to crawl the hostile site at default settings (minutes)")
	}
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	site := testsite.NewHostile(testsite.HostileOptions{})
	srv := httptest.NewServer(site)
	t.Cleanup(func() {
		site.Close()
		srv.Close()
	})
	db := filepath.Join(dir, "hostile.db")
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "crawl", "--db", db, "--quiet", "--json", srv.URL+"/")
	start := time.Now()
	out, err := cmd.Output()
	elapsed := time.Since(start)
	if ctx.Err() != nil {
		t.Fatalf("crawl did not end by itself within 20 minutes")
	}
	if err != nil && cmd.ProcessState == nil {
		t.Fatalf("crawl: %v", err)
	}
	var peak int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		peak = ru.Maxrss << 10
	}
	var perTrap []string
	for _, trap := range site.Traps() {
		perTrap = append(perTrap, trap+"="+strconv.Itoa(site.TrapRequests(trap)))
	}
	t.Logf("default-settings hostile crawl: exit %d in %v, %d requests (%s), peak RSS %.1f MB",
		cmd.ProcessState.ExitCode(), elapsed.Round(time.Second), site.TotalRequests(), strings.Join(perTrap, " "), float64(peak)/(1<<20))
	var sum crawlSummary
	if err := json.Unmarshal(out, &sum); err != nil {
		t.Fatalf("summary: %v\n%s", err, out)
	}
	t.Logf("trap templates cut: %+v", sum.TrapTemplates)
	if elapsed > 10*time.Minute {
		t.Errorf("crawl took %v, want under 10 minutes", elapsed.Round(time.Second))
	}
	for _, trap := range site.Traps() {
		if n := site.TrapRequests(trap); n > 100 {
			t.Errorf("trap %s: %d requests, want at most 100", trap, n)
		}
	}
	if n := site.TrapRequests(testsite.TrapSearch); n != 0 {
		t.Errorf("robots-forbidden /search requested %d times", n)
	}
	got := archivedArticles(t, db)
	for p := range site.GoodArticles() {
		if got[srv.URL+p] != 1 {
			t.Errorf("good article %s archived %d times, want 1", p, got[srv.URL+p])
		}
	}
	if peak > 300<<20 {
		t.Errorf("peak RSS %.1f MB, want at most 300", float64(peak)/(1<<20))
	}
}
