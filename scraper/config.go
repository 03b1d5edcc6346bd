package scraper

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"

	"golang.org/x/net/html"
)

// Version is the crawler version named in the default User-Agent.
const Version = "0.1"

// DefaultContact is the contact named in the default User-Agent. Operators
// crawling real sites should set Config.Contact to their own URL or address.
const DefaultContact = "https://github.com/newsarchive/newsarchive"

// Config controls a Crawler. Fill it from DefaultConfig and validate it with
// Validate before any I/O; New validates it too.
type Config struct {
	// UserAgent is sent with every request. Its leading product token (the
	// letters before the first "/" or space) is the token robots.txt groups are
	// matched against. Empty means "newsarchive/<Version> (+<Contact>)".
	UserAgent string
	// Contact is a URL or e-mail address where site operators can reach whoever
	// runs the crawl. It is part of the default User-Agent.
	Contact string

	// Parallelism is the maximum number of concurrent requests to one host.
	Parallelism int
	// Delay is the minimum time between the starts of two requests to the same
	// host. A robots.txt Crawl-delay larger than Delay wins (capped by
	// MaxCrawlDelay). 0 is allowed and means "as fast as Parallelism allows";
	// use it for hosts you own (loopback, a test server).
	Delay time.Duration
	// MaxCrawlDelay caps the Crawl-delay a robots.txt may ask for, and the delay
	// a host is slowed down to after repeated errors.
	MaxCrawlDelay time.Duration
	// Workers is the maximum number of concurrent requests over all hosts.
	// It is raised to Parallelism when smaller.
	Workers int

	// MaxPages stops the crawl after this many fetch attempts of frontier
	// entries (pages, sitemaps, feeds; robots.txt is not counted; a retry is
	// an attempt). Entries still queued stay queued for a later run. 0 means
	// no limit.
	MaxPages int
	// PerHostPageBudget is the maximum number of fetch attempts per host in
	// one run; entries of a host over its budget are skipped with reason
	// max_pages. 0 means no limit.
	PerHostPageBudget int
	// MaxDepth is the maximum number of link hops from a seed. Sitemaps,
	// feeds and rel=next pagination do not add a hop. 0 means no limit.
	MaxDepth int

	// AllowedDomains widens the scope beyond the seeds' hosts: a domain also
	// allows all its subdomains ("example.com" allows "www.example.com").
	AllowedDomains []string
	// Include, when not empty, limits the pages followed to URLs matching at
	// least one pattern. Seeds, sitemaps and feeds are exempt so that a site
	// can still be reached.
	Include []*regexp.Regexp
	// Exclude drops URLs that match any pattern (seeds are exempt).
	Exclude []*regexp.Regexp
	// IgnoreRobots disables robots.txt. The crawler logs a warning at start.
	IgnoreRobots bool

	// ConnectTimeout bounds the TCP connect.
	ConnectTimeout time.Duration
	// TLSHandshakeTimeout bounds the TLS handshake.
	TLSHandshakeTimeout time.Duration
	// ResponseHeaderTimeout bounds the wait for response headers once the
	// request is written.
	ResponseHeaderTimeout time.Duration
	// IdleReadTimeout bounds the wait between two reads of the body, so a
	// server that stalls mid-body is given up on.
	IdleReadTimeout time.Duration
	// OverallTimeout bounds a whole request, redirects and body included, so a
	// server trickling one byte a second costs at most this much.
	OverallTimeout time.Duration

	// MaxBodyBytes caps the decoded (transfer- and content-decoded) body. A
	// longer body is cut, Response.Truncated is set and the result carries
	// reason too_large.
	MaxBodyBytes int64
	// MaxRedirects is the maximum number of redirects followed for one request.
	// More, or a loop, fails the entry with reason redirect_limit.
	MaxRedirects int
	// MaxRetries is the number of retries after the first attempt for network
	// errors, timeouts, 5xx, 408 and 429.
	MaxRetries int
	// RetryBaseDelay and RetryMaxDelay bound the exponential backoff with full
	// jitter between attempts: a random wait in [0, min(max, base·2^(n-1))).
	RetryBaseDelay time.Duration
	// RetryMaxDelay caps the backoff, see RetryBaseDelay.
	RetryMaxDelay time.Duration
	// MaxRetryAfter caps a server's Retry-After (seconds or HTTP date).
	MaxRetryAfter time.Duration
	// MaxURLLength is the longest URL accepted; longer ones are skipped with
	// reason trap.
	MaxURLLength int
	// RobotsTTL is how long a fetched robots.txt is trusted.
	RobotsTTL time.Duration
	// RobotsClock, when set, is the clock robots.txt expiry is measured by
	// (nil: time.Now). A long-running watch whose schedule runs on a test
	// clock sets it so robots.txt expires in that clock's time.
	RobotsClock func() time.Time

	// SharedRobots, when set, shares fetched robots.txt files with other
	// crawlers (a fleet of workers): before fetching an origin's robots.txt
	// the crawler reads it there, and uses it while it is fresh; a file it
	// fetched itself is put there. Keys are origins (scheme://host[:port]).
	SharedRobots RobotsShare

	// ParseHTML, when set, is given every 2xx HTML response of a page entry
	// (kind page) before its links are discovered, so that the page is
	// parsed once: the caller parses it for its own use (the pipeline
	// extracts the article record from it) and returns the document's
	// tree, whose a, area, link and base elements link discovery then reads
	// instead of tokenising the page a second time. A nil root leaves the
	// page to the tokenizer (return nil when the tree does not hold the
	// body's bytes as they are: cut, or converted from another charset).
	// parsed is kept in Result.Parsed for the Sink. It is called from the
	// crawler's workers, concurrently.
	ParseHTML func(e Entry, resp *Response) (root *html.Node, parsed any)

	// TemplateBudget is trap defence by yield: a path template (see
	// Template) whose pages, this many in a row, were no article and linked
	// nothing new under another template is cut, and its further URLs are
	// skipped with reason trap_template (seeds, sitemaps, feeds and the
	// URLs they list excepted). Calendar- and pagination-shaped templates
	// get half. An article or a new link resets the count. 0 turns it off.
	TemplateBudget int

	// RecordWire records every exchange as it crossed the wire into
	// Response.Wire (for WARC capture). It makes requests HTTP/1.1 only and
	// does TLS in the crawler's own dialer; off, the fetch path is unchanged.
	RecordWire bool

	// PageRequisites also fetches, for every HTML page, the stylesheets
	// (and their url() and @import targets), images, icons and fonts it is
	// drawn with (entries of kind KindRequisite), so that an archived page
	// replays as it looked. They may be on any host (a CDN): only the
	// exclude patterns, robots.txt and politeness apply to them. They are
	// never parsed for links to follow.
	PageRequisites bool
	// MaxRequisitesPerPage bounds the requisites taken from one page or
	// stylesheet (0: no limit).
	MaxRequisitesPerPage int
	// MaxRequisiteBytes caps a requisite's body, like MaxBodyBytes (which
	// also applies) caps a page's (0: MaxBodyBytes alone).
	MaxRequisiteBytes int64
}

// Safe bounds applied by default, so that no crawler trap (an endless
// calendar, generated pages) can hold a crawl forever. Listing pagination,
// sitemaps and feeds add no depth, so real articles sit a few hops from a seed.
const (
	DefaultMaxDepth   = 25
	DefaultHostBudget = 200_000
	// DefaultTemplateBudget is Config.TemplateBudget by default.
	DefaultTemplateBudget = 20
)

// DefaultConfig returns the defaults: polite (robots.txt, 1 s per host, 2 in
// parallel per host) and bounded (16 MiB bodies, 10 redirects, 3 retries).
func DefaultConfig() Config {
	return Config{
		Contact:               DefaultContact,
		Parallelism:           2,
		Delay:                 time.Second,
		MaxCrawlDelay:         60 * time.Second,
		Workers:               64,
		MaxDepth:              DefaultMaxDepth,
		PerHostPageBudget:     DefaultHostBudget,
		TemplateBudget:        DefaultTemplateBudget,
		ConnectTimeout:        10 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 20 * time.Second,
		IdleReadTimeout:       20 * time.Second,
		OverallTimeout:        60 * time.Second,
		MaxBodyBytes:          16 << 20,
		MaxRedirects:          10,
		MaxRetries:            3,
		RetryBaseDelay:        time.Second,
		RetryMaxDelay:         60 * time.Second,
		MaxRetryAfter:         5 * time.Minute,
		MaxURLLength:          2048,
		RobotsTTL:             24 * time.Hour,
		MaxRequisitesPerPage:  DefaultMaxRequisitesPerPage,
		MaxRequisiteBytes:     DefaultMaxRequisiteBytes,
	}
}

// ErrInvalidConfig is wrapped by every error Validate returns.
var ErrInvalidConfig = errors.New("invalid config")

// Validate reports every problem with c at once, each wrapping
// ErrInvalidConfig. It does no I/O.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, a...)...))
	}
	if c.UserAgent == "" && c.Contact == "" {
		bad("a contact URL or address is required for the User-Agent")
	}
	if c.Contact != "" && !validContact(c.Contact) {
		bad("contact %q is neither an http(s) URL nor an e-mail address", c.Contact)
	}
	if c.UserAgent != "" && productToken(c.UserAgent) == "" {
		bad("user agent %q does not start with a product token", c.UserAgent)
	}
	if strings.ContainsAny(c.UserAgent, "\r\n") || strings.ContainsAny(c.Contact, "\r\n") {
		bad("user agent and contact must be one line")
	}
	if c.Parallelism < 1 {
		bad("parallelism %d < 1", c.Parallelism)
	}
	if c.Workers < 0 {
		bad("workers %d < 0", c.Workers)
	}
	for name, d := range map[string]time.Duration{
		"delay": c.Delay, "max crawl delay": c.MaxCrawlDelay,
	} {
		if d < 0 {
			bad("%s %v < 0", name, d)
		}
	}
	for name, d := range map[string]time.Duration{
		"connect timeout": c.ConnectTimeout, "TLS handshake timeout": c.TLSHandshakeTimeout,
		"response header timeout": c.ResponseHeaderTimeout, "idle read timeout": c.IdleReadTimeout,
		"overall timeout": c.OverallTimeout, "retry base delay": c.RetryBaseDelay,
		"retry max delay": c.RetryMaxDelay, "max retry-after": c.MaxRetryAfter,
		"robots TTL": c.RobotsTTL,
	} {
		if d <= 0 {
			bad("%s %v must be > 0", name, d)
		}
	}
	if c.MaxPages < 0 || c.PerHostPageBudget < 0 || c.MaxDepth < 0 || c.TemplateBudget < 0 {
		bad("max pages, per-host budget, max depth and template budget must be >= 0")
	}
	if c.MaxRequisitesPerPage < 0 || c.MaxRequisiteBytes < 0 {
		bad("max requisites per page and max requisite bytes must be >= 0")
	}
	if c.MaxBodyBytes <= 0 {
		bad("max body bytes %d must be > 0", c.MaxBodyBytes)
	}
	if c.MaxRedirects < 0 || c.MaxRetries < 0 {
		bad("max redirects and max retries must be >= 0")
	}
	if c.MaxURLLength < 16 {
		bad("max URL length %d < 16", c.MaxURLLength)
	}
	for _, d := range c.AllowedDomains {
		if normDomain(d) == "" {
			bad("allowed domain %q is not a host name", d)
		}
	}
	for i, re := range c.Include {
		if re == nil {
			bad("include pattern %d is nil", i)
		}
	}
	for i, re := range c.Exclude {
		if re == nil {
			bad("exclude pattern %d is nil", i)
		}
	}
	return errors.Join(errs...)
}

// userAgent is the User-Agent header value.
func (c Config) userAgent() string {
	if c.UserAgent != "" {
		return c.UserAgent
	}
	return "newsarchive/" + Version + " (+" + c.Contact + ")"
}

func validContact(s string) bool {
	if u, err := url.Parse(s); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return true
	}
	a, err := mail.ParseAddress(strings.TrimPrefix(s, "mailto:"))
	return err == nil && a.Address != ""
}

// productToken returns the leading product token of a User-Agent
// ("newsarchive/0.1 (+…)" → "newsarchive"), lowercased: RFC 9309 §2.2.1
// matches it case-insensitively against user-agent lines.
func productToken(ua string) string {
	i := 0
	for i < len(ua) && isTokenChar(ua[i]) {
		i++
	}
	return strings.ToLower(ua[:i])
}

func isTokenChar(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_' || b == '-'
}

// normDomain lowercases d and strips a leading "." or "*." and a trailing
// dot; it returns "" when d is not a plausible host name.
func normDomain(d string) string {
	d = strings.ToLower(strings.TrimSpace(d))
	d = strings.TrimPrefix(d, "*.")
	d = strings.TrimPrefix(d, ".")
	d = strings.TrimSuffix(d, ".")
	if d == "" || strings.ContainsAny(d, "/:?#@ ") {
		return ""
	}
	return d
}
