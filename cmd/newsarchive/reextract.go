package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"os"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/archive/pgarchive"
	"github.com/newsarchive/newsarchive/extract"
	"github.com/newsarchive/newsarchive/ingest"
)

const reextractExamples = `  newsarchive reextract                       # every archived page, after upgrading newsarchive
  newsarchive reextract --site tesmanian.com --since 2024-01-01
  newsarchive reextract --json --quiet | jq .fields_changed
  newsarchive reextract --db postgres://crawler@db.example/archive   # a fleet's archive

Runs the current extractor over the raw pages already in the archive (the latest
complete HTML capture of every URL), in parallel, without the network. A record
whose content changed is stored as a new version of its article, made by the
current extractor version; unchanged records stay as they are, and the raw pages
are never modified. The report says how many records changed and which fields.
`

// reextractSummary is the report of a re-extraction (also its --json form).
type reextractSummary struct {
	DB               string         `json:"db"`
	ExtractorVersion string         `json:"extractor_version"`
	Pages            int            `json:"pages"`
	Articles         int            `json:"articles"`
	Changed          int            `json:"changed"`
	NewArticles      int            `json:"new_articles"`
	Unchanged        int            `json:"unchanged"`
	NotArticles      int            `json:"not_articles"`
	NoLongerArticles int            `json:"no_longer_articles"`
	Failures         int            `json:"extract_failures"`
	FieldsChanged    map[string]int `json:"fields_changed"`
	Seconds          float64        `json:"seconds"`
}

func runReextract(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "reextract", "reextract [--db PATH|URL] [--site S] [--since T] [--json]", reextractExamples)
	db := fs.String("db", "", dbFlagHelp)
	site := fs.String("site", "", "only pages of this host (and its subdomains) or site name")
	since := fs.String("since", "", "only pages fetched at or after this date (2006-01-02) or time (RFC 3339)")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "pages extracted in parallel")
	rules := fs.String("rules", "", "load site rules from this directory instead of the built-in ones (to try a rule change)")
	maxParse := fs.Int("max-parse", defaultMaxParse, "parse at most this many bytes of a page for extraction, as crawl --max-parse (0: whole pages)")
	quiet := fs.Bool("quiet", false, "only warnings in the log")
	asJSON := fs.Bool("json", false, "print the report as JSON (logs as JSON on stderr)")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("reextract takes no arguments")
	}
	if *workers < 1 {
		return usagef("--workers must be > 0")
	}
	filter := archive.ReextractFilter{Site: *site}
	if *since != "" {
		t, err := parseSince(*since)
		if err != nil {
			return usagef("--since %q: want 2006-01-02 or RFC 3339", *since)
		}
		filter.Since = t
	}
	var ex *extract.Extractor
	if *rules != "" {
		rs, err := extract.LoadRules(os.DirFS(*rules))
		if err != nil {
			return fmt.Errorf("load rules from %s: %w", *rules, err)
		}
		ex = extract.New(rs)
	} else {
		var err error
		if ex, err = extract.Default(); err != nil {
			return fmt.Errorf("load extraction rules: %w", err)
		}
	}
	if *maxParse < 0 {
		return usagef("--max-parse must be >= 0")
	}
	ex = ex.WithMaxParse(*maxParse)
	logger := newLogger(e, *quiet, *asJSON)
	sum, err := reextract(ctx, logger, dbPath(e, *db), ex, filter, *workers)
	if sum != nil {
		printReextractSummary(e.stdout, sum, *asJSON)
	}
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return errInterrupted
	}
	return nil
}

func parseSince(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

// reextracted is one page's new extraction.
type reextracted struct {
	page    *archive.Page
	article *extract.Article
	fields  []string // changed fields against the stored record
	hadOld  bool
	err     error
}

// reextractStore is what re-extraction needs of an archive: the SQLite
// archive (*archive.Store) or a PostgreSQL one (*pgarchive.DB).
type reextractStore interface {
	PagesForReextract(ctx context.Context, f archive.ReextractFilter) iter.Seq2[*archive.ReextractPage, error]
	AddReextracted(ctx context.Context, rs []archive.Reextracted) ([]archive.CommitResult, error)
}

// openReextractStore opens the archive db for re-extraction: a SQLite file
// (which must exist) under the archive's lock, or a postgres:// URL (no
// lock: the new versions are written as a crawler worker's commits are, so
// crawlers may run meanwhile).
func openReextractStore(ctx context.Context, db string) (reextractStore, func(), error) {
	if isPostgres(db) {
		pg, err := pgarchive.Open(ctx, db)
		if err != nil {
			return nil, nil, fmt.Errorf("open archive: %w", err)
		}
		return pg, pg.Close, nil
	}
	// Before the lock, which would create a missing archive.
	if _, err := os.Stat(db); err != nil {
		return nil, nil, fmt.Errorf("open archive: %w", err)
	}
	unlock, err := lockArchive(db)
	if err != nil {
		return nil, nil, err
	}
	store, err := archive.Open(ctx, db)
	if err != nil {
		unlock()
		return nil, nil, fmt.Errorf("open archive: %w", err)
	}
	return store, func() { store.Close(); unlock() }, nil
}

// reextract re-runs ex over the archive's raw pages matching f.
func reextract(ctx context.Context, logger *slog.Logger, db string, ex *extract.Extractor, f archive.ReextractFilter, workers int) (*reextractSummary, error) {
	store, closeStore, err := openReextractStore(ctx, db)
	if err != nil {
		return nil, err
	}
	defer closeStore()
	start := time.Now()
	name := db
	if isPostgres(db) {
		name = redactURL(db)
	}
	sum := &reextractSummary{DB: name, ExtractorVersion: extract.Version, FieldsChanged: map[string]int{}}

	// written are the counts of the records written; the writer's
	// goroutine alone updates them until it is closed.
	var written struct {
		newArticles, changed, unchanged int
		fields                          map[string]int
	}
	written.fields = map[string]int{}

	in := make(chan *archive.ReextractPage, 2*workers)
	out := make(chan *reextracted, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for p := range in {
				out <- extractAgain(ex, p)
			}
		})
	}
	var readErr error
	go func() {
		defer close(in)
		for p, err := range store.PagesForReextract(ctx, f) {
			if err != nil {
				readErr = err
				return
			}
			in <- p
		}
	}()
	go func() {
		wg.Wait()
		close(out)
	}()

	// The changed records are written by the pipeline's group-commit
	// writer: batches of what arrived together, one transaction each, while
	// extraction goes on. Its flush alone updates the write-side counts.
	w := ingest.NewWriter(ingest.WriterOptions[*reextracted]{MaxBatch: 64}, func(batch []*reextracted) error {
		items := make([]archive.Reextracted, len(batch))
		for i, r := range batch {
			items[i] = archive.Reextracted{Page: r.page, Article: r.article}
		}
		res, err := store.AddReextracted(context.WithoutCancel(ctx), items)
		if err != nil {
			return fmt.Errorf("store %d records: %w", len(batch), err)
		}
		for i, r := range res {
			b := batch[i]
			switch {
			case r.NewArticle:
				written.newArticles++
			case r.NewVersion:
				written.changed++
				for _, fl := range b.fields {
					written.fields[fl]++
				}
				logger.Info("record changed", "url", b.page.FinalURL, "article", r.ArticleID, "version", r.VersionID)
			default:
				written.unchanged++
			}
		}
		return nil
	})
	var writeErr error
	for r := range out {
		sum.Pages++
		switch {
		case r.err != nil:
			sum.Failures++
			logger.Warn("extraction failed", "url", r.page.FinalURL, "err", r.err)
		case !r.article.IsArticle:
			sum.NotArticles++
			if r.hadOld {
				sum.NoLongerArticles++
				logger.Warn("no longer an article; stored record kept", "url", r.page.FinalURL)
			}
		default:
			sum.Articles++
			if writeErr == nil {
				writeErr = w.Submit(r)
			}
		}
	}
	if err := w.Close(); err != nil {
		writeErr = err
	}
	sum.NewArticles, sum.Changed, sum.Unchanged = written.newArticles, written.changed, written.unchanged
	for k, v := range written.fields {
		sum.FieldsChanged[k] = v
	}
	sum.Seconds = time.Since(start).Seconds()
	if readErr != nil {
		return sum, readErr
	}
	return sum, writeErr
}

// extractAgain extracts p's page and lists the fields that differ from the
// stored record.
func extractAgain(ex *extract.Extractor, p *archive.ReextractPage) *reextracted {
	r := &reextracted{page: p.Page, hadOld: p.Current != nil}
	a, err := ex.Extract(p.Page.FinalURL, p.Page.Header, p.Page.Body)
	if err != nil {
		r.err = err
		return r
	}
	r.article = a
	if !a.IsArticle {
		return r
	}
	nb, err := json.Marshal(a)
	if err != nil {
		r.err = err
		return r
	}
	r.fields = changedFields(p.Current, nb)
	return r
}

// bookkeepingFields are record fields that say how a record was made, not
// what the page says; they are not reported as changes.
var bookkeepingFields = map[string]bool{"extractor_version": true, "sources": true, "rule": true}

// changedFields returns the names of the top-level record fields whose
// values differ between two records (JSON), sorted; every field when old is
// nil.
func changedFields(old, cur []byte) []string {
	var o, n map[string]json.RawMessage
	_ = json.Unmarshal(cur, &n)
	if old != nil {
		_ = json.Unmarshal(old, &o)
	}
	var out []string
	seen := map[string]bool{}
	for _, m := range []map[string]json.RawMessage{n, o} {
		for k := range m {
			if seen[k] || bookkeepingFields[k] {
				continue
			}
			seen[k] = true
			if !jsonEqual(o[k], n[k]) {
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

func jsonEqual(a, b json.RawMessage) bool {
	norm := func(m json.RawMessage) []byte {
		if len(m) == 0 {
			return []byte("null")
		}
		var v any
		if json.Unmarshal(m, &v) != nil {
			return m
		}
		switch x := v.(type) {
		case nil:
			return []byte("null")
		case string:
			if x == "" {
				return []byte("null")
			}
		case []any:
			if len(x) == 0 {
				return []byte("null")
			}
		}
		out, _ := json.Marshal(v)
		return out
	}
	return bytes.Equal(norm(a), norm(b))
}

func printReextractSummary(w io.Writer, s *reextractSummary, asJSON bool) {
	if asJSON {
		_ = json.NewEncoder(w).Encode(s)
		return
	}
	fmt.Fprintf(w, "re-extracted %d pages in %.1fs with extractor %s: %d articles (%d changed, %d new, %d unchanged), %d not articles, %d failures\n",
		s.Pages, s.Seconds, s.ExtractorVersion, s.Articles, s.Changed, s.NewArticles, s.Unchanged, s.NotArticles, s.Failures)
	if s.NoLongerArticles > 0 {
		fmt.Fprintf(w, "  no longer articles (stored records kept): %d\n", s.NoLongerArticles)
	}
	if len(s.FieldsChanged) > 0 {
		fmt.Fprintf(w, "  fields changed: %s\n", formatCounts(s.FieldsChanged))
	}
}
