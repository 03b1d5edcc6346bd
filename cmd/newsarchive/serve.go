package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/internal/web"
)

const serveExamples = `  newsarchive serve                         # http://127.0.0.1:8080/
  newsarchive serve --db tesmanian.db --addr 127.0.0.1:9000
  curl 'http://127.0.0.1:8080/api/search?q=clubhouse&author=Eva+Fox'
  curl http://127.0.0.1:8080/api/articles/1

Pages: / (search with filters), /articles/ID, /authors/NAME, /editors/NAME,
/stats, /snapshots/PAGE (the archived page, sandboxed: its scripts never run and
nothing loads from the live web). JSON: /api/search (same parameters as the
search page: q, author, editor, tag, site, since, until, page, limit) and
/api/articles/ID. The archive is opened read-only; a crawl may write to it
meanwhile. Listen on loopback unless you mean to share the archive.
`

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "serve", "serve [--db PATH] [--addr HOST:PORT]", serveExamples)
	db := fs.String("db", "", "archive database file (default $NEWSARCHIVE_DB or newsarchive.db)")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	quiet := fs.Bool("quiet", false, "only warnings in the log")
	jsonLogs := fs.Bool("json", false, "log as JSON lines")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usagef("serve takes no arguments")
	}
	logger := newLogger(e, *quiet, *jsonLogs)
	store, err := archive.OpenReadOnly(ctx, dbPath(e, *db))
	if err != nil {
		return fmt.Errorf("open archive: %w", err)
	}
	defer store.Close()
	h, err := web.New(store, logger)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usagef("listen on %s: %v", *addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	logger.Info("serving the archive", "url", "http://"+ln.Addr().String()+"/", "db", store.Path())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve: %w", err)
		}
		return nil
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(e.hardStop, 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	logger.Info("server stopped")
	return nil
}
