package archive

import (
	"testing"
	"time"
)

// TestTrapTemplateState: template counts are written with their page and
// read back for a resume; an article resets since_yield; request URLs and
// the listed flag survive the frontier.
func TestTrapTemplateState(t *testing.T) {
	ctx := t.Context()
	s, _ := openTest(t)
	run := startRun(t, s)
	const tmpl = "example.com/calendar/{n}/{n}"
	c1 := captureOf("https://example.com/calendar/2021/01", nil,
		QueueEntry{URL: "https://example.com/search?lang=en&q=a", Request: "https://example.com/search?q=a&lang=en", Kind: "page"},
		QueueEntry{URL: "https://example.com/listed", Listed: true, Kind: "page"},
		QueueEntry{URL: "https://example.com/plain", Kind: "page"})
	c1.Template = tmpl
	c2 := captureOf("https://example.com/calendar/2021/02", nil)
	c2.Template = tmpl
	commit(t, s, run, c1, c2)
	got, err := s.TemplateStats(ctx, run)
	if err != nil || len(got) != 1 || got[0] != (TemplateStat{Template: tmpl, Fetches: 2, SinceYield: 2}) {
		t.Fatalf("TemplateStats = %+v, %v; want 2 fetches, 2 since yield", got, err)
	}
	c3 := captureOf("https://example.com/calendar/2021/03", nil)
	c3.Template, c3.TemplateYield = tmpl, true
	commit(t, s, run, c3)
	if got, _ := s.TemplateStats(ctx, run); len(got) != 1 || got[0].Fetches != 3 || got[0].SinceYield != 0 {
		t.Errorf("after a yield: %+v, want 3 fetches, 0 since yield", got)
	}

	claimed, err := s.Claim(ctx, run, 10, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	byURL := map[string]QueueEntry{}
	for _, e := range claimed {
		byURL[e.URL] = e
	}
	if e := byURL["https://example.com/search?lang=en&q=a"]; e.Request != "https://example.com/search?q=a&lang=en" {
		t.Errorf("request URL = %q", e.Request)
	}
	if e := byURL["https://example.com/listed"]; !e.Listed || e.Request != "" {
		t.Errorf("listed entry = %+v", e)
	}
	if e, ok := byURL["https://example.com/plain"]; !ok || e.Listed || e.Request != "" {
		t.Errorf("plain entry = %+v (claimed %v)", e, ok)
	}

	skip := Capture{Entry: QueueEntry{URL: "https://example.com/calendar/2021/04", Kind: "page"},
		State: StateSkipped, Reason: "trap_template", Detail: tmpl}
	commit(t, s, run, skip)
	cuts, err := s.TrapTemplateCounts(ctx, run)
	if err != nil || len(cuts) != 1 || cuts[0] != (Count{Key: tmpl, N: 1}) {
		t.Errorf("TrapTemplateCounts = %+v, %v", cuts, err)
	}
	st, err := s.Stats(ctx)
	if err != nil || len(st.TrapTemplates) != 1 || st.TrapTemplates[0].Key != tmpl {
		t.Errorf("Stats.TrapTemplates = %+v, %v", st, err)
	}
}
