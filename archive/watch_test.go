package archive

import (
	"errors"
	"testing"
	"time"
)

func TestWatchSchedule(t *testing.T) {
	ctx := t.Context()
	s, path := openTest(t)
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

	n, err := s.AddWatchSources(ctx, t0, []WatchSource{
		{URL: "https://example.com/", Kind: SourceListing, Interval: 10 * time.Minute},
		{URL: "https://example.com/feed.xml", Kind: SourceFeed, Interval: 10 * time.Minute, NextCheckAt: t0.Add(time.Hour)},
	})
	if err != nil || n != 2 {
		t.Fatalf("AddWatchSources = %d, %v; want 2", n, err)
	}
	if n, _ := s.AddWatchSources(ctx, t0, []WatchSource{{URL: "https://example.com/", Kind: SourceListing, Interval: time.Minute}}); n != 0 {
		t.Errorf("re-adding a source added %d", n)
	}
	if _, err := s.AddWatchSources(ctx, t0, []WatchSource{{URL: "https://example.com/x", Kind: "page", Interval: time.Minute}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad kind: %v, want ErrInvalid", err)
	}
	due, err := s.DueWatchSources(ctx, t0, 10)
	if err != nil || len(due) != 1 || due[0].URL != "https://example.com/" || due[0].Interval != 10*time.Minute {
		t.Fatalf("due sources = %+v, %v", due, err)
	}
	src := due[0]
	src.NextCheckAt, src.Interval, src.ETag, src.Checks, src.LastCheckedAt = t0.Add(5*time.Minute), 5*time.Minute, `"e1"`, 1, t0
	if err := s.SaveWatchSources(ctx, []WatchSource{src}); err != nil {
		t.Fatal(err)
	}

	n, err = s.AddWatchURLs(ctx, t0, []WatchURL{
		{URL: "https://example.com/a"},
		{URL: "https://example.com/b", LastMod: "2026-12-01T09:00:00Z"},
	})
	if err != nil || n != 2 {
		t.Fatalf("AddWatchURLs = %d, %v", n, err)
	}
	urls, err := s.DueWatchURLs(ctx, t0, 10)
	if err != nil || len(urls) != 2 || urls[0].Step != 0 || !urls[0].FirstSeenAt.Equal(t0) {
		t.Fatalf("due urls = %+v, %v", urls, err)
	}
	for i := range urls {
		urls[i].Step, urls[i].NextCheckAt, urls[i].LastCheckedAt, urls[i].ETag = 1, t0.Add(time.Hour), t0, `"v1"`
	}
	urls[1].Gone, urls[1].LastStatus = true, 404
	if err := s.SaveWatchURLs(ctx, urls); err != nil {
		t.Fatal(err)
	}
	if urls, _ := s.DueWatchURLs(ctx, t0.Add(time.Minute), 10); len(urls) != 0 {
		t.Errorf("due after saving = %+v, want none", urls)
	}
	// A later sitemap lastmod brings b's check forward; an equal one does not.
	later := t0.Add(2 * time.Minute)
	if _, err := s.AddWatchURLs(ctx, later, []WatchURL{{URL: "https://example.com/b", LastMod: "2026-12-01T09:30:00+01:00"}}); err != nil {
		t.Fatal(err)
	}
	if urls, _ := s.DueWatchURLs(ctx, later, 10); len(urls) != 0 {
		t.Errorf("an older lastmod (other offset) made %+v due", urls)
	}
	if _, err := s.AddWatchURLs(ctx, later, []WatchURL{{URL: "https://example.com/b", LastMod: "2026-12-01T10:01:00Z"}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.DueWatchURLs(ctx, later, 10)
	if err != nil || len(got) != 1 || got[0].URL != "https://example.com/b" || !got[0].Gone || got[0].Step != 1 ||
		got[0].ETag != `"v1"` || got[0].LastMod != "2026-12-01T10:01:00Z" {
		t.Fatalf("due after a newer lastmod = %+v, %v", got, err)
	}

	st, err := s.WatchStatusAt(ctx, t0.Add(5*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	want := WatchStatus{Sources: 2, SourcesDue: 1, URLs: 2, URLsDue: 1, NextCheck: later}
	if st != want {
		t.Errorf("status = %+v, want %+v", st, want)
	}

	// The schedule survives a reopen.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	srcs, err := s2.WatchSources(ctx)
	if err != nil || len(srcs) != 2 || srcs[0].ETag != `"e1"` || !srcs[0].NextCheckAt.Equal(t0.Add(5*time.Minute)) {
		t.Errorf("sources after reopen = %+v, %v", srcs, err)
	}
}
