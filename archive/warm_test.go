package archive

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestWarmSearch: WarmSearch reads every search structure of an archive
// (read-only too), and stops when its context has ended.
func TestWarmSearch(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	run := startRun(t, s)
	r := rand.New(rand.NewPCG(5, 5))
	for i := range 20 {
		u := fmt.Sprintf("https://news.example.com/w/%d", i)
		commit(t, s, run, captureOf(u, newArticle(u, genText(r, 5), withBody(genText(r, 80)))))
	}
	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	want := []string{"articles_fts_data", "articles_fts_idx", "articles_fts_docsize",
		"articles_title_fts_data", "articles_title_fts_idx", "term_docs", "versions_published_jd"}
	for name, st := range map[string]*Store{"read-write": s, "read-only": ro} {
		got, err := st.WarmSearch(ctx)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: WarmSearch = %v, %v; want %v", name, got, err, want)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if got, err := ro.WarmSearch(cctx); err == nil {
		t.Errorf("WarmSearch with an ended context = %v, nil error", got)
	}
}
