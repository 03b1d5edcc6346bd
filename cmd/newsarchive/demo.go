package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/internal/testsite"
	"github.com/newsarchive/newsarchive/scraper"
)

const demoExamples = `  newsarchive demo
  newsarchive demo --db /tmp/demo.db --json
`

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "demo", "demo [--db PATH] [--json] [--quiet]", demoExamples)
	db := fs.String("db", "newsarchive-demo.db", "archive database file")
	asJSON := fs.Bool("json", false, "print the crawl summary as JSON")
	quiet := fs.Bool("quiet", false, "only warnings in the log")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("demo takes no arguments")
	}

	// Serve the embedded fixture site on a random loopback port. Sitemaps, feed and
	// robots.txt are rewritten to this origin so that discovery stays on loopback;
	// the HTML keeps its real canonical URLs, so records are keyed the same on
	// every run and a second demo adds no duplicates.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen on loopback: %w", err)
	}
	site := testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true})
	srv := &http.Server{Handler: site, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	origin := "http://" + ln.Addr().String()
	logger := newLogger(e, *quiet, *asJSON)
	logger.Info("serving the fixture site", "url", origin+"/")

	cfg := scraper.DefaultConfig()
	cfg.Delay = 0 // loopback: no politeness delay needed
	cfg.Parallelism = 4
	cfg.Contact = "https://github.com/newsarchive/newsarchive"
	opts := &crawlOptions{
		db:       *db,
		seeds:    []string{origin + "/", origin + "/blogs/tesmanian-blog"},
		cfg:      cfg,
		quiet:    *quiet,
		json:     *asJSON,
		progress: e.isTTY && !*quiet,
	}
	sum, err := crawl(ctx, e, logger, opts)
	if sum != nil {
		printCrawlSummary(e.stdout, sum, *asJSON)
	}
	if err != nil {
		return err
	}
	if sum.Interrupted {
		return errInterrupted
	}
	if *asJSON {
		return nil
	}
	return printDemoRecords(ctx, e, *db)
}

// printDemoRecords shows a few archived records and how to explore the archive.
func printDemoRecords(ctx context.Context, e *env, db string) error {
	store, err := archive.OpenReadOnly(ctx, db)
	if err != nil {
		return fmt.Errorf("open archive: %w", err)
	}
	defer store.Close()
	list, err := store.ListArticles(ctx, archive.ListOptions{Limit: 100})
	if err != nil {
		return fmt.Errorf("list articles: %w", err)
	}
	w := e.stdout
	fmt.Fprintf(w, "\nThe archive holds %d articles:\n", len(list))
	for _, a := range list {
		fmt.Fprintf(w, "  %3d  %-60s  %s\n", a.ID, truncate(a.Title, 60), strings.Join(a.Authors, ", "))
	}
	shown := 0
	for _, a := range list {
		if shown == 2 {
			break
		}
		rec, err := store.Article(ctx, a.ID)
		if errors.Is(err, archive.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("read article %d: %w", a.ID, err)
		}
		if len(rec.Record.Editors) == 0 && shown == 0 {
			continue // show a record with an editor credit first
		}
		fmt.Fprintf(w, "\n── article %d ──────────────────────────────────────────\n", a.ID)
		printArticle(w, &rec.Record)
		shown++
	}
	fmt.Fprintf(w, "Explore it:\n")
	fmt.Fprintf(w, "  go run ./cmd/newsarchive show --db %s %d\n", db, firstID(list))
	fmt.Fprintf(w, "  go run ./cmd/newsarchive show --db %s --json %d\n", db, firstID(list))
	fmt.Fprintf(w, "  go run ./cmd/newsarchive stats --db %s\n", db)
	fmt.Fprintf(w, "  sqlite3 %s \"SELECT a.name, count(*) FROM version_authors va JOIN authors a ON a.id = va.author_id GROUP BY a.name\"\n", db)
	return nil
}

func firstID(list []archive.ArticleSummary) int64 {
	if len(list) == 0 {
		return 1
	}
	return list[0].ID
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
