package watch

import (
	"context"
	"log/slog"
	"maps"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/extract"
	"github.com/newsarchive/newsarchive/ingest"
	"github.com/newsarchive/newsarchive/internal/testsite"
	"github.com/newsarchive/newsarchive/scraper"
	"golang.org/x/net/html"
)

// linkRecorder is the crawler's sink in front of the watch's: it records
// the links discovered on each fetched URL.
type linkRecorder struct {
	next  scraper.Sink
	mu    sync.Mutex
	links map[string][]string
}

func (l *linkRecorder) Commit(ctx context.Context, res *scraper.Result) error {
	if res.Response != nil && res.State == scraper.StateDone {
		var us []string
		for _, e := range res.Links {
			us = append(us, string(e.Kind)+" "+e.URL)
		}
		slices.Sort(us)
		l.mu.Lock()
		l.links[res.Entry.URL] = us
		l.mu.Unlock()
	}
	return l.next.Commit(ctx, res)
}

// plainSink hides ingest.Sink's ParseHTML: the watch tokenizes every page.
type plainSink struct{ BatchSink }

// countingSink counts the pages ingest.Sink's ParseHTML parsed and those
// whose tree link discovery read.
type countingSink struct {
	*ingest.Sink
	parsed, trees *atomic.Int64
}

func (c countingSink) ParseHTML(e scraper.Entry, resp *scraper.Response) (*html.Node, any) {
	root, parsed := c.Sink.ParseHTML(e, resp)
	c.parsed.Add(1)
	if root != nil {
		c.trees.Add(1)
	}
	return root, parsed
}

// TestWatchParsesOnce: a watch whose rounds store through the crawl
// pipeline parses each first fetch once, through the pipeline sink's
// ParseHTML, and discovers the same links on every page, and archives the
// same articles, as a watch that tokenizes every page.
func TestWatchParsesOnce(t *testing.T) {
	site := httptest.NewServer(testsite.NewGenerated(testsite.GenOptions{Pages: 12, PerPage: 6}))
	defer site.Close()
	ex, err := extract.Default()
	if err != nil {
		t.Fatal(err)
	}
	var parsed, trees atomic.Int64
	watchSite := func(parseOnce bool) (map[string][]string, int) {
		ctx := context.Background()
		s, err := archive.Open(ctx, filepath.Join(t.TempDir(), "w.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		pl := &ingest.Pipeline{Store: s, Extractor: ex}
		run, err := pl.Start(ctx, []string{site.URL + "/"}, map[string]any{"command": "watch"})
		if err != nil {
			t.Fatal(err)
		}
		cfg := DefaultConfig()
		cfg.Scraper.UserAgent, cfg.Scraper.Delay = "newsarchive-test", 0
		cfg.Seeds, cfg.RunID = []string{site.URL + "/"}, run.ID
		cfg.Clock = NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		w, err := New(cfg, s, func() BatchSink {
			if parseOnce {
				return countingSink{run.NewSink(), &parsed, &trees}
			}
			return plainSink{run.NewSink()}
		})
		if err != nil {
			t.Fatal(err)
		}
		rec := &linkRecorder{next: (*sink)(w), links: map[string][]string{}}
		if w.crawler, err = scraper.New(w.scraperConfig(), (*frontier)(w), rec, (*history)(w), slog.New(slog.DiscardHandler)); err != nil {
			t.Fatal(err)
		}
		if err := w.crawler.Seed(ctx, cfg.Seeds); err != nil {
			t.Fatal(err)
		}
		for range 5 { // source polls, then the first fetches
			if n, err := w.Round(ctx); err != nil {
				t.Fatal(err)
			} else if n == 0 {
				break
			}
		}
		if err := run.Finish(ctx, archive.RunFinished, nil); err != nil {
			t.Fatal(err)
		}
		st, err := s.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return rec.links, st.Articles
	}
	plain, plainArticles := watchSite(false)
	if parsed.Load() != 0 {
		t.Fatalf("ParseHTML called %d times without the hook", parsed.Load())
	}
	once, onceArticles := watchSite(true)
	if plainArticles != 12 || onceArticles != plainArticles {
		t.Errorf("articles archived: %d parsing once, %d tokenizing; want 12 both", onceArticles, plainArticles)
	}
	if trees.Load() < 12 {
		t.Errorf("link discovery read %d trees of the pipeline's parse (%d parsed); want one per article (12)", trees.Load(), parsed.Load())
	}
	if !maps.EqualFunc(once, plain, slices.Equal) || len(plain) < 13 {
		t.Errorf("discovered links differ (%d pages parsing once, %d tokenizing)", len(once), len(plain))
		for u, l := range plain {
			if !slices.Equal(once[u], l) {
				t.Errorf("%s:\n once  %v\n plain %v", u, once[u], l)
			}
		}
	}
}
