package main

import (
	"fmt"
	"html"
	"strings"
)

const robotsTxt = `# we use Shopify as our ecommerce platform

User-agent: *
Disallow: /a/downloads/-/*
Disallow: /admin
Disallow: /cart
Disallow: /orders
Disallow: /checkouts/
Disallow: /checkout
Disallow: /1738204/checkouts
Disallow: /1738204/orders
Disallow: /carts
Disallow: /account
Disallow: /collections/*sort_by*
Disallow: /*/collections/*sort_by*
Disallow: /collections/*+*
Disallow: /collections/*%2B*
Disallow: /collections/*%2b*
Disallow: /*/collections/*+*
Disallow: /*/collections/*%2B*
Disallow: /*/collections/*%2b*
Disallow: */collections/*filter*&*filter*
Disallow: /blogs/*+*
Disallow: /blogs/*%2B*
Disallow: /blogs/*%2b*
Disallow: /*/blogs/*+*
Disallow: /*/blogs/*%2B*
Disallow: /*/blogs/*%2b*
Disallow: /*?*oseid=*
Disallow: /*preview_theme_id*
Disallow: /*preview_script_id*
Disallow: /policies/
Disallow: /*/policies/
Disallow: /*/*?*ls=*&ls=*
Disallow: /*/*?*ls%3D*%3Fls%3D*
Disallow: /*/*?*ls%3d*%3fls%3d*
Disallow: /search
Disallow: /sf_private_access_tokens
Disallow: /apple-app-site-association
Disallow: /.well-known/shopify/monorail
Disallow: /cdn/wpm/*.js
Disallow: /recommendations/products
Disallow: /*/recommendations/products
Sitemap: https://www.tesmanian.com/sitemap.xml

# Google adsbot ignores robots.txt unless specifically named!
User-agent: adsbot-google
Disallow: /checkouts/
Disallow: /checkout
Disallow: /carts
Disallow: /orders
Disallow: /1738204/checkouts
Disallow: /1738204/orders
Disallow: /*?*oseid=*
Disallow: /*preview_theme_id*
Disallow: /*preview_script_id*
Disallow: /cdn/wpm/*.js

User-agent: Nutch
Disallow: /

User-agent: AhrefsBot
Crawl-delay: 10
Disallow: /a/downloads/-/*
Disallow: /admin
Disallow: /cart
Disallow: /orders
Disallow: /checkouts/
Disallow: /checkout
Disallow: /1738204/checkouts
Disallow: /1738204/orders
Disallow: /carts
Disallow: /account
Disallow: /collections/*sort_by*
Disallow: /*/collections/*sort_by*
Disallow: /collections/*+*
Disallow: /collections/*%2B*
Disallow: /collections/*%2b*
Disallow: /*/collections/*+*
Disallow: /*/collections/*%2B*
Disallow: /*/collections/*%2b*
Disallow: /blogs/*+*
Disallow: /blogs/*%2B*
Disallow: /blogs/*%2b*
Disallow: /*/blogs/*+*
Disallow: /*/blogs/*%2B*
Disallow: /*/blogs/*%2b*
Disallow: /*?*oseid=*
Disallow: /*preview_theme_id*
Disallow: /*preview_script_id*
Disallow: /policies/
Disallow: /*/policies/
Disallow: /search
Disallow: /apple-app-site-association
Disallow: /.well-known/shopify/monorail
Sitemap: https://www.tesmanian.com/sitemap.xml

User-agent: AhrefsSiteAudit
Crawl-delay: 10
Disallow: /a/downloads/-/*
Disallow: /admin
Disallow: /cart
Disallow: /orders
Disallow: /checkouts/
Disallow: /checkout
Disallow: /1738204/checkouts
Disallow: /1738204/orders
Disallow: /carts
Disallow: /account
Disallow: /collections/*sort_by*
Disallow: /*/collections/*sort_by*
Disallow: /collections/*+*
Disallow: /collections/*%2B*
Disallow: /collections/*%2b*
Disallow: /*/collections/*+*
Disallow: /*/collections/*%2B*
Disallow: /*/collections/*%2b*
Disallow: /blogs/*+*
Disallow: /blogs/*%2B*
Disallow: /blogs/*%2b*
Disallow: /*/blogs/*+*
Disallow: /*/blogs/*%2B*
Disallow: /*/blogs/*%2b*
Disallow: /*?*oseid=*
Disallow: /*preview_theme_id*
Disallow: /*preview_script_id*
Disallow: /policies/
Disallow: /*/policies/
Disallow: /search
Disallow: /apple-app-site-association
Disallow: /.well-known/shopify/monorail
Sitemap: https://www.tesmanian.com/sitemap.xml

User-agent: MJ12bot
Crawl-Delay: 10

User-agent: Pinterest
Crawl-delay: 1
`

func sitemapIndex() string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap>
    <loc>https://www.tesmanian.com/sitemap_products_1.xml?from=6651234910333&amp;to=6651235041405</loc>
  </sitemap>
  <sitemap>
    <loc>https://www.tesmanian.com/sitemap_pages_1.xml</loc>
  </sitemap>
  <sitemap>
    <loc>https://www.tesmanian.com/sitemap_collections_1.xml</loc>
  </sitemap>
  <sitemap>
    <loc>https://www.tesmanian.com/sitemap_blogs_1.xml</loc>
  </sitemap>
</sitemapindex>
`
}

const urlsetOpen = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
`

func xmlEsc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;").Replace(s)
}

func sitemapBlogs(arts []*article) string {
	var b strings.Builder
	b.WriteString(urlsetOpen)
	b.WriteString("  <url>\n    <loc>https://www.tesmanian.com/blogs/tesmanian-blog</loc>\n    <changefreq>daily</changefreq>\n  </url>\n")
	for _, a := range arts {
		fmt.Fprintf(&b, "  <url>\n    <loc>%s</loc>\n    <lastmod>%s</lastmod>\n    <changefreq>yearly</changefreq>\n", articleURL(a.Handle), withOffset(a.Modified))
		if a.Image != "" {
			fmt.Fprintf(&b, "    <image:image>\n      <image:loc>https://www.tesmanian.com/cdn/shop/articles/%s?v=%d</image:loc>\n      <image:title>%s</image:title>\n    </image:image>\n", a.Image, a.ImageV, xmlEsc(a.Title))
		}
		b.WriteString("  </url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.String()
}

func sitemapProducts() string {
	var b strings.Builder
	b.WriteString(urlsetOpen)
	b.WriteString("  <url>\n    <loc>https://www.tesmanian.com/</loc>\n    <changefreq>daily</changefreq>\n  </url>\n")
	for i, p := range storeProducts() {
		fmt.Fprintf(&b, "  <url>\n    <loc>https://www.tesmanian.com/products/%s</loc>\n    <lastmod>2024-0%d-1%dT0%d:12:44-04:00</lastmod>\n    <changefreq>daily</changefreq>\n    <image:image>\n      <image:loc>https://www.tesmanian.com/cdn/shop/products/%s?v=%d</image:loc>\n      <image:title>%s</image:title>\n      <image:caption>%s</image:caption>\n    </image:image>\n  </url>\n",
			p.Handle, 3+i, i, i+1, p.Image, p.V, xmlEsc(p.Title), xmlEsc(p.Title))
	}
	b.WriteString("</urlset>\n")
	return b.String()
}

func sitemapPages() string {
	return urlsetOpen + `  <url>
    <loc>https://www.tesmanian.com/pages/about-us</loc>
    <lastmod>2023-06-20T11:04:51-04:00</lastmod>
    <changefreq>weekly</changefreq>
  </url>
  <url>
    <loc>https://www.tesmanian.com/pages/contact</loc>
    <lastmod>2022-11-02T15:30:12-04:00</lastmod>
    <changefreq>weekly</changefreq>
  </url>
</urlset>
`
}

func sitemapCollections() string {
	return urlsetOpen + `  <url>
    <loc>https://www.tesmanian.com/collections/all</loc>
    <lastmod>2024-05-14T04:12:44-04:00</lastmod>
    <changefreq>daily</changefreq>
  </url>
  <url>
    <loc>https://www.tesmanian.com/collections/model-3</loc>
    <lastmod>2024-04-11T02:12:44-04:00</lastmod>
    <changefreq>daily</changefreq>
  </url>
  <url>
    <loc>https://www.tesmanian.com/collections/model-y</loc>
    <lastmod>2024-05-14T04:12:44-04:00</lastmod>
    <changefreq>daily</changefreq>
  </url>
</urlset>
`
}

// atomFeed is the blog's Atom feed. Its times are UTC ("+00:00", "Z") while the
// pages' JSON-LD gives the same instants in shop-local time without offset.
func atomFeed(entries []*article, updated string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<feed xml:lang="en-US" xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
  <id>https://www.tesmanian.com/blogs/tesmanian-blog.atom</id>
  <link rel="alternate" type="text/html" href="https://www.tesmanian.com/blogs/tesmanian-blog"/>
  <link rel="self" type="application/atom+xml" href="https://www.tesmanian.com/blogs/tesmanian-blog.atom"/>
  <title>Tesmanian - Tesmanian Blog</title>
  <updated>%s</updated>
  <author>
    <name>Tesmanian</name>
  </author>
`, utc(updated, true))
	for _, a := range entries {
		fmt.Fprintf(&b, `  <entry>
    <id>https://www.tesmanian.com/blogs/tesmanian-blog/%d</id>
    <published>%s</published>
    <updated>%s</updated>
    <link rel="alternate" type="text/html" href="%s"/>
    <title>%s</title>
    <author>
      <name>%s</name>
    </author>
`, a.ID, utc(a.Published, false), utc(a.Modified, false), articleURL(a.Handle), xmlEsc(a.Title), xmlEsc(a.Author))
		if a.Image != "" {
			fmt.Fprintf(&b, "    <media:thumbnail url=\"https://www.tesmanian.com/cdn/shop/articles/%s?v=%d\" width=\"1200\" height=\"675\"/>\n", a.Image, a.ImageV)
		}
		fmt.Fprintf(&b, "    <content type=\"html\">%s</content>\n", html.EscapeString(a.Prose))
		summary := a.FeedSummary
		if summary == "" {
			summary = a.Description
		}
		fmt.Fprintf(&b, "    <summary type=\"html\">%s</summary>\n", html.EscapeString("<p>"+summary+"</p>"))
		b.WriteString("  </entry>\n")
	}
	b.WriteString("</feed>\n")
	return b.String()
}
