package main

import (
	"fmt"
	"strings"
)

// listingCard is a blog-post-card on a listing or tag page: p.h2 for the
// featured first card of page 1, p.h3 otherwise.
func listingCard(a *article, featured bool) string {
	var b strings.Builder
	cls := "blog-post-card snap-center group"
	h := "h3"
	if featured {
		cls = "blog-post-card blog-post-card--featured group"
		h = "h2"
	}
	fmt.Fprintf(&b, `<blog-post-card class="%s">`, cls)
	if a.Image != "" {
		fmt.Fprintf(&b, `<a href="%s/%s" class="blog-post-card__figure rounded" tabindex="-1" aria-hidden="true"><span class="badge badge--primary">%s</span><img src="%s" alt="%s" srcset="%s" width="1200" height="675" loading="lazy" sizes="(max-width: 699px) 100vw, (max-width: 999px) 50vw, 33vw" class="w-full h-full object-cover zoom-image"></a>`,
			blog, a.Handle, esc(a.Tags[0]), imgURL(a.Image, a.ImageV, 1200), esc(a.Title), srcset(a.Image, a.ImageV, 200, 300, 400, 500, 600, 700, 800, 1000, 1200))
	}
	fmt.Fprintf(&b, `<div class="blog-post-card__info">
            <div class="v-stack gap-4 sm:gap-5">
              <div class="v-stack gap-3 sm:gap-4">
                <p class="%s"><a href="%s/%s">%s</a></p><p class="text-subdued">%s</p></div>

              <div class="blog-post-card__meta text-subdued">
                <div class="text-with-icon link-faded">`+iconDate+`<span class="text-sm">%s</span>
                </div>
                <div class="text-with-icon link-faded">`+iconAuthor+`<span class="text-sm">%s</span>
                </div></div>
            </div>
          </div>
        </blog-post-card>`, h, blog, a.Handle, esc(a.Title), esc(a.Excerpt), shortDate(a.Published), esc(a.Author))
	return b.String()
}

// listingPage describes one page of the blog or of a tag.
type listingPage struct {
	Path      string // canonical path, e.g. /blogs/tesmanian-blog?page=2
	Title     string
	Heading   string
	Selected  string // tab selected ("" = All posts)
	Cards     []*article
	Featured  bool
	Page      int
	Pages     int
	PrevHref  string
	NextHref  string
	ExtraTabs string // extra markup after the tab list (tag page: narrowing links)
	Compact   bool
}

func renderListing(p listingPage) string {
	var b strings.Builder
	writeHead(&b, head{
		Title: p.Title, Description: "Tesla news, SpaceX news and Elon Musk updates from Tesmanian: factories, deliveries, launches and the people behind them.",
		Canonical: host + p.Path, OGType: "website",
		PageType: "blog", ResourceID: 1738204517, Template: "blog", ReviewsApp: p.Page == 1,
	})
	writeHeader(&b, blog, 0)
	b.WriteString("\n    <main role=\"main\" id=\"main\" class=\"anchor\">\n      ")
	b.WriteString(`<section id="shopify-section-template--16512394412285__main" class="shopify-section shopify-section--main-blog"><style>
    #shopify-section-template--16512394412285__main {
      --blog-banner-min-height: 0px;
      --blog-posts-per-row: 3;
    }
  </style>

  <div class="blog">
    <header class="blog-banner bg-custom text-custom" style="--background: 243 243 243; --text-color: 26 26 26;">
      <div class="container">
        <div class="blog-banner-content v-stack gap-6 sm:gap-8">
          <div class="prose">
            <h1 class="h0" reveal-on-scroll="true"><split-lines>` + esc(p.Heading) + `</split-lines></h1><p>Breaking news on Tesla, SpaceX and Elon Musk, every day.</p>
          </div><form method="post" action="/contact#blog-newsletter" id="blog-newsletter" accept-charset="UTF-8" class="form"><input type="hidden" name="form_type" value="customer" /><input type="hidden" name="utf8" value="✓" /><input type="hidden" name="contact[tags]" value="newsletter">
            <div class="input-group">
              <div class="form-control">
                <input type="email" id="blog-newsletter-email" name="contact[email]" class="input" autocomplete="email" required placeholder="E-mail">
                <label for="blog-newsletter-email" class="floating-label text-sm">E-mail</label>
              </div>
              <button type="submit" class="button">Subscribe</button>
            </div></form></div>

        <div class="blog-filter-list">
          <ul class="h-stack bold text-base" role="tablist">
`)
	tab := func(label, href, key string) {
		sel := p.Selected == key
		cls := ""
		if sel {
			cls = ` class="selected"`
		}
		title := ""
		if key != "" {
			title = fmt.Sprintf(` title="Show articles tagged %s"`, esc(label))
		}
		fmt.Fprintf(&b, "            <li role=\"tab\" aria-selected=\"%t\"><a href=\"%s\"%s%s>%s</a></li>\n", sel, href, cls, title, esc(label))
	}
	tab("All posts", blog, "")
	tab("Tesla", blog+"/tagged/tesla", "tesla")
	tab("SpaceX", blog+"/tagged/spacex", "spacex")
	tab("Elon Musk", blog+"/tagged/elon-musk", "elon-musk")
	b.WriteString("          </ul>\n")
	b.WriteString(p.ExtraTabs)
	b.WriteString(`        </div>
      </div>
    </header>

    <div class="blog-posts__container container">
      <div class="blog-posts">`)
	for i, a := range p.Cards {
		b.WriteString("\n        ")
		b.WriteString(listingCard(a, p.Featured && i == 0))
	}
	b.WriteString("\n      </div>")
	if p.Pages > 1 {
		b.WriteString(`<nav class="pagination" role="navigation" aria-label="Pagination navigation">`)
		if p.PrevHref == "" {
			b.WriteString(`<span class="pagination__item pagination__item--disabled"><span class="animated-arrow animated-arrow--reverse"></span></span>`)
		} else {
			fmt.Fprintf(&b, `<a class="pagination__item group" rel="prev" aria-label="Go to page %d" href="%s"><span class="animated-arrow animated-arrow--reverse"></span></a>`, p.Page-1, p.PrevHref)
		}
		fmt.Fprintf(&b, `<span class="pagination__current">%d&nbsp;&nbsp;/&nbsp;&nbsp;%d</span>`, p.Page, p.Pages)
		if p.NextHref == "" {
			b.WriteString(`<span class="pagination__item pagination__item--disabled"><span class="animated-arrow"></span></span>`)
		} else {
			fmt.Fprintf(&b, `<a class="pagination__item group" rel="next" aria-label="Go to page %d" href="%s"><span class="animated-arrow"></span></a>`, p.Page+1, p.NextHref)
		}
		b.WriteString("</nav>")
	}
	b.WriteString("\n    </div>\n  </div>\n</section>")
	writeFooter(&b)
	writeTail(&b, "")
	return reindent(b.String(), p.Compact, false)
}

// listings builds the three blog pages and the tag pages. Page 1 was saved before
// the newest post was published, pages 2 and 3 after: the last card of page 1 is
// repeated as the first card of page 2.
func listings(listed []*article) map[string]string {
	out := map[string]string{}
	const per = 4
	page1 := listed[:per]
	// After the newest (feed-only) post appeared, every post moved down by one.
	shifted := append([]*article{nil}, listed...)
	page2 := shifted[per : 2*per]
	page3 := shifted[2*per:]
	out["blogs/tesmanian-blog.html"] = renderListing(listingPage{
		Path: blog, Title: "Tesmanian Blog", Heading: "Tesmanian Blog", Cards: page1, Featured: true,
		Page: 1, Pages: 3, NextHref: blog + "?page=2",
	})
	out["blogs/tesmanian-blog.page-2.html"] = renderListing(listingPage{
		Path: blog + "?page=2", Title: "Tesmanian Blog – Page 2", Heading: "Tesmanian Blog", Cards: page2,
		Page: 2, Pages: 3, PrevHref: blog, NextHref: blog + "?page=3", Compact: true,
	})
	out["blogs/tesmanian-blog.page-3.html"] = renderListing(listingPage{
		Path: blog + "?page=3", Title: "Tesmanian Blog – Page 3", Heading: "Tesmanian Blog", Cards: page3,
		Page: 3, Pages: 3, PrevHref: blog + "?page=2",
	})
	for _, tag := range []string{"Elon Musk", "Tesla", "SpaceX"} {
		var cards []*article
		for _, a := range listed {
			for _, t := range a.Tags {
				if t == tag {
					cards = append(cards, a)
				}
			}
		}
		th := tagHandle(tag)
		extra := ""
		if tag == "Elon Musk" {
			// Shopify's link_to_add_tag: narrowing a tag page to two tags gives a
			// "+" URL, which robots.txt disallows.
			extra = `          <div class="blog-filter-narrow text-sm text-subdued">Narrow by: <a href="/blogs/tesmanian-blog/tagged/elon-musk+spacex" title="Narrow selection to articles also tagged SpaceX">+ SpaceX</a> <a href="/blogs/tesmanian-blog/tagged/elon-musk+tesla" title="Narrow selection to articles also tagged Tesla">+ Tesla</a></div>
`
		}
		out["blogs/tesmanian-blog/tagged/"+th+".html"] = renderListing(listingPage{
			Path: blog + "/tagged/" + th, Title: "Tesmanian Blog – Tagged \"" + tag + "\"", Heading: "Tesmanian Blog",
			Selected: th, Cards: cards, Page: 1, Pages: 1, ExtraTabs: extra,
		})
	}
	return out
}
