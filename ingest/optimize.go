package ingest

import (
	"context"
	"fmt"
	"time"
)

// OptimizePolicy decides when Run.Finish merges the archive's full-text
// index into one segment per term (FTS5 'optimize'). Optimize rewrites the
// whole index — about two minutes at a million articles on a small machine —
// so it pays only after a run that changed a large part of it: a crawl or
// import that added at least MinVersions versions, or at least MinShare of
// the articles indexed. Below both, a run's few segments cost a search less
// than the rewrite would cost the run, and small runs (a watch round, a
// short crawl) never wait for it: Finish only merges the run's segments
// among themselves (archive.Store.MergeIndex), leaving the large one be.
//
// The zero value is the default policy: MinVersions 10,000 and MinShare 0.2.
type OptimizePolicy struct {
	// Disabled turns optimizing and merging off (crawl/import --no-optimize).
	Disabled bool
	// MinVersions is the number of versions added by a run (new articles
	// and new versions: each rewrites an index entry) from which Finish
	// optimizes; 0 means DefaultOptimizeMinVersions.
	MinVersions int
	// MinShare is the share of the indexed articles a run must have added
	// for Finish to optimize below MinVersions; 0 means
	// DefaultOptimizeMinShare.
	MinShare float64
}

const (
	// DefaultOptimizeMinVersions is the run size from which Finish always
	// optimizes: 10,000 versions are about a tenth of a large site and,
	// at a few seconds of crawl per page, hours of crawling, which a
	// two-minute rewrite of even a million-article index does not outweigh.
	DefaultOptimizeMinVersions = 10_000
	// DefaultOptimizeMinShare is the share of the index from which Finish
	// optimizes smaller runs: the rewrite then costs at most five times the
	// indexing the run already did, and a run that grew the index by a fifth
	// (a first crawl, an import into a small archive) leaves many segments.
	DefaultOptimizeMinShare = 0.2
	// optimizeFloor keeps the share rule from optimizing after tiny runs
	// into tiny archives, where there is nothing to gain.
	optimizeFloor = 100
)

// indexOptimizer is the part of a store that merges a full-text index
// (*archive.Store); a store without it is never optimized.
type indexOptimizer interface {
	CountArticles(ctx context.Context) (int, error)
	OptimizeIndex(ctx context.Context) error
}

// indexMerger is the part of a store that merges a full-text index's small
// segments among themselves (*archive.Store).
type indexMerger interface {
	MergeIndex(ctx context.Context) error
}

// shouldOptimize reports whether a run that added added versions to an
// index of indexed articles (counting them) calls for an optimize.
func (p OptimizePolicy) shouldOptimize(added, indexed int) bool {
	if p.Disabled || added <= 0 {
		return false
	}
	minVersions, minShare := p.MinVersions, p.MinShare
	if minVersions <= 0 {
		minVersions = DefaultOptimizeMinVersions
	}
	if minShare <= 0 {
		minShare = DefaultOptimizeMinShare
	}
	if added >= minVersions {
		return true
	}
	return added >= min(optimizeFloor, minVersions) && float64(added) >= minShare*float64(indexed)
}

// optimize merges the full-text index when the run added enough versions
// (see OptimizePolicy), logging on the run's logger. ctx ending stops it;
// the index is then left as it was.
func (r *Run) optimize(ctx context.Context) error {
	opt, ok := r.p.Store.(indexOptimizer)
	if !ok || r.p.Optimize.Disabled {
		return nil
	}
	c := r.counts.snapshot()
	added := int(c.NewArticles + c.NewVersions)
	if added <= 0 {
		return nil
	}
	indexed, err := opt.CountArticles(ctx)
	if err != nil {
		return fmt.Errorf("optimize index: %w", err)
	}
	if !r.p.Optimize.shouldOptimize(added, indexed) {
		// The run's own segments, merged among themselves: cheap, and a
		// search seeks its words in each segment.
		m, ok := r.p.Store.(indexMerger)
		if !ok {
			return nil
		}
		start := time.Now()
		if err := m.MergeIndex(ctx); err != nil {
			return fmt.Errorf("merge index: %w", err)
		}
		r.log.Debug("search index segments merged", "took", time.Since(start).Round(time.Millisecond))
		return nil
	}
	r.log.Info("optimizing the search index", "added_versions", added, "articles", indexed)
	start := time.Now()
	if err := opt.OptimizeIndex(ctx); err != nil {
		return fmt.Errorf("optimize index: %w", err)
	}
	r.log.Info("search index optimized", "took", time.Since(start).Round(time.Millisecond))
	return nil
}
