package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/newsarchive/newsarchive/archive"
)

// isVersionID reports whether s reads as a version id.
func isVersionID(s string) bool {
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// showTimeline prints an article's versions, oldest first, with what
// changed in each (show --diff ID|URL).
func showTimeline(ctx context.Context, e *env, store archive.Reader, key string, asJSON bool) error {
	rec, err := lookupArticle(ctx, store, key)
	if err != nil {
		return err
	}
	_, tl, err := store.Timeline(ctx, rec.ID)
	if errors.Is(err, archive.ErrNotFound) {
		return fmt.Errorf("no archived article %s", key)
	}
	if err != nil {
		return fmt.Errorf("read timeline of article %d: %w", rec.ID, err)
	}
	if asJSON {
		type version struct {
			ID        int64         `json:"id"`
			PageID    int64         `json:"page_id"`
			FetchedAt string        `json:"fetched_at"`
			Title     string        `json:"title"`
			Diff      *archive.Diff `json:"diff"` // null for the first version
		}
		out := struct {
			ArticleID    int64     `json:"article_id"`
			CanonicalURL string    `json:"canonical_url"`
			Versions     []version `json:"versions"`
		}{ArticleID: rec.ID, CanonicalURL: rec.CanonicalURL, Versions: []version{}}
		for _, v := range tl {
			out.Versions = append(out.Versions, version{v.ID, v.PageID, v.FetchedAt.UTC().Format("2006-01-02T15:04:05Z"), v.Title, v.Diff})
		}
		return json.NewEncoder(e.stdout).Encode(out)
	}
	w := e.stdout
	fmt.Fprintf(w, "Article %d: %d version(s) of %s\n", rec.ID, len(tl), rec.CanonicalURL)
	for _, v := range tl {
		fmt.Fprintf(w, "  v%d  %s  ", v.ID, v.FetchedAt.UTC().Format("2006-01-02 15:04:05"))
		switch d := v.Diff; {
		case d == nil:
			fmt.Fprintf(w, "first version  %q\n", v.Title)
		default:
			fmt.Fprintf(w, "%s\n", d.Summary())
			for _, c := range d.Changes {
				fmt.Fprintf(w, "      %s: %q → %q\n", c.Field, c.From, c.To)
			}
		}
	}
	if len(tl) > 1 {
		fmt.Fprintf(w, "Diff two versions: newsarchive show --diff %d %d\n", tl[len(tl)-2].ID, tl[len(tl)-1].ID)
	}
	return nil
}
