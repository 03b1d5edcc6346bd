package archive

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkChanges lists the 20 newest changes (what the UI's home page and
// `changes` do) in an archive of 20,000 articles of which 2% were edited
// once, and draws the activity charts of it.
func BenchmarkChanges(b *testing.B) {
	const articles, editEvery = 20_000, 50
	s, _ := openTest(b)
	run := startRun(b, s)
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var caps []Capture
	flush := func() {
		if _, err := s.Commit(b.Context(), run, caps); err != nil {
			b.Fatal(err)
		}
		caps = caps[:0]
	}
	for i := range articles {
		u := fmt.Sprintf("https://news.example.com/a/%d", i)
		c := captureOf(u, newArticle(u, fmt.Sprintf("Article %d", i), withPublished(day.Add(time.Duration(i)*time.Hour).Format(time.RFC3339))))
		c.Page.FetchedAt = day.Add(time.Duration(i) * time.Minute)
		caps = append(caps, c)
		if len(caps) == 500 {
			flush()
		}
	}
	for i := 0; i < articles; i += editEvery {
		u := fmt.Sprintf("https://news.example.com/a/%d", i)
		c := captureOf(u, newArticle(u, fmt.Sprintf("Article %d, corrected", i), withPublished(day.Add(time.Duration(i)*time.Hour).Format(time.RFC3339))))
		c.Page.FetchedAt = day.Add(time.Duration(articles+i) * time.Minute)
		caps = append(caps, c)
		if len(caps) == 500 {
			flush()
		}
	}
	flush()
	b.Run("newest-20", func(b *testing.B) {
		for b.Loop() {
			cs, err := s.Changes(b.Context(), ChangesFilter{Limit: 20})
			if err != nil || len(cs) != 20 {
				b.Fatalf("%d changes, %v", len(cs), err)
			}
		}
	})
	b.Run("title-since", func(b *testing.B) {
		for b.Loop() {
			cs, err := s.Changes(b.Context(), ChangesFilter{Fields: []string{"title"}, Since: day.Add(articles * time.Minute), Limit: 100})
			if err != nil || len(cs) != 100 {
				b.Fatalf("%d changes, %v", len(cs), err)
			}
		}
	})
	b.Run("activity", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Activity(b.Context(), ""); err != nil {
				b.Fatal(err)
			}
		}
	})
}
