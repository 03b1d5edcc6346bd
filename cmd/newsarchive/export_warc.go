package main

// export --format wacz|warc: the raw captures of crawl --warc and import,
// as the WARC files they lie in, optionally packed as WACZ.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/newsarchive/newsarchive/warc"
)

// exportCaptures writes the WARC files holding the archive's captures,
// concatenated (warc: a valid gzip-per-record WARC stream) or as a WACZ
// package (wacz), to out.
func exportCaptures(ctx context.Context, e *env, db, format string, out io.Writer) error {
	store, closeStore, err := openReader(ctx, db)
	if err != nil {
		return err
	}
	defer closeStore()
	files, err := store.WARCFiles(ctx)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no captures in WARC files in %s (crawl with --warc, or import WARC files)", db)
	}
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			return fmt.Errorf("WARC file of the archive: %w", err)
		}
	}
	bw := bufio.NewWriterSize(out, 256<<10)
	if format == "warc" {
		for _, f := range files {
			if err := appendFile(bw, f); err != nil {
				return err
			}
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		return nil
	}
	var pages []warc.Page
	for p, err := range store.CapturedPages(ctx) {
		if err != nil {
			return err
		}
		pages = append(pages, warc.Page{URL: p.URL, Time: p.FetchedAt, Title: p.Title})
	}
	indexErr, err := warc.WriteWACZ(bw, files, pages, warc.WACZOptions{
		Title:    "newsarchive " + filepath.Base(db),
		Software: "newsarchive/" + version,
	})
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	if indexErr != nil {
		fmt.Fprintf(e.stderr, "newsarchive export: some records could not be indexed: %v\n", oneLine(indexErr.Error()))
		return fmt.Errorf("%w: some WARC records were left out of the index", errPartial)
	}
	return nil
}

func appendFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer f.Close()
	if _, err := io.Copy(w, f); err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	return nil
}
