package archive

import (
	"context"
	"iter"
	"sort"
	"time"
)

// Reader is what the researchers' commands (search, show, export, stats,
// changes) and the web UI read from an archive, whatever its backend: the
// SQLite archive (*Store) and the PostgreSQL archive (pgarchive.DB) both
// implement it, with the same answers for the same archive except where
// documented (search ranking, run history). Every method only reads.
//
// Lookups by id or URL fail with an error wrapping ErrNotFound when there is
// no such row; a malformed search or export query fails with a *QueryError.
type Reader interface {
	// Search returns the articles whose latest version matches query, best
	// first, with the filters and paging of opts.
	Search(ctx context.Context, query string, opts SearchOptions) ([]SearchHit, error)
	// Article returns article id with its latest record, versions, aliases
	// and related links.
	Article(ctx context.Context, id int64) (*ArticleRecord, error)
	// ArticleByURL is Article for the article whose canonical URL or any
	// alias is url.
	ArticleByURL(ctx context.Context, url string) (*ArticleRecord, error)
	// Version returns one stored version with its full record.
	Version(ctx context.Context, id int64) (*VersionRecord, error)
	// Timeline returns an article and its versions, oldest first, each with
	// its diff from the one before.
	Timeline(ctx context.Context, articleID int64) (*ArticleRecord, []TimelineEntry, error)
	// Changes returns the edits and events f selects, newest first.
	Changes(ctx context.Context, f ChangesFilter) ([]Change, error)
	// Activity counts articles published and edits and events per day.
	Activity(ctx context.Context, site string) (*Activity, error)
	// Stats summarises the archive from one snapshot.
	Stats(ctx context.Context) (*Stats, error)
	// Page returns an archived raw page with its body decoded.
	Page(ctx context.Context, id int64) (*Page, error)
	// Previous returns the latest complete 2xx capture of url; ok is false
	// when there is none.
	Previous(ctx context.Context, url string) (prev *Previous, ok bool, err error)
	// Export yields the articles matching query and opts in archive order,
	// one row at a time, each with its full record as stored.
	Export(ctx context.Context, query string, opts SearchOptions) iter.Seq2[*ExportRecord, error]
	// Links yields the related-link graph of the articles Export selects.
	Links(ctx context.Context, query string, opts SearchOptions) iter.Seq2[*LinkEdge, error]
	// WARCFiles returns the WARC files the archive's captures lie in.
	WARCFiles(ctx context.Context) ([]string, error)
	// CapturedPages yields the latest page of every article captured in a
	// WARC file, in archive order.
	CapturedPages(ctx context.Context) iter.Seq2[*CapturedPage, error]
	// WarmSearch brings the search structures into memory (a best effort:
	// a backend may do nothing) and returns the names of what it warmed.
	WarmSearch(ctx context.Context) ([]string, error)
}

var _ Reader = (*Store)(nil)

// FormatTime formats t as the archive writes timestamps (UTC, milliseconds:
// ExportRecord.FirstSeen and LastSeen), for another backend to give the same
// strings.
func FormatTime(t time.Time) string { return fmtTime(t) }

// Wants reports whether f keeps changes of kind (no Kinds keeps every kind).
func (f ChangesFilter) Wants(kind string) bool { return f.wants(kind) }

// MergeChanges merges edits and events into the newest-first order Changes
// returns (ties by Change.ID, higher first), at most limit of them.
func MergeChanges(edits, events []Change, limit int) []Change {
	out := append(edits, events...)
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.After(out[j].At)
		}
		return out[i].ID() > out[j].ID()
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// SplitPublished turns counts of published_at prefixes (a day YYYY-MM-DD, or
// a month YYYY-MM when the page gives no day), in order, into
// Activity.PublishedPerDay and PublishedPerMonth.
func SplitPublished(published []Count) (perDay, perMonth []Count) {
	for _, c := range published {
		if len(c.Key) == len("2006-01-02") && c.Key[7] == '-' {
			perDay = append(perDay, c)
		}
		month := c.Key[:7]
		if n := len(perMonth); n > 0 && perMonth[n-1].Key == month {
			perMonth[n-1].N += c.N
		} else {
			perMonth = append(perMonth, Count{Key: month, N: c.N})
		}
	}
	return perDay, perMonth
}
