// Package archivecopy copies an archive into another, between the SQLite
// archive (archive.Store) and PostgreSQL (pgarchive.DB) in either direction:
// every raw page (its bytes exact), then every version's record, which the
// destination stores as its own commit path would (articles upserted by
// canonical URL, aliases, a version only when the content changes,
// authors, editors, tags, related links, search index), then the events
// (unpublished, moved, restored), their article named by canonical URL.
//
// A copy is resumable and idempotent without any state of its own: a page is
// recognised in the destination by its URL, fetch time (to the millisecond)
// and body SHA-256 (a page held twice in the source is held twice in the
// destination; the copy keeps 16 bytes per source page in memory for this), and a version by its content hash among its article's
// versions, an event by its URL, kind, status, detail and time. A copy stopped midway (Ctrl-C, a crash: each batch is one
// transaction) is continued by running it again, and a second run copies
// nothing.
package archivecopy

import (
	"context"
	"crypto/sha256"
	"fmt"
	"iter"
	"time"

	"github.com/newsarchive/newsarchive/archive"
)

// Source is an archive to copy from.
type Source interface {
	CopyPages(ctx context.Context) iter.Seq2[*archive.PageCopy, error]
	CopyVersions(ctx context.Context) iter.Seq2[*archive.VersionCopy, error]
	CopyEvents(ctx context.Context) iter.Seq2[*archive.EventCopy, error]
}

// Destination is an archive to copy into.
type Destination interface {
	FindPage(ctx context.Context, url string, fetched time.Time, sha string) (id int64, n int, err error)
	ImportPages(ctx context.Context, pages []*archive.PageCopy) ([]int64, error)
	AddReextracted(ctx context.Context, rs []archive.Reextracted) ([]archive.CommitResult, error)
	ImportEvents(ctx context.Context, evs []*archive.EventCopy) (int, error)
}

// Options tune a copy.
type Options struct {
	// Batch is how many pages or versions go in one destination
	// transaction; 0 means 100.
	Batch int
	// Progress, when set, is called after each batch with the counts so far.
	Progress func(Summary)
}

// Summary counts what a copy read and wrote. Its JSON form is what
// `newsarchive copy --json` prints.
type Summary struct {
	Phase          string `json:"-"`               // "pages", "versions" or "events", for progress
	Pages          int    `json:"pages"`           // pages read from the source
	PagesCopied    int    `json:"pages_copied"`    // pages the destination did not hold
	Versions       int    `json:"versions"`        // versions read from the source
	VersionsCopied int    `json:"versions_copied"` // versions the destination did not hold
	ArticlesNew    int    `json:"articles_new"`    // articles the destination did not hold
	Events         int    `json:"events"`          // events read from the source
	EventsCopied   int    `json:"events_copied"`   // events the destination did not hold
}

// Copy copies every page of src into dst, then every version, then every
// event (unpublished, moved, restored), in source id order, in batches of one transaction each. On error or cancellation the
// batches committed so far stay: run Copy again to continue.
func Copy(ctx context.Context, src Source, dst Destination, opts Options) (Summary, error) {
	batch := opts.Batch
	if batch <= 0 {
		batch = 100
	}
	var sum Summary
	report := func() {
		if opts.Progress != nil {
			opts.Progress(sum)
		}
	}
	sum.Phase = "pages"
	var pending []*archive.PageCopy
	// An archive may hold a capture twice (one WARC imported from two
	// files): the k-th copy of a page is copied when the destination holds
	// fewer than k. seen counts each page key so far (16 bytes of its
	// SHA-256 each). The copies of a key waiting in the batch need no
	// count: each was added because the destination held fewer than its k.
	seen := map[[16]byte]int{}
	flushPages := func() error {
		if len(pending) == 0 {
			return nil
		}
		if _, err := dst.ImportPages(ctx, pending); err != nil {
			return err
		}
		sum.PagesCopied += len(pending)
		pending = pending[:0]
		report()
		return nil
	}
	for pc, err := range src.CopyPages(ctx) {
		if err != nil {
			return sum, fmt.Errorf("copy: read pages: %w", err)
		}
		sum.Pages++
		p := &pc.Page
		key := pageKey(p)
		seen[key]++
		if _, n, err := dst.FindPage(ctx, p.URL, p.FetchedAt, p.SHA256); err != nil {
			return sum, fmt.Errorf("copy: page %d: %w", p.ID, err)
		} else if n >= seen[key] {
			continue
		}
		pending = append(pending, pc)
		if len(pending) >= batch {
			if err := flushPages(); err != nil {
				return sum, fmt.Errorf("copy: pages: %w", err)
			}
		}
	}
	if err := flushPages(); err != nil {
		return sum, fmt.Errorf("copy: pages: %w", err)
	}
	sum.Phase = "versions"
	report()
	var rs []archive.Reextracted
	flushVersions := func() error {
		if len(rs) == 0 {
			return nil
		}
		res, err := dst.AddReextracted(ctx, rs)
		if err != nil {
			return err
		}
		for _, r := range res {
			if r.NewVersion {
				sum.VersionsCopied++
			}
			if r.NewArticle {
				sum.ArticlesNew++
			}
		}
		rs = rs[:0]
		report()
		return nil
	}
	for v, err := range src.CopyVersions(ctx) {
		if err != nil {
			return sum, fmt.Errorf("copy: read versions: %w", err)
		}
		sum.Versions++
		id, n, err := dst.FindPage(ctx, v.Page.URL, v.Page.FetchedAt, v.Page.SHA256)
		if err != nil {
			return sum, fmt.Errorf("copy: version %d: %w", v.ID, err)
		}
		if n == 0 {
			return sum, fmt.Errorf("copy: version %d: its page %d (%s) is not in the destination", v.ID, v.Page.ID, v.Page.URL)
		}
		pg := v.Page
		pg.ID = id
		rs = append(rs, archive.Reextracted{Page: &pg, Article: &v.Record})
		if len(rs) >= batch {
			if err := flushVersions(); err != nil {
				return sum, fmt.Errorf("copy: versions: %w", err)
			}
		}
	}
	if err := flushVersions(); err != nil {
		return sum, fmt.Errorf("copy: versions: %w", err)
	}
	sum.Phase = "events"
	var evs []*archive.EventCopy
	flushEvents := func() error {
		if len(evs) == 0 {
			return nil
		}
		n, err := dst.ImportEvents(ctx, evs)
		if err != nil {
			return err
		}
		sum.EventsCopied += n
		evs = evs[:0]
		report()
		return nil
	}
	for e, err := range src.CopyEvents(ctx) {
		if err != nil {
			return sum, fmt.Errorf("copy: read events: %w", err)
		}
		sum.Events++
		if evs = append(evs, e); len(evs) >= batch {
			if err := flushEvents(); err != nil {
				return sum, fmt.Errorf("copy: events: %w", err)
			}
		}
	}
	if err := flushEvents(); err != nil {
		return sum, fmt.Errorf("copy: events: %w", err)
	}
	return sum, nil
}

// pageKey is what identifies a page across archives: its URL, fetch time to
// the millisecond and body hash, hashed.
func pageKey(p *archive.Page) [16]byte {
	h := sha256.Sum256([]byte(p.URL + "\x00" + p.FetchedAt.UTC().Truncate(time.Millisecond).Format(time.RFC3339Nano) + "\x00" + p.SHA256))
	return [16]byte(h[:16])
}
