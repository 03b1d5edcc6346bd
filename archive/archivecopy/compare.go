package archivecopy

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// item is a page or a version reduced to what a copy keeps, ids left out.
type item struct {
	key  string // page: URL and fetch time; version: its page's key
	data []byte // everything else, as JSON
}

// Compare reports whether a and b hold the same pages (every field and body
// byte, fetch times to the millisecond, ids apart) and the same versions
// (each record's JSON, with the URL and fetch time of its page) and the same
// events (their article by canonical URL). It returns
// nil when they do, or an error naming the first difference and the counts.
func Compare(ctx context.Context, a, b Source) error {
	ia, err := items(ctx, a)
	if err != nil {
		return err
	}
	ib, err := items(ctx, b)
	if err != nil {
		return err
	}
	for i := range max(len(ia), len(ib)) {
		switch {
		case i >= len(ia):
			return fmt.Errorf("compare: only the second archive holds %s (%d items against %d)", ib[i].key, len(ib), len(ia))
		case i >= len(ib):
			return fmt.Errorf("compare: only the first archive holds %s (%d items against %d)", ia[i].key, len(ia), len(ib))
		case ia[i].key != ib[i].key:
			return fmt.Errorf("compare: item %d: %s against %s", i, ia[i].key, ib[i].key)
		case !bytes.Equal(ia[i].data, ib[i].data):
			return fmt.Errorf("compare: %s differs:\n%s\n%s", ia[i].key, ia[i].data, ib[i].data)
		}
	}
	return nil
}

func items(ctx context.Context, s Source) ([]item, error) {
	var out []item
	ms := func(t time.Time) string { return t.UTC().Truncate(time.Millisecond).Format(time.RFC3339Nano) }
	for pc, err := range s.CopyPages(ctx) {
		if err != nil {
			return nil, fmt.Errorf("compare: %w", err)
		}
		p := pc.Page
		key := "page " + p.URL + " " + ms(p.FetchedAt) + " " + p.SHA256
		p.ID, p.RunID, p.FetchedAt = 0, 0, time.Time{}
		b, err := json.Marshal(struct {
			P       any
			Extract string
		}{p, pc.ExtractError})
		if err != nil {
			return nil, fmt.Errorf("compare: %w", err)
		}
		out = append(out, item{key, b})
	}
	for v, err := range s.CopyVersions(ctx) {
		if err != nil {
			return nil, fmt.Errorf("compare: %w", err)
		}
		b, err := json.Marshal(v.Record)
		if err != nil {
			return nil, fmt.Errorf("compare: %w", err)
		}
		out = append(out, item{"version of page " + v.Page.URL + " " + ms(v.Page.FetchedAt) + " " + v.Page.SHA256, b})
	}
	for c, err := range s.CopyEvents(ctx) {
		if err != nil {
			return nil, fmt.Errorf("compare: %w", err)
		}
		e := c.Event
		key := "event " + e.URL + " " + e.Kind + " " + ms(e.At)
		e.ID, e.RunID, e.ArticleID, e.At = 0, 0, 0, time.Time{}
		b, err := json.Marshal(struct {
			E       any
			Article string
		}{e, c.ArticleURL})
		if err != nil {
			return nil, fmt.Errorf("compare: %w", err)
		}
		out = append(out, item{key, b})
	}
	slices.SortFunc(out, func(x, y item) int {
		return cmp.Or(cmp.Compare(x.key, y.key), bytes.Compare(x.data, y.data))
	})
	return out, nil
}
