package ingest

import (
	"maps"
	"sync"
	"sync/atomic"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/scraper"
)

// counts are the archive-side outcomes of a run, counted as batches commit.
type counts struct {
	pages        atomic.Int64
	requisites   atomic.Int64
	articles     atomic.Int64
	newArticles  atomic.Int64
	newVersions  atomic.Int64
	unchanged    atomic.Int64
	extractFails atomic.Int64
	notModified  atomic.Int64

	mu       sync.Mutex
	outcomes map[string]int
	reasons  map[string]int
}

// Counts is a snapshot of a run's archive-side outcomes.
type Counts struct {
	Pages        int64 // raw pages stored (requisites excepted)
	Requisites   int64 // page requisites stored (stylesheets, images, fonts)
	Articles     int64 // article pages extracted and committed
	NewArticles  int64 // articles seen for the first time
	NewVersions  int64 // changed articles that gained a version
	Unchanged    int64 // articles whose content was already archived
	ExtractFails int64 // pages whose extraction failed (raw page kept)
	NotModified  int64 // 304 answers
	// Outcomes counts the entries that reached a final state (done, failed,
	// skipped); Reasons their reason codes. Retries and entries handed back
	// unfetched are in neither.
	Outcomes map[string]int
	Reasons  map[string]int
}

// RunCounts returns c as a crawl records it with its run.
func (c Counts) RunCounts() map[string]int {
	m := map[string]int{
		"pages": int(c.Pages), "requisites": int(c.Requisites), "articles": int(c.Articles), "new_articles": int(c.NewArticles),
		"new_versions": int(c.NewVersions), "not_modified": int(c.NotModified),
		"extract_failures": int(c.ExtractFails),
	}
	for k, v := range c.Outcomes {
		m["state_"+k] = v
	}
	for k, v := range c.Reasons {
		m["reason_"+k] = v
	}
	return m
}

func (pc *counts) snapshot() Counts {
	pc.mu.Lock()
	outcomes, reasons := maps.Clone(pc.outcomes), maps.Clone(pc.reasons)
	pc.mu.Unlock()
	if outcomes == nil {
		outcomes, reasons = map[string]int{}, map[string]int{}
	}
	return Counts{
		Pages: pc.pages.Load(), Requisites: pc.requisites.Load(), Articles: pc.articles.Load(),
		NewArticles: pc.newArticles.Load(), NewVersions: pc.newVersions.Load(), Unchanged: pc.unchanged.Load(),
		ExtractFails: pc.extractFails.Load(), NotModified: pc.notModified.Load(),
		Outcomes: outcomes, Reasons: reasons,
	}
}

// final records an entry's final state and reason; retries and entries handed
// back unfetched (state queued) are not final.
func (pc *counts) final(state, reason string) {
	if state == string(scraper.StateQueued) {
		return
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.outcomes == nil {
		pc.outcomes, pc.reasons = map[string]int{}, map[string]int{}
	}
	pc.outcomes[state]++
	if reason != "" {
		pc.reasons[reason]++
	}
}

// add counts one committed capture.
func (pc *counts) add(c archive.Capture, r archive.CommitResult) (articleEvent string) {
	pc.final(c.State, c.Reason)
	if c.Page != nil && c.Entry.Kind == scraper.KindRequisite {
		pc.requisites.Add(1)
	} else if c.Page != nil {
		pc.pages.Add(1)
		if c.Page.NotModified {
			pc.notModified.Add(1)
		}
	}
	if c.ExtractError != "" {
		pc.extractFails.Add(1)
	}
	if r.ArticleID == 0 {
		return ""
	}
	pc.articles.Add(1)
	switch {
	case r.NewArticle:
		pc.newArticles.Add(1)
		return "archived"
	case r.NewVersion:
		pc.newVersions.Add(1)
		return "changed"
	default:
		pc.unchanged.Add(1)
		return ""
	}
}
