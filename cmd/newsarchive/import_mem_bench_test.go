package main

// The memory benchmark of issue 13:
//
//	go test -run '^$' -bench BenchmarkImportMemory -benchtime 1x ./cmd/newsarchive
//
// It writes a small .warc.gz whose records inflate to 1 GiB each, one with
// a 1 GiB block (the WARC member inflates) and one with a gzip
// Content-Encoding that inflates to 1 GiB, imports it with the default
// --max-body in a child process (crawlbench.RunChild) and reports the
// child's peak RSS. Target: under 200 MB, whatever the records declare.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"

	"github.com/newsarchive/newsarchive/internal/crawlbench"
	"github.com/newsarchive/newsarchive/scraper"
)

// benchModeImportBomb imports the file args[benchArgWARC] into a fresh
// archive.
const benchModeImportBomb = "import-bomb"

func benchImportBomb(ctx context.Context, args map[string]string) (crawlbench.Result, error) {
	dir, err := os.MkdirTemp("", "newsarchive-bench-bomb-")
	if err != nil {
		return crawlbench.Result{}, err
	}
	defer os.RemoveAll(dir)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	m := crawlbench.StartMeter()
	sum, err := importWARCs(ctx, logger, filepath.Join(dir, "a.db"), []string{args[benchArgWARC]}, runtime.GOMAXPROCS(0),
		scraper.DefaultConfig().MaxBodyBytes, false, "")
	if err != nil {
		return crawlbench.Result{}, err
	}
	if sum.Pages != 2 || sum.Truncated != 2 {
		return crawlbench.Result{}, fmt.Errorf("%d pages archived (%d truncated), want the 2 cut at --max-body", sum.Pages, sum.Truncated)
	}
	return m.Stop(crawlbench.Result{Pages: int(sum.Pages)}), nil
}

// writeBomb writes the two 1 GiB-inflating records to path.
func writeBomb(path string) error {
	const size = 1 << 30
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	fill := func(w io.Writer) error {
		chunk := []byte(strings.Repeat("All work and no play makes a dull page. ", 1<<15))[:1<<20]
		for range size / len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return err
			}
		}
		return nil
	}
	member := func(head string, body func(io.Writer) error, bodyLen int) error {
		zw, _ := gzip.NewWriterLevel(bw, gzip.BestSpeed)
		http := head + "\r\n\r\n"
		warcHead := "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:" + strconv.Itoa(len(head)) + ">\r\n" +
			"WARC-Date: 2024-05-06T07:08:09Z\r\nWARC-Target-URI: http://bomb.example/" + strconv.Itoa(bodyLen) + "\r\n" +
			"Content-Type: application/http;msgtype=response\r\nContent-Length: " + strconv.Itoa(len(http)+bodyLen) + "\r\n\r\n"
		io.WriteString(zw, warcHead+http)
		if err := body(zw); err != nil {
			return err
		}
		io.WriteString(zw, "\r\n\r\n")
		return zw.Close()
	}
	if err := member("HTTP/1.1 200 OK\r\nContent-Type: text/html", fill, size); err != nil {
		return err
	}
	// A payload of about 1 MB that decodes to 1 GiB.
	var enc strings.Builder
	zw, _ := gzip.NewWriterLevel(&enc, gzip.BestCompression)
	if err := fill(zw); err != nil {
		return err
	}
	zw.Close()
	payload := enc.String()
	if err := member("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip", func(w io.Writer) error {
		_, err := io.WriteString(w, payload)
		return err
	}, len(payload)); err != nil {
		return err
	}
	return bw.Flush()
}

func BenchmarkImportMemory(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bomb.warc.gz")
	if err := writeBomb(path); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		res, err := crawlbench.RunChild(context.Background(), benchModeImportBomb, map[string]string{benchArgWARC: path})
		if err != nil {
			b.Fatal(err)
		}
		mb := float64(res.MaxRSS) / 1e6
		fmt.Printf("import memory benchmark: %.1f MB .warc.gz, two records inflating to 1 GiB each (block; gzip payload), --max-body %d: peak RSS %.0f MB in %s (target < 200 MB)\n",
			float64(st.Size())/1e6, scraper.DefaultConfig().MaxBodyBytes, mb, res.Elapsed.Round(1e6))
		b.ReportMetric(mb, "peak_MB")
		if mb >= 200 {
			b.Errorf("peak RSS %.0f MB, want < 200 MB", mb)
		}
	}
}
