package scraper

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/newsarchive/newsarchive/internal/testsite"
)

// TestFixtureSite crawls the saved Tesmanian site (internal/testsite) on
// loopback: every sitemap-listed page is archived, robots.txt-forbidden
// paths get no request, and no URL is fetched twice.
func TestFixtureSite(t *testing.T) {
	site := testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true})
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)

	store := newMemStore()
	sum, _ := crawl(t, testConfig(), store, srv.URL+"/")

	if n := site.DuplicateFetches(); n != 0 {
		t.Errorf("%d duplicate fetches", n)
	}
	for _, line := range site.RequestLog() {
		p := strings.TrimPrefix(line, "GET ")
		for _, forbidden := range []string{"/cart", "/account", "/search", "/policies/", "/checkout", "/admin"} {
			if strings.HasPrefix(p, forbidden) {
				t.Errorf("robots.txt-forbidden %s requested", p)
			}
		}
	}
	if sum.ByReason[ReasonRobots] == 0 {
		t.Error("no robots-disallowed link recorded")
	}

	// Every page the sitemaps list was archived.
	var listed []string
	for _, sm := range []string{"/sitemap_blogs_1.xml", "/sitemap_pages_1.xml", "/sitemap_products_1.xml", "/sitemap_collections_1.xml"} {
		resp, err := http.Get(srv.URL + sm)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		_, items, err := parseXMLLinks(body, 1<<20)
		if err != nil {
			t.Fatalf("%s: %v", sm, err)
		}
		for _, it := range items {
			listed = append(listed, it.loc)
		}
	}
	if len(listed) < 15 {
		t.Fatalf("only %d sitemap URLs", len(listed))
	}
	for _, u := range listed {
		c, err := Canonicalize(u)
		if err != nil {
			t.Errorf("%s: %v", u, err)
			continue
		}
		if got := store.state(c); got != StateDone {
			t.Errorf("%s: state %q, want done", c, got)
		}
	}
	if n := store.countState(StateInFlight) + store.countState(StateQueued); n != 0 {
		t.Errorf("%d entries left pending", n)
	}
	t.Logf("fixture: %d fetched, by state %v, by reason %v", sum.Fetched, sum.ByState, sum.ByReason)
}
