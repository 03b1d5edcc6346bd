package archive

import (
	"net/http"
	"time"

	"github.com/newsarchive/newsarchive/extract"
	"github.com/newsarchive/newsarchive/frontier"
)

// QueueEntry is a URL in the persistent frontier (table frontier): the
// frontier package's Entry. URL is the key; Kind "" means page. LastMod is
// not stored.
type QueueEntry = frontier.Entry

// Page is one fetched response, archived before anything is extracted from it.
type Page struct {
	ID          int64
	RunID       int64
	URL         string   // requested URL
	FinalURL    string   // URL after redirects
	Redirects   []string // chain before FinalURL
	Status      int
	Header      http.Header
	FetchedAt   time.Time
	Duration    time.Duration
	ContentType string
	Body        []byte // decoded body; stored compressed
	SHA256      string // hex digest of Body; computed by the store when empty
	Truncated   bool
	NotModified bool // answered 304 to a conditional request
	// WARCFile and WARCOffset say where the page's capture lies in a WARC
	// file (absolute path, byte offset of its response record); WARCFile is
	// empty when it lies in none.
	WARCFile   string
	WARCOffset int64
}

// Capture is everything one processed frontier entry produced. Store.Commit writes
// a batch of captures in one transaction: the raw page first, then the record
// (when Article is non-nil and Article.IsArticle), then the discovered links into
// the frontier, then the entry's new state.
type Capture struct {
	Entry   QueueEntry
	State   string // "done", "failed", "skipped", or "queued" for a retry
	Reason  string // reason code for failed/skipped/retry
	Detail  string
	Page    *Page            // nil when nothing was received
	Article *extract.Article // nil when the page was not extracted
	// ExtractError is set when extraction failed; the raw page is still kept.
	ExtractError string
	Links        []QueueEntry
	// Template, when set, is the path template of the fetched page that
	// trap defence counts; the fetch yielded when TemplateYield is set or an
	// article was extracted. Commit updates trap_templates with it.
	Template      string
	TemplateYield bool
	// YieldLinks are the links that made TemplateYield true (new to the
	// crawler, under another template that is not cut). A store shared by
	// several crawlers (PostgreSQL) counts the fetch as yielding only when
	// one of them is new to its frontier too; empty: TemplateYield as is.
	YieldLinks []string
}

// CommitResult reports what Commit did for one capture, in input order.
type CommitResult struct {
	PageID     int64
	ArticleID  int64 // 0 when no article was stored
	VersionID  int64
	NewArticle bool // first time this canonical URL was archived
	NewVersion bool // content differed from the latest version (includes NewArticle)
	LinksAdded int
	// TemplateCount is trap defence's shared count of the capture's
	// Template after this fetch, set by a store that shares the counts of a
	// run among its crawlers (PostgreSQL); zero otherwise.
	TemplateCount TemplateStat
}
