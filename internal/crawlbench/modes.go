package crawlbench

import (
	"context"
	"fmt"
	"strconv"
)

// Arguments of the baseline modes (and, by convention, of any crawl mode).
const (
	ArgURL         = "url"         // start URL
	ArgParallelism = "parallelism" // concurrent requests
	ArgMaxPages    = "max_pages"   // page budget; 0 or absent means none
)

// Mode names of the baselines in BaselineModes.
const (
	ModeColly   = "colly"
	ModeNetHTTP = "nethttp"
)

// BaselineModes returns the two baselines as child modes: ModeColly runs
// BareColly and ModeNetHTTP runs NetHTTPPool, both with ArgURL, ArgParallelism
// and ArgMaxPages. Callers add their own modes to the map.
func BaselineModes() map[string]ModeFunc {
	return map[string]ModeFunc{
		ModeColly:   baseline(BareColly),
		ModeNetHTTP: baseline(NetHTTPPool),
	}
}

func baseline(crawl func(ctx context.Context, startURL string, parallelism, maxPages int) (Result, error)) ModeFunc {
	return func(ctx context.Context, args map[string]string) (Result, error) {
		par, err := IntArg(args, ArgParallelism, 32)
		if err != nil {
			return Result{}, err
		}
		maxPages, err := IntArg(args, ArgMaxPages, 0)
		if err != nil {
			return Result{}, err
		}
		if args[ArgURL] == "" {
			return Result{}, fmt.Errorf("missing argument %q", ArgURL)
		}
		return crawl(ctx, args[ArgURL], par, maxPages)
	}
}

// IntArg returns args[name] as an int, or def when it is absent or empty.
func IntArg(args map[string]string, name string, def int) (int, error) {
	s := args[name]
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("argument %s: %w", name, err)
	}
	return n, nil
}
