package archive

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/extract"
)

func TestDiffRecords(t *testing.T) {
	base := func() *extract.Article {
		return newArticle("https://example.com/a", "Old headline", withAuthors("Eva Fox", "Jane Roe"),
			withEditors(extract.Editor{Name: "Smokey", Handle: "@SmokeyShorts"}), withTags("Tesla"),
			withBody("First paragraph stays.\n\nSecond paragraph goes away now.\n\nThird stays too."))
	}
	tests := []struct {
		name       string
		edit       func(a *extract.Article)
		fields     []string
		added, rem int
		check      func(t *testing.T, d Diff)
	}{
		{name: "identical", edit: func(*extract.Article) {}},
		{name: "headline", edit: func(a *extract.Article) { a.Title = "New headline" }, fields: []string{"title"},
			check: func(t *testing.T, d Diff) {
				if d.OldTitle != "Old headline" || d.NewTitle != "New headline" {
					t.Errorf("titles %q → %q", d.OldTitle, d.NewTitle)
				}
				if len(d.Changes) != 1 || d.Changes[0] != (FieldChange{"title", "Old headline", "New headline"}) {
					t.Errorf("changes %+v", d.Changes)
				}
			}},
		{name: "body words", edit: func(a *extract.Article) {
			a.BodyText = "First paragraph stays.\n\nThird stays too.\n\nA correction was appended here."
		}, fields: []string{"body"}, added: 5, rem: 5, check: func(t *testing.T, d Diff) {
			want := []string{"  First paragraph stays.", "- Second paragraph goes away now.", "  Third stays too.", "+ A correction was appended here."}
			if !slices.Equal(d.Body, want) {
				t.Errorf("body diff\n got %q\nwant %q", d.Body, want)
			}
			if len(d.Changes) != 0 {
				t.Errorf("body reported among field changes: %+v", d.Changes)
			}
		}},
		{name: "moved paragraph counts no words", edit: func(a *extract.Article) {
			a.BodyText = "Third stays too.\n\nFirst paragraph stays.\n\nSecond paragraph goes away now."
		}, fields: []string{"body"}},
		{name: "credits", edit: func(a *extract.Article) {
			withAuthors("Eva Fox", "John Doe")(a)
			a.Editors = nil
		}, fields: []string{"authors", "editors"}, check: func(t *testing.T, d Diff) {
			if !slices.Equal(d.AuthorsAdded, []string{"John Doe"}) || !slices.Equal(d.AuthorsRemoved, []string{"Jane Roe"}) {
				t.Errorf("authors +%q −%q", d.AuthorsAdded, d.AuthorsRemoved)
			}
			if len(d.EditorsAdded) != 0 || !slices.Equal(d.EditorsRemoved, []string{"Smokey @SmokeyShorts"}) {
				t.Errorf("editors +%q −%q", d.EditorsAdded, d.EditorsRemoved)
			}
		}},
		{name: "author case only", edit: func(a *extract.Article) { withAuthors("eva fox", "Jane Roe")(a) },
			fields: []string{"authors"}, check: func(t *testing.T, d Diff) {
				if len(d.AuthorsAdded)+len(d.AuthorsRemoved) != 0 {
					t.Errorf("a change of case counted as a credit change: +%q −%q", d.AuthorsAdded, d.AuthorsRemoved)
				}
			}},
		{name: "dates tags related image", edit: func(a *extract.Article) {
			a.PublishedAt, a.ModifiedAt = "2021-02-11T09:00:00Z", "2021-02-12T09:00:00Z"
			a.Tags = []string{"Tesla", "Corrections"}
			a.Related = []extract.Link{{Title: "Other", URL: "https://example.com/o"}}
			a.Image = &extract.Image{URL: "https://example.com/i.jpg"}
		}, fields: []string{"published_at", "modified_at", "tags", "image", "related"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := base(), base()
			tc.edit(b)
			d := DiffRecords(a, b)
			if !slices.Equal(d.Fields, tc.fields) {
				t.Errorf("fields %q, want %q", d.Fields, tc.fields)
			}
			if d.WordsAdded != tc.added || d.WordsRemoved != tc.rem {
				t.Errorf("words +%d −%d, want +%d −%d", d.WordsAdded, d.WordsRemoved, tc.added, tc.rem)
			}
			if tc.check != nil {
				tc.check(t, d)
			}
		})
	}
}

func TestDiffParagraphsLarge(t *testing.T) {
	// Past the LCS bound the middle is all removed then all added, and the
	// shared head and tail stay.
	var a, b []string
	for i := range 1500 {
		a = append(a, "old "+itoa(i))
		b = append(b, "new "+itoa(i))
	}
	a = append([]string{"head"}, append(a, "tail")...)
	b = append([]string{"head"}, append(b, "tail")...)
	d := diffParagraphs(a, b)
	if len(d) != 3002 || d[0] != "  head" || d[1] != "- old 0" || d[1501] != "+ new 0" || d[3001] != "  tail" {
		t.Errorf("diff of %d lines: %q … %q", len(d), d[:2], d[len(d)-2:])
	}
}

func TestExpandField(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		ok   bool
	}{{"title", []string{"title"}, true}, {"Body", []string{"body"}, true}, {"dates", []string{"published_at", "modified_at"}, true},
		{"credits", []string{"authors", "byline", "editors"}, true}, {"bogus", nil, false}} {
		got, ok := ExpandField(tc.in)
		if ok != tc.ok || !slices.Equal(got, tc.want) {
			t.Errorf("ExpandField(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// commitAt commits a capture of a fetched at the given time.
func commitAt(t *testing.T, s *Store, run int64, a *extract.Article, at time.Time) CommitResult {
	t.Helper()
	c := captureOf(a.URL, a)
	c.Page.FetchedAt = at
	return commit(t, s, run, c)[0]
}

func TestChanges(t *testing.T) {
	s, _ := openTest(t)
	run := startRun(t, s)
	day := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	a1 := newArticle("https://example.com/a", "Headline A", withBody("one two three"))
	b1 := newArticle("https://other.org/b", "Headline B", withBody("alpha beta"))
	commitAt(t, s, run, a1, day)
	commitAt(t, s, run, b1, day)
	// Unchanged re-capture: no change.
	commitAt(t, s, run, a1, day.Add(time.Hour))
	a2 := newArticle("https://example.com/a", "Headline A, corrected", withBody("one two three four five"))
	r := commitAt(t, s, run, a2, day.Add(24*time.Hour))
	if !r.NewVersion {
		t.Fatal("edited article stored no new version")
	}
	b2 := newArticle("https://other.org/b", "Headline B", withBody("alpha beta"), withAuthors("Eva Fox", "New Author"))
	commitAt(t, s, run, b2, day.Add(48*time.Hour))
	a3 := newArticle("https://example.com/a", "Headline A, corrected", withBody("one three four five"))
	commitAt(t, s, run, a3, day.Add(72*time.Hour))

	ctx := t.Context()
	all, err := s.Changes(ctx, ChangesFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range all {
		got = append(got, c.URL+" "+c.Diff.Summary())
	}
	want := []string{
		"https://example.com/a body (+0/−1 words)",
		"https://other.org/b authors",
		"https://example.com/a title, description, body (+2/−0 words)",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("changes\n got %q\nwant %q", got, want)
	}
	if c := all[2]; c.Diff.OldTitle != "Headline A" || c.Diff.NewTitle != "Headline A, corrected" || c.Title != "Headline A, corrected" ||
		!c.At.Equal(day.Add(24*time.Hour)) || c.Kind != KindEdit || c.FromVersion == 0 || c.ToVersion <= c.FromVersion {
		t.Errorf("oldest change %+v", c)
	}
	if !slices.Equal(all[1].Diff.AuthorsAdded, []string{"New Author"}) {
		t.Errorf("credits added %q", all[1].Diff.AuthorsAdded)
	}

	for _, tc := range []struct {
		name string
		f    ChangesFilter
		want int
	}{
		{"title field", ChangesFilter{Fields: []string{"title"}}, 1},
		{"credits group", ChangesFilter{Fields: []string{"credits"}}, 1},
		{"body", ChangesFilter{Fields: []string{"body"}}, 2},
		{"site host", ChangesFilter{Site: "other.org"}, 1},
		{"since", ChangesFilter{Since: day.Add(48 * time.Hour)}, 2},
		{"until", ChangesFilter{Until: day.Add(48 * time.Hour)}, 1},
		{"limit", ChangesFilter{Limit: 2}, 2},
		{"article", ChangesFilter{ArticleID: all[1].ArticleID}, 1},
		{"kind edit", ChangesFilter{Kinds: []string{"edit"}}, 3},
		{"kind unpublished", ChangesFilter{Kinds: []string{"unpublished"}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs, err := s.Changes(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) != tc.want {
				t.Errorf("%d changes, want %d: %+v", len(cs), tc.want, cs)
			}
		})
	}
	if _, err := s.Changes(ctx, ChangesFilter{Fields: []string{"nonsense"}}); err == nil || !strings.Contains(err.Error(), "nonsense") {
		t.Errorf("unknown field: err %v", err)
	}

	act, err := s.Activity(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	wantEdits := []Count{{"2026-03-02", 1}, {"2026-03-03", 1}, {"2026-03-04", 1}}
	if !slices.Equal(act.EditsPerDay, wantEdits) {
		t.Errorf("edits per day %v, want %v", act.EditsPerDay, wantEdits)
	}
	if !slices.Equal(act.PublishedPerMonth, []Count{{"2021-02", 2}}) || !slices.Equal(act.PublishedPerDay, []Count{{"2021-02-10", 2}}) {
		t.Errorf("published per month %v, per day %v", act.PublishedPerMonth, act.PublishedPerDay)
	}
	if act, err := s.Activity(ctx, "other.org"); err != nil || len(act.EditsPerDay) != 1 || len(act.PublishedPerMonth) != 1 || act.PublishedPerMonth[0].N != 1 {
		t.Errorf("activity of other.org: %+v, %v", act, err)
	}
}

func TestChangesWithEvents(t *testing.T) {
	s, _ := openTest(t)
	run := startRun(t, s)
	day := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	ctx := t.Context()
	commitAt(t, s, run, newArticle("https://example.com/a", "Headline A"), day)
	r := commitAt(t, s, run, newArticle("https://example.com/a", "Headline A, edited"), day.Add(time.Hour))
	for _, e := range []Event{
		{URL: "https://example.com/a", ArticleID: r.ArticleID, Kind: EventMoved, Status: 301, Detail: "https://example.com/a2", At: day.Add(2 * time.Hour)},
		{URL: "https://example.com/a2", ArticleID: r.ArticleID, Kind: EventUnpublished, Status: 410, At: day.Add(3 * time.Hour)},
		{URL: "https://other.org/gone", Kind: EventUnpublished, Status: 404, At: day.Add(30 * time.Minute)},
	} {
		if _, err := s.RecordEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	kinds := func(f ChangesFilter) []string {
		t.Helper()
		cs, err := s.Changes(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, c.Kind+" "+c.Site)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    ChangesFilter
		want []string
	}{
		{"all, newest first", ChangesFilter{}, []string{"unpublished Example News", "moved Example News", "edit Example News", "unpublished other.org"}},
		{"kinds", ChangesFilter{Kinds: []string{"moved", "edit"}}, []string{"moved Example News", "edit Example News"}},
		{"edits only", ChangesFilter{Kinds: []string{"edit"}}, []string{"edit Example News"}},
		{"fields drop events", ChangesFilter{Fields: []string{"title"}}, []string{"edit Example News"}},
		{"site host", ChangesFilter{Site: "other.org"}, []string{"unpublished other.org"}},
		{"article", ChangesFilter{ArticleID: r.ArticleID, Since: day.Add(90 * time.Minute)}, []string{"unpublished Example News", "moved Example News"}},
		{"limit across both", ChangesFilter{Limit: 3}, []string{"unpublished Example News", "moved Example News", "edit Example News"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := kinds(tc.f); !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	cs, err := s.Changes(ctx, ChangesFilter{Kinds: []string{"moved"}})
	if err != nil || len(cs) != 1 || cs[0].Title != "Headline A, edited" || cs[0].Detail != "https://example.com/a2" || cs[0].Status != 301 || cs[0].ID() == "" {
		t.Errorf("moved change %+v, %v", cs, err)
	}
	act, err := s.Activity(ctx, "")
	if err != nil || !slices.Equal(act.EventsPerDay, []Count{{"2026-03-01", 3}}) {
		t.Errorf("events per day %v, %v", act.EventsPerDay, err)
	}
}

// TestChangesWithoutEventsTable reads changes from an archive written before
// the events table existed, opened read-only (so not migrated): edits, no
// events, no error.
func TestChangesWithoutEventsTable(t *testing.T) {
	s, path := openTest(t)
	run := startRun(t, s)
	day := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	commitAt(t, s, run, newArticle("https://example.com/a", "Headline A"), day)
	commitAt(t, s, run, newArticle("https://example.com/a", "Headline B"), day.Add(time.Hour))
	if _, err := s.w.Exec(`DROP TABLE events`); err != nil {
		t.Fatal(err)
	}
	ro, err := OpenReadOnly(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	cs, err := ro.Changes(t.Context(), ChangesFilter{})
	if err != nil || len(cs) != 1 || cs[0].Kind != KindEdit {
		t.Errorf("changes %+v, %v", cs, err)
	}
	if act, err := ro.Activity(t.Context(), ""); err != nil || len(act.EditsPerDay) != 1 || act.EventsPerDay != nil {
		t.Errorf("activity %+v, %v", act, err)
	}
}
