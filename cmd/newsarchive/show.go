package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/newsarchive/newsarchive/archive"
)

const showExamples = `  newsarchive show 12
  newsarchive show https://www.tesmanian.com/blogs/tesmanian-blog/some-article
  newsarchive show --json 12 | jq .record.editors
  newsarchive show --raw 12 > page.html      # the archived HTML as fetched
`

func runShow(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "show", "show [--db PATH] [--json] [--raw] ID|URL", showExamples)
	db := fs.String("db", "", "archive database file (default $NEWSARCHIVE_DB or newsarchive.db)")
	asJSON := fs.Bool("json", false, "print the record, versions and related links as JSON")
	raw := fs.Bool("raw", false, "write the archived HTML of the latest version exactly as fetched")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("show needs exactly one article ID or URL")
	}
	store, err := archive.OpenReadOnly(ctx, dbPath(e, *db))
	if err != nil {
		return fmt.Errorf("open archive: %w", err)
	}
	defer store.Close()

	key := fs.Arg(0)
	var rec *archive.ArticleRecord
	if id, perr := strconv.ParseInt(key, 10, 64); perr == nil {
		rec, err = store.Article(ctx, id)
	} else {
		rec, err = store.ArticleByURL(ctx, key)
	}
	if errors.Is(err, archive.ErrNotFound) {
		return fmt.Errorf("no archived article %s", key)
	}
	if err != nil {
		return fmt.Errorf("read article: %w", err)
	}

	switch {
	case *raw:
		p, err := store.Page(ctx, rec.PageID)
		if err != nil {
			return fmt.Errorf("read raw page %d: %w", rec.PageID, err)
		}
		_, err = e.stdout.Write(p.Body)
		return err
	case *asJSON:
		return json.NewEncoder(e.stdout).Encode(showJSON(rec))
	}
	w := e.stdout
	fmt.Fprintf(w, "Article %d (%d version(s), first seen %s, last seen %s)\n",
		rec.ID, len(rec.Versions), rec.FirstSeen.Format("2006-01-02 15:04"), rec.LastSeen.Format("2006-01-02 15:04"))
	printArticle(w, &rec.Record)
	if len(rec.Related) > 0 {
		fmt.Fprintln(w, "Related links:")
		for _, l := range rec.Related {
			mark := "not archived"
			if l.Archived() {
				mark = fmt.Sprintf("archived as %d", l.ArticleID)
			}
			fmt.Fprintf(w, "  %s <%s> (%s)\n", l.Title, l.URL, mark)
		}
	}
	fmt.Fprintln(w, "Versions:")
	for _, v := range rec.Versions {
		fmt.Fprintf(w, "  %d  %s  extractor %s  page %d\n", v.ID, v.ExtractedAt.Format("2006-01-02 15:04:05"), v.ExtractorVersion, v.PageID)
	}
	if len(rec.Aliases) > 0 {
		fmt.Fprintln(w, "Reached by:")
		for _, a := range rec.Aliases {
			fmt.Fprintf(w, "  %s\n", a)
		}
	}
	return nil
}

// showJSON is the --json form of show.
func showJSON(rec *archive.ArticleRecord) any {
	type version struct {
		ID               int64  `json:"id"`
		PageID           int64  `json:"page_id"`
		ExtractedAt      string `json:"extracted_at"`
		ExtractorVersion string `json:"extractor_version"`
	}
	type related struct {
		Title     string `json:"title"`
		URL       string `json:"url"`
		ArticleID int64  `json:"article_id,omitempty"`
		Archived  bool   `json:"archived"`
	}
	out := struct {
		ID           int64     `json:"id"`
		CanonicalURL string    `json:"canonical_url"`
		FirstSeen    string    `json:"first_seen"`
		LastSeen     string    `json:"last_seen"`
		Record       any       `json:"record"`
		Versions     []version `json:"versions"`
		Related      []related `json:"related"`
		Aliases      []string  `json:"aliases"`
	}{
		ID: rec.ID, CanonicalURL: rec.CanonicalURL,
		FirstSeen: rec.FirstSeen.UTC().Format("2006-01-02T15:04:05Z"), LastSeen: rec.LastSeen.UTC().Format("2006-01-02T15:04:05Z"),
		Record: rec.Record, Aliases: rec.Aliases,
	}
	for _, v := range rec.Versions {
		out.Versions = append(out.Versions, version{v.ID, v.PageID, v.ExtractedAt.UTC().Format("2006-01-02T15:04:05Z"), v.ExtractorVersion})
	}
	for _, l := range rec.Related {
		out.Related = append(out.Related, related{l.Title, l.URL, l.ArticleID, l.Archived()})
	}
	return out
}
