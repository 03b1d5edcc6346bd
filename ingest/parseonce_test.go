package ingest

import (
	"context"
	"log/slog"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/scraper"
	"golang.org/x/net/html"
)

// TestParseOnceCrawl crawls the fixture site twice, parsing each page once
// (the default: links read from the tree extraction parsed) and twice (the
// tokenizer scan): the URLs discovered, their kinds and final states, and
// the stored records are the same. (Depth and via depend on the order in
// which pages are fetched, which the scheduler varies.)
func TestParseOnceCrawl(t *testing.T) {
	origin := fixtureSite(t)
	seeds := []string{origin + "/"}
	ex := testExtractor(t)
	var parsed atomic.Int64 // ParseHTML runs in the crawler's workers
	crawlInto := func(name string, twice bool) (frontier [][]any, records [][]any) {
		s := openStore(t, filepath.Join(t.TempDir(), name+".db"))
		defer s.Close()
		ctx := context.Background()
		run, err := (&Pipeline{Store: s, Extractor: ex}).Start(ctx, seeds, nil)
		if err != nil {
			t.Fatal(err)
		}
		cfg := crawlConfig()
		if twice {
			cfg.ParseHTML = func(scraper.Entry, *scraper.Response) (*html.Node, any) { return nil, nil }
		} else {
			hook := run.Sink().ParseHTML
			cfg.ParseHTML = func(e scraper.Entry, r *scraper.Response) (*html.Node, any) {
				root, p := hook(e, r)
				if root != nil {
					parsed.Add(1)
				}
				return root, p
			}
		}
		c, err := run.Crawler(cfg, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		res, err := run.Crawl(ctx, c, seeds, scraper.RunOptions{}, nil)
		if err != nil || res.Status != archive.RunFinished {
			t.Fatalf("%s: %s, %v", name, res.Status, err)
		}
		if err := run.Finish(ctx, res.Status, nil); err != nil {
			t.Fatal(err)
		}
		return rowsOf(t, s, "SELECT url, kind, state, reason FROM frontier ORDER BY url"),
			rowsOf(t, s, "SELECT a.canonical_url, v.title, v.content_sha256 FROM versions v JOIN articles a ON a.id = v.article_id ORDER BY a.canonical_url")
	}
	f1, r1 := crawlInto("once", false)
	f2, r2 := crawlInto("twice", true)
	if n := parsed.Load(); n < 5 {
		t.Fatalf("links read from a parsed tree on %d pages only", n)
	}
	if !reflect.DeepEqual(f1, f2) {
		t.Errorf("frontiers differ:\nparsed once: %v\ntokenised:   %v", f1, f2)
	}
	if len(r1) == 0 || !reflect.DeepEqual(r1, r2) {
		t.Errorf("records differ (%d vs %d):\nparsed once: %v\ntokenised:   %v", len(r1), len(r2), r1, r2)
	}
}

func rowsOf(t *testing.T, s *archive.Store, q string) [][]any {
	t.Helper()
	rows, err := s.Query(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
