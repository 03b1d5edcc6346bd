package archive

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/extract"
)

func TestEvents(t *testing.T) {
	ctx := t.Context()
	s, path := openTest(t)
	run := startRun(t, s)
	res := commit(t, s, run,
		captureOf("https://example.com/a", newArticle("https://example.com/a", "A")),
		captureOf("https://other.org/b", newArticle("https://other.org/b", "B", func(a *extract.Article) { a.SiteName = "Other Times" })))
	a, b := res[0].ArticleID, res[1].ArticleID
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	in := []Event{
		{URL: "https://example.com/a", ArticleID: a, Kind: EventUnpublished, Status: 404, At: t0, RunID: run},
		{URL: "https://other.org/b", ArticleID: b, Kind: EventMoved, Status: 301, Detail: "https://other.org/b2", At: t0.Add(time.Hour)},
		{URL: "https://EXAMPLE.com:8080/a", ArticleID: a, Kind: EventRestored, Status: 200, At: t0.Add(2 * time.Hour)},
		{URL: "https://example.com/gone", Kind: EventUnpublished, Status: 410, At: t0.Add(2 * time.Hour)},
	}
	var ids []int64
	for _, e := range in {
		id, err := s.RecordEvent(ctx, e)
		if err != nil {
			t.Fatalf("RecordEvent(%+v): %v", e, err)
		}
		ids = append(ids, id)
	}
	// Reopen: events live in the file.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	idsOf := func(evs []Event) []int64 {
		var out []int64
		for _, e := range evs {
			out = append(out, e.ID)
		}
		return out
	}
	tests := []struct {
		name string
		f    EventFilter
		want []int64
	}{
		{"all newest first", EventFilter{}, []int64{ids[3], ids[2], ids[1], ids[0]}},
		{"since", EventFilter{Since: t0.Add(time.Hour)}, []int64{ids[3], ids[2], ids[1]}},
		{"until", EventFilter{Until: t0.Add(time.Hour)}, []int64{ids[0]}},
		{"host", EventFilter{Site: "example.com"}, []int64{ids[3], ids[2], ids[0]}},
		{"site name", EventFilter{Site: "other times"}, []int64{ids[1]}},
		{"kinds", EventFilter{Kinds: []string{EventMoved, EventRestored}}, []int64{ids[2], ids[1]}},
		{"article", EventFilter{ArticleID: a}, []int64{ids[2], ids[0]}},
		{"limit", EventFilter{Limit: 2}, []int64{ids[3], ids[2]}},
		{"none", EventFilter{Kinds: []string{"edited"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Events(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if g := idsOf(got); !slices.Equal(g, tt.want) {
				t.Errorf("ids = %v, want %v", g, tt.want)
			}
		})
	}

	got, err := s.Events(ctx, EventFilter{Kinds: []string{EventMoved}})
	if err != nil || len(got) != 1 {
		t.Fatalf("moved events = %v, %v", got, err)
	}
	want := in[1]
	want.ID, want.Host = ids[1], "other.org"
	if g := got[0]; g != want {
		t.Errorf("moved event = %+v, want %+v", g, want)
	}
	if got, _ := s.Events(ctx, EventFilter{Site: "example.com", Limit: 1}); len(got) != 1 || got[0].Host != "example.com" || got[0].ArticleID != 0 {
		t.Errorf("newest example.com event = %+v, want the article-less 410", got)
	}
}

func TestRecordEventInvalid(t *testing.T) {
	s, _ := openTest(t)
	for _, e := range []Event{
		{URL: "https://example.com/a", Kind: "deleted"},
		{Kind: EventMoved},
	} {
		if _, err := s.RecordEvent(t.Context(), e); !errors.Is(err, ErrInvalid) {
			t.Errorf("RecordEvent(%+v) = %v, want ErrInvalid", e, err)
		}
	}
	// An article id that does not exist is refused by the foreign key.
	if _, err := s.RecordEvent(t.Context(), Event{URL: "https://example.com/a", Kind: EventMoved, ArticleID: 999}); err == nil {
		t.Error("RecordEvent with a missing article: no error")
	}
}
