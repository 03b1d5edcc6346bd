package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/archive/archivecopy"
	"github.com/newsarchive/newsarchive/archive/pgarchive"
)

const copyExamples = `  newsarchive copy tesmanian.db postgres://archive@db.example/news
  newsarchive copy postgres://archive@db.example/news backup.db --json
  newsarchive copy tesmanian.db postgres://localhost/news --verify

Copies every raw page (bytes exact), every version's record and every event
(unpublished, moved, restored) from SRC into DST; DST stores the records as its
own commit path does (articles, aliases, authors, editors, tags, related links,
search index). Each is an archive file (SQLite;
DST is created when missing) or a postgres:// URL. The copy is resumable and
idempotent: after Ctrl-C, run it again to continue; a second run copies
nothing. A page already in DST (same URL, fetch time and body hash) is not
copied again. Crawl state (runs, frontier, fleet, watch) is not copied.
`

// copySummary is what copy --json prints.
type copySummary struct {
	archivecopy.Summary
	Verified bool    `json:"verified"` // --verify found DST to hold what SRC holds
	Seconds  float64 `json:"seconds"`
}

func runCopy(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "copy", "copy SRC DST [--json] [--verify] [--quiet]", copyExamples)
	asJSON := fs.Bool("json", false, "print the summary as JSON on stdout")
	verify := fs.Bool("verify", false, "after copying, compare every page and record of SRC and DST")
	batch := fs.Int("batch", 100, "pages or versions per transaction")
	quiet := fs.Bool("quiet", false, "no progress, only warnings in the log")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	pos := fs.Args()
	if len(pos) > 2 {
		// Flags may also follow SRC and DST.
		if err := parseFlags(e, fs, pos[2:]); err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return usagef("copy takes SRC and DST only (extra argument %q)", fs.Arg(0))
		}
		pos = pos[:2]
	}
	if len(pos) != 2 {
		return usagef("copy takes SRC and DST (an archive file or a postgres:// URL each)")
	}
	srcArg, dstArg := pos[0], pos[1]
	if sameArchive(srcArg, dstArg) {
		return usagef("SRC and DST are the same archive")
	}
	logger := newLogger(e, *quiet, *asJSON)
	src, closeSrc, err := openCopyArchive(ctx, srcArg, true)
	if err != nil {
		return fmt.Errorf("open %s: %w", redactURL(srcArg), err)
	}
	defer closeSrc()
	dst, closeDst, err := openCopyArchive(ctx, dstArg, false)
	if err != nil {
		return fmt.Errorf("open %s: %w", redactURL(dstArg), err)
	}
	defer closeDst()

	start := time.Now()
	last := start
	sum, err := archivecopy.Copy(ctx, src, dst, archivecopy.Options{
		Batch: *batch,
		Progress: func(s archivecopy.Summary) {
			if now := time.Now(); now.Sub(last) >= time.Second {
				last = now
				logger.Info("copying", "phase", s.Phase, "pages_read", s.Pages, "pages_copied", s.PagesCopied,
					"versions_read", s.Versions, "versions_copied", s.VersionsCopied)
			}
		},
	})
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, context.Canceled) {
			return fmt.Errorf("copy interrupted after %d pages and %d versions copied; run it again to continue: %w",
				sum.PagesCopied, sum.VersionsCopied, errInterrupted)
		}
		return err
	}
	out := copySummary{Summary: sum}
	if *verify {
		if err := archivecopy.Compare(ctx, src, dst); err != nil {
			return fmt.Errorf("verify: %w", err)
		}
		out.Verified = true
	}
	out.Seconds = time.Since(start).Seconds()
	logger.Info("copied", "pages_read", sum.Pages, "pages_copied", sum.PagesCopied, "versions_read", sum.Versions,
		"versions_copied", sum.VersionsCopied, "articles_new", sum.ArticlesNew, "events_copied", sum.EventsCopied, slog.Float64("seconds", out.Seconds))
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(out)
	}
	fmt.Fprintf(e.stdout, "copied %d of %d pages, %d of %d versions (%d new articles), %d of %d events", sum.PagesCopied,
		sum.Pages, sum.VersionsCopied, sum.Versions, sum.ArticlesNew, sum.EventsCopied, sum.Events)
	if out.Verified {
		fmt.Fprint(e.stdout, "; verified")
	}
	fmt.Fprintln(e.stdout)
	return nil
}

// copyArchive is an archive copy reads from (archivecopy.Source) and writes
// to (archivecopy.Destination): *archive.Store or *pgarchive.DB.
type copyArchive interface {
	archivecopy.Source
	archivecopy.Destination
}

// isPostgresURL reports whether arg names a PostgreSQL database.
func isPostgresURL(arg string) bool {
	return strings.HasPrefix(arg, "postgres://") || strings.HasPrefix(arg, "postgresql://")
}

// openCopyArchive opens arg: a SQLite archive (read-only as a source; created
// when missing as a destination) or a PostgreSQL database (migrated).
func openCopyArchive(ctx context.Context, arg string, source bool) (copyArchive, func(), error) {
	if isPostgresURL(arg) {
		db, err := pgarchive.Open(ctx, arg)
		if err != nil {
			return nil, nil, err
		}
		return db, db.Close, nil
	}
	var (
		s   *archive.Store
		err error
	)
	if source {
		s, err = archive.OpenReadOnly(ctx, arg)
	} else {
		s, err = archive.Open(ctx, arg)
	}
	if err != nil {
		return nil, nil, err
	}
	return s, func() { s.Close() }, nil
}

// sameArchive reports whether a and b name the same archive file or URL.
func sameArchive(a, b string) bool {
	if isPostgresURL(a) || isPostgresURL(b) {
		return a == b
	}
	fa, errA := filepath.Abs(a)
	fb, errB := filepath.Abs(b)
	return errA == nil && errB == nil && fa == fb
}

// redactURL hides a password in a postgres:// URL for messages.
func redactURL(arg string) string {
	if !isPostgresURL(arg) {
		return arg
	}
	scheme, rest, _ := strings.Cut(arg, "://")
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return arg
	}
	user, _, hasPass := strings.Cut(rest[:at], ":")
	if !hasPass {
		return arg
	}
	return scheme + "://" + user + ":xxxxx@" + rest[at+1:]
}
