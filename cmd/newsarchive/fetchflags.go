package main

import (
	"flag"
	"regexp"

	"github.com/newsarchive/newsarchive/scraper"
)

// fetchFlags are the flags crawl and watch share: the archive, scope,
// politeness, robots.txt, request limits and output. Define them with
// addFetchFlags, then call apply after parsing.
type fetchFlags struct {
	cfg      *scraper.Config
	db       *string
	maxParse *int64
	quiet    *bool
	verbose  *bool
	asJSON   *bool

	domains, include, exclude stringList
}

// addFetchFlags defines the shared flags on fs, filling cfg (whose values
// are the defaults shown).
func addFetchFlags(fs *flag.FlagSet, cfg *scraper.Config) *fetchFlags {
	f := &fetchFlags{cfg: cfg}
	f.db = fs.String("db", "", dbFlagHelp)
	fs.IntVar(&cfg.Parallelism, "parallelism", cfg.Parallelism, "concurrent requests per host")
	fs.IntVar(&cfg.Workers, "workers", cfg.Workers, "concurrent requests over all hosts (this process's share of a fleet; raised to --parallelism)")
	fs.DurationVar(&cfg.Delay, "delay", cfg.Delay, "minimum delay between requests to one host (0 allowed; robots.txt Crawl-delay raises it)")
	fs.IntVar(&cfg.MaxRedirects, "max-redirects", cfg.MaxRedirects, "redirects followed for one request; more, or a loop, fails it")
	fs.IntVar(&cfg.MaxURLLength, "max-url-length", cfg.MaxURLLength, "longer URLs are skipped as traps")
	f.maxParse = fs.Int64("max-parse", defaultMaxParse, "parse at most this many bytes of a page for extraction (the page is archived whole; the record is marked partial)")
	fs.Var(&f.domains, "domain", "also crawl this domain and its subdomains (repeatable; default: the seeds' hosts)")
	fs.Var(&f.include, "include", "only follow URLs matching this regexp (repeatable)")
	fs.Var(&f.exclude, "exclude", "never follow URLs matching this regexp (repeatable)")
	fs.StringVar(&cfg.Contact, "contact", cfg.Contact, "URL or e-mail address put in the User-Agent so site owners can reach you")
	fs.BoolVar(&cfg.IgnoreRobots, "ignore-robots", false, "DO NOT obey robots.txt (impolite; logged loudly)")
	fs.Int64Var(&cfg.MaxBodyBytes, "max-body", cfg.MaxBodyBytes, "cap on a page's decoded size in bytes; longer pages are kept truncated and marked so")
	fs.IntVar(&cfg.MaxRetries, "retries", cfg.MaxRetries, "retries for network errors, 5xx, 408 and 429")
	fs.DurationVar(&cfg.OverallTimeout, "timeout", cfg.OverallTimeout, "overall deadline for one request, body included")
	fs.DurationVar(&cfg.ConnectTimeout, "connect-timeout", cfg.ConnectTimeout, "deadline for the TCP connect")
	fs.DurationVar(&cfg.TLSHandshakeTimeout, "tls-timeout", cfg.TLSHandshakeTimeout, "deadline for the TLS handshake")
	fs.DurationVar(&cfg.ResponseHeaderTimeout, "header-timeout", cfg.ResponseHeaderTimeout, "deadline for the response headers")
	fs.DurationVar(&cfg.IdleReadTimeout, "idle-timeout", cfg.IdleReadTimeout, "give up when the body stalls this long")
	fs.DurationVar(&cfg.MaxRetryAfter, "max-retry-after", cfg.MaxRetryAfter, "cap on a server's Retry-After")
	f.quiet = fs.Bool("quiet", false, "no progress and only warnings in the log")
	f.verbose = fs.Bool("verbose", false, "log every page and article, not only skips, failures and progress")
	f.asJSON = fs.Bool("json", false, "print the final summary as JSON (logs as JSON on stderr)")
	return f
}

// apply checks the parsed shared flags and moves the scope flags into the
// config. It does not validate the whole config: the caller sets its own
// fields first.
func (f *fetchFlags) apply() error {
	if *f.maxParse < 0 {
		return usagef("--max-parse must be >= 0")
	}
	f.cfg.AllowedDomains = append(f.cfg.AllowedDomains, f.domains...)
	for _, p := range f.include {
		re, err := regexp.Compile(p)
		if err != nil {
			return usagef("--include %q: %v", p, err)
		}
		f.cfg.Include = append(f.cfg.Include, re)
	}
	for _, p := range f.exclude {
		re, err := regexp.Compile(p)
		if err != nil {
			return usagef("--exclude %q: %v", p, err)
		}
		f.cfg.Exclude = append(f.cfg.Exclude, re)
	}
	return nil
}
