package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/newsarchive/newsarchive/archive"
)

const changesExamples = `  newsarchive changes                              # the 20 newest changes
  newsarchive changes --since 7d --field title     # headlines rewritten this week
  newsarchive changes --site www.tesmanian.com --field credits --json | jq .diff.authors_added
  newsarchive changes --kind unpublished,moved --since 2026-03-01 --until 2026-03-31
  newsarchive show --diff 12                       # the timeline of article 12's versions

One line per change, newest first: when the capture that showed it was
fetched (UTC), its kind, the article, the fields that changed (a body change
with its size in words added and removed), the old and new headline, the
credits added (+) and removed (-), and the URL. An edit is a new version of
an article against the version before it; unpublished and moved are events
recorded by watch. --field takes record field names (title, description,
body, authors, byline, editors, published_at, modified_at, tags, image,
related, copyright, site_name, language, canonical_url) or the groups dates
and credits; --field and --kind are repeatable or comma-separated. --since and
--until take a date (YYYY-MM-DD, UTC; --until includes the day), an RFC 3339
time, or a duration back from now (36h, 7d).
`

// listFlag is a repeatable, comma-separated flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

// Set implements flag.Value.
func (l *listFlag) Set(v string) error {
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x != "" {
			*l = append(*l, x)
		}
	}
	return nil
}

func runChanges(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "changes", "changes [--db PATH] [--since T] [--until T] [--site S] [--field F] [--kind K] [--limit N] [--json]", changesExamples)
	db := fs.String("db", "", dbFlagHelp)
	since := fs.String("since", "", "only changes captured at or after `T` (YYYY-MM-DD, RFC 3339, or 7d / 36h ago)")
	until := fs.String("until", "", "only changes captured before `T` (a day is included whole)")
	site := fs.String("site", "", "only changes of this site (site name or host)")
	var fields, kinds listFlag
	fs.Var(&fields, "field", "only edits that changed this `FIELD` (title, body, authors, editors, byline, tags, dates, credits…)")
	fs.Var(&kinds, "kind", "only changes of this `KIND` (edit, unpublished, moved…)")
	limit := fs.Int("limit", 20, "changes to print")
	asJSON := fs.Bool("json", false, "print one JSON object per change")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usagef("changes takes no arguments (filters are flags: --site, --field, --since…)")
	}
	if *limit <= 0 {
		return usagef("--limit must be positive")
	}
	f := archive.ChangesFilter{Site: *site, Fields: fields, Kinds: kinds, Limit: *limit}
	var err error
	if f.Since, f.Until, err = archive.ParseTimeRange(*since, *until, time.Now()); err != nil {
		return usagef("--%v (or a duration back from now: 7d, 36h)", err)
	}
	if err := f.Validate(); err != nil {
		return usagef("--field: %v", err)
	}
	store, closeStore, err := openReader(ctx, dbPath(e, *db))
	if err != nil {
		return err
	}
	defer closeStore()
	cs, err := store.Changes(ctx, f)
	if err != nil {
		return fmt.Errorf("read changes: %w", err)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		for i := range cs {
			if err := enc.Encode(changeJSON(&cs[i])); err != nil {
				return err
			}
		}
		return nil
	}
	for i := range cs {
		printChange(e.stdout, &cs[i])
	}
	return nil
}

// changeJSON is a change as --json prints it: the change without the
// paragraph diff (show --diff V1 V2 prints that).
func changeJSON(c *archive.Change) archive.Change {
	out := *c
	if c.Diff != nil {
		d := *c.Diff
		d.Body = nil
		if d.Fields == nil {
			d.Fields = []string{}
		}
		if d.Changes == nil {
			d.Changes = []archive.FieldChange{}
		}
		out.Diff = &d
	}
	return out
}

// printChange prints one change on one line.
func printChange(w io.Writer, c *archive.Change) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %-11s  ", c.At.UTC().Format("2006-01-02 15:04:05"), c.Kind)
	if c.ArticleID != 0 {
		fmt.Fprintf(&b, "article %d", c.ArticleID)
	} else {
		b.WriteString("no article")
	}
	if d := c.Diff; d != nil {
		fmt.Fprintf(&b, "  v%d→v%d  %s", c.FromVersion, c.ToVersion, d.Summary())
		if d.OldTitle != d.NewTitle {
			fmt.Fprintf(&b, "  headline %q → %q", d.OldTitle, d.NewTitle)
		}
		credits := func(sign string, names []string) {
			for _, n := range names {
				fmt.Fprintf(&b, " %s%q", sign, n)
			}
		}
		if len(d.AuthorsAdded)+len(d.AuthorsRemoved) > 0 {
			b.WriteString("  authors")
			credits("+", d.AuthorsAdded)
			credits("-", d.AuthorsRemoved)
		}
		if len(d.EditorsAdded)+len(d.EditorsRemoved) > 0 {
			b.WriteString("  editors")
			credits("+", d.EditorsAdded)
			credits("-", d.EditorsRemoved)
		}
	} else {
		if c.Status != 0 {
			fmt.Fprintf(&b, "  HTTP %d", c.Status)
		}
		if c.Detail != "" {
			fmt.Fprintf(&b, "  → %s", c.Detail)
		}
		if c.Title != "" {
			fmt.Fprintf(&b, "  %q", c.Title)
		}
	}
	fmt.Fprintf(&b, "  %s\n", c.URL)
	_, _ = io.WriteString(w, b.String())
}
