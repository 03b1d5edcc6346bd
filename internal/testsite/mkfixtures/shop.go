package main

import (
	"fmt"
	"strings"
)

// shopPage renders a non-blog page of the store with the common chrome.
func shopPage(path, title, desc, template, pageType string, id int64, current, main string, robots string) string {
	var b strings.Builder
	writeHead(&b, head{
		Title: title, Description: desc, Canonical: host + path, OGType: "website",
		PageType: pageType, ResourceID: id, Template: template, Robots: robots,
	})
	writeHeader(&b, current, 0)
	b.WriteString("\n    <main role=\"main\" id=\"main\" class=\"anchor\">\n      ")
	b.WriteString(main)
	writeFooter(&b)
	writeTail(&b, "")
	return b.String()
}

func productGrid(ps []product) string {
	var b strings.Builder
	b.WriteString(`<product-list class="product-list" role="region" aria-live="polite">`)
	for _, p := range ps {
		fmt.Fprintf(&b, `
          <product-card handle="%s" class="product-card product-card--blends bg-custom text-custom">
            <div class="product-card__figure"><a href="/products/%s"><img src="//www.tesmanian.com/cdn/shop/products/%s?v=%d&amp;width=800" alt="%s" width="1000" height="1000" loading="lazy" class="product-card__image product-card__image--primary aspect-natural"></a></div>
            <div class="product-card__info product-card__info--center">
              <a href="/products/%s" class="product-title h6 line-clamp">%s</a>
              <price-list class="price-list price-list--centered"><sale-price class="text-subdued"><span class="sr-only">Sale price</span>%s</sale-price></price-list>
            </div>
          </product-card>`, p.Handle, p.Handle, p.Image, p.V, esc(p.Title), p.Handle, esc(p.Title), p.Price)
	}
	b.WriteString("\n        </product-list>")
	return b.String()
}

func shopPages(recent []*article) map[string]string {
	out := map[string]string{}

	// Home page.
	var home strings.Builder
	home.WriteString(`<section id="shopify-section-template--16512394346749__slideshow" class="shopify-section shopify-section--slideshow"><slide-show class="slideshow">
        <div class="slideshow__slide"><div class="content-over-media">
          <img src="//www.tesmanian.com/cdn/shop/files/tesmanian-hero-model-y.jpg?v=1687254110&amp;width=3200" alt="" width="3200" height="1600" loading="eager" fetchpriority="high">
          <div class="prose text-center">
            <p class="h6">Accessories for Model 3 and Model Y</p>
            <h2 class="h0">Make your Tesla yours</h2>
            <a class="button button--xl" href="/collections/all">Shop now</a>
          </div>
        </div></div>
      </slide-show></section><section id="shopify-section-template--16512394346749__featured_collection" class="shopify-section shopify-section--featured-collection"><div class="section-spacing"><div class="container"><div class="section-stack">
        <div class="section-header text-center"><h2 class="h2">Best sellers</h2></div>
        `)
	home.WriteString(productGrid(storeProducts()))
	home.WriteString(`
      </div></div></div></section><section id="shopify-section-template--16512394346749__blog_posts" class="shopify-section shopify-section--blog-posts"><div class="section-spacing"><div class="container"><div class="section-stack">
        <div class="section-header text-center"><h2 class="h2">Latest Tesla News</h2></div>
        <div class="blog-posts">`)
	for i, a := range recent[:3] {
		home.WriteString("\n        ")
		home.WriteString(listingCard(a, i == 0))
	}
	home.WriteString(`
        </div>
        <div class="text-center"><a class="button button--outline" href="/blogs/tesmanian-blog">View all</a></div>
      </div></div></div></section>`)
	out["index.html"] = shopPage("/", "Tesmanian", "Tesla news, SpaceX news and accessories for Tesla owners.", "index", "home", 0, "/", home.String(), "")

	// Collections.
	ps := storeProducts()
	cols := []struct {
		handle, title string
		ps            []product
	}{
		{"all", "All Accessories", ps},
		{"model-3", "Model 3", []product{ps[0], ps[2], ps[3]}},
		{"model-y", "Model Y", []product{ps[0], ps[1], ps[2], ps[4]}},
	}
	for i, c := range cols {
		main := fmt.Sprintf(`<section id="shopify-section-template--16512394379517__main" class="shopify-section shopify-section--main-collection"><div class="collection">
        <div class="container"><div class="section-header"><h1 class="h1">%s</h1><p class="text-subdued">%d products</p></div>
        <facets-drawer class="facets-drawer"><form id="facet-filters-form"><select name="sort_by" aria-label="Sort by"><option value="manual" selected>Featured</option><option value="best-selling">Best selling</option><option value="price-ascending">Price, low to high</option><option value="price-descending">Price, high to low</option></select></form></facets-drawer>
        %s
        </div></div></section>`, c.title, len(c.ps), productGrid(c.ps))
		out["collections/"+c.handle+".html"] = shopPage("/collections/"+c.handle, c.title+" – Tesmanian", "Tesla accessories: "+c.title+".", "collection", "collection", 262511427645+int64(i), "/collections/"+c.handle, main, "")
	}

	// Products.
	for _, p := range storeProducts() {
		compare := ""
		if p.Compare != "" {
			compare = fmt.Sprintf(`<compare-at-price class="text-subdued line-through"><span class="sr-only">Regular price</span>%s</compare-at-price>`, p.Compare)
		}
		main := fmt.Sprintf(`<section id="shopify-section-template--16512394445053__main" class="shopify-section shopify-section--main-product"><div class="container"><product-rerender id="product-info-%d" observe-form="product-form-main-%d">
        <div class="product">
          <product-gallery class="product-gallery"><img src="//www.tesmanian.com/cdn/shop/products/%s?v=%d&amp;width=1400" alt="%s" width="1400" height="1400" loading="eager" class="rounded"></product-gallery>
          <safe-sticky class="product-info"><div class="product-info__block-list">
            <p class="product-info__vendor text-sm text-subdued"><a href="/collections/all">%s</a></p>
            <h1 class="product-info__title h2">%s</h1>
            <div class="product-info__price"><price-list class="price-list price-list--product"><sale-price class="h4"><span class="sr-only">Sale price</span>%s</sale-price>%s</price-list></div>
            <div class="product-info__description prose"><p>%s</p></div>
            <form method="post" action="/cart/add" id="product-form-main-%d" accept-charset="UTF-8" class="shopify-product-form" enctype="multipart/form-data"><input type="hidden" name="form_type" value="product" /><input type="hidden" name="utf8" value="✓" /><input type="hidden" name="id" value="%d"><buy-buttons class="buy-buttons"><button type="submit" class="button button--xl">Add to cart</button></buy-buttons></form>
          </div></safe-sticky>
        </div>
      </product-rerender></div></section>
      <script type="application/ld+json">{"@context":"http://schema.org/","@id":"/products/%s#product","@type":"Product","brand":{"@type":"Brand","name":%s},"category":%s,"description":%s,"image":"https://www.tesmanian.com/cdn/shop/products/%s?v=%d\u0026width=1920","name":%s,"offers":{"@id":"/products/%s?variant=%d#offer","@type":"Offer","availability":"http://schema.org/InStock","price":%s,"priceCurrency":"USD","url":"https://www.tesmanian.com/products/%s?variant=%d"}}</script>`,
			p.ID, p.ID, p.Image, p.V, esc(p.Title), p.Vendor, esc(p.Title), p.Price, compare, p.Desc, p.ID, p.ID+7,
			p.Handle, js(p.Vendor), js(p.Type), js(p.Desc), p.Image, p.V, js(p.Title), p.Handle, p.ID+7, js(strings.TrimPrefix(p.Price, "$")), p.Handle, p.ID+7)
		out["products/"+p.Handle+".html"] = shopPage("/products/"+p.Handle, p.Title, p.Desc, "product", "product", p.ID, "", main, "")
	}

	// Pages.
	about := `<section id="shopify-section-template--16512394510589__main" class="shopify-section shopify-section--main-page"><div class="section-spacing"><div class="container container--narrow"><div class="page-spacer"><div class="prose">
        <h1 class="h1">About Us</h1>
        <p>Tesmanian was founded in 2018 by a small group of Tesla owners who wanted to share news about the company, its products and its mission — and to offer accessories that they use in their own cars.</p>
        <p>Our writers cover Tesla, SpaceX and the wider clean-energy industry every day. Read the latest on our <a href="/blogs/tesmanian-blog">blog</a> or browse the <a href="/collections/all">shop</a>.</p>
      </div></div></div></div></section>`
	out["pages/about-us.html"] = shopPage("/pages/about-us", "About Us", "Tesmanian was founded in 2018 by a small group of Tesla owners.", "page", "page", 48512958525, "/pages/about-us", about, "")
	contact := `<section id="shopify-section-template--16512394543357__main" class="shopify-section shopify-section--main-page"><div class="section-spacing"><div class="container container--narrow"><div class="page-spacer"><div class="prose">
        <h1 class="h1">Contact</h1>
        <p>Questions about an order or a news tip? Write to us and we will get back to you within one business day.</p>
      </div>
      <form method="post" action="/contact#contact-form" id="contact-form" accept-charset="UTF-8" class="form"><input type="hidden" name="form_type" value="contact" /><input type="hidden" name="utf8" value="✓" />
        <div class="form-control"><input type="text" id="contact-form-name" name="contact[name]" class="input" placeholder="Name"><label for="contact-form-name" class="floating-label text-sm">Name</label></div>
        <div class="form-control"><input type="email" id="contact-form-email" name="contact[email]" class="input" required placeholder="E-mail"><label for="contact-form-email" class="floating-label text-sm">E-mail</label></div>
        <div class="form-control"><textarea id="contact-form-body" name="contact[body]" rows="6" class="input" required placeholder="Message"></textarea><label for="contact-form-body" class="floating-label text-sm">Message</label></div>
        <button type="submit" class="button button--xl">Send message</button></form>
      </div></div></div></section>`
	out["pages/contact.html"] = shopPage("/pages/contact", "Contact", "Contact Tesmanian.", "page", "page", 48512991293, "/pages/contact", contact, "")

	// Cart, login and 404.
	cart := `<section id="shopify-section-template--16512394576125__main" class="shopify-section shopify-section--main-cart"><div class="section-spacing"><div class="container"><div class="empty-state">
        <div class="empty-state__icon-wrapper">` + iconCart + `<span class="count-bubble count-bubble--lg">0</span></div>
        <div class="prose"><p class="h2">Your cart is empty</p></div>
        <a href="/collections/all" class="button button--xl">Continue shopping</a>
      </div></div></div></section>`
	out["cart.html"] = shopPage("/cart", "Your Shopping Cart", "Your shopping cart.", "cart", "cart", 0, "/cart", cart, "noindex")
	login := `<section id="shopify-section-template--16512394608893__main" class="shopify-section shopify-section--main-customers-login"><div class="customer-account-box"><div class="container container--xxs"><div class="v-stack gap-8">
        <div class="prose text-center"><h1 class="h2">Login</h1></div>
        <form method="post" action="/account/login" id="customer_login" accept-charset="UTF-8" data-login-with-shop-sign-in="true" novalidate="novalidate" class="form"><input type="hidden" name="form_type" value="customer_login" /><input type="hidden" name="utf8" value="✓" />
          <div class="form-control"><input type="email" id="customer[email]" name="customer[email]" class="input" autocomplete="email" required placeholder="E-mail"><label for="customer[email]" class="floating-label text-sm">E-mail</label></div>
          <div class="form-control"><input type="password" id="customer[password]" name="customer[password]" class="input" autocomplete="current-password" required placeholder="Password"><label for="customer[password]" class="floating-label text-sm">Password</label></div>
          <button type="submit" class="button button--xl w-full">Login</button>
          <input type="hidden" name="recaptcha-v3-token" value=""></form>
        <p class="text-center text-sm">New customer? <a href="/account/register" class="link">Create an account</a></p>
      </div></div></div></section>`
	out["account/login.html"] = shopPage("/account/login", "Account", "Log in to your account.", "customers/login", "customers/login", 0, "", login, "noindex")
	nf := `<section id="shopify-section-template--16512394641661__main" class="shopify-section shopify-section--main-not-found"><div class="section-spacing"><div class="container"><div class="page-spacer text-center"><div class="v-stack gap-6 justify-items-center">
        <p class="h0">404</p>
        <div class="prose"><h1 class="h2">Page not found</h1><p>The page you are looking for does not exist. Try searching or continue shopping below.</p></div>
        <a href="/collections/all" class="button button--xl">Continue shopping</a>
        <a href="/blogs/tesmanian-blog" class="link">Read the latest news</a>
      </div></div></div></div></section>`
	out["404.html"] = shopPage("/404", "404 Not Found", "The page you were looking for does not exist.", "404", "404", 0, "", nf, "")
	return out
}
