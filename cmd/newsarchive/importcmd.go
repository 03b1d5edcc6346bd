package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/ingest"
	"github.com/newsarchive/newsarchive/scraper"
	"github.com/newsarchive/newsarchive/warc"
)

const importExamples = `  newsarchive import crawl-00001.warc.gz crawl-00002.warc.gz
  wget --warc-file=site --recursive https://example.org/ && newsarchive import --db site.db site.warc.gz
  newsarchive import --json --db heritrix.db /data/heritrix/warcs/*.warc.gz

Reads WARC files (WARC/0.17 to 1.1) written by any crawler (this tool's
crawl --warc, wget --warc-file, Heritrix, Browsertrix, warcprox, Common
Crawl, ...), gzipped per record, as a whole or plain; WACZ packages (their
archive/*.warc*, with the datapackage.json digests checked); and ARC files
(Heritrix 1, old Wayback collections). Every response record (and every
identical-payload revisit, resolved against its original in the files given
or, failing that, in the archive) of an HTML page becomes a raw page and then
a record, exactly as if it had been crawled: same decoding, same extraction,
same versioning. Bodies stored already de-chunked or decompressed are kept as
stored; bodies cut short are kept and flagged truncated. The pages remember
the file and offset they came from. Bytes that are no record are reported on
stderr and skipped, and reading goes on with the next record. --json prints,
per file, the records read, the pages archived and the skips by reason.
Exit status 3 when part of a file could not be read or a WACZ package does
not check out; revisits whose original is nowhere are reported, not failures.
`

// importSummary is the final report of an import (also its --json form).
type importSummary struct {
	DB          string `json:"db"`
	RunID       int64  `json:"run_id"`
	Files       int    `json:"files"`
	Responses   int64  `json:"responses"`
	Revisits    int64  `json:"revisits_resolved"`
	Pages       int64  `json:"pages_archived"`
	Articles    int64  `json:"articles"`
	NewArticles int64  `json:"new_articles"`
	NewVersions int64  `json:"new_versions"`
	Unchanged   int64  `json:"unchanged_articles"`
	NotHTML     int64  `json:"skipped_not_html"`
	Redirects   int64  `json:"skipped_redirects"`
	Malformed   int64  `json:"malformed_records"`
	Unresolved  int64  `json:"unresolved_revisits"`
	// PackageProblems counts WACZ packages whose datapackage.json does not
	// check out (a digest or size that differs, a resource missing).
	PackageProblems int64   `json:"package_problems"`
	ExtractFail     int64   `json:"extract_failures"`
	Truncated       int64   `json:"truncated_pages"`
	Undecoded       int64   `json:"kept_undecoded"`
	Seconds         float64 `json:"seconds"`
	PagesPerSec     float64 `json:"pages_per_second"`
	// PerFile reports each file given, in order.
	PerFile []*fileReport `json:"per_file"`
}

// fileReport is one file's part of an import: what the reader met in it,
// the pages queued for the archive and the responses skipped, by reason.
type fileReport struct {
	File string `json:"file"`
	warc.FileStats
	Pages   int64            `json:"pages_archived"`
	Skipped map[string]int64 `json:"skipped"`
	Error   string           `json:"error,omitempty"`
}

// Reasons a record or response is not archived (importSummary.PerFile).
const (
	skipNotHTML     = "not_html"
	skipRedirect    = "redirect"
	skipMalformed   = "malformed"
	skipUnresolved  = "unresolved_revisit"
	skipNotModified = "not_modified_revisit"
	skipOther       = "not_http_response"
)

func runImport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "import", "import [--db PATH] [--json] [--quiet] FILE.{warc,warc.gz,arc,arc.gz,wacz}...", importExamples)
	db := fs.String("db", "", dbFlagHelp)
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "pages extracted in parallel")
	maxBody := fs.Int64("max-body", scraper.DefaultConfig().MaxBodyBytes, "cap on a page's decoded size in bytes, as crawl --max-body")
	quiet := fs.Bool("quiet", false, "only warnings in the log")
	asJSON := fs.Bool("json", false, "print the summary as JSON (logs as JSON on stderr)")
	noOptimize := fs.Bool("no-optimize", false, "do not merge the search index after a large import (it rewrites the whole index: minutes at a million articles)")
	worker := fs.String("worker", "", "PostgreSQL only: the name stored with the imported pages and the run (default host-pid)")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("import needs at least one WARC, ARC or WACZ file")
	}
	if *workers < 1 || *maxBody <= 0 {
		return usagef("--workers and --max-body must be > 0")
	}
	logger := newLogger(e, *quiet, *asJSON)
	sum, err := importWARCs(ctx, logger, dbPath(e, *db), fs.Args(), *workers, *maxBody, *noOptimize, cmp.Or(*worker, defaultWorker()))
	if sum != nil {
		printImportSummary(e.stdout, sum, *asJSON)
	}
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return errInterrupted
	}
	var fails []string
	if sum.Malformed > 0 {
		fails = append(fails, fmt.Sprintf("%d malformed records skipped", sum.Malformed))
	}
	if sum.PackageProblems > 0 {
		fails = append(fails, fmt.Sprintf("%d WACZ packages do not check out", sum.PackageProblems))
	}
	if len(fails) > 0 {
		return fmt.Errorf("%w: %s", errPartial, strings.Join(fails, ", "))
	}
	return nil
}

// importWARCs imports files into the archive db through the crawl's own
// pipeline (ingest): one run, its results fed by Run.Submit. noOptimize
// keeps Run.Finish from merging the search index after a large import.
// On PostgreSQL the import is a run of its own, named worker, committed
// page by page without touching the fleet frontier, so it may run while a
// fleet crawls.
func importWARCs(ctx context.Context, logger *slog.Logger, db string, files []string, workers int, maxBody int64, noOptimize bool, worker string) (*importSummary, error) {
	// As crawl does by default: a huge page costs a bounded DOM (the raw
	// page is still archived whole).
	ex, err := loadExtractor(defaultMaxParse)
	if err != nil {
		return nil, err
	}
	var store ingest.Store
	if isPostgres(db) {
		fs, closeStore, err := openFleetStore(ctx, db, fleetSettings{worker: worker, imports: true}, logger)
		if err != nil {
			return nil, err
		}
		defer closeStore()
		store = fs
	} else {
		unlock, err := lockArchive(db)
		if err != nil {
			return nil, err
		}
		defer unlock()
		sqlite, err := archive.Open(ctx, db)
		if err != nil {
			return nil, fmt.Errorf("open archive: %w", err)
		}
		defer sqlite.Close()
		if last, ok, err := ingest.LatestUnfinished(ctx, sqlite); err != nil {
			return nil, err
		} else if ok {
			return nil, fmt.Errorf("run %d of %s did not finish (%s); resume it with crawl before importing", last.ID, db, last.Status)
		}
		store = sqlite
	}
	db = redactURL(db)
	abs := make([]string, len(files))
	for i, f := range files {
		if abs[i], err = filepath.Abs(f); err != nil {
			return nil, fmt.Errorf("import %s: %w", f, err)
		}
	}
	pl := &ingest.Pipeline{Store: store, Extractor: ex, Logger: logger, Optimize: ingest.OptimizePolicy{Disabled: noOptimize}}
	run, err := pl.Start(ctx, abs, map[string]any{"import": abs, "version": version})
	if err != nil {
		return nil, err
	}
	logger.Info("import started", "run", run.ID, "db", db, "files", len(files))

	sum := &importSummary{DB: db, RunID: run.ID, Files: len(files)}
	imp := &importer{logger: logger, sum: sum, chains: make(map[string][]string)}
	start := time.Now()

	jobs := make(chan importJob, 4*workers)
	var (
		wg     sync.WaitGroup
		failed atomic.Pointer[error]
	)
	for range workers {
		wg.Go(func() {
			for j := range jobs {
				if failed.Load() != nil {
					continue
				}
				if err := run.Submit(j.res, j.loc); err != nil {
					failed.CompareAndSwap(nil, &err)
				}
			}
		})
	}
	readErr := imp.read(ctx, store, abs, maxBody, jobs, func() bool { return failed.Load() != nil })
	close(jobs)
	wg.Wait()
	closeErr := run.Close()

	el := time.Since(start)
	counts := run.Counts()
	sum.Pages, sum.Articles = counts.Pages, counts.Articles
	sum.NewArticles, sum.NewVersions, sum.Unchanged = counts.NewArticles, counts.NewVersions, counts.Unchanged
	sum.ExtractFail = counts.ExtractFails
	sum.Seconds = el.Seconds()
	if el > 0 {
		sum.PagesPerSec = float64(sum.Pages) / el.Seconds()
	}
	runErr := readErr
	if p := failed.Load(); p != nil && runErr == nil {
		runErr = *p
	}
	if runErr == nil {
		runErr = closeErr
	}
	status := archive.RunFinished
	if runErr != nil {
		status = archive.RunFailed
	} else if ctx.Err() != nil {
		status = archive.RunInterrupted
	}
	runCounts := map[string]int{"pages": int(sum.Pages), "articles": int(sum.Articles), "new_articles": int(sum.NewArticles),
		"new_versions": int(sum.NewVersions), "malformed_records": int(sum.Malformed), "unresolved_revisits": int(sum.Unresolved)}
	if ferr := run.Finish(ctx, status, runCounts); ferr != nil && runErr == nil {
		runErr = ferr
	}
	logger.Info("import finished", "pages", sum.Pages, "articles", sum.Articles, "malformed", sum.Malformed)
	return sum, runErr
}

// importJob is one response to commit.
type importJob struct {
	res *scraper.Result
	loc archive.WARCLocation
}

// importer turns WARC responses into crawl results.
type importer struct {
	logger *slog.Logger
	sum    *importSummary
	// chains maps a redirect target to the URLs redirected to it, in order,
	// so that the page at the end of a chain is archived as a crawl would
	// archive it: requested URL first, redirects listed.
	chains map[string][]string
}

// read reads every file in order and sends the responses to jobs; revisits
// whose original comes later are resolved at the end, against the files
// read and then against the archive.
func (imp *importer) read(ctx context.Context, store ingest.Store, files []string, maxBody int64, jobs chan<- importJob, stop func() bool) error {
	idx := warc.NewIndex()
	type later struct {
		ur     *warc.UnresolvedRevisit
		fr     *fileReport
		inWARC bool
	}
	var pending []later
	for _, f := range files {
		fr := &fileReport{File: f, Skipped: map[string]int64{}}
		imp.sum.PerFile = append(imp.sum.PerFile, fr)
		r, err := warc.OpenReader(f, idx, warc.ReadOptions{MaxBody: maxBody})
		if err != nil {
			imp.sum.Malformed++
			fr.Skipped[skipMalformed]++
			fr.Error = err.Error()
			imp.logger.Warn("file skipped", "file", f, "error", err)
			continue
		}
		for ctx.Err() == nil && !stop() {
			resp, err := r.Next()
			if err == io.EOF {
				break
			}
			var ur *warc.UnresolvedRevisit
			switch {
			case errors.As(err, &ur):
				pending = append(pending, later{ur, fr, isWARC(r.Stats().Format)})
				continue
			case err != nil:
				imp.sum.Malformed++
				fr.Skipped[skipMalformed]++
				imp.logger.Warn("malformed record skipped", "file", filepath.Base(f), "error", err)
				continue
			}
			imp.send(resp, fr, jobs, isWARC(r.Stats().Format))
		}
		fr.FileStats = r.Stats()
		if w := fr.WACZ; w != nil && len(w.Problems) > 0 {
			imp.sum.PackageProblems++
			imp.logger.Warn("wacz package does not check out", "file", filepath.Base(f), "problems", strings.Join(w.Problems, "; "))
		}
		if n := fr.NotModified; n > 0 {
			fr.Skipped[skipNotModified] += n
		}
		if n := fr.Other; n > 0 {
			fr.Skipped[skipOther] += n
		}
		r.Close()
	}
	for _, l := range pending {
		if ctx.Err() != nil || stop() {
			break
		}
		err := idx.Resolve(l.ur)
		var ur *warc.UnresolvedRevisit
		if errors.As(err, &ur) && imp.resolveFromArchive(ctx, store, l.ur) {
			err = nil
		}
		switch {
		case errors.As(err, &ur):
			imp.sum.Unresolved++
			l.fr.Skipped[skipUnresolved]++
			imp.logger.Info("revisit not resolved", "url", l.ur.Response.URL, "error", err)
			continue
		case err != nil:
			imp.sum.Malformed++
			l.fr.Skipped[skipMalformed]++
			imp.logger.Warn("malformed record skipped", "file", filepath.Base(l.fr.File), "error", err)
			continue
		}
		l.fr.Responses++
		imp.send(l.ur.Response, l.fr, jobs, l.inWARC)
	}
	return nil
}

// resolveFromArchive completes a revisit from the latest complete capture
// of its original URL already in the archive (a previous crawl or import).
func (imp *importer) resolveFromArchive(ctx context.Context, store ingest.Store, ur *warc.UnresolvedRevisit) bool {
	urls := []string{ur.RefersToURL}
	if c, err := scraper.Canonicalize(ur.RefersToURL); err == nil && c != ur.RefersToURL {
		urls = append(urls, c)
	}
	for _, u := range urls {
		prev, ok, err := store.Previous(ctx, u)
		if err != nil || !ok {
			continue
		}
		ur.ResolveWith(prev.Body, false)
		if ur.Response.Header.Get("Content-Type") == "" && prev.ContentType != "" {
			ur.Response.Header.Set("Content-Type", prev.ContentType)
		}
		return true
	}
	return false
}

// isWARC reports whether a file of this format is a WARC file: the pages
// of WARC files remember their file and offset (export packs those files);
// those of ARC files and WACZ packages do not.
func isWARC(format string) bool { return format == "warc" || format == "warc.gz" }

// send queues resp as a crawl result when it is an HTML page; redirects are
// remembered for the chain of their target. inWARC says resp.Location is
// in a WARC file.
func (imp *importer) send(resp *warc.Response, fr *fileReport, jobs chan<- importJob, inWARC bool) {
	imp.sum.Responses++
	if resp.Status >= 300 && resp.Status <= 399 {
		imp.sum.Redirects++
		fr.Skipped[skipRedirect]++
		if loc := resp.Header.Get("Location"); loc != "" {
			if base, err := url.Parse(resp.URL); err == nil {
				if t, err := base.Parse(loc); err == nil {
					t.Fragment = ""
					imp.chains[t.String()] = append(append([]string(nil), imp.chains[resp.URL]...), resp.URL)
				}
			}
		}
		return
	}
	ct := scraper.ContentType(resp.Header.Get("Content-Type"), resp.Body)
	if !ingest.IsHTML(ct) {
		imp.sum.NotHTML++
		fr.Skipped[skipNotHTML]++
		return
	}
	if resp.Revisit {
		imp.sum.Revisits++
	}
	if resp.Truncated {
		imp.sum.Truncated++
	}
	if resp.Undecoded != "" {
		imp.sum.Undecoded++
		imp.logger.Info("body kept as stored", "url", resp.URL, "reason", resp.Undecoded)
	}
	fr.Pages++
	first := resp.URL
	chain := imp.chains[resp.URL]
	if len(chain) > 0 {
		first = chain[0]
	}
	canon, err := scraper.Canonicalize(first)
	if err != nil {
		canon = first
	}
	final := resp.URL
	if len(chain) == 0 {
		final = canon
	}
	r := &scraper.Result{
		Entry: scraper.Entry{URL: canon, Kind: scraper.KindPage, Attempts: 1},
		State: scraper.StateDone,
		Response: &scraper.Response{
			URL: canon, FinalURL: final, Status: resp.Status, Header: resp.Header,
			Body: resp.Body, Truncated: resp.Truncated, FetchedAt: resp.Date, ContentType: ct,
		},
	}
	if len(chain) > 0 {
		r.Response.Redirects = append([]string{canon}, chain[1:]...)
	}
	if resp.Status < 200 || resp.Status > 299 {
		r.State, r.Reason, r.Detail = scraper.StateFailed, scraper.ReasonHTTPStatus, fmt.Sprintf("HTTP %d", resp.Status)
	}
	var loc archive.WARCLocation
	if inWARC {
		loc = archive.WARCLocation{File: resp.Location.File, Offset: resp.Location.Offset}
	}
	jobs <- importJob{res: r, loc: loc}
}

func printImportSummary(w io.Writer, s *importSummary, asJSON bool) {
	if asJSON {
		_ = json.NewEncoder(w).Encode(s)
		return
	}
	fmt.Fprintf(w, "import of %d files finished in %.1fs: %d pages archived (%.1f pages/s), %d articles (%d new, %d changed, %d unchanged)\n",
		s.Files, s.Seconds, s.Pages, s.PagesPerSec, s.Articles, s.NewArticles, s.NewVersions, s.Unchanged)
	fmt.Fprintf(w, "  responses: %d (%d revisits resolved), skipped: %d not HTML, %d redirects\n",
		s.Responses, s.Revisits, s.NotHTML, s.Redirects)
	if s.Truncated > 0 || s.Undecoded > 0 {
		fmt.Fprintf(w, "  kept: %d truncated bodies (flagged), %d bodies stored already decoded\n", s.Truncated, s.Undecoded)
	}
	if s.Malformed > 0 {
		fmt.Fprintf(w, "  malformed records skipped: %d\n", s.Malformed)
	}
	if s.Unresolved > 0 {
		fmt.Fprintf(w, "  revisits whose original is in no file given nor in the archive: %d (not imported)\n", s.Unresolved)
	}
	for _, f := range s.PerFile {
		if f.Error != "" || f.Malformed > 0 || f.SkippedBytes > 0 || f.BadLength > 0 {
			fmt.Fprintf(w, "  %s: %d records, %d pages archived; %d malformed (%d bytes skipped), %d with a bad Content-Length\n",
				filepath.Base(f.File), f.Records, f.Pages, f.Malformed, f.SkippedBytes, f.BadLength)
		}
		if f.WACZ != nil && len(f.WACZ.Problems) > 0 {
			fmt.Fprintf(w, "  %s: WACZ check: %s\n", filepath.Base(f.File), strings.Join(f.WACZ.Problems, "; "))
		}
	}
	if s.ExtractFail > 0 {
		fmt.Fprintf(w, "  extraction failures: %d (raw pages kept)\n", s.ExtractFail)
	}
	fmt.Fprintf(w, "  archive:   %s (run %d)\n", s.DB, s.RunID)
}
