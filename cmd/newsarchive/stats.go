package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/newsarchive/newsarchive/archive"
)

const statsExamples = `  newsarchive stats --db tesmanian.db
  newsarchive stats --json | jq .FailedByReason
  newsarchive stats --top 0          # every author, editor, site and month

Shows counts, articles per site, author, editor and month, pages by HTTP status,
frontier entries by state, failed and skipped URLs by reason code, and every
crawl run with its outcome counts.
`

func runStats(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "stats", "stats [--db PATH] [--json]", statsExamples)
	db := fs.String("db", "", dbFlagHelp)
	asJSON := fs.Bool("json", false, "print the statistics as JSON")
	top := fs.Int("top", 10, "rows per breakdown (0: all)")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usagef("stats takes no arguments")
	}
	store, closeStore, err := openReader(ctx, dbPath(e, *db))
	if err != nil {
		return err
	}
	defer closeStore()
	st, err := store.Stats(ctx)
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(st)
	}
	w := e.stdout
	fmt.Fprintf(w, "articles %d · versions %d · raw pages %d · authors %d · editors %d · tags %d\n",
		st.Articles, st.Versions, st.Pages, st.Authors, st.Editors, st.Tags)
	fmt.Fprintf(w, "pages by status:   %s\n", formatCounts(st.PagesByStatus))
	fmt.Fprintf(w, "frontier by state: %s\n", formatCounts(st.FrontierByState))
	if len(st.FailedByReason) > 0 {
		fmt.Fprintf(w, "failed by reason:  %s\n", formatCounts(st.FailedByReason))
	}
	if len(st.SkippedByReason) > 0 {
		fmt.Fprintf(w, "skipped by reason: %s\n", formatCounts(st.SkippedByReason))
	}
	if st.TruncatedPages > 0 {
		fmt.Fprintf(w, "too large:         %d page(s) kept truncated at the size cap (no record)\n", st.TruncatedPages)
	}
	if st.ExtractFailures > 0 {
		fmt.Fprintf(w, "extraction failed: %d archived page(s)\n", st.ExtractFailures)
	}
	section := func(title string, cs []archive.Count) {
		if len(cs) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s:\n", title)
		for i, c := range cs {
			if *top > 0 && i == *top {
				fmt.Fprintf(w, "  … %d more\n", len(cs)-*top)
				break
			}
			fmt.Fprintf(w, "  %5d  %s\n", c.N, c.Key)
		}
	}
	section("Articles per site", st.ArticlesBySite)
	section("Articles per author", st.ArticlesByAuthor)
	section("Articles per editor", st.ArticlesByEditor)
	section("Articles per month", st.ArticlesByMonth)
	section("Trap URL patterns cut (URLs skipped)", st.TrapTemplates)
	if len(st.Runs) > 0 {
		fmt.Fprintln(w, "\nCrawl runs:")
		for _, r := range st.Runs {
			fin := "-"
			if !r.FinishedAt.IsZero() {
				fin = r.FinishedAt.Format("2006-01-02 15:04:05")
			}
			fmt.Fprintf(w, "  %3d  %-11s %s → %s  %s\n", r.ID, r.Status, r.StartedAt.Format("2006-01-02 15:04:05"), fin, formatCounts(r.Counts))
		}
	}
	return nil
}
