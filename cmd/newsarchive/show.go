package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/extract"
)

const showExamples = `  newsarchive show 12
  newsarchive show https://www.tesmanian.com/blogs/tesmanian-blog/some-article
  newsarchive show --json 12 | jq .record.editors
  newsarchive show --raw 12 > page.html      # the archived HTML as fetched
  newsarchive show --diff 12 31              # what changed from version 12 to 31
  newsarchive show --diff 12 31 --json
  newsarchive show --diff 12                 # article 12's versions, with what changed in each

Versions are numbered by their archive-wide id, as listed under "Versions:".
--diff compares the records field by field and the body paragraph by paragraph.
`

func runShow(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "show", "show [--db PATH] [--json] [--raw] ID|URL\n       newsarchive show [--db PATH] [--json] --diff V1 V2 [ID|URL]\n       newsarchive show [--db PATH] [--json] --diff ID|URL", showExamples)
	db := fs.String("db", "", dbFlagHelp)
	asJSON := fs.Bool("json", false, "print the record, versions and related links as JSON")
	raw := fs.Bool("raw", false, "write the archived HTML of the latest version exactly as fetched")
	fs.Bool("diff", false, "`V1 V2`: show what changed between two versions (ids as listed by show); with one article ID|URL, its timeline of versions")
	args, diff, err := cutDiffArgs(args)
	if err != nil {
		return err
	}
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if (diff == nil || len(diff) == 0) && fs.NArg() != 1 || diff != nil && fs.NArg() > 1 {
		return usagef("show needs exactly one article ID or URL")
	}
	store, closeStore, err := openReader(ctx, dbPath(e, *db))
	if err != nil {
		return err
	}
	defer closeStore()
	if diff != nil && len(diff) == 0 {
		return showTimeline(ctx, e, store, fs.Arg(0), *asJSON)
	}
	if diff != nil {
		return showDiff(ctx, e, store, diff[0], diff[1], fs.Arg(0), *asJSON)
	}

	key := fs.Arg(0)
	rec, err := lookupArticle(ctx, store, key)
	if err != nil {
		return err
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
		fmt.Fprintf(w, "  %d  fetched %s  extracted %s  extractor %s  page %d\n", v.ID, v.FetchedAt.UTC().Format("2006-01-02 15:04:05"),
			v.ExtractedAt.UTC().Format("2006-01-02 15:04:05"), v.ExtractorVersion, v.PageID)
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
		FetchedAt        string `json:"fetched_at"`
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
		out.Versions = append(out.Versions, version{v.ID, v.PageID, v.FetchedAt.UTC().Format("2006-01-02T15:04:05Z"),
			v.ExtractedAt.UTC().Format("2006-01-02T15:04:05Z"), v.ExtractorVersion})
	}
	for _, l := range rec.Related {
		out.Related = append(out.Related, related{l.Title, l.URL, l.ArticleID, l.Archived()})
	}
	return out
}

// lookupArticle finds an article by id or by any URL it was reached by.
func lookupArticle(ctx context.Context, store archive.Reader, key string) (*archive.ArticleRecord, error) {
	var (
		rec *archive.ArticleRecord
		err error
	)
	if id, perr := strconv.ParseInt(key, 10, 64); perr == nil {
		rec, err = store.Article(ctx, id)
	} else {
		rec, err = store.ArticleByURL(ctx, key)
	}
	if errors.Is(err, archive.ErrNotFound) {
		return nil, fmt.Errorf("no archived article %s", key)
	}
	if err != nil {
		return nil, fmt.Errorf("read article: %w", err)
	}
	return rec, nil
}

// cutDiffArgs takes "--diff V1 V2" out of args (the flag package cannot read a
// flag with two values).
func cutDiffArgs(args []string) (rest []string, diff []int64, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(rest, args[i:]...), diff, nil
		}
		if a != "--diff" && a != "-diff" {
			rest = append(rest, a)
			continue
		}
		if i+1 >= len(args) {
			return nil, nil, usagef("--diff needs an article (ID or URL) or two version ids")
		}
		if i+2 >= len(args) || !isVersionID(args[i+1]) || !isVersionID(args[i+2]) {
			diff = []int64{} // the article's timeline; its ID or URL stays an argument
			continue
		}
		for _, v := range args[i+1 : i+3] {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, nil, usagef("--diff %q: want a version id (a number, as listed by show)", v)
			}
			diff = append(diff, id)
		}
		i += 2
	}
	return rest, diff, nil
}

// fieldChange is one changed field of a diff.
type fieldChange struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// versionDiff is the --json form of show --diff.
type versionDiff struct {
	ArticleID int64         `json:"article_id"`
	From      int64         `json:"from_version"`
	To        int64         `json:"to_version"`
	FromDate  string        `json:"from_extracted_at"`
	ToDate    string        `json:"to_extracted_at"`
	Changes   []fieldChange `json:"changes"`
	// Body is a paragraph diff of body_text: lines prefixed "  " (same),
	// "- " (only in from) or "+ " (only in to); empty when the body is equal.
	Body []string `json:"body"`
}

func showDiff(ctx context.Context, e *env, store archive.Reader, v1, v2 int64, key string, asJSON bool) error {
	var recs [2]*archive.VersionRecord
	for i, id := range []int64{v1, v2} {
		v, err := store.Version(ctx, id)
		if errors.Is(err, archive.ErrNotFound) {
			return fmt.Errorf("no version %d", id)
		}
		if err != nil {
			return fmt.Errorf("read version %d: %w", id, err)
		}
		recs[i] = v
	}
	if recs[0].ArticleID != recs[1].ArticleID {
		return usagef("versions %d and %d belong to different articles (%d and %d)", v1, v2, recs[0].ArticleID, recs[1].ArticleID)
	}
	if key != "" {
		rec, err := lookupArticle(ctx, store, key)
		if err != nil {
			return err
		}
		if rec.ID != recs[0].ArticleID {
			return usagef("versions %d and %d are not versions of article %s", v1, v2, key)
		}
	}
	d := diffRecords(&recs[0].Record, &recs[1].Record)
	d.ArticleID, d.From, d.To = recs[0].ArticleID, v1, v2
	d.FromDate = recs[0].ExtractedAt.UTC().Format("2006-01-02T15:04:05Z")
	d.ToDate = recs[1].ExtractedAt.UTC().Format("2006-01-02T15:04:05Z")
	if asJSON {
		if d.Changes == nil {
			d.Changes = []fieldChange{}
		}
		if d.Body == nil {
			d.Body = []string{}
		}
		return json.NewEncoder(e.stdout).Encode(d)
	}
	w := e.stdout
	fmt.Fprintf(w, "Article %d: version %d (%s) → version %d (%s)\n", d.ArticleID, v1, d.FromDate, v2, d.ToDate)
	if len(d.Changes) == 0 && len(d.Body) == 0 {
		fmt.Fprintln(w, "no differences")
		return nil
	}
	for _, c := range d.Changes {
		fmt.Fprintf(w, "%s:\n  - %s\n  + %s\n", c.Field, c.From, c.To)
	}
	if len(d.Body) > 0 {
		fmt.Fprintln(w, "body_text:")
		for _, l := range d.Body {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
	return nil
}

// diffRecords compares two records field by field and their bodies by
// paragraph.
func diffRecords(a, b *extract.Article) versionDiff {
	var d versionDiff
	field := func(name, x, y string) {
		if x != y {
			d.Changes = append(d.Changes, fieldChange{name, x, y})
		}
	}
	people := func(as []extract.Author) string {
		var s []string
		for _, x := range as {
			s = append(s, x.Name+optional(" (", x.Bio, ")"))
		}
		return strings.Join(s, "; ")
	}
	editors := func(es []extract.Editor) string {
		var s []string
		for _, x := range es {
			s = append(s, editorLabel(x))
		}
		return strings.Join(s, "; ")
	}
	links := func(ls []extract.Link) string {
		var s []string
		for _, x := range ls {
			s = append(s, x.Title+" <"+x.URL+">")
		}
		return strings.Join(s, "; ")
	}
	image := func(i *extract.Image) string {
		if i == nil {
			return ""
		}
		return i.URL + optional(" (", i.Caption, ")")
	}
	field("title", a.Title, b.Title)
	field("site_name", a.SiteName, b.SiteName)
	field("language", a.Language, b.Language)
	field("canonical_url", a.CanonicalURL, b.CanonicalURL)
	field("authors", people(a.Authors), people(b.Authors))
	field("byline", a.Byline, b.Byline)
	field("editors", editors(a.Editors), editors(b.Editors))
	field("published_at", a.PublishedAt, b.PublishedAt)
	field("modified_at", a.ModifiedAt, b.ModifiedAt)
	field("tags", strings.Join(a.Tags, "; "), strings.Join(b.Tags, "; "))
	field("description", a.Description, b.Description)
	field("image", image(a.Image), image(b.Image))
	field("related", links(a.Related), links(b.Related))
	field("copyright", a.Copyright, b.Copyright)
	field("word_count", strconv.Itoa(a.WordCount), strconv.Itoa(b.WordCount))
	field("extractor_version", a.ExtractorVersion, b.ExtractorVersion)
	if a.BodyText != b.BodyText {
		d.Body = diffLines(extract.Paragraphs(a.BodyText), extract.Paragraphs(b.BodyText))
	}
	return d
}

// diffLines is a longest-common-subsequence diff: "  " same, "- " removed,
// "+ " added. Articles have tens of paragraphs, so O(n·m) is fine.
func diffLines(a, b []string) []string {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			out = append(out, "  "+a[i])
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			out = append(out, "+ "+b[j])
			j++
		default:
			out = append(out, "- "+a[i])
			i++
		}
	}
	return out
}
