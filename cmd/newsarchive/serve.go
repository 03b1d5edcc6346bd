package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/internal/web"
)

const serveExamples = `  newsarchive serve                         # http://127.0.0.1:8080/
  newsarchive serve --db tesmanian.db --addr 127.0.0.1:9000
  curl 'http://127.0.0.1:8080/api/search?q=clubhouse&author=Eva+Fox'
  curl http://127.0.0.1:8080/api/articles/1

Pages: / (search with filters, recent changes), /articles/ID (with its
versions on a timeline), /articles/ID/diff?from=V&to=W, /changes (filters:
since, until, site, field, kind), /changes.atom, /authors/NAME, /editors/NAME,
/stats (with charts), /snapshots/PAGE (the archived page, sandboxed: its scripts never run and
nothing loads from the live web). JSON: /api/search (same parameters as the
search page: q, author, editor, tag, site, since, until, page, limit) and
/api/articles/ID, /api/changes. The archive is opened read-only; a crawl may write to it
meanwhile. --db postgres://… serves a PostgreSQL archive (its search warm-up uses
pg_prewarm when the extension is installed, and does nothing otherwise). Listen on loopback unless you mean to share the archive.

Only requests naming this server answer: the Host header must be the listen
address (with localhost, 127.0.0.1 and ::1 when it is loopback; with this
machine's addresses when it is 0.0.0.0 or ::) or a name given with
--allow-host; any other gets 421. This keeps a web page that rebinds its own
DNS name to this address from reading the archive through a visitor's browser.
  newsarchive serve --addr 0.0.0.0:8080 --allow-host archive.lan
`

// hostList is a repeatable string flag.
type hostList []string

func (h *hostList) String() string { return strings.Join(*h, ",") }

// Set implements flag.Value.
func (h *hostList) Set(v string) error {
	v = strings.TrimSpace(v)
	if v == "" || strings.ContainsAny(v, "/ ") {
		return fmt.Errorf("%q is not a host name", v)
	}
	*h = append(*h, v)
	return nil
}

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "serve", "serve [--db PATH] [--addr HOST:PORT]", serveExamples)
	db := fs.String("db", "", dbFlagHelp)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	quiet := fs.Bool("quiet", false, "only warnings in the log")
	jsonLogs := fs.Bool("json", false, "log as JSON lines")
	var extra hostList
	fs.Var(&extra, "allow-host", "also answer requests for this host `NAME` (repeatable); others get 421")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usagef("serve takes no arguments")
	}
	logger := newLogger(e, *quiet, *jsonLogs)
	store, closeStore, err := openReader(ctx, dbPath(e, *db))
	if err != nil {
		return err
	}
	defer closeStore()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usagef("listen on %s: %v", *addr, err)
	}
	defer ln.Close()
	hosts := append(allowedHosts(*addr, ln.Addr()), extra...)
	h, err := web.New(store, logger, web.Options{AllowedHosts: hosts})
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	logger.Info("serving the archive", "url", "http://"+ln.Addr().String()+"/", "db", redactURL(dbPath(e, *db)), "hosts", strings.Join(hosts, ","))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	stopWarm := startWarmup(ctx, e, logger, store)
	defer stopWarm()
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

// startWarmup warms the archive's search structures in the background
// (archive.Reader's WarmSearch: on SQLite the OS page cache then holds them,
// and the first searches do not wait on the disk) while the server already answers. The
// returned stop cancels the warm-up and waits for it to end; serve calls it
// before closing the store.
func startWarmup(ctx context.Context, e *env, logger *slog.Logger, store archive.Reader) (stop func()) {
	warm := e.warmSearch
	if warm == nil {
		warm = func(ctx context.Context, s archive.Reader) ([]string, error) { return s.WarmSearch(ctx) }
	}
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		start := time.Now()
		logger.Info("warming the search index")
		warmed, err := warm(wctx, store)
		switch {
		case wctx.Err() != nil:
			logger.Info("search warm-up stopped", "warmed", strings.Join(warmed, ","))
		case err != nil:
			logger.Warn("search warm-up failed", "err", err)
		default:
			logger.Info("search index warm", "warmed", strings.Join(warmed, ","), "took", time.Since(start).Round(time.Millisecond))
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// allowedHosts are the Host names serve answers to by default: the host of
// the --addr flag and of the address listened on; the loopback names when
// that is loopback; and every address of this machine when it listens on all
// of them (0.0.0.0, ::), where a name must be added with --allow-host.
func allowedHosts(flagAddr string, ln net.Addr) []string {
	var hosts []string
	if h, _, err := net.SplitHostPort(flagAddr); err == nil && h != "" {
		hosts = append(hosts, h)
	}
	ta, ok := ln.(*net.TCPAddr)
	if !ok {
		return hosts
	}
	hosts = append(hosts, ta.IP.String())
	switch {
	case ta.IP.IsLoopback():
		hosts = append(hosts, "localhost", "127.0.0.1", "::1")
	case ta.IP.IsUnspecified():
		hosts = append(hosts, "localhost", "127.0.0.1", "::1")
		if addrs, err := net.InterfaceAddrs(); err == nil {
			for _, a := range addrs {
				if n, ok := a.(*net.IPNet); ok {
					hosts = append(hosts, n.IP.String())
				}
			}
		}
	}
	return hosts
}
