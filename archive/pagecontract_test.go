package archive_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/archive/archivetest"
)

// sqliteBackend commits each capture as a batch of one in a run.
type sqliteBackend struct {
	s   *archive.Store
	run int64
}

func (b sqliteBackend) Commit(ctx context.Context, c archive.Capture) (archive.CommitResult, error) {
	rs, err := b.s.Commit(ctx, b.run, []archive.Capture{c})
	if err != nil {
		return archive.CommitResult{}, err
	}
	return rs[0], nil
}

func (b sqliteBackend) ArticleByURL(ctx context.Context, url string) (*archive.ArticleRecord, error) {
	return b.s.ArticleByURL(ctx, url)
}

func (b sqliteBackend) Search(ctx context.Context, q string, opts archive.SearchOptions) ([]archive.SearchHit, error) {
	return b.s.Search(ctx, q, opts)
}

func (b sqliteBackend) PageBody(ctx context.Context, id int64) ([]byte, error) {
	p, err := b.s.Page(ctx, id)
	if err != nil {
		return nil, err
	}
	return p.Body, nil
}

// TestPageContract runs the per-page commit contract on the SQLite archive.
func TestPageContract(t *testing.T) {
	archivetest.Run(t, openSQLiteBackend)
}

// TestSearchContract runs the search filters' contract on SQLite.
func TestSearchContract(t *testing.T) {
	archivetest.RunSearch(t, openSQLiteBackend)
}

func openSQLiteBackend(t *testing.T) archivetest.Backend {
	{
		ctx := context.Background()
		s, err := archive.Open(ctx, filepath.Join(t.TempDir(), "a.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		run, _, err := s.StartRun(ctx, []string{"https://example.com/"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return sqliteBackend{s: s, run: run}
	}
}
