package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/extract"
)

const exportExamples = `  newsarchive export > articles.jsonl
  newsarchive export --format csv --author "Eva Fox" > eva.csv
  newsarchive export --since 2021-02-01 --until 2021-02-28 clubhouse | jq .record.title
  newsarchive export --links --format csv > graph.csv      # from_id,from_url,to_url,to_id,title
  newsarchive export --format wacz --output site.wacz      # WARCs + CDXJ + pages, for ReplayWeb.page / pywb
  newsarchive export --format warc > site.warc.gz          # the raw captures alone

Articles are written in archive order, one per line (JSONL: the latest record as
stored, under "record", with the archive's ids and dates), streaming: memory
stays constant whatever the archive's size. QUERY and the filters are those of
search; without them every article is exported. CSV has one row per article with
list fields joined by "; ". Parquet is not offered: its Go writers pull in a
large dependency tree for a format every consumer can also read from JSONL/CSV.
`

// exportJSON is one JSONL line of an article export.
type exportJSON struct {
	ID           int64           `json:"id"`
	VersionID    int64           `json:"version_id"`
	PageID       int64           `json:"page_id"`
	CanonicalURL string          `json:"canonical_url"`
	FirstSeen    string          `json:"first_seen"`
	LastSeen     string          `json:"last_seen"`
	Versions     int             `json:"versions"`
	Record       json.RawMessage `json:"record"`
}

// linkJSON is one JSONL line of a link export.
type linkJSON struct {
	FromID   int64  `json:"from_id"`
	FromURL  string `json:"from_url"`
	Position int    `json:"position"`
	ToURL    string `json:"to_url"`
	ToID     int64  `json:"to_id,omitempty"`
	Archived bool   `json:"archived"`
	Title    string `json:"title"`
}

var exportCSVHeader = []string{"id", "canonical_url", "site_name", "title", "authors", "byline", "editors", "published_at",
	"modified_at", "language", "tags", "description", "word_count", "first_seen", "last_seen", "versions", "body_text"}

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "export", "export [--db PATH] [--format jsonl|csv|wacz|warc] [--links] [filters] [QUERY]", exportExamples)
	db := fs.String("db", "", dbFlagHelp)
	format := fs.String("format", "jsonl", "output format: jsonl or csv (articles), wacz or warc (the raw captures, see export_warc.go)")
	output := fs.String("output", "", "write to this file (replaced only once the export is complete) instead of stdout; - is stdout")
	links := fs.Bool("links", false, "export the related-link graph as an edge list instead of articles")
	filters := addFilterFlags(fs)
	limit := fs.Int("limit", 0, "at most this many articles (0: all)")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usagef("export takes at most one QUERY")
	}
	captures := *format == "wacz" || *format == "warc"
	if captures && (fs.NArg() > 0 || *links) {
		return usagef("--format %s exports every capture: no QUERY or --links", *format)
	}
	if !captures && *format != "jsonl" && *format != "csv" {
		return usagef("--format %q: want jsonl, csv, wacz or warc", *format)
	}
	opts, err := filters.options()
	if err != nil {
		return err
	}
	opts.Limit = max(*limit, 0)
	out := e.stdout
	var of *outputFile
	if *output != "" && *output != "-" {
		if of, err = createOutput(*output); err != nil {
			return err
		}
		defer of.Abort()
		out = of
	}
	if captures {
		err = exportCaptures(ctx, e, dbPath(e, *db), *format, out)
	} else {
		err = exportRecords(ctx, dbPath(e, *db), fs.Arg(0), opts, *format, *links, out)
	}
	// A package missing some unindexable records is still complete: it is
	// kept, and the exit status says so.
	if of != nil && (err == nil || errors.Is(err, errPartial)) {
		if cerr := of.Commit(); cerr != nil {
			return cerr
		}
	}
	return err
}

// exportRecords writes the articles (or their link graph) as JSONL or CSV.
func exportRecords(ctx context.Context, db, query string, opts archive.SearchOptions, format string, links bool, out io.Writer) error {
	store, closeStore, err := openReader(ctx, db)
	if err != nil {
		return err
	}
	defer closeStore()
	w := bufio.NewWriterSize(out, 64<<10)
	if links {
		err = exportLinks(ctx, store, query, opts, format, w)
	} else {
		err = exportArticles(ctx, store, query, opts, format, w)
	}
	var qe *archive.QueryError
	if errors.As(err, &qe) {
		return usagef("query %q: %s", qe.Query, qe.Msg)
	}
	if ferr := w.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("write: %w", ferr)
	}
	return err
}

func exportArticles(ctx context.Context, store archive.Reader, query string, opts archive.SearchOptions, format string, w *bufio.Writer) error {
	out, err := newRowWriter(w, format, exportCSVHeader)
	if err != nil {
		return err
	}
	row := make([]string, len(exportCSVHeader))
	for r, err := range store.Export(ctx, query, opts) {
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		if !out.isCSV() {
			if err := out.json(exportJSON{r.ArticleID, r.VersionID, r.PageID, r.CanonicalURL, r.FirstSeen, r.LastSeen,
				r.Versions, r.Record}); err != nil {
				return err
			}
			continue
		}
		var a extract.Article
		if err := json.Unmarshal(r.Record, &a); err != nil {
			return fmt.Errorf("export article %d: record: %w", r.ArticleID, err)
		}
		var authors, editors []string
		for _, au := range a.Authors {
			authors = append(authors, au.Name)
		}
		for _, ed := range a.Editors {
			editors = append(editors, editorLabel(ed))
		}
		row = append(row[:0], strconv.FormatInt(r.ArticleID, 10), r.CanonicalURL, a.SiteName, a.Title,
			strings.Join(authors, "; "), a.Byline, strings.Join(editors, "; "), a.PublishedAt, a.ModifiedAt, a.Language,
			strings.Join(a.Tags, "; "), a.Description, strconv.Itoa(a.WordCount), r.FirstSeen, r.LastSeen,
			strconv.Itoa(r.Versions), a.BodyText)
		if err := out.csv(row); err != nil {
			return err
		}
	}
	return out.flush()
}

// editorLabel names an editor as "Name @handle", or either alone.
func editorLabel(ed extract.Editor) string {
	s := ed.Name
	if ed.Handle != "" {
		s = strings.TrimSpace(s + " @" + strings.TrimPrefix(ed.Handle, "@"))
	}
	return s
}

func exportLinks(ctx context.Context, store archive.Reader, query string, opts archive.SearchOptions, format string, w *bufio.Writer) error {
	out, err := newRowWriter(w, format, []string{"from_id", "from_url", "to_url", "to_id", "title"})
	if err != nil {
		return err
	}
	for l, err := range store.Links(ctx, query, opts) {
		if err != nil {
			return fmt.Errorf("export links: %w", err)
		}
		if !out.isCSV() {
			if err := out.json(linkJSON{l.FromArticleID, l.FromURL, l.Position, l.ToURL, l.ToArticleID, l.ToArticleID != 0, l.Title}); err != nil {
				return err
			}
			continue
		}
		to := ""
		if l.ToArticleID != 0 {
			to = strconv.FormatInt(l.ToArticleID, 10)
		}
		if err := out.csv([]string{strconv.FormatInt(l.FromArticleID, 10), l.FromURL, l.ToURL, to, l.Title}); err != nil {
			return err
		}
	}
	return out.flush()
}

// rowWriter writes export rows as JSON lines, or as CSV after a header row.
type rowWriter struct {
	enc *json.Encoder
	cw  *csv.Writer
}

func newRowWriter(w io.Writer, format string, header []string) (*rowWriter, error) {
	if format != "csv" {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return &rowWriter{enc: enc}, nil
	}
	rw := &rowWriter{cw: csv.NewWriter(w)}
	return rw, rw.csv(header)
}

func (rw *rowWriter) isCSV() bool { return rw.cw != nil }

func (rw *rowWriter) json(v any) error {
	if err := rw.enc.Encode(v); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

func (rw *rowWriter) csv(row []string) error {
	if err := rw.cw.Write(row); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

func (rw *rowWriter) flush() error {
	if rw.cw == nil {
		return nil
	}
	rw.cw.Flush()
	if err := rw.cw.Error(); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}
