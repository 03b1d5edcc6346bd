package testsite

import (
	"net/http"
	"net/url"
	"slices"
	"sync"
)

// counter records the requests a site receives. Its methods are promoted to
// Site and GenSite.
type counter struct {
	mu         sync.Mutex
	total      int
	duplicates int
	byPath     map[string]int
	log        []string
}

func newCounter() counter { return counter{byPath: map[string]int{}} }

// requestKey is the path and query of a request, as RequestLog reports it.
func requestKey(r *http.Request) string {
	if r.URL.RawQuery == "" {
		return r.URL.Path
	}
	return r.URL.Path + "?" + r.URL.RawQuery
}

func (c *counter) count(r *http.Request) {
	key := requestKey(r)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total++
	if r.Method == http.MethodGet && c.byPath[key] > 0 && r.URL.Path != "/robots.txt" {
		c.duplicates++
	}
	c.byPath[key]++
	c.log = append(c.log, r.Method+" "+key)
}

// Requests returns how many requests (any method, any outcome) asked for the
// given path and query, e.g. "/blogs/tesmanian-blog?page=2". The query must be
// spelled as the client sent it.
func (c *counter) Requests(pathAndQuery string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byPath[pathAndQuery]
}

// TotalRequests returns the number of requests received.
func (c *counter) TotalRequests() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

// DuplicateFetches returns the number of GET requests for a path and query
// that had been requested before (robots.txt excluded): zero for a crawler
// that never fetches a URL twice.
func (c *counter) DuplicateFetches() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.duplicates
}

// RequestLog returns the requests received so far, in order, each as
// "METHOD /path?query".
func (c *counter) RequestLog() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.log)
}

// ResetCounters forgets all requests received so far.
func (c *counter) ResetCounters() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total, c.duplicates = 0, 0
	c.byPath = map[string]int{}
	c.log = nil
}

func parseQuery(raw string) (url.Values, error) {
	if raw == "" {
		return url.Values{}, nil
	}
	return url.ParseQuery(raw)
}
