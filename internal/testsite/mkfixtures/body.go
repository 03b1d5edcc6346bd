package main

import (
	"fmt"
	"strings"
)

// product is a store product shown in the "Tesla Accessories" section and on
// the shop pages.
type product struct {
	Handle  string
	Title   string
	Price   string
	Compare string // compare-at price ("" = not on sale)
	Image   string
	V       int64
	Vendor  string
	Type    string
	ID      int64
	Desc    string
}

// storeProducts returns the store's products.
func storeProducts() []product {
	return []product{
		{"model-3-y-center-console-wrap-carbon-fiber", "Model 3/Y Center Console Wrap – Carbon Fiber", "$39.99", "$49.99", "center-console-wrap.jpg", 1658231101, "Tesmanian", "Interior", 6651234910333, "A precision-cut carbon fiber wrap that covers the center console of Model 3 and Model Y and protects it from scratches and fingerprints."},
		{"model-y-all-weather-floor-mats-3-pcs", "Model Y All-Weather Floor Mats (3 pcs)", "$169.00", "", "model-y-floor-mats.jpg", 1649870211, "Tesmanian", "Interior", 6651234943101, "Laser-measured TPE floor mats with raised edges for the Model Y cabin. Odorless, waterproof and easy to clean."},
		{"model-3-y-tempered-glass-screen-protector", "Model 3 / Y Tempered Glass Screen Protector", "$29.95", "", "screen-protector.jpg", 1651002278, "Tesmanian", "Electronics", 6651234975869, "9H tempered glass with a matte anti-glare finish. Fits the 15-inch touchscreen of Model 3 and Model Y."},
		{"tesla-key-card-holder-leather", "Tesla Key Card Holder – Leather", "$24.99", "$29.99", "key-card-holder.jpg", 1639520014, "Tesmanian", "Accessories", 6651235008637, "A slim leather sleeve for two Tesla key cards with an RFID-transparent window."},
		{"model-y-trunk-organizer", "Model Y Trunk Organizer", "$59.00", "", "model-y-trunk-organizer.jpg", 1655309946, "Tesmanian", "Storage", 6651235041405, "A foldable organizer that fits the Model Y rear trunk well, with three compartments and a lid."},
	}
}

const iconSearch = `<svg role="presentation" stroke-width="2" focusable="false" width="22" height="22" class="icon icon-search" viewBox="0 0 22 22">
        <circle cx="11" cy="10" r="7" fill="none" stroke="currentColor"></circle>
        <path d="m16 15 3 3" stroke="currentColor" stroke-linecap="round" stroke-linejoin="round"></path>
      </svg>`

const iconAccount = `<svg role="presentation" stroke-width="2" focusable="false" width="22" height="22" class="icon icon-account" viewBox="0 0 22 22">
        <circle cx="11" cy="7" r="4" fill="none" stroke="currentColor"></circle>
        <path d="M3.5 19c1.421-2.974 4.247-5 7.5-5s6.079 2.026 7.5 5" fill="none" stroke="currentColor" stroke-linecap="round"></path>
      </svg>`

const iconCart = `<svg role="presentation" stroke-width="2" focusable="false" width="22" height="22" class="icon icon-cart" viewBox="0 0 22 22">
        <path d="M11 7H3.577A2 2 0 0 0 1.64 9.497l2.051 8A2 2 0 0 0 5.63 19H16.37a2 2 0 0 0 1.937-1.503l2.052-8A2 2 0 0 0 18.422 7H11Zm0 0V1" fill="none" stroke="currentColor" stroke-linecap="round" stroke-linejoin="round"></path>
      </svg>`

const iconClose = `<svg role="presentation" stroke-width="2" focusable="false" width="19" height="19" class="icon icon-close" viewBox="0 0 24 24">
        <path d="M17.658 6.343 6.344 17.657M17.658 17.657 6.344 6.343" stroke="currentColor"></path>
      </svg>`

const iconHamburger = `<svg role="presentation" stroke-width="2" focusable="false" width="22" height="22" class="icon icon-hamburger" viewBox="0 0 22 22">
        <path d="M1 5h20M1 11h20M1 17h20" stroke="currentColor" stroke-linecap="round"></path>
      </svg>`

const iconDate = `<svg role="presentation" fill="none" focusable="false" stroke-width="2" width="16" height="16" class="icon-subdued icon icon-blog-date" viewBox="0 0 16 16">
      <path d="M15 2.5H1v12h14v-12ZM1 6h14M5 0v3M11 0v3" stroke="currentColor"></path>
    </svg>`

const iconAuthor = `<svg role="presentation" fill="none" focusable="false" stroke-width="2" width="16" height="16" class="icon-subdued icon icon-blog-author" viewBox="0 0 16 16">
      <path d="M12.5 4.5a4 4 0 1 1-8 0 4 4 0 0 1 8 0ZM15 15.5c-.962-2.635-3.773-4.5-6.5-4.5S2.962 12.865 2 15.5" stroke="currentColor"></path>
    </svg>`

const iconComment = `<svg role="presentation" fill="none" focusable="false" stroke-width="2" width="16" height="16" class="icon-subdued icon icon-blog-comment" viewBox="0 0 16 16">
      <path d="M1 14.5V1.5h14v10H4.5L1 14.5Z" stroke="currentColor" stroke-linejoin="round"></path>
    </svg>`

const iconReadingNext = `<svg role="presentation" fill="none" focusable="false" stroke-width="2" width="18" height="18" class="icon icon-blog-next" viewBox="0 0 18 18">
      <path d="M2 9h14M10 3l6 6-6 6" stroke="currentColor" stroke-linecap="round" stroke-linejoin="round"></path>
    </svg>`

// writeHeader writes the announcement bar, the header with its menu, the mobile
// navigation drawer and the cart drawer.
func writeHeader(b *strings.Builder, current string, cartItems int) {
	cur := func(path string) string {
		if path == current {
			return ` aria-current="page"`
		}
		return ""
	}
	b.WriteString(`<!-- BEGIN sections: header-group -->
<aside id="shopify-section-sections--16512392937085__announcement-bar" class="shopify-section shopify-section-group-header-group shopify-section--announcement-bar"><style>
    :root {
      --sticky-announcement-bar-enabled:0;
    }#shopify-section-sections--16512392937085__announcement-bar {
        --announcement-bar-font-size: 0.625rem;
      }

      @media screen and (min-width: 999px) {
        #shopify-section-sections--16512392937085__announcement-bar {
          --announcement-bar-font-size: 0.6875rem;
        }
      }</style>

  <height-observer variable="announcement-bar">
    <div class="announcement-bar bg-custom"><div class="container">
          <div class="announcement-bar__wrapper justify-center"><announcement-bar swipeable  id="announcement-bar" class="announcement-bar__static-list"><p class="bold text-xs  reveal-invisible" >FREE US SHIPPING ON ORDERS OVER $99</p><p class="bold text-xs  reveal-invisible" >NEW: MODEL Y JUNIPER ACCESSORIES ARE HERE</p></announcement-bar></div>
        </div></div>
  </height-observer>

  <script>
    document.documentElement.style.setProperty('--announcement-bar-height', ` + "`${document.getElementById('shopify-section-sections--16512392937085__announcement-bar').clientHeight.toFixed(2)}px`" + `);
  </script></aside><header id="shopify-section-sections--16512392937085__header" class="shopify-section shopify-section-group-header-group shopify-section--header"><style>
  :root {
    --sticky-header-enabled:1;
  }

  #shopify-section-sections--16512392937085__header {
    --header-grid-template: "main-nav logo secondary-nav" / minmax(0, 1fr) auto minmax(0, 1fr);
    --header-padding-block: var(--spacing-3);
    --header-background-opacity: 1.0;
    --header-background-blur-radius: 0px;
    --header-transparent-text-color: 255 255 255;--header-logo-width: 150px;
      --header-logo-height: 31px;position: sticky;
    top: 0;
    z-index: 10;
  }.shopify-section--announcement-bar ~ #shopify-section-sections--16512392937085__header {
      top: calc(var(--sticky-announcement-bar-enabled, 0) * var(--announcement-bar-height, 0px));
    }@media screen and (min-width: 700px) {
    #shopify-section-sections--16512392937085__header {--header-logo-width: 190px;
        --header-logo-height: 39px;--header-padding-block: var(--spacing-6);
    }
  }@media screen and (min-width: 1150px) {#shopify-section-sections--16512392937085__header {
        --header-grid-template: "logo main-nav secondary-nav" / auto minmax(0, 1fr) auto;
      }
    }</style>

<height-observer variable="header">
  <x-header  class="header">
      <a href="/" class="header__logo"><span class="sr-only">Tesmanian</span><img src="//www.tesmanian.com/cdn/shop/files/tesmanian-logo-black.png?v=1653047772&amp;width=760" alt="Tesmanian" srcset="//www.tesmanian.com/cdn/shop/files/tesmanian-logo-black.png?v=1653047772&amp;width=380 380w, //www.tesmanian.com/cdn/shop/files/tesmanian-logo-black.png?v=1653047772&amp;width=570 570w, //www.tesmanian.com/cdn/shop/files/tesmanian-logo-black.png?v=1653047772&amp;width=760 760w" width="760" height="157" sizes="190px" class="header__logo-image"></a>
    <nav class="header__primary-nav header__primary-nav--center" aria-label="Primary navigation">
        <button type="button" aria-controls="sidebar-menu" class="md:hidden">
          <span class="sr-only">Open navigation menu</span>` + iconHamburger + `
        </button><ul class="contents unstyled-list md-max:hidden">

              <li class="header__primary-nav-item" data-title="Shop"><details class="relative" is="dropdown-menu-disclosure" trigger="hover">
                    <summary data-follow-link="/collections/all" class="h6">Shop</summary><ul class="dropdown-menu  unstyled-list" role="list"><li><a href="/collections/all" class="dropdown-menu__item group" >
                              <span><span class="reversed-link">All Accessories</span></span>
                            </a></li><li><a href="/collections/model-3" class="dropdown-menu__item group" >
                              <span><span class="reversed-link">Model 3</span></span>
                            </a></li><li><a href="/collections/model-y" class="dropdown-menu__item group" >
                              <span><span class="reversed-link">Model Y</span></span>
                            </a></li></ul></details></li>

              <li class="header__primary-nav-item" data-title="Tesla News"><a href="/blogs/tesmanian-blog" class="block h6" ` + cur(blog) + `>Tesla News</a></li>

              <li class="header__primary-nav-item" data-title="SpaceX"><a href="/blogs/tesmanian-blog/tagged/spacex" class="block h6" ` + cur(blog+"/tagged/spacex") + `>SpaceX</a></li>

              <li class="header__primary-nav-item" data-title="About"><a href="/pages/about-us" class="block h6" ` + cur("/pages/about-us") + `>About</a></li>

              <li class="header__primary-nav-item" data-title="Contact"><a href="/pages/contact" class="block h6" ` + cur("/pages/contact") + `>Contact</a></li></ul></nav><nav class="header__secondary-nav" aria-label="Secondary navigation"><ul class="contents unstyled-list"><li class="header__account-link sm-max:hidden">
            <a href="/account/login" class="tap-area">
              <span class="sr-only">Open account page</span>` + iconAccount + `</a>
          </li><li class="header__search-link">
            <a href="/search" class="tap-area" aria-controls="search-drawer">
              <span class="sr-only">Open search</span>` + iconSearch + `</a>
          </li>

        <li class="relative header-cart-link">
          <a href="/cart" class="tap-area" aria-controls="cart-drawer">
            <span class="sr-only">Open cart</span>` + iconCart)
	fmt.Fprintf(b, `<div class="header__cart-count">
                <cart-count class="count-bubble %s" aria-hidden="true">%d</cart-count>
              </div>
            </a>
        </li>
      </ul>
    </nav></x-header>
</height-observer>

<script>
  document.documentElement.style.setProperty('--header-height', `+"`${document.getElementById('shopify-section-sections--16512392937085__header').clientHeight.toFixed(2)}px`"+`);
</script>

<navigation-drawer mobile-opening="left" open-from="left" id="sidebar-menu" class="navigation-drawer drawer drawer--sm" handle-editor-events>
    <button is="close-button" aria-label="Close" class="sm-max:hidden">`+iconClose+`</button>
    <div class="panel-list__wrapper">
      <div class="panel">
        <div class="panel__wrapper"  >
          <div class="panel__scroller v-stack gap-8">
            <ul class="v-stack gap-4">
              <li class="h3 sm:h4">
                <button class="w-full text-start h-stack gap-4 justify-between" aria-expanded="false" aria-controls="panel-link-1">Shop</button>
              </li>
              <li class="h3 sm:h4"><a href="/blogs/tesmanian-blog" class="group block w-full"><span><span class="reversed-link">Tesla News</span></span></a></li>
              <li class="h3 sm:h4"><a href="/blogs/tesmanian-blog/tagged/spacex" class="group block w-full"><span><span class="reversed-link">SpaceX</span></span></a></li>
              <li class="h3 sm:h4"><a href="/pages/about-us" class="group block w-full"><span><span class="reversed-link">About</span></span></a></li>
              <li class="h3 sm:h4"><a href="/pages/contact" class="group block w-full"><span><span class="reversed-link">Contact</span></span></a></li>
            </ul>
          </div>
          <div class="panel-footer v-stack gap-5"><ul class="social-media " role="list"><li>
      <a href="https://www.facebook.com/tesmanian" class="tap-area" target="_blank" rel="noopener" aria-label="Follow on Facebook"><svg role="presentation" focusable="false" width="27" height="27" class="icon icon-facebook" viewBox="0 0 24 24">
        <path fill-rule="evenodd" clip-rule="evenodd" d="M10.183 21.85v-8.868H7.2V9.526h2.983V6.982a4.17 4.17 0 0 1 4.44-4.572 22.33 22.33 0 0 1 2.667.144V5.63h-1.83a1.44 1.44 0 0 0-1.713 1.68v2.208h3.423l-.447 3.456h-2.97v8.868h-3.57Z" fill="currentColor"/>
      </svg></a>
    </li><li>
      <a href="https://twitter.com/Tesmanian_com" class="tap-area" target="_blank" rel="noopener" aria-label="Follow on Twitter"><svg role="presentation" focusable="false" width="27" height="27" class="icon icon-twitter" viewBox="0 0 24 24">
        <path fill-rule="evenodd" clip-rule="evenodd" d="M16.94 4h2.715l-5.93 6.777L20.7 20h-5.462l-4.278-5.593L6.065 20H3.35l6.342-7.25L3 4h5.6l3.868 5.113L16.94 4Zm-.952 14.375h1.504L7.784 5.54H6.17l9.818 12.836Z" fill="currentColor"/>
      </svg></a>
    </li><li>
      <a href="https://www.instagram.com/tesmanian_com/" class="tap-area" target="_blank" rel="noopener" aria-label="Follow on Instagram"><svg role="presentation" focusable="false" width="27" height="27" class="icon icon-instagram" viewBox="0 0 24 24">
        <path fill-rule="evenodd" clip-rule="evenodd" d="M12 2.4c-2.607 0-2.934.011-3.958.058-1.022.046-1.72.209-2.33.446a4.705 4.705 0 0 0-1.7 1.107 4.706 4.706 0 0 0-1.108 1.7c-.237.611-.4 1.31-.446 2.331C2.41 9.066 2.4 9.392 2.4 12c0 2.607.011 2.934.058 3.958.046 1.022.209 1.72.446 2.33a4.706 4.706 0 0 0 1.107 1.7c.534.535 1.07.863 1.7 1.108.611.237 1.309.4 2.33.446 1.025.047 1.352.058 3.959.058s2.934-.011 3.958-.058c1.022-.046 1.72-.209 2.33-.446a4.706 4.706 0 0 0 1.7-1.107 4.706 4.706 0 0 0 1.108-1.7c.237-.611.4-1.31.446-2.33.047-1.025.058-1.352.058-3.959s-.011-2.934-.058-3.958c-.047-1.022-.209-1.72-.446-2.33a4.706 4.706 0 0 0-1.107-1.7 4.705 4.705 0 0 0-1.7-1.108c-.611-.237-1.31-.4-2.331-.446C14.934 2.41 14.608 2.4 12 2.4Z" fill="currentColor"/>
      </svg></a>
    </li><li>
      <a href="https://www.youtube.com/c/Tesmanian" class="tap-area" target="_blank" rel="noopener" aria-label="Follow on YouTube"><svg role="presentation" focusable="false" width="27" height="27" class="icon icon-youtube" viewBox="0 0 24 24">
        <path fill-rule="evenodd" clip-rule="evenodd" d="M20.44 5.243c.929.244 1.66.963 1.909 1.876.451 1.654.451 5.106.451 5.106s0 3.452-.451 5.106a2.681 2.681 0 0 1-1.91 1.876c-1.684.443-8.439.443-8.439.443s-6.754 0-8.439-.443a2.682 2.682 0 0 1-1.91-1.876c-.45-1.654-.45-5.106-.45-5.106s0-3.452.45-5.106a2.681 2.681 0 0 1 1.91-1.876c1.685-.443 8.44-.443 8.44-.443s6.754 0 8.438.443Zm-5.004 6.982L9.792 15.36V9.091l5.646 3.134Z" fill="currentColor"/>
      </svg></a>
    </li></ul></div>
        </div>
      </div>
    </div>
  </navigation-drawer></header>
`, map[bool]string{true: "", false: "opacity-0"}[cartItems > 0], cartItems)
	writeCartDrawer(b, cartItems)
	b.WriteString("\n<!-- END sections: header-group -->\n")
}

func writeCartDrawer(b *strings.Builder, items int) {
	b.WriteString(`<section id="shopify-section-sections--16512392937085__cart-drawer" class="shopify-section shopify-section-group-header-group shopify-section--cart-drawer"><cart-drawer id="cart-drawer" class="cart-drawer drawer drawer--center-body" initial-focus="false" handle-editor-events>
  <span class="drawer__title h3" slot="header">Cart</span>
`)
	if items == 0 {
		b.WriteString(`  <div class="drawer__content drawer__content--center">
    <p>Your cart is empty</p>

    <div class="button-group">
      <a class="button" href="/collections/all">Continue shopping</a>
    </div>
  </div>
`)
	} else {
		p := storeProducts()[0]
		fmt.Fprintf(b, `  <p class="h6" slot="header"><span class="text-subdued">%d item</span></p>
  <div class="drawer__content">
    <form id="mini-cart-form" action="/cart" novalidate method="post"></form>
    <line-item class="line-item">
      <div class="line-item__media-wrapper">
        <img src="//www.tesmanian.com/cdn/shop/products/%s?v=%d&amp;width=140" alt="%s" width="1000" height="1000" loading="lazy" class="line-item__media rounded-xs">
      </div>
      <div class="v-stack gap-3">
        <div class="v-stack gap-1">
          <a href="/products/%s" class="bold"><span class="reversed-link">%s</span></a>
          <div class="h-stack gap-0-5"><sale-price class="text-sm text-subdued"><span class="sr-only">Sale price</span>%s</sale-price></div>
        </div>
        <line-item-quantity class="h-stack gap-4">
          <quantity-selector class="quantity-selector">
            <button type="button" class="quantity-selector__button" aria-label="Decrease quantity">-</button>
            <input class="quantity-selector__input text-sm" form="mini-cart-form" name="updates[]" value="1" size="2" aria-label="Change quantity">
            <button type="button" class="quantity-selector__button" aria-label="Increase quantity">+</button>
          </quantity-selector>
          <a href="/cart/change?id=40213390213245:1&amp;quantity=0" class="link text-xs text-subdued">Remove</a>
        </line-item-quantity>
      </div>
    </line-item>
  </div>
  <div slot="footer" class="v-stack gap-4">
    <button type="submit" form="mini-cart-form" name="checkout" class="button button--xl w-full">Checkout <span class="square-separator square-separator--block"></span> %s</button>
  </div>
`, items, p.Image, p.V, esc(p.Title), p.Handle, esc(p.Title), p.Price, p.Price)
	}
	b.WriteString("</cart-drawer>\n</section>")
}

// writeProductSection writes the "Tesla Accessories" featured-collection section.
func writeProductSection(b *strings.Builder, sectionID string, first int) {
	fmt.Fprintf(b, `<section id="shopify-section-%s__featured_collection" class="shopify-section shopify-section--featured-collection"><style>
    #shopify-section-%s__featured_collection {
      --product-list-items-per-row: 4;
      --product-list-carousel-item-width: 74vw;
      --product-list-grid: auto / auto-flow var(--product-list-carousel-item-width);
    }
  </style><div class="section-spacing">
    <div class="container">
      <div class="section-stack">
        <div class="section-header justify-self-center text-center">
          <div class="prose">
            <h2 class="h2" reveal-on-scroll="true"><split-lines>Tesla Accessories</split-lines></h2>
          </div>
        </div>

        <product-list  class="product-list  scroll-area bleed md:unbleed" role="region" aria-live="polite">
`, sectionID, sectionID)
	for i := 0; i < 4; i++ {
		ps := storeProducts()
		p := ps[(first+i)%len(ps)]
		badge := ""
		price := fmt.Sprintf(`<sale-price class="text-subdued">
                  <span class="sr-only">Sale price</span>%s</sale-price>`, p.Price)
		if p.Compare != "" {
			badge = `<div class="product-card__badge-list">
                <on-sale-badge class="badge badge--on-sale">On sale</on-sale-badge>
              </div>`
			price = fmt.Sprintf(`<sale-price class="text-on-sale">
                  <span class="sr-only">Sale price</span>%s</sale-price>

                <compare-at-price class="text-subdued line-through">
                  <span class="sr-only">Regular price</span>%s</compare-at-price>`, p.Price, p.Compare)
		}
		fmt.Fprintf(b, `<product-card handle="%s" class="product-card product-card--blends bg-custom text-custom" style="--background: 255 255 255; --text-color: 26 26 26;" >
            %s<div class="product-card__figure">
              <a href="/products/%s"><img src="//www.tesmanian.com/cdn/shop/products/%s?v=%d&amp;width=1000" alt="%s" srcset="//www.tesmanian.com/cdn/shop/products/%s?v=%d&amp;width=200 200w, //www.tesmanian.com/cdn/shop/products/%s?v=%d&amp;width=300 300w, //www.tesmanian.com/cdn/shop/products/%s?v=%d&amp;width=400 400w, //www.tesmanian.com/cdn/shop/products/%s?v=%d&amp;width=500 500w" width="1000" height="1000" loading="lazy" sizes="(max-width: 699px) 74vw, (max-width: 999px) 38vw, calc((100vw - 96px - (var(--product-list-column-gap) * 3)) / 4)" class="product-card__image product-card__image--primary aspect-natural"></a>
            </div>

            <div class="product-card__info product-card__info--center">
              <div class="v-stack gap-0-5 w-full justify-items-center">
                <a href="/products/%s" class="product-title h6 line-clamp" data-instant>%s</a>
                <price-list class="price-list price-list--centered ">
                %s
                </price-list>
              </div>
              <product-form><form method="post" action="/cart/add" accept-charset="UTF-8" class="shopify-product-form" enctype="multipart/form-data" is="product-form"><input type="hidden" name="form_type" value="product" /><input type="hidden" name="utf8" value="✓" /><input type="hidden" name="quantity" value="1">
                <input type="hidden" name="id" value="%d">
                <button type="submit" class="product-card__quick-buy-button sm:hidden"><span class="sr-only">Add to cart</span><svg role="presentation" stroke-width="2" focusable="false" width="16" height="16" class="icon icon-plus" viewBox="0 0 16 16"><path d="M8 0v16M0 8h16" stroke="currentColor"></path></svg></button><input type="hidden" name="product-id" value="%d" /></form></product-form>
            </div>
          </product-card>
`, p.Handle, badge, p.Handle, p.Image, p.V, esc(p.Title), p.Image, p.V, p.Image, p.V, p.Image, p.V, p.Image, p.V, p.Handle, esc(p.Title), price, p.ID+7, p.ID)
	}
	b.WriteString(`</product-list>

        <div class="text-center">
          <a href="/collections/all" class="button button--outline">View all</a>
        </div>
      </div>
    </div>
  </div>
</section>`)
}

// writeFooter writes the newsletter and footer sections and the end of <main>.
func writeFooter(b *strings.Builder) {
	b.WriteString(`
<!-- BEGIN sections: footer-group -->
<footer id="shopify-section-sections--16512393003234__footer" class="shopify-section shopify-section-group-footer-group shopify-section--footer"><div class="footer">
  <div class="container">
    <div class="footer__wrapper">
      <div class="footer__block-list empty:hidden"><div class="footer__block footer__block--newsletter" >
              <div class="v-stack gap-4">
                <p class="bold">Stay in the loop</p>
                <div class="prose text-subdued"><p>Get the latest Tesla and SpaceX news and exclusive offers in your inbox.</p></div><form method="post" action="/contact#footer-newsletter" id="footer-newsletter" accept-charset="UTF-8" class="footer__newsletter-form form"><input type="hidden" name="form_type" value="customer" /><input type="hidden" name="utf8" value="✓" /><input type="hidden" name="contact[tags]" value="newsletter">
                  <div class="input-group">
                    <div class="form-control">
                      <input type="email" id="footer-newsletter-email" name="contact[email]" class="input" autocomplete="email" required placeholder="E-mail">
                      <label for="footer-newsletter-email" class="floating-label text-sm">E-mail</label>
                    </div>
                    <button type="submit" class="button">Subscribe</button>
                  </div></form></div>
            </div><div class="footer__block footer__block--menu" >
              <p class="bold">Shop</p>

              <ul class="v-stack gap-3" role="list"><li><a href="/collections/all" class="inline-block link-faded break-all">All Accessories</a></li><li><a href="/collections/model-3" class="inline-block link-faded break-all">Model 3</a></li><li><a href="/collections/model-y" class="inline-block link-faded break-all">Model Y</a></li></ul>
            </div><div class="footer__block footer__block--menu" >
              <p class="bold">Information</p>

              <ul class="v-stack gap-3" role="list"><li><a href="/pages/about-us" class="inline-block link-faded break-all">About Us</a></li><li><a href="/pages/contact" class="inline-block link-faded break-all">Contact</a></li><li><a href="/search" class="inline-block link-faded break-all">Search</a></li><li><a href="/policies/shipping-policy" class="inline-block link-faded break-all">Shipping Policy</a></li><li><a href="/policies/refund-policy" class="inline-block link-faded break-all">Refund Policy</a></li><li><a href="/policies/privacy-policy" class="inline-block link-faded break-all">Privacy Policy</a></li><li><a href="/policies/terms-of-service" class="inline-block link-faded break-all">Terms of Service</a></li></ul>
            </div><div class="footer__block footer__block--text" >
              <p class="bold">About Tesmanian</p>
              <div class="prose text-subdued"><p>Tesmanian is an independent news site and accessories store for Tesla owners and fans. We are not affiliated with Tesla, Inc.</p></div>
            </div></div><div class="footer__aside empty:hidden"><div class="footer__aside-top"><ul class="social-media " role="list"><li>
      <a href="https://www.facebook.com/tesmanian" class="tap-area" target="_blank" rel="noopener" aria-label="Follow on Facebook">Facebook</a>
    </li><li>
      <a href="https://twitter.com/Tesmanian_com" class="tap-area" target="_blank" rel="noopener" aria-label="Follow on Twitter">Twitter</a>
    </li><li>
      <a href="https://www.youtube.com/c/Tesmanian" class="tap-area" target="_blank" rel="noopener" aria-label="Follow on YouTube">YouTube</a>
    </li></ul></div><div class="footer__aside-bottom"><p class="footer__copyright text-xs text-subdued">© 2024, Tesmanian. <a target="_blank" rel="nofollow" href="https://www.shopify.com?utm_campaign=poweredby&amp;utm_medium=shopify&amp;utm_source=onlinestore">Powered by Shopify</a></p><div class="payment-methods" role="list"><svg class="icon icon--full-color" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="pi-visa" viewBox="0 0 38 24" width="38" height="24"><title id="pi-visa">Visa</title><path opacity=".07" d="M35 0H3C1.3 0 0 1.3 0 3v18c0 1.7 1.4 3 3 3h32c1.7 0 3-1.3 3-3V3c0-1.7-1.4-3-3-3z"/><path fill="#fff" d="M35 1c1.1 0 2 .9 2 2v18c0 1.1-.9 2-2 2H3c-1.1 0-2-.9-2-2V3c0-1.1.9-2 2-2h32"/><path d="M28.3 10.1H28c-.4 1-.7 1.5-1 3h1.9c-.3-1.5-.3-2.2-.6-3zm2.9 5.9h-1.7c-.1 0-.1 0-.2-.1l-.2-.9-.1-.2h-2.4c-.1 0-.2 0-.2.2l-.3.9c0 .1-.1.1-.1.1h-2.1l.2-.5L27 8.7c0-.5.3-.7.8-.7h1.5c.1 0 .2 0 .2.2l1.4 6.5c.1.4.2.7.2 1.1.1.1.1.1.1.2zm-13.4-.3l.4-1.8c.1 0 .2.1.2.1.7.3 1.4.5 2.1.4.2 0 .5-.1.7-.2.5-.2.5-.7.1-1.1-.2-.2-.5-.3-.8-.5-.4-.2-.8-.4-1.1-.7-1.2-1-.8-2.4-.1-3.1.6-.4.9-.8 1.7-.8 1.2 0 2.5 0 3.1.2h.1c-.1.6-.2 1.1-.4 1.7-.5-.2-1-.4-1.5-.4-.3 0-.6 0-.9.1-.2 0-.3.1-.4.2-.2.2-.2.5 0 .7l.5.4c.4.2.8.4 1.1.6.5.3 1 .8 1.1 1.4.2.9-.1 1.7-.9 2.3-.5.4-.7.6-1.4.6-1.4 0-2.5.1-3.4-.2-.1.2-.1.2-.2.1zm-3.5.3c.1-.7.1-.7.2-1 .5-2.2 1-4.5 1.4-6.7.1-.2.1-.3.3-.3H18c-.2 1.2-.4 2.1-.7 3.2-.3 1.5-.6 3-1 4.5 0 .2-.1.2-.3.2M5 8.2c0-.1.2-.2.3-.2h3.4c.5 0 .9.3 1 .8l.9 4.4c0 .1 0 .1.1.2 0-.1.1-.1.1-.1l2.1-5.1c-.1-.1 0-.2.1-.2h2.1c0 .1 0 .1-.1.2l-3.1 7.3c-.1.2-.1.3-.2.4-.1.1-.3 0-.5 0H9.7c-.1 0-.2 0-.2-.2L7.9 9.5c-.2-.2-.5-.5-.9-.6-.6-.3-1.7-.5-1.9-.5L5 8.2z" fill="#142688"/></svg><svg class="icon icon--full-color" viewBox="0 0 38 24" xmlns="http://www.w3.org/2000/svg" role="img" width="38" height="24" aria-labelledby="pi-master"><title id="pi-master">Mastercard</title><path opacity=".07" d="M35 0H3C1.3 0 0 1.3 0 3v18c0 1.7 1.4 3 3 3h32c1.7 0 3-1.3 3-3V3c0-1.7-1.4-3-3-3z"/><path fill="#fff" d="M35 1c1.1 0 2 .9 2 2v18c0 1.1-.9 2-2 2H3c-1.1 0-2-.9-2-2V3c0-1.1.9-2 2-2h32"/><circle fill="#EB001B" cx="15" cy="12" r="7"/><circle fill="#F79E1B" cx="23" cy="12" r="7"/><path fill="#FF5F00" d="M22 12c0-2.4-1.2-4.5-3-5.7-1.8 1.3-3 3.4-3 5.7s1.2 4.5 3 5.7c1.8-1.2 3-3.3 3-5.7z"/></svg></div></div></div>
    </div>
  </div>
</div>
</footer>
<!-- END sections: footer-group --></main>`)
}

// writeTail writes the end-of-body scripts and closes the document.
func writeTail(b *strings.Builder, extra string) {
	b.WriteString(`

    <!-- BEGIN sections: overlay-group -->
<section id="shopify-section-sections--16512393035999__search-drawer" class="shopify-section shopify-section-group-overlay-group shopify-section--search-drawer"><search-drawer id="search-drawer" class="search-drawer drawer drawer--sm" initial-focus="false" handle-editor-events>
  <form id="predictive-search-form" action="/search" method="GET" aria-owns="predictive-search-results" class="predictive-search h-stack gap-3" role="search">
    <input type="hidden" name="type" value="article,product">
    <input type="search" name="q" spellcheck="false" class="predictive-search__input w-full" autocomplete="off" placeholder="Search for..." aria-label="Search">
  </form>
  <predictive-search class="block" id="predictive-search-results" aria-live="polite"></predictive-search>
</search-drawer>
</section><section id="shopify-section-sections--16512393035999__newsletter-popup" class="shopify-section shopify-section-group-overlay-group shopify-section--newsletter-popup"></section>
<!-- END sections: overlay-group --><script id="web-pixels-manager-setup">(function e(e,d,r,n,o){if(void 0===o&&(o={}),!Boolean(null===(a=null===(i=window.Shopify)||void 0===i?void 0:i.analytics)||void 0===a?void 0:a.replayQueue)){var i,a;window.Shopify=window.Shopify||{};var t=window.Shopify;t.analytics=t.analytics||{};var s=t.analytics;s.replayQueue=[],s.publish=function(e,d,r){return s.replayQueue.push([e,d,r]),!0};try{self.performance.mark("wpm:start")}catch(e){}var l=function(){var e={modern:/Edge?\/(1{2}[4-9]|1[2-9]\d|[2-9]\d{2}|\d{4,})\.\d+(\.\d+|)|Firefox\/(1{2}[4-9]|1[2-9]\d|[2-9]\d{2}|\d{4,})\.\d+(\.\d+|)|Chrom(ium|e)\/(9{2}|\d{3,})\.\d+(\.\d+|)|(Maci|X1{2}).+ Version\/(15\.\d+|(1[6-9]|[2-9]\d|\d{3,})\.\d+)([,.]\d+|)( \(\w+\)|)( Mobile\/\w+|) Safari\/|Chrome.+OPR\/(9{2}|\d{3,})\.\d+\.\d+|(CPU[ +]OS|iPhone[ +]OS|CPU[ +]iPhone|CPU IPhone OS|CPU iPad OS)[ +]+(15[._]\d+|(1[6-9]|[2-9]\d|\d{3,})[._]\d+)([._]\d+|)|Android:?[ /-](12[4-9]|1[3-9]\d|[2-9]\d{2}|\d{4,})(\.\d+|)(\.\d+|)|Mobile Safari.+OPR\/([89]\d|\d{3,})\.\d+\.\d+|Android.+Firefox\/(12[4-9]|1[3-9]\d|[2-9]\d{2}|\d{4,})\.\d+(\.\d+|)|Android.+Chrom(ium|e)\/(12[4-9]|1[3-9]\d|[2-9]\d{2}|\d{4,})\.\d+(\.\d+|)|SamsungBrowser\/([2-9]\d|\d{3,})\.\d+/,legacy:/Edge?\/(1[6-9]|[2-9]\d|\d{3,})\.\d+(\.\d+|)|Firefox\/(5[4-9]|[6-9]\d|\d{3,})\.\d+(\.\d+|)|Chrom(ium|e)\/(5[1-9]|[6-9]\d|\d{3,})\.\d+(\.\d+|)([\d.]+$|.*Safari\/(?![\d.]+ Edge\/[\d.]+$))|(Maci|X1{2}).+ Version\/(10\.\d+|(1[1-9]|[2-9]\d|\d{3,})\.\d+)([,.]\d+|)( \(\w+\)|)( Mobile\/\w+|) Safari\/|Chrome.+OPR\/(3[89]|[4-9]\d|\d{3,})\.\d+\.\d+|(CPU[ +]OS|iPhone[ +]OS|CPU[ +]iPhone|CPU IPhone OS|CPU iPad OS)[ +]+(10[._]\d+|(1[1-9]|[2-9]\d|\d{3,})[._]\d+)([._]\d+|)|Android:?[ /-](12[4-9]|1[3-9]\d|[2-9]\d{2}|\d{4,})(\.\d+|)(\.\d+|)|Mobile Safari.+OPR\/([2-9]\d|\d{3,})\.\d+\.\d+|Android.+Firefox\/(12[4-9]|1[3-9]\d|[2-9]\d{2}|\d{4,})\.\d+(\.\d+|)|Android.+Chrom(ium|e)\/(12[4-9]|1[3-9]\d|[2-9]\d{2}|\d{4,})\.\d+(\.\d+|)|SamsungBrowser\/([4-9]|\d{2,})\.\d+/},d=e.modern,r=e.legacy,n=navigator.userAgent;return n.match(d)?"modern":n.match(r)?"legacy":"unknown"}(),u="modern"===l?"modern":"legacy",c=(null!=n?n:{modern:"",legacy:""})[u],f=function(e){return[e.baseUrl,"/wpm","/b",e.hashVersion,"modern"===e.buildTarget?"m":"l",".js"].join("")}({baseUrl:d,hashVersion:r,buildTarget:u})}})(null,"https://www.tesmanian.com/cdn","c8a1b3f1w2e5c4d1pa7b9c0e1m4d6e8f0a",{"modern":"","legacy":""},{"shopId":"1738204","storefrontBaseUrl":"https:\/\/www.tesmanian.com","extensionsBaseUrl":"https:\/\/extensions.shopifycdn.com\/cdn\/shopifycloud\/web-pixels-manager","surface":"storefront-renderer","enabledBetaFlags":["ac843a20"],"webPixelsConfigList":[{"id":"shopify-app-pixel","configuration":"{}","eventPayloadVersion":"v1","runtimeContext":"STRICT","scriptVersion":"0450","apiClientId":"shopify-pixel","type":"APP","privacyPurposes":["ANALYTICS","MARKETING"]},{"id":"shopify-custom-pixel","eventPayloadVersion":"v1","runtimeContext":"LAX","scriptVersion":"0450","apiClientId":"shopify-pixel","type":"CUSTOM","privacyPurposes":["ANALYTICS","MARKETING"]}],"isMerchantRequest":false,"initData":{"shop":{"name":"Tesmanian","paymentSettings":{"currencyCode":"USD"},"myshopifyDomain":"tesmanian.myshopify.com","countryCode":"US","storefrontUrl":"https:\/\/www.tesmanian.com"},"customerPrivacy":{"analyticsProcessingAllowed":true,"marketingAllowed":true,"preferencesProcessingAllowed":true,"saleOfDataAllowed":true},"cart":null,"checkout":null,"productVariants":[],"purchasingCompany":null},"effectiveTopLevelDomain":"tesmanian.com"});</script>`)
	b.WriteString(extra)
	b.WriteString(`
<script>
  (function() {
    var loadGA = function() {
      var s = document.createElement('script');
      s.async = true;
      s.src = 'https://www.googletagmanager.com/gtag/js?id=G-7Q2W9ZKXPL';
      document.head.appendChild(s);
      window.dataLayer = window.dataLayer || [];
      function gtag(){dataLayer.push(arguments);}
      gtag('js', new Date());
      gtag('config', 'G-7Q2W9ZKXPL', { 'anonymize_ip': true });
    };
    if (document.readyState === 'complete') { loadGA(); } else { window.addEventListener('load', loadGA); }
  })();
</script>
</body>
</html>
`)
}
