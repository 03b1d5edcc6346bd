package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/newsarchive/newsarchive/archive"
)

const searchExamples = `  newsarchive search clubhouse
  newsarchive search '"very interesting proposal"'
  newsarchive search --author "Eva Fox" --since 2021-02-15 --until 2021-02-16 tesla
  newsarchive search --editor SmokeyShorts --json '' | jq .title
  newsarchive search 'giga* AND (texas OR berlin) NOT cybertruck'
  newsarchive search 'title:starship'

Query syntax (SQLite FTS5): words (all must match), "a phrase", OR, NOT, AND,
(grouping), prefix*, NEAR(a b, 5), column filters title:, body_text:, authors:.
Matching folds case and accents. An empty query lists the filtered articles,
newest first. Results are ranked by bm25 (title counts 10, authors 5, body 1);
a query matching more than 1,000 articles ranks the 1,000 most recently
archived matches and the 200 most recent title matches (--exhaustive ranks all).
A malformed query exits with status 2 and a one-line explanation.

On PostgreSQL (--db postgres://…) the syntax is websearch_to_tsquery's: words,
"a phrase", OR, -word (no prefix*, NEAR or column filters); hits are ranked
by ts_rank_cd, so they may come in another order than on SQLite.
`

// filterFlags are the article filters shared by search, export and serve.
type filterFlags struct {
	author, editor, tag, site, since, until *string
}

func addFilterFlags(fs *flag.FlagSet) *filterFlags {
	return &filterFlags{
		author: fs.String("author", "", "only articles by this author (name, case-insensitive)"),
		editor: fs.String("editor", "", "only articles edited by this editor (name or @handle)"),
		tag:    fs.String("tag", "", "only articles with this tag"),
		site:   fs.String("site", "", "only articles of this site (site name or host)"),
		since:  fs.String("since", "", "only articles published on or after `DATE` (YYYY-MM-DD in UTC, or RFC 3339)"),
		until:  fs.String("until", "", "only articles published up to `DATE` (a day is included whole; an RFC 3339 time is exclusive)"),
	}
}

// options turns the flags into archive filters; a bad date is a usage error.
func (f *filterFlags) options() (archive.SearchOptions, error) {
	opts := archive.SearchOptions{Author: *f.author, Editor: *f.editor, Tag: *f.tag, Site: *f.site}
	var err error
	if opts.Since, opts.Until, err = archive.ParseDateRange(*f.since, *f.until); err != nil {
		return opts, usagef("--%v", err)
	}
	return opts, nil
}

func runSearch(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "search", "search [--db PATH] [filters] [--limit N] [--offset N] [--json] QUERY", searchExamples)
	db := fs.String("db", "", dbFlagHelp)
	filters := addFilterFlags(fs)
	limit := fs.Int("limit", 20, "hits to print")
	offset := fs.Int("offset", 0, "hits to skip (paging)")
	exhaustive := fs.Bool("exhaustive", false, "rank every match, also for very common queries (slower)")
	asJSON := fs.Bool("json", false, "print one JSON object per hit")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usagef("search takes one QUERY (quote it: newsarchive search 'a b')")
	}
	if *limit <= 0 || *offset < 0 {
		return usagef("--limit must be positive and --offset not negative")
	}
	opts, err := filters.options()
	if err != nil {
		return err
	}
	opts.Limit, opts.Offset, opts.Exhaustive = *limit, *offset, *exhaustive
	store, closeStore, err := openReader(ctx, dbPath(e, *db))
	if err != nil {
		return err
	}
	defer closeStore()
	hits, err := store.Search(ctx, fs.Arg(0), opts)
	var qe *archive.QueryError
	if errors.As(err, &qe) {
		return usagef("query %q: %s", qe.Query, qe.Msg)
	}
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		for _, h := range hits {
			if err := enc.Encode(h); err != nil {
				return err
			}
		}
		return nil
	}
	if len(hits) == 0 {
		fmt.Fprintln(e.stderr, "no matching articles")
		return nil
	}
	for _, h := range hits {
		fmt.Fprintf(e.stdout, "%d  %s\n", h.ArticleID, h.Title)
		meta := []string{}
		if len(h.Authors) > 0 {
			meta = append(meta, strings.Join(h.Authors, ", "))
		}
		if h.PublishedAt != "" {
			meta = append(meta, h.PublishedAt)
		}
		meta = append(meta, h.CanonicalURL)
		fmt.Fprintf(e.stdout, "    %s\n", strings.Join(meta, " · "))
		if s := strings.Join(strings.Fields(h.Snippet), " "); s != "" {
			fmt.Fprintf(e.stdout, "    %s\n", s)
		}
	}
	return nil
}
