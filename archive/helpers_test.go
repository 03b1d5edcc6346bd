package archive

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/extract"
)

func openTest(t testing.TB, opts ...Option) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	s, err := Open(context.Background(), path, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s, path
}

func startRun(t testing.TB, s *Store) int64 {
	t.Helper()
	id, _, err := s.StartRun(context.Background(), []string{"https://example.com/"}, map[string]any{"parallelism": 4})
	if err != nil {
		t.Fatalf("StartRun: %v", err)
	}
	return id
}

var words = strings.Fields(`the company said on tuesday that production of electric vehicles would rise
sharply next quarter as new factories in texas and berlin reach full capacity analysts expected
deliveries to exceed previous estimates while battery supply remains constrained by raw material
prices engineers reported progress on solar roof installations and energy storage projects across
several states regulators reviewed safety data from autonomous driving tests and investors debated
valuation after the stock climbed to a record high`)

// fillerText is random prose that filler cuts windows from: generating
// 100 KB of fresh words per page would dominate the tests under -race.
var fillerText = sync.OnceValue(func() string { return genText(rand.New(rand.NewPCG(9, 9)), 100_000) })

// filler returns n bytes of prose from a random place in fillerText.
func filler(r *rand.Rand, n int) string {
	t := fillerText()
	i := r.IntN(len(t) - n)
	return t[i : i+n]
}

// genText returns n pseudo-random words from a fixed vocabulary.
func genText(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			if i%60 == 0 {
				b.WriteString(".\n\n")
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(words[r.IntN(len(words))])
	}
	return b.String()
}

type artOpt func(*extract.Article)

func withAuthors(names ...string) artOpt {
	return func(a *extract.Article) {
		a.Authors = nil
		for _, n := range names {
			a.Authors = append(a.Authors, extract.Author{Name: n, Bio: n + " writes about cars.", URL: "https://example.com/authors/" + strings.ReplaceAll(strings.ToLower(n), " ", "-")})
		}
	}
}

func withEditors(eds ...extract.Editor) artOpt {
	return func(a *extract.Article) { a.Editors = eds }
}

func withTags(tags ...string) artOpt { return func(a *extract.Article) { a.Tags = tags } }

func withPublished(s string) artOpt { return func(a *extract.Article) { a.PublishedAt = s } }

func withCanonical(u string) artOpt { return func(a *extract.Article) { a.CanonicalURL = u } }

func withRelated(ls ...extract.Link) artOpt { return func(a *extract.Article) { a.Related = ls } }

func withBody(body string) artOpt {
	return func(a *extract.Article) {
		a.BodyText = body
		a.WordCount = len(strings.Fields(body))
	}
}

func newArticle(url, title string, opts ...artOpt) *extract.Article {
	a := &extract.Article{
		URL:              url,
		CanonicalURL:     url,
		SiteName:         "Example News",
		Language:         "en",
		Title:            title,
		PublishedAt:      "2021-02-10T09:00:00Z",
		Description:      "About " + title,
		BodyText:         "Body of " + title,
		BodyHTML:         "<p>Body of " + title + "</p>",
		ExtractorVersion: extract.Version,
		IsArticle:        true,
		Sources:          map[string]string{"title": extract.SourceJSONLD},
	}
	withAuthors("Eva Fox")(a)
	for _, o := range opts {
		o(a)
	}
	a.WordCount = len(strings.Fields(a.BodyText))
	return a
}

func htmlFor(a *extract.Article) []byte {
	return []byte("<!doctype html><html><head><title>" + a.Title + "</title></head><body><article>" +
		a.BodyHTML + "</article></body></html>")
}

// captureOf returns a done capture of a 200 page at url carrying article a
// (which may be nil).
func captureOf(url string, a *extract.Article, links ...QueueEntry) Capture {
	var body []byte
	if a != nil {
		body = htmlFor(a)
	} else {
		body = []byte("<html><body>listing</body></html>")
	}
	return Capture{
		Entry: QueueEntry{URL: url, Kind: "page", Attempts: 1},
		State: StateDone,
		Page: &Page{
			URL: url, FinalURL: url, Status: 200,
			Header:      http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Etag": {`"v1"`}, "Last-Modified": {"Wed, 10 Feb 2021 09:00:00 GMT"}},
			FetchedAt:   time.Now(),
			Duration:    25 * time.Millisecond,
			ContentType: "text/html; charset=utf-8",
			Body:        body,
		},
		Article: a,
		Links:   links,
	}
}

func commit(t testing.TB, s *Store, runID int64, caps ...Capture) []CommitResult {
	t.Helper()
	res, err := s.Commit(context.Background(), runID, caps)
	if err != nil {
		t.Fatalf("Commit: %v", err)
	}
	return res
}

func queryInt(t testing.TB, s *Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.r.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// realisticCapture builds a capture like a real news page: ~100 KB of HTML,
// an ~800-word article, 150 links of which some are new.
func realisticCapture(r *rand.Rand, i int) Capture {
	url := fmt.Sprintf("https://news.example.com/blogs/n/article-%d", i)
	body := genText(r, 800)
	rel := make([]extract.Link, 5)
	for j := range rel {
		rel[j] = extract.Link{Title: "Related " + fmt.Sprint(j), URL: fmt.Sprintf("https://news.example.com/blogs/n/article-%d", r.IntN(10000))}
	}
	a := newArticle(url, fmt.Sprintf("Article %d: %s", i, genText(r, 8)),
		withBody(body), withAuthors("Eva Fox"), withTags("Tesla", "Energy", "Giga Texas"),
		withEditors(extract.Editor{Name: "Jane Editor", Handle: "@jane"}), withRelated(rel...))
	var html strings.Builder
	html.WriteString("<!doctype html><html><head><title>" + a.Title + "</title>")
	// Scripts, styles and navigation make up most of a real page's bytes.
	for html.Len() < 60_000 {
		html.WriteString(`<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());` + filler(r, 150) + "</script>\n")
	}
	html.WriteString("</head><body><nav>")
	links := make([]QueueEntry, 150)
	for j := range links {
		u := fmt.Sprintf("https://news.example.com/blogs/n/article-%d", r.IntN(20000))
		links[j] = QueueEntry{URL: u, Depth: 2, Kind: "page", Via: url}
		fmt.Fprintf(&html, `<li class="nav-item"><a href="%s" class="link">%s</a></li>`+"\n", u, genText(r, 4))
	}
	html.WriteString("</nav><article>")
	for _, p := range strings.Split(body, "\n\n") {
		html.WriteString("<p>" + p + "</p>\n")
	}
	html.WriteString("</article><footer>")
	for html.Len() < 100_000 {
		html.WriteString(`<div class="footer-col"><span>` + filler(r, 90) + "</span></div>\n")
	}
	html.WriteString("</footer></body></html>")
	a.BodyHTML = "<p>" + strings.ReplaceAll(body, "\n\n", "</p><p>") + "</p>"
	c := captureOf(url, a, links...)
	c.Page.Body = []byte(html.String())
	return c
}

func itoa(n int) string { return fmt.Sprint(n) }

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed)) }

func randomBytes(n int) []byte {
	r := newRand(uint64(n))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}
