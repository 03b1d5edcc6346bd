package testsite

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// GenOptions configures a generated site. The zero value gives the default
// benchmark site.
type GenOptions struct {
	// Pages is the number of article pages (default 10,000).
	Pages int
	// Seed selects the pseudo-random content (default 1). The same options
	// always produce byte-identical pages.
	Seed uint64
	// Latency is slept before answering each request; a request whose context
	// ends first is abandoned.
	Latency time.Duration
	// PerPage is the number of cards on a listing page (default 24).
	PerPage int
	// SitemapURLs is the number of URLs per child sitemap (default and
	// maximum 50,000, the protocol's limit).
	SitemapURLs int
}

// Defaults of GenOptions.
const (
	DefaultGenPages   = 10000
	DefaultGenPerPage = 24
	MaxSitemapURLs    = 50000
	genTags           = 20
	genRelated        = 60 // related-article cards per page, two links each
	genBlog           = "/blogs/news"
)

// GenSite is a deterministic synthetic news site for benchmarks: article pages
// of about 100 KB with about 150 links each (mostly to other articles),
// paginated listings, tag pages, a sitemap index with child sitemaps and a
// robots.txt that allows everything. Page i is computed from i on every
// request; nothing is cached. It is safe for concurrent use.
//
// URLs: "/" (home), "/robots.txt", "/sitemap.xml", "/sitemap_blogs_K.xml",
// "/blogs/news?page=N", "/blogs/news/tagged/tag-T", and article i at
// ArticlePath(i) = "/blogs/news/<slug>-<i>". Absolute URLs in the pages use the
// request's own origin.
type GenSite struct {
	opts GenOptions
	counter
}

// NewGenerated returns a generated site.
func NewGenerated(opts GenOptions) *GenSite {
	if opts.Pages <= 0 {
		opts.Pages = DefaultGenPages
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.PerPage <= 0 {
		opts.PerPage = DefaultGenPerPage
	}
	if opts.SitemapURLs <= 0 || opts.SitemapURLs > MaxSitemapURLs {
		opts.SitemapURLs = MaxSitemapURLs
	}
	return &GenSite{opts: opts, counter: newCounter()}
}

// Generated returns NewGenerated(opts) as an http.Handler.
func Generated(opts GenOptions) http.Handler { return NewGenerated(opts) }

// Pages returns the number of article pages.
func (g *GenSite) Pages() int { return g.opts.Pages }

// ListingPages returns the number of pages of the blog listing.
func (g *GenSite) ListingPages() int { return (g.opts.Pages + g.opts.PerPage - 1) / g.opts.PerPage }

// ArticlePath returns the URL path of article i (0 ≤ i < Pages()).
func (g *GenSite) ArticlePath(i int) string { return articlePath(g.title(i), i) }

func articlePath(title string, i int) string {
	return genBlog + "/" + slug(title) + "-" + strconv.Itoa(i)
}

// ServeHTTP implements http.Handler.
func (g *GenSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.count(r)
	if g.opts.Latency > 0 {
		t := time.NewTimer(g.opts.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	origin := "http://" + r.Host
	p := r.URL.Path
	var body, ctype string
	switch {
	case p == "/robots.txt":
		body, ctype = "User-agent: *\nAllow: /\n\nSitemap: "+origin+"/sitemap.xml\n", "text/plain; charset=utf-8"
	case p == "/sitemap.xml":
		body, ctype = g.sitemapIndex(origin), "application/xml; charset=utf-8"
	case strings.HasPrefix(p, "/sitemap_blogs_") && strings.HasSuffix(p, ".xml"):
		k, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(p, "/sitemap_blogs_"), ".xml"))
		if err != nil || k < 1 || (k-1)*g.opts.SitemapURLs >= g.opts.Pages {
			http.NotFound(w, r)
			return
		}
		body, ctype = g.sitemap(origin, k), "application/xml; charset=utf-8"
	case p == "/":
		body, ctype = g.home(origin), "text/html; charset=utf-8"
	case p == genBlog:
		n := 1
		if v := r.URL.Query().Get("page"); v != "" {
			var err error
			if n, err = strconv.Atoi(v); err != nil || n < 1 || n > g.ListingPages() {
				http.NotFound(w, r)
				return
			}
		}
		body, ctype = g.listing(origin, n), "text/html; charset=utf-8"
	case strings.HasPrefix(p, genBlog+"/tagged/tag-"):
		t, err := strconv.Atoi(strings.TrimPrefix(p, genBlog+"/tagged/tag-"))
		if err != nil || t < 0 || t >= genTags {
			http.NotFound(w, r)
			return
		}
		body, ctype = g.tagPage(origin, t), "text/html; charset=utf-8"
	case strings.HasPrefix(p, genBlog+"/"):
		i, ok := g.articleIndex(p)
		if !ok {
			http.NotFound(w, r)
			return
		}
		body, ctype = g.Article(origin, i), "text/html; charset=utf-8"
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = io.WriteString(w, body)
}

func (g *GenSite) articleIndex(p string) (int, bool) {
	dash := strings.LastIndexByte(p, '-')
	if dash < 0 {
		return 0, false
	}
	i, err := strconv.Atoi(p[dash+1:])
	if err != nil || i < 0 || i >= g.opts.Pages || strconv.Itoa(i) != p[dash+1:] {
		return 0, false
	}
	return i, p == g.ArticlePath(i)
}

// rng returns the pseudo-random source of one page.
func (g *GenSite) rng(kind, i int) *rand.Rand {
	return rand.New(rand.NewPCG(g.opts.Seed, uint64(kind)<<40|uint64(i)))
}

const (
	rngTitle = iota + 1
	rngBody
	rngMeta
)

func (g *GenSite) title(i int) string {
	pcg := rand.NewPCG(g.opts.Seed, uint64(rngTitle)<<40|uint64(i))
	intN := func(n int) int { return int(pcg.Uint64() % uint64(n)) }
	n := 6 + intN(5)
	var b strings.Builder
	b.Grow(80)
	for k := 0; k < n; k++ {
		if k > 0 {
			b.WriteByte(' ')
		}
		w := genWords[intN(len(genWords))]
		if k == 0 || intN(3) > 0 {
			b.WriteString(strings.ToUpper(w[:1]))
			b.WriteString(w[1:])
		} else {
			b.WriteString(w)
		}
	}
	return b.String()
}

func slug(title string) string {
	b := []byte(title)
	for k, c := range b {
		switch {
		case c == ' ':
			b[k] = '-'
		case 'A' <= c && c <= 'Z':
			b[k] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func (g *GenSite) author(i int) (string, string) {
	a := genAuthors[g.rng(rngMeta, i).IntN(len(genAuthors))]
	return a[0], a[1]
}

func (g *GenSite) tag(i int) int { return i % genTags }

// published is article i's publication time: one article every 97 minutes.
func published(i int) time.Time {
	return time.Date(2021, time.January, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * 97 * time.Minute)
}

// Article returns the HTML of article i with absolute URLs at origin. It is
// what ServeHTTP serves for ArticlePath(i), exposed for parser benchmarks.
func (g *GenSite) Article(origin string, i int) string {
	var b strings.Builder
	b.Grow(112 << 10)
	title := g.title(i)
	author, handle := g.author(i)
	pub := published(i)
	canon := origin + g.ArticlePath(i)
	tag := g.tag(i)
	r := g.rng(rngBody, i)

	b.WriteString("<!doctype html>\n<html class=\"no-js\" lang=\"en\" dir=\"ltr\">\n  <head>\n    <meta charset=\"utf-8\">\n    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">\n    <title>")
	b.WriteString(title)
	b.WriteString("</title>\n    <meta name=\"description\" content=\"")
	first := paragraph(r, 30)
	b.WriteString(first)
	fmt.Fprintf(&b, "\">\n    <link rel=\"canonical\" href=\"%s\">\n    <meta property=\"og:type\" content=\"article\">\n    <meta property=\"og:title\" content=\"%s\">\n    <meta property=\"og:url\" content=\"%s\">\n    <meta property=\"og:image\" content=\"http://cdn.example.com/articles/%d.jpg?v=1\">\n    <meta property=\"og:image:secure_url\" content=\"https://cdn.example.com/articles/%d.jpg?v=1\">\n    <meta property=\"og:site_name\" content=\"Generated News\">\n",
		canon, title, canon, i, i)
	fmt.Fprintf(&b, "    <script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"BlogPosting\",\"mainEntityOfPage\":\"%s\",\"headline\":\"%s\",\"datePublished\":\"%s\",\"dateModified\":\"%s\",\"author\":{\"@type\":\"Person\",\"name\":\"%s\"},\"publisher\":{\"@type\":\"Organization\",\"name\":\"Generated News\"},\"keywords\":\"tag-%d\"}</script>\n",
		g.ArticlePath(i), title, pub.Format("2006-01-02T15:04:05"), pub.Add(3*time.Hour).Format("2006-01-02T15:04:05"), author, tag)
	b.WriteString(genHeadNoise)
	b.WriteString("  </head>\n  <body class=\"template-article\">\n")
	b.WriteString(genHeader)
	fmt.Fprintf(&b, "    <main role=\"main\" id=\"main\">\n      <div class=\"article\">\n        <div class=\"article-banner\">\n          <a class=\"badge\" href=\"%s/tagged/tag-%d\">Tag %d</a>\n          <h1 class=\"h0\">%s</h1>\n          <div class=\"article__meta\"><time>%s</time> <span>By %s</span></div>\n        </div>\n        <div class=\"prose\">\n",
		genBlog, tag, tag, title, pub.Format("Jan 2, 2006"), author)
	fmt.Fprintf(&b, "<p>%s</p>\n", first)
	paras := 6 + r.IntN(7)
	for k := 1; k < paras; k++ {
		if k == paras/2 {
			fmt.Fprintf(&b, "<h2>%s</h2>\n", strings.TrimSuffix(paragraph(r, 5), "."))
		}
		fmt.Fprintf(&b, "<p>%s</p>\n", paragraph(r, 60+r.IntN(70)))
	}
	fmt.Fprintf(&b, "<p>© %d, %s. All rights reserved.</p>\n        </div>\n", pub.Year(), author)
	fmt.Fprintf(&b, "        <div class=\"author-box\"><h3>About the Author</h3><p class=\"name\">%s</p><p>%s writes about %s for Generated News.</p><a href=\"https://x.com/%s\">Follow me on X</a></div>\n",
		author, author, paragraph(r, 6), handle)
	b.WriteString("        <div class=\"article-navigation\"><h2>Reading next</h2>\n")
	for _, j := range []int{i + 1, i - 1} {
		if j >= 0 && j < g.opts.Pages {
			fmt.Fprintf(&b, "          <blog-post-card class=\"blog-post-card\"><p class=\"h5\"><a href=\"%s\">%s</a></p></blog-post-card>\n", g.ArticlePath(j), g.title(j))
		}
	}
	b.WriteString("        </div>\n        <section class=\"related\"><h2>More news</h2>\n          <div class=\"related-grid\">\n")
	for k := 0; k < genRelated; k++ {
		j := r.IntN(g.opts.Pages)
		t := g.title(j)
		p := articlePath(t, j)
		js := strconv.Itoa(j)
		b.WriteString("            <div class=\"card\"><a class=\"card__figure\" href=\"")
		b.WriteString(p)
		b.WriteString("\"><img src=\"//cdn.example.com/articles/")
		b.WriteString(js)
		b.WriteString(".jpg?v=1&amp;width=400\" alt=\"\" width=\"400\" height=\"225\" loading=\"lazy\"></a><p class=\"h6\"><a href=\"")
		b.WriteString(p)
		b.WriteString("\">")
		b.WriteString(t)
		b.WriteString("</a></p><span class=\"text-sm\">")
		b.WriteString(published(j).Format("Jan 2, 2006"))
		b.WriteString("</span></div>\n")
	}
	b.WriteString("          </div>\n        </section>\n        <ul class=\"tag-cloud\">\n")
	for t := 0; t < 8; t++ {
		tt := (tag + t*3) % genTags
		fmt.Fprintf(&b, "          <li><a href=\"%s/tagged/tag-%d\">Tag %d</a></li>\n", genBlog, tt, tt)
	}
	b.WriteString("        </ul>\n      </div>\n    </main>\n")
	b.WriteString(genFooter)
	// Pad with script noise to about 100 KB, as real pages carry.
	for b.Len() < 96<<10 {
		b.WriteString(genScriptNoise)
	}
	b.WriteString("  </body>\n</html>\n")
	return b.String()
}

// paragraph returns n pseudo-random words as a sentence-cased paragraph.
func paragraph(r *rand.Rand, n int) string {
	var b strings.Builder
	start := true
	for k := 0; k < n; k++ {
		w := genWords[r.IntN(len(genWords))]
		if start {
			b.WriteString(strings.ToUpper(w[:1]))
			b.WriteString(w[1:])
			start = false
		} else {
			b.WriteByte(' ')
			b.WriteString(w)
		}
		if k == n-1 || r.IntN(14) == 0 {
			b.WriteByte('.')
			start = true
			if k < n-1 {
				b.WriteByte(' ')
			}
		} else if r.IntN(12) == 0 {
			b.WriteByte(',')
		}
	}
	return b.String()
}

func (g *GenSite) page(origin, title, canonPath, main string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\">\n    <title>%s</title>\n    <link rel=\"canonical\" href=\"%s%s\">\n", title, origin, canonPath)
	b.WriteString(genHeadNoise)
	b.WriteString("  </head>\n  <body>\n")
	b.WriteString(genHeader)
	b.WriteString("    <main role=\"main\" id=\"main\">\n")
	b.WriteString(main)
	b.WriteString("    </main>\n")
	b.WriteString(genFooter)
	b.WriteString("  </body>\n</html>\n")
	return b.String()
}

func (g *GenSite) card(b *strings.Builder, i int) {
	fmt.Fprintf(b, "        <blog-post-card class=\"blog-post-card\"><a href=\"%s\" class=\"blog-post-card__figure\"><img src=\"//cdn.example.com/articles/%d.jpg?v=1&amp;width=600\" alt=\"\"></a><div class=\"blog-post-card__info\"><p class=\"h3\"><a href=\"%s\">%s</a></p><span class=\"text-sm\">%s</span></div></blog-post-card>\n",
		g.ArticlePath(i), i, g.ArticlePath(i), g.title(i), published(i).Format("Jan 2, 2006"))
}

func (g *GenSite) listing(origin string, n int) string {
	var b strings.Builder
	b.WriteString("      <h1 class=\"h0\">News</h1>\n      <div class=\"blog-posts\">\n")
	top := g.opts.Pages - 1 - (n-1)*g.opts.PerPage
	for k := 0; k < g.opts.PerPage && top-k >= 0; k++ {
		g.card(&b, top-k)
	}
	b.WriteString("      </div>\n      <nav class=\"pagination\">")
	if n > 1 {
		fmt.Fprintf(&b, "<a rel=\"prev\" href=\"%s?page=%d\">Previous</a>", genBlog, n-1)
	}
	fmt.Fprintf(&b, "<span class=\"pagination__current\">%d&nbsp;&nbsp;/&nbsp;&nbsp;%d</span>", n, g.ListingPages())
	if n < g.ListingPages() {
		fmt.Fprintf(&b, "<a rel=\"next\" href=\"%s?page=%d\">Next</a>", genBlog, n+1)
	}
	b.WriteString("</nav>\n")
	canon := genBlog
	if n > 1 {
		canon += "?page=" + strconv.Itoa(n)
	}
	return g.page(origin, fmt.Sprintf("News – Page %d", n), canon, b.String())
}

func (g *GenSite) tagPage(origin string, t int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "      <h1 class=\"h0\">Tag %d</h1>\n      <div class=\"blog-posts\">\n", t)
	last := g.opts.Pages - 1
	last -= (last - t + genTags) % genTags // newest article with tag t
	for k, i := 0, last; k < g.opts.PerPage && i >= 0; k, i = k+1, i-genTags {
		g.card(&b, i)
	}
	b.WriteString("      </div>\n")
	return g.page(origin, fmt.Sprintf("News – Tagged \"Tag %d\"", t), fmt.Sprintf("%s/tagged/tag-%d", genBlog, t), b.String())
}

func (g *GenSite) home(origin string) string {
	var b strings.Builder
	b.WriteString("      <h1>Generated News</h1>\n      <div class=\"blog-posts\">\n")
	for k := 0; k < 6 && k < g.opts.Pages; k++ {
		g.card(&b, g.opts.Pages-1-k)
	}
	fmt.Fprintf(&b, "      </div>\n      <a href=\"%s\">All news</a>\n", genBlog)
	return g.page(origin, "Generated News", "/", b.String())
}

func (g *GenSite) sitemapIndex(origin string) string {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
	for k := 1; (k-1)*g.opts.SitemapURLs < g.opts.Pages; k++ {
		fmt.Fprintf(&b, "  <sitemap>\n    <loc>%s/sitemap_blogs_%d.xml</loc>\n  </sitemap>\n", origin, k)
	}
	b.WriteString("</sitemapindex>\n")
	return b.String()
}

func (g *GenSite) sitemap(origin string, k int) string {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
	lo := (k - 1) * g.opts.SitemapURLs
	hi := min(lo+g.opts.SitemapURLs, g.opts.Pages)
	b.Grow((hi - lo) * 160)
	for i := lo; i < hi; i++ {
		fmt.Fprintf(&b, "  <url>\n    <loc>%s%s</loc>\n    <lastmod>%s</lastmod>\n  </url>\n", origin, g.ArticlePath(i), published(i).Format(time.RFC3339))
	}
	b.WriteString("</urlset>\n")
	return b.String()
}
