package main

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/archive/archivecopy"
	"github.com/newsarchive/newsarchive/archive/pgarchive"
	"github.com/newsarchive/newsarchive/internal/pgtest"
)

// copyJSON runs copy SRC DST --json (plus extra flags) and returns its summary.
func copyJSON(t *testing.T, src, dst string, extra ...string) copySummary {
	t.Helper()
	code, stdout, stderr := runCmd(t, append([]string{"copy", src, dst, "--json"}, extra...)...)
	if code != 0 {
		t.Fatalf("copy %s %s: exit %d: %s", src, dst, code, stderr)
	}
	var s copySummary
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatalf("copy --json: %v\n%s", err, stdout)
	}
	return s
}

// TestCopyCommand copies the demo archive SQLite → PostgreSQL → SQLite: the
// same raw bytes and records in all three, nothing copied by a second run,
// and the same hits for a few searches on each.
func TestCopyCommand(t *testing.T) {
	ctx := context.Background()
	srcPath := demoArchive(t)
	pgURL := pgtest.DB(t)
	backPath := filepath.Join(t.TempDir(), "back.db")

	s1 := copyJSON(t, srcPath, pgURL)
	if s1.Pages == 0 || s1.PagesCopied != s1.Pages || s1.Versions == 0 || s1.VersionsCopied != s1.Versions || s1.ArticlesNew == 0 {
		t.Fatalf("SQLite → PostgreSQL: %+v, want every page and version copied", s1)
	}
	s2 := copyJSON(t, pgURL, backPath, "--verify")
	if !s2.Verified || s2.PagesCopied != s1.Pages || s2.VersionsCopied != s1.Versions {
		t.Fatalf("PostgreSQL → SQLite: %+v, want %d pages and %d versions, verified", s2, s1.Pages, s1.Versions)
	}
	for _, c := range [][2]string{{srcPath, pgURL}, {pgURL, backPath}} {
		if s := copyJSON(t, c[0], c[1]); s.PagesCopied != 0 || s.VersionsCopied != 0 || s.Pages != s1.Pages {
			t.Errorf("second copy %s → %s: %+v, want nothing copied", c[0], c[1], s)
		}
	}

	src, err := archive.OpenReadOnly(ctx, srcPath)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	back, err := archive.OpenReadOnly(ctx, backPath)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	pg, err := pgarchive.Open(ctx, pgURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if err := archivecopy.Compare(ctx, src, back); err != nil {
		t.Fatalf("SQLite → PostgreSQL → SQLite: %v", err)
	}
	if err := archivecopy.Compare(ctx, src, pg); err != nil {
		t.Fatalf("SQLite → PostgreSQL: %v", err)
	}

	// The same hit sets (order may differ: bm25 and ts_rank_cd score
	// differently).
	type searcher interface {
		Search(context.Context, string, archive.SearchOptions) ([]archive.SearchHit, error)
	}
	for _, q := range []struct {
		q    string
		opts archive.SearchOptions
	}{
		{q: "Musk"}, {q: "kremlin putin"}, {q: `"very interesting proposal"`}, {q: "Clubhouse OR Cybertruck"},
		{q: "tesla", opts: archive.SearchOptions{Author: "Eva Fox"}}, {q: "", opts: archive.SearchOptions{Limit: 1000}},
	} {
		q.opts.Limit = 1000
		var sets [][]string
		for _, s := range []searcher{src, pg, back} {
			hits, err := s.Search(ctx, q.q, q.opts)
			if err != nil {
				t.Fatalf("search %q: %v", q.q, err)
			}
			var urls []string
			for _, h := range hits {
				urls = append(urls, h.CanonicalURL)
			}
			slices.Sort(urls)
			sets = append(sets, urls)
		}
		if len(sets[0]) == 0 {
			t.Errorf("search %q %+v found nothing in the demo archive", q.q, q.opts)
		}
		if !slices.Equal(sets[0], sets[1]) || !slices.Equal(sets[0], sets[2]) {
			t.Errorf("search %q %+v:\nSQLite     %v\nPostgreSQL %v\nback       %v", q.q, q.opts, sets[0], sets[1], sets[2])
		}
	}
}

// TestCopyCommandResume interrupts a copy of the demo archive midway (its
// context cancelled after a few batches), then finishes it with the command.
func TestCopyCommandResume(t *testing.T) {
	ctx := context.Background()
	srcPath := demoArchive(t)
	pgURL := pgtest.DB(t)
	src, err := archive.OpenReadOnly(ctx, srcPath)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	pg, err := pgarchive.Open(ctx, pgURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	cctx, cancel := context.WithCancel(ctx)
	n := 0
	_, err = archivecopy.Copy(cctx, src, pg, archivecopy.Options{Batch: 3, Progress: func(archivecopy.Summary) {
		if n++; n == 3 {
			cancel()
		}
	}})
	cancel()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted copy: %v, want context.Canceled", err)
	}
	s := copyJSON(t, srcPath, pgURL, "--verify")
	if !s.Verified || s.PagesCopied == 0 || s.PagesCopied == s.Pages {
		t.Fatalf("resumed copy: %+v, want the pages left over copied and verified", s)
	}
	backPath := filepath.Join(t.TempDir(), "back.db")
	copyJSON(t, pgURL, backPath)
	back, err := archive.OpenReadOnly(ctx, backPath)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if err := archivecopy.Compare(ctx, src, back); err != nil {
		t.Fatalf("resumed copy, back to SQLite: %v", err)
	}
}

func TestCopyCommandUsage(t *testing.T) {
	if code, stdout, _ := runCmd(t, "copy", "--help"); code != 0 || !strings.Contains(stdout, "Usage: newsarchive copy SRC DST") {
		t.Errorf("copy --help: exit %d\n%s", code, stdout)
	}
	for _, args := range [][]string{{"copy", "a.db"}, {"copy", "a.db", "./a.db"}, {"copy", "--bogus", "a.db", "b.db"}} {
		if code, _, stderr := runCmd(t, args...); code != exitUsage || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line", args, code, stderr)
		}
	}
	missing := filepath.Join(t.TempDir(), "missing.db")
	if code, _, stderr := runCmd(t, "copy", missing, filepath.Join(t.TempDir(), "b.db")); code != exitError || !strings.Contains(stderr, "missing.db") {
		t.Errorf("copy of a missing archive: exit %d, %q", code, stderr)
	}
	if got := redactURL("postgres://u:secret@h/db"); strings.Contains(got, "secret") {
		t.Errorf("redactURL kept the password: %s", got)
	}
}
