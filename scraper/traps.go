package scraper

import (
	"context"
	"hash/maphash"
	"slices"
	"strings"
	"sync"
)

// ReasonTrapTemplate is the skip reason of a URL whose path template (see
// Template) kept producing pages without yield; the entry's detail is the
// template.
const ReasonTrapTemplate = "trap_template"

// TemplateStat is the yield state of one path template in a run, as a
// frontier that keeps it durable stores it.
type TemplateStat struct {
	Template   string
	Fetches    int // pages fetched in this run
	SinceYield int // pages fetched since the last one that yielded
}

// TemplateSource is implemented by frontiers that keep template yield state
// durable (see Result.Template): Run loads it when it starts, so a resumed
// crawl does not grant a trap a fresh budget. Its error stops the run.
type TemplateSource interface {
	TemplateStats(ctx context.Context) ([]TemplateStat, error)
}

// TemplateFeed is implemented by frontiers whose template yield state is
// kept by a store that other crawlers write too (a fleet sharing one
// frontier): TemplateUpdates returns, oldest first, the shared counts the
// store read or wrote since the last call — those of a host's templates when
// this crawler was given the host, those of a template after each of this
// crawler's pages under it was committed. The crawler takes them as its own
// (a template is cut when the shared count reaches the budget), so the
// budget holds for the whole fleet, not per crawler. It drains them before
// it dispatches claimed entries and before each fetch.
type TemplateFeed interface {
	TemplateUpdates() []TemplateStat
}

// TemplateCut is a template trap defence stopped expanding, with how many
// URLs it skipped in the run.
type TemplateCut struct {
	Template string `json:"template"`
	Skipped  int64  `json:"skipped"`
}

// maxSeenLinks bounds the set of link URLs the yield test remembers; past
// it the set starts over (links then count as new once more, which only
// delays a cut).
const maxSeenLinks = 1 << 20

// traps is the yield-based trap defence of one Crawler: per path template,
// how many pages it fetched since one yielded (was an article, or linked a
// URL not seen before under another template that is not cut). A template
// whose count reaches its budget is cut: its URLs are skipped, except seeds,
// sitemaps, feeds and URLs a sitemap or feed lists.
type traps struct {
	budget int // 0: off

	mu     sync.Mutex
	stats  map[string]*tmplState
	seed   maphash.Seed
	seen   map[uint64]struct{} // link URLs discovered (hashes)
	listed map[uint64]struct{} // URLs a sitemap or feed listed (hashes)
}

type tmplState struct {
	fetches, since int
	cut            bool
	skipped        int64
}

func newTraps(budget int) *traps {
	return &traps{budget: budget, stats: make(map[string]*tmplState), seed: maphash.MakeSeed(),
		seen: make(map[uint64]struct{}), listed: make(map[uint64]struct{})}
}

func (tr *traps) on() bool { return tr != nil && tr.budget > 0 }

// load restores durable state when a run starts.
func (tr *traps) load(stats []TemplateStat) {
	tr.apply(stats, true)
}

// apply takes stats as the templates' state (cutting or lifting the cut
// by the budget); reset also zeroes their skip counts (a run's start).
func (tr *traps) apply(stats []TemplateStat, reset bool) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	for _, s := range stats {
		st := tr.state(s.Template)
		st.fetches, st.since = s.Fetches, s.SinceYield
		st.cut = st.since >= budgetFor(shapeOf(s.Template), tr.budget)
		if reset {
			st.skipped = 0
		}
	}
}

func (tr *traps) state(tmpl string) *tmplState {
	st := tr.stats[tmpl]
	if st == nil {
		st = &tmplState{}
		tr.stats[tmpl] = st
	}
	return st
}

// exempt reports whether e is never cut: seeds, sitemaps, feeds and what a
// sitemap or feed lists are how a site says what it has.
func (tr *traps) exempt(e Entry) bool {
	if e.Kind != KindPage || e.Listed || (e.Depth == 0 && e.Via == "") {
		return true
	}
	h := maphash.String(tr.seed, e.URL)
	tr.mu.Lock()
	_, ok := tr.listed[h]
	tr.mu.Unlock()
	return ok
}

// cut returns the template of e when it is cut and e must be skipped (and
// counts the skip), "" otherwise.
func (tr *traps) cut(e Entry) string {
	if !tr.on() || tr.exempt(e) {
		return ""
	}
	tmpl := Template(e.URL)
	tr.mu.Lock()
	defer tr.mu.Unlock()
	st := tr.stats[tmpl]
	if st == nil || !st.cut {
		return ""
	}
	st.skipped++
	return tmpl
}

// markListed records URLs a sitemap or feed listed.
func (tr *traps) markListed(urls []Entry) {
	if !tr.on() {
		return
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if len(tr.listed) > maxSeenLinks {
		clear(tr.listed)
	}
	for _, e := range urls {
		tr.listed[maphash.String(tr.seed, e.URL)] = struct{}{}
	}
}

// linksYield reports whether the links of a page of template tmpl yield:
// at least one was not seen before and belongs to another template that is
// not cut. It records the links as seen. With all set it returns every such
// link (for a shared store to check, see Result.YieldLinks); otherwise the
// first.
func (tr *traps) linksYield(tmpl string, links []Entry, all bool) []string {
	if !tr.on() {
		return nil
	}
	fresh := make([]string, 0, 8)
	tr.mu.Lock()
	if len(tr.seen) > maxSeenLinks {
		clear(tr.seen)
	}
	for _, l := range links {
		h := maphash.String(tr.seed, l.URL)
		if _, ok := tr.seen[h]; ok {
			continue
		}
		tr.seen[h] = struct{}{}
		fresh = append(fresh, l.URL)
	}
	tr.mu.Unlock()
	var yield []string
	for _, u := range fresh {
		t := Template(u)
		if t == tmpl {
			continue
		}
		tr.mu.Lock()
		st := tr.stats[t]
		ok := st == nil || !st.cut
		tr.mu.Unlock()
		if ok {
			yield = append(yield, u)
			if !all {
				break
			}
		}
	}
	return yield
}

// fetched records a fetched page of template tmpl and whether it yielded;
// it reports whether this fetch cut the template.
func (tr *traps) fetched(tmpl string, yield bool) (cutNow bool) {
	if !tr.on() || tmpl == "" {
		return false
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	st := tr.state(tmpl)
	st.fetches++
	if yield {
		st.since, st.cut = 0, false
		return false
	}
	st.since++
	if !st.cut && st.since >= budgetFor(shapeOf(tmpl), tr.budget) {
		st.cut = true
		return true
	}
	return false
}

// cuts returns the templates cut in this run (or earlier in it, before a
// resume) with their skip counts, most skipped first.
func (tr *traps) cuts() []TemplateCut {
	if !tr.on() {
		return nil
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	var out []TemplateCut
	for t, st := range tr.stats {
		if st.cut || st.skipped > 0 {
			out = append(out, TemplateCut{Template: t, Skipped: st.skipped})
		}
	}
	slices.SortFunc(out, func(a, b TemplateCut) int {
		if a.Skipped != b.Skipped {
			if a.Skipped > b.Skipped {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Template, b.Template)
	})
	return out
}
