package scraper

import (
	"context"
	"net/http"
	"time"

	"github.com/newsarchive/newsarchive/frontier"
)

// Kind says what an entry is expected to be, which decides how its response is
// parsed for further URLs (the frontier package's vocabulary).
type Kind = frontier.Kind

// Entry kinds.
const (
	KindPage    = frontier.KindPage    // an HTML page: links are followed
	KindSitemap = frontier.KindSitemap // sitemap.xml, sitemap index or child sitemap
	KindFeed    = frontier.KindFeed    // Atom or RSS feed
)

// State is the state of a frontier entry (the frontier package's vocabulary).
type State = frontier.State

// Frontier states. Queued and InFlight are live; the rest are terminal for a run.
const (
	StateQueued   = frontier.StateQueued
	StateInFlight = frontier.StateInFlight
	StateDone     = frontier.StateDone
	StateFailed   = frontier.StateFailed
	StateSkipped  = frontier.StateSkipped
)

// Reason codes for failed and skipped entries: the frontier package's, as
// the strings Result.Reason holds. They are stable: the archive stores them
// and `stats` groups by them.
const (
	ReasonRobots        = string(frontier.ReasonRobots)        // disallowed by robots.txt
	ReasonRobotsUnavail = string(frontier.ReasonRobotsUnavail) // robots.txt answered 5xx or was unreachable
	ReasonOutOfScope    = string(frontier.ReasonOutOfScope)    // host, pattern or depth limits
	ReasonMaxPages      = string(frontier.ReasonMaxPages)      // page budget reached
	ReasonHTTPStatus    = string(frontier.ReasonHTTPStatus)    // a 4xx/5xx answer (the detail carries the code)
	ReasonTimeout       = string(frontier.ReasonTimeout)       // connect, header or overall deadline
	ReasonNetwork       = string(frontier.ReasonNetwork)       // connection refused, reset, DNS …
	ReasonTooLarge      = string(frontier.ReasonTooLarge)      // body cap reached (the page is kept, marked truncated)
	ReasonRedirectLimit = string(frontier.ReasonRedirectLimit) // too many redirects or a loop
	ReasonNotHTML       = string(frontier.ReasonNotHTML)       // PDF, image or other content that is not parsed
	ReasonTrap          = string(frontier.ReasonTrap)          // URL too long, repeating segments …
	ReasonInterrupted   = string(frontier.ReasonInterrupted)   // claimed but not fetched when the run stopped; requeued
	// ReasonTrapTemplate (trap_template, traps.go): the URL's path template
	// kept producing pages without yield.
)

// Entry is one URL in the frontier (the frontier package's Entry). URL is
// canonical (see Canonicalize) and is the frontier's key. Request, when set,
// is the URL as the site linked it (resolved, fragment dropped,
// percent-encoding normalised as RFC 9309 §2.2.2 compares paths): the
// request goes there, and robots.txt must allow both forms. Listed URLs (a
// sitemap or feed listed them) are never cut by trap defence.
type Entry = frontier.Entry

// Response is a fetched exchange as it should be archived.
type Response struct {
	URL         string      // the requested (canonical) URL
	FinalURL    string      // the URL after redirects
	Redirects   []string    // the chain of URLs before FinalURL, in order (empty without redirects)
	Status      int         // HTTP status of the final response
	Header      http.Header // response header of the final response
	Body        []byte      // decoded body (transfer/content-encoding removed), at most the cap
	Truncated   bool        // the body was cut at the size cap
	FetchedAt   time.Time
	Duration    time.Duration
	ContentType string // media type of the body, from the header or sniffed
	NotModified bool   // the server answered 304 to a conditional request
	// Wire holds the exchanges of this fetch as they crossed the wire, one per
	// hop in order (redirects first); set only when Config.RecordWire is.
	// ReleaseWire hands their buffers back for reuse.
	Wire []Exchange
	// RedirectStatuses holds the status of each URL of Redirects (301, 302,
	// 307, 308…), in the same order.
	RedirectStatuses []int

	wirePool *wirePool // where Wire's buffers came from
}

// ReleaseWire drops Wire and lets the crawler reuse its buffers for later
// recordings. Call it once the bytes are written elsewhere (a WARC file);
// no slice of Wire may be used afterwards.
func (r *Response) ReleaseWire() {
	if r.wirePool != nil {
		for _, ex := range r.Wire {
			r.wirePool.put(ex.Request)
			r.wirePool.put(ex.Response)
		}
	}
	r.Wire = nil
}

// Result is the outcome of processing one entry. The frontier commits it
// atomically: the archived response, the entry's new state and the URLs found.
type Result struct {
	Entry    Entry
	State    State     // Done, Failed, Skipped, or Queued for a retry
	Reason   string    // a Reason* code for Failed, Skipped and retries
	Detail   string    // human detail, e.g. "HTTP 404" or the error text
	Response *Response // nil when nothing was received
	Links    []Entry   // in-scope URLs discovered in the response (canonical, de-duplicated)
	// Template is the path template (see Template) of a fetched page that
	// trap defence counts, "" otherwise; Yield says whether the page's links
	// yielded (see traps). A Sink that keeps TemplateSource state durable
	// counts the fetch with Yield || Article, in the same transaction.
	Template string
	Yield    bool
	// YieldLinks are the links that made Yield true: new to this crawler,
	// under another template that is not cut. A Sink whose counts are
	// shared by several crawlers (TemplateFeed) counts the fetch as
	// yielding only when one of them is new to the shared frontier too.
	YieldLinks []string
	// Article is set by the Sink's Commit when it recognised the response as
	// an article; the crawler reads it after Commit returns (an article
	// resets its template's budget).
	Article bool
	// Parsed is what Config.ParseHTML returned for the response (nil when
	// it is unset or was not called), for the Sink.
	Parsed any
}

// Frontier is the durable queue of URLs to crawl. Implementations must be safe for
// concurrent use. The SQLite archive provides one; a shared backend can be added
// later without changing the scraper.
type Frontier interface {
	// Add enqueues entries not yet seen in this run; it ignores ones already
	// queued, in flight or finished in this run. It returns how many were added.
	Add(ctx context.Context, entries []Entry) (int, error)
	// Claim moves up to n queued entries whose NotBefore has passed to in flight
	// and returns them. It returns an empty slice when none is ready.
	Claim(ctx context.Context, n int) ([]Entry, error)
	// Pending reports how many entries are queued (ready or not) or in flight.
	Pending(ctx context.Context) (int, error)
}

// Sink receives every Result. It must store the result atomically together with
// the entry's new state and its discovered links (enqueued as by Frontier.Add), so
// that a crash never loses a finished page nor keeps a half-committed one. It may
// return before the result is durable, provided the entry stays in flight in the
// Frontier (and so counts as Pending) until it is: a crash then leaves the entry in
// flight, to be fetched again when the frontier is reopened. A returned error stops
// the crawl. For a retry (State Queued) it requeues the entry with its NotBefore
// and Attempts.
type Sink interface {
	Commit(ctx context.Context, r *Result) error
}

// History gives what an earlier run archived for a URL, for conditional requests
// and for finding links again in a page that answered 304.
type History interface {
	// Previous returns the validators and body of the latest archived 2xx response
	// for url; ok is false when there is none.
	Previous(ctx context.Context, url string) (prev Previous, ok bool, err error)
}

// Previous is an earlier archived response.
type Previous struct {
	ETag         string
	LastModified string
	Body         []byte
	ContentType  string
}

// RobotsShare is where crawlers share robots.txt files (frontier.Fleet's
// robots cache). Robots returns a cached copy, ok false when there is none
// (a stale one is returned: see frontier.Robots.Fresh); PutRobots replaces
// it. Status 0 means the origin was unreachable.
type RobotsShare interface {
	Robots(ctx context.Context, origin string) (r frontier.Robots, ok bool, err error)
	PutRobots(ctx context.Context, origin string, r frontier.Robots) error
}
