package archive

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestConcurrentReaderWhileWriting runs a writer Store committing batches in
// a loop and a read-only Store on the same file querying all the while: no
// "database is locked", and readers only ever see whole batches.
func TestConcurrentReaderWhileWriting(t *testing.T) {
	ctx := t.Context()
	w, path := openTest(t)
	run := startRun(t, w)
	r, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()

	const batches, batchSize = 30, 8
	done := make(chan struct{})
	var (
		wg       sync.WaitGroup
		writeErr error
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(done)
		rnd := newRand(7)
		for b := range batches {
			caps := make([]Capture, batchSize)
			for i := range caps {
				caps[i] = realisticCapture(rnd, b*batchSize+i)
				caps[i].Page.Body = caps[i].Page.Body[:20_000]
				caps[i].Links = caps[i].Links[:20]
			}
			if _, err := w.Commit(ctx, run, caps); err != nil {
				writeErr = err
				return
			}
		}
	}()
	var (
		reads    int
		readErrs []error
		last     int
	)
	for {
		select {
		case <-done:
		default:
		}
		n, err := r.CountArticles(ctx)
		if err != nil {
			readErrs = append(readErrs, err)
		} else {
			if n%batchSize != 0 || n < last {
				t.Errorf("reader saw %d articles (after %d): not whole batches", n, last)
			}
			last = n
		}
		if _, err := r.Search(ctx, "electric OR battery", SearchOptions{Author: "Eva Fox", Limit: 5}); err != nil {
			readErrs = append(readErrs, err)
		}
		if _, err := r.Stats(ctx); err != nil {
			readErrs = append(readErrs, err)
		}
		if _, err := r.ListArticles(ctx, ListOptions{Limit: 10}); err != nil {
			readErrs = append(readErrs, err)
		}
		if _, _, err := r.Previous(ctx, "https://news.example.com/blogs/n/article-3"); err != nil {
			readErrs = append(readErrs, err)
		}
		reads++
		if len(readErrs) > 0 {
			break
		}
		select {
		case <-done:
			goto finished
		default:
		}
	}
finished:
	wg.Wait()
	if writeErr != nil {
		t.Fatalf("writer: %v", writeErr)
	}
	for _, err := range readErrs {
		t.Errorf("reader: %v", err)
	}
	if n, _ := r.CountArticles(ctx); n != batches*batchSize {
		t.Errorf("reader sees %d articles at the end, want %d", n, batches*batchSize)
	}
	t.Logf("%d read rounds during %d commits", reads, batches)
	if reads < 2 {
		t.Errorf("reader did not run alongside the writer")
	}
}

const (
	helperEnvDB    = "ARCHIVE_HELPER_DB"
	helperEnvBatch = "ARCHIVE_HELPER_BATCH"
	crashBatchSize = 16
)

// TestHelperWriter is not a test: TestCrashKill9 runs the test binary with
// it as a child process that commits batches until it is killed.
func TestHelperWriter(t *testing.T) {
	path := os.Getenv(helperEnvDB)
	if path == "" {
		t.Skip("helper process for TestCrashKill9")
	}
	first, _ := strconv.Atoi(os.Getenv(helperEnvBatch))
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	run, _, err := s.StartRun(ctx, []string{"https://crash.example/"}, nil)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	rnd := newRand(uint64(first))
	tmpl := make([]Capture, crashBatchSize)
	for i := range tmpl {
		tmpl[i] = realisticCapture(rnd, i)
		// Smaller pages and fewer links keep the test quick under -race
		// (the transpiled SQLite is instrumented too); crash safety does not
		// depend on them.
		tmpl[i].Page.Body = tmpl[i].Page.Body[:20_000]
		tmpl[i].Links = tmpl[i].Links[:20]
	}
	for b := first; ; b++ {
		caps := make([]Capture, crashBatchSize)
		for i := range caps {
			caps[i] = tmpl[i]
			p, a := *tmpl[i].Page, *tmpl[i].Article
			caps[i].Page, caps[i].Article = &p, &a
			u := fmt.Sprintf("https://crash.example/b%d/p%d", b, i)
			caps[i].Entry.URL, caps[i].Page.URL, caps[i].Page.FinalURL = u, u, u
			caps[i].Article.URL, caps[i].Article.CanonicalURL = u, u
			caps[i].Article.Related = nil
		}
		fmt.Printf("committing %d\n", b)
		if _, err := s.Commit(ctx, run, caps); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		// Printed only after Commit returned: the parent counts on it.
		fmt.Printf("committed %d\n", b)
	}
}

// TestCrashKill9 kills a writer process with SIGKILL at random moments (most
// land inside a commit) and checks after each that the database is intact,
// every batch the writer reported committed is complete, and no batch is
// partly there.
func TestCrashKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	path := t.TempDir() + "/crash.db"
	committed := map[int]bool{}
	rnd := newRand(42)
	midCommit := 0
	for round := range 8 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$", "-test.v=false")
		cmd.Env = append(os.Environ(), helperEnvDB+"="+path, helperEnvBatch+"="+strconv.Itoa(round*1000))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wantCommits := 1 + rnd.IntN(4)
		delay := time.Duration(rnd.IntN(25)) * time.Millisecond
		sc := bufio.NewScanner(out)
		seen := 0
		for seen < wantCommits && sc.Scan() {
			line := sc.Text()
			if b, ok := strings.CutPrefix(line, "committed "); ok {
				n, _ := strconv.Atoi(b)
				committed[n] = true
				seen++
			} else if strings.HasPrefix(line, "error") {
				t.Fatalf("writer: %s", line)
			}
		}
		time.Sleep(delay)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		// Lines printed between the last read and the kill are commits too.
		last := ""
		for sc.Scan() {
			last = sc.Text()
			if b, ok := strings.CutPrefix(last, "committed "); ok {
				n, _ := strconv.Atoi(b)
				committed[n] = true
			}
		}
		if strings.HasPrefix(last, "committing ") {
			midCommit++
		}
		_ = cmd.Wait()

		s, err := Open(context.Background(), path)
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		if out, err := s.IntegrityCheck(context.Background()); err != nil || out != "ok" {
			t.Fatalf("round %d: integrity_check = %q, %v", round, out, err)
		}
		perBatch := map[int]int{}
		rows, err := s.r.Query(`SELECT url FROM pages`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var u string
			rows.Scan(&u)
			var b, i int
			fmt.Sscanf(u, "https://crash.example/b%d/p%d", &b, &i)
			perBatch[b]++
		}
		rows.Close()
		for b, n := range perBatch {
			if n != crashBatchSize {
				t.Errorf("round %d: batch %d has %d pages, want %d (partial batch)", round, b, n, crashBatchSize)
			}
		}
		for b := range committed {
			if perBatch[b] != crashBatchSize {
				t.Errorf("round %d: batch %d reported committed but has %d pages", round, b, perBatch[b])
			}
		}
		arts := queryInt(t, s, `SELECT count(*) FROM articles`)
		vers := queryInt(t, s, `SELECT count(*) FROM versions`)
		fts := queryInt(t, s, `SELECT count(*) FROM articles_fts_docsize`)
		done := queryInt(t, s, `SELECT count(*) FROM frontier WHERE url LIKE 'https://crash.example/b%' AND state = 'done'`)
		if want := len(perBatch) * crashBatchSize; arts != want || vers != want || fts != want || done != want {
			t.Errorf("round %d: articles %d, versions %d, fts %d, frontier done %d; want %d each", round, arts, vers, fts, done, want)
		}
		runs, _ := s.Runs(context.Background())
		if len(runs) != 1 {
			t.Errorf("round %d: %d runs, want 1 (resumed)", round, len(runs))
		}
		t.Logf("round %d: %d batches on disk, %d reported committed", round, len(perBatch), len(committed))
		s.Close()
	}
	t.Logf("%d of 8 kills landed inside Commit", midCommit)
}
