package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/archive"
)

// lockedBuffer is a bytes.Buffer safe for a command's logger and a test
// reading it at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeWarmsInBackground: serve starts the search warm-up, answers
// searches while it runs, and on shutdown stops it and waits for it before
// returning (no goroutine left, the store closed after it). The real
// warm-up, run by serve on the same archive, warms every structure.
func TestServeWarmsInBackground(t *testing.T) {
	db := demoArchive(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	started, ended := make(chan struct{}), make(chan struct{})
	var errb lockedBuffer
	e := &env{stdout: io.Discard, stderr: &errb, getenv: func(string) string { return "" }, hardStop: context.Background(),
		warmSearch: func(ctx context.Context, store archive.Reader) ([]string, error) {
			close(started)
			<-ctx.Done() // a warm-up slower than the whole test
			close(ended)
			return nil, ctx.Err()
		}}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	codec := make(chan int, 1)
	go func() { codec <- run(ctx, e, []string{"serve", "--db", db, "--addr", addr}) }()

	select {
	case <-started:
	case code := <-codec:
		t.Fatalf("serve exited %d before warming up:\n%s", code, errb.String())
	case <-time.After(30 * time.Second):
		t.Fatal("the warm-up did not start")
	}
	var resp *http.Response
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if resp, err = http.Get("http://" + addr + "/api/search?q=clubhouse&limit=2"); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatalf("serve does not answer while warming up: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"hits":[{`) {
		t.Errorf("search while warming up: %d %s", resp.StatusCode, body)
	}
	select {
	case <-ended:
		t.Fatal("the warm-up ended before shutdown")
	default:
	}

	cancel()
	select {
	case code := <-codec:
		if code != 0 {
			t.Errorf("serve exit %d:\n%s", code, errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	select {
	case <-ended: // serve returned after the warm-up had ended
	default:
		t.Error("serve returned with the warm-up still running")
	}
	if logs := errb.String(); !strings.Contains(logs, "warming the search index") || !strings.Contains(logs, "search warm-up stopped") {
		t.Errorf("warm-up not logged:\n%s", logs)
	}

	// serve's own warm-up, on the same archive, warms every structure.
	var errb2 lockedBuffer
	e2 := &env{stdout: io.Discard, stderr: &errb2, getenv: func(string) string { return "" }, hardStop: context.Background()}
	ctx2, cancel2 := context.WithCancel(t.Context())
	defer cancel2()
	go func() { codec <- run(ctx2, e2, []string{"serve", "--db", db, "--addr", addr}) }()
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(errb2.String(), "search index warm"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no warm-up logged:\n%s", errb2.String())
		}
	}
	cancel2()
	if code := <-codec; code != 0 {
		t.Errorf("serve exit %d:\n%s", code, errb2.String())
	}
	if logs := errb2.String(); !strings.Contains(logs, "warmed=articles_fts_data,articles_fts_idx,articles_fts_docsize,articles_title_fts_data,articles_title_fts_idx,term_docs,versions_published_jd") {
		t.Errorf("warm-up log:\n%s", logs)
	}
}
