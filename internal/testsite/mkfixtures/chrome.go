package main

import (
	"encoding/json"
	"fmt"
	"html"
	"strings"
)

const (
	host    = "https://www.tesmanian.com"
	cdn     = "//www.tesmanian.com/cdn/shop"
	blog    = "/blogs/tesmanian-blog"
	themeID = "136842887293"
)

// esc escapes text for HTML the way Shopify's escape filter does (' → &#39;).
func esc(s string) string { return html.EscapeString(s) }

// js encodes a string as a JSON literal without HTML escaping (Shopify's json filter).
func js(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// head describes the <head> of an Impact page.
type head struct {
	Title       string
	Description string
	Canonical   string // absolute
	OGType      string
	OGImage     string // file under /cdn/shop/articles, "" = shop share image
	OGImageV    int64
	JSONLD      []string
	PageType    string // ShopifyAnalytics pageType
	ResourceID  int64
	Template    string // body class suffix
	Charset     string
	Lang        string
	ReviewsApp  bool
	KlaviyoApp  bool
	Robots      string // meta robots, if any
}

func writeHead(b *strings.Builder, h head) {
	charset := h.Charset
	if charset == "" {
		charset = "utf-8"
	}
	lang := h.Lang
	if lang == "" {
		lang = "en"
	}
	fmt.Fprintf(b, `<!doctype html>
<html class="no-js" lang="%s" dir="ltr">
  <head>
    <meta charset="%s">
    <meta name="viewport" content="width=device-width, initial-scale=1.0, height=device-height, minimum-scale=1.0, maximum-scale=1.0">
    <meta name="theme-color" content="#ffffff">

    <title>%s</title><meta name="description" content="%s"><link rel="canonical" href="%s">`, lang, charset, esc(h.Title), esc(h.Description), h.Canonical)
	if h.Robots != "" {
		fmt.Fprintf(b, `<meta name="robots" content="%s">`, h.Robots)
	}
	b.WriteString(`<link rel="shortcut icon" href="//www.tesmanian.com/cdn/shop/files/tesmanian-favicon.png?v=1614301425&width=96" type="image/png"><link rel="preconnect" href="https://cdn.shopify.com">
    <link rel="dns-prefetch" href="https://productreviews.shopifycdn.com">
    <link rel="dns-prefetch" href="https://www.google-analytics.com"><link rel="preconnect" href="https://fonts.shopifycdn.com" crossorigin><link rel="preload" href="//www.tesmanian.com/cdn/fonts/barlow/barlow_n7.691d1d11f150e857bcbc1c10e8f8a4a8e6b2f1d4.woff2" as="font" type="font/woff2" crossorigin><link rel="preload" href="//www.tesmanian.com/cdn/fonts/inter/inter_n4.b2a3f24c19b4de56e8871f609e73ca7f6d2e2bb9.woff2" as="font" type="font/woff2" crossorigin><meta property="og:type" content="` + h.OGType + `">
  <meta property="og:title" content="` + esc(h.Title) + `">`)
	if h.OGImage != "" {
		fmt.Fprintf(b, `
  <meta property="og:image" content="http://www.tesmanian.com/cdn/shop/articles/%s?v=%d&width=2048">
  <meta property="og:image:secure_url" content="https://www.tesmanian.com/cdn/shop/articles/%s?v=%d&width=2048">
  <meta property="og:image:width" content="1200">
  <meta property="og:image:height" content="675">`, h.OGImage, h.OGImageV, h.OGImage, h.OGImageV)
	} else {
		b.WriteString(`
  <meta property="og:image" content="http://www.tesmanian.com/cdn/shop/files/tesmanian-share.png?v=1653048120&width=2048">
  <meta property="og:image:secure_url" content="https://www.tesmanian.com/cdn/shop/files/tesmanian-share.png?v=1653048120&width=2048">
  <meta property="og:image:width" content="1200">
  <meta property="og:image:height" content="628">`)
	}
	fmt.Fprintf(b, `<meta property="og:description" content="%s"><meta property="og:url" content="%s">
<meta property="og:site_name" content="Tesmanian"><meta name="twitter:card" content="summary"><meta name="twitter:title" content="%s">
  <meta name="twitter:description" content="%s">`, esc(h.Description), h.Canonical, esc(h.Title), esc(h.Description))
	if h.OGImage != "" {
		fmt.Fprintf(b, `<meta name="twitter:image" content="https://www.tesmanian.com/cdn/shop/articles/%s?crop=center&height=1200&v=%d&width=1200">
  <meta name="twitter:image:alt" content="%s">`, h.OGImage, h.OGImageV, esc(h.Title))
	}
	b.WriteString("\n  <meta name=\"twitter:site\" content=\"@Tesmanian_com\">\n")
	for _, ld := range h.JSONLD {
		b.WriteString("  <script type=\"application/ld+json\">")
		b.WriteString(ld)
		b.WriteString("</script>\n")
	}
	b.WriteString(themeStyle)
	b.WriteString(`
    <script>
      document.documentElement.className = document.documentElement.className.replace('no-js', 'js');
      if (Shopify.designMode) {
        document.documentElement.classList.add('shopify-design-mode');
      }
    </script>
`)
	fmt.Fprintf(b, shopifyHeadScripts, h.PageType, h.ResourceID)
	if h.ReviewsApp {
		b.WriteString(reviewsAppScript)
	}
	if h.KlaviyoApp {
		b.WriteString(klaviyoAppScript)
	}
	b.WriteString(themeAssets)
	b.WriteString("  </head>\n\n")
	fmt.Fprintf(b, `  <body class="%s">`, "template-"+h.Template)
	b.WriteString("<a href=\"#main\" class=\"skip-to-content sr-only\">Skip to content</a>")
}

const themeStyle = `<style>/* Typography (heading) */
  @font-face {
  font-family: Barlow;
  font-weight: 700;
  font-style: normal;
  font-display: fallback;
  src: url("//www.tesmanian.com/cdn/fonts/barlow/barlow_n7.691d1d11f150e857bcbc1c10e8f8a4a8e6b2f1d4.woff2") format("woff2"),
       url("//www.tesmanian.com/cdn/fonts/barlow/barlow_n7.4fdbb1cb7da0e2c2f88492243ffa2b4f91924840.woff") format("woff");
}

/* Typography (body) */
  @font-face {
  font-family: Inter;
  font-weight: 400;
  font-style: normal;
  font-display: fallback;
  src: url("//www.tesmanian.com/cdn/fonts/inter/inter_n4.b2a3f24c19b4de56e8871f609e73ca7f6d2e2bb9.woff2") format("woff2"),
       url("//www.tesmanian.com/cdn/fonts/inter/inter_n4.af8052d517e0c9ffac7b814872cecc27ae1fa132.woff") format("woff");
}

@font-face {
  font-family: Inter;
  font-weight: 700;
  font-style: normal;
  font-display: fallback;
  src: url("//www.tesmanian.com/cdn/fonts/inter/inter_n7.02711e6b374660cfc7915d1afc1c204e633421e4.woff2") format("woff2"),
       url("//www.tesmanian.com/cdn/fonts/inter/inter_n7.6dab87426f6b8813070abd79972ceaf2f8d3b012.woff") format("woff");
}

:root {
    /**
     * ---------------------------------------------------------------------
     * SPACING VARIABLES
     *
     * We are using a spacing inspired from frameworks like Tailwind CSS.
     * ---------------------------------------------------------------------
     */
    --spacing-0-5: 0.125rem; /* 2px */
    --spacing-1: 0.25rem; /* 4px */
    --spacing-1-5: 0.375rem; /* 6px */
    --spacing-2: 0.5rem; /* 8px */
    --spacing-2-5: 0.625rem; /* 10px */
    --spacing-3: 0.75rem; /* 12px */
    --spacing-3-5: 0.875rem; /* 14px */
    --spacing-4: 1rem; /* 16px */
    --spacing-4-5: 1.125rem; /* 18px */
    --spacing-5: 1.25rem; /* 20px */
    --spacing-5-5: 1.375rem; /* 22px */
    --spacing-6: 1.5rem; /* 24px */
    --spacing-6-5: 1.625rem; /* 26px */
    --spacing-7: 1.75rem; /* 28px */
    --spacing-7-5: 1.875rem; /* 30px */
    --spacing-8: 2rem; /* 32px */
    --spacing-8-5: 2.125rem; /* 34px */
    --spacing-9: 2.25rem; /* 36px */
    --spacing-9-5: 2.375rem; /* 38px */
    --spacing-10: 2.5rem; /* 40px */
    --spacing-11: 2.75rem; /* 44px */
    --spacing-12: 3rem; /* 48px */
    --spacing-14: 3.5rem; /* 56px */
    --spacing-16: 4rem; /* 64px */
    --spacing-18: 4.5rem; /* 72px */
    --spacing-20: 5rem; /* 80px */
    --spacing-24: 6rem; /* 96px */
    --spacing-28: 7rem; /* 112px */
    --spacing-32: 8rem; /* 128px */
    --spacing-36: 9rem; /* 144px */
    --spacing-40: 10rem; /* 160px */
    --spacing-44: 11rem; /* 176px */
    --spacing-48: 12rem; /* 192px */
    --spacing-52: 13rem; /* 208px */
    --spacing-56: 14rem; /* 224px */
    --spacing-60: 15rem; /* 240px */
    --spacing-64: 16rem; /* 256px */
    --spacing-72: 18rem; /* 288px */
    --spacing-80: 20rem; /* 320px */
    --spacing-96: 24rem; /* 384px */

    /* Container */
    --container-max-width: 1600px;
    --container-narrow-max-width: 1350px;
    --container-gutter: var(--spacing-5);
    --section-outer-spacing-block: var(--spacing-12);
    --section-inner-max-spacing-block: var(--spacing-10);
    --section-inner-spacing-inline: var(--container-gutter);
    --section-stack-spacing-block: var(--spacing-8);

    /* Grid gutter */
    --grid-gutter: var(--spacing-5);

    /* Product list settings */
    --product-list-row-gap: var(--spacing-8);
    --product-list-column-gap: var(--grid-gutter);

    /* Form settings */
    --input-gap: var(--spacing-2);
    --input-height: 2.625rem;
    --input-padding-inline: var(--spacing-4);

    /* Other sizes */
    --sticky-area-height: calc(var(--sticky-announcement-bar-enabled, 0) * var(--announcement-bar-height, 0px) + var(--sticky-header-enabled, 0) * var(--header-height, 0px));

    /* RTL support */
    --transform-logical-flip: 1;
    --transform-origin-start: left;
    --transform-origin-end: right;

    /**
     * ---------------------------------------------------------------------
     * TYPOGRAPHY
     * ---------------------------------------------------------------------
     */

    /* Font properties */
    --heading-font-family: Barlow, sans-serif;
    --heading-font-weight: 700;
    --heading-font-style: normal;
    --heading-text-transform: normal;
    --heading-letter-spacing: -0.02em;
    --text-font-family: Inter, sans-serif;
    --text-font-weight: 400;
    --text-font-style: normal;
    --text-letter-spacing: 0.0em;

    /* Font sizes */
    --text-h0: 2.5rem;
    --text-h1: 1.75rem;
    --text-h2: 1.5rem;
    --text-h3: 1.375rem;
    --text-h4: 1.125rem;
    --text-h5: 1.125rem;
    --text-h6: 1rem;
    --text-xs: 0.6875rem;
    --text-sm: 0.75rem;
    --text-base: 0.875rem;
    --text-lg: 1.125rem;

    /**
     * ---------------------------------------------------------------------
     * COLORS
     * ---------------------------------------------------------------------
     */

    /* Color settings */--accent: 26 26 26;
    --text-primary: 26 26 26;
    --background-primary: 255 255 255;
    --dialog-background: 255 255 255;
    --border-color: var(--text-color, var(--text-primary)) / 0.12;

    /* Button colors */
    --button-background-primary: 26 26 26;
    --button-text-primary: 255 255 255;
    --button-background-secondary: 227 30 36;
    --button-text-secondary: 255 255 255;

    /* Status colors */
    --success-background: 224 244 232;
    --success-text: 0 163 65;
    --warning-background: 255 246 233;
    --warning-text: 255 183 74;
    --error-background: 254 231 231;
    --error-text: 248 58 58;

    /* Product colors */
    --on-sale-text: 227 30 36;
    --on-sale-badge-background: 227 30 36;
    --on-sale-badge-text: 255 255 255;
    --sold-out-badge-background: 0 0 0;
    --sold-out-badge-text: 255 255 255;
    --primary-badge-background: 227 30 36;
    --primary-badge-text: 255 255 255;
    --star-color: 255 183 74;
    --product-card-background: 255 255 255;
    --product-card-text: 26 26 26;

    /* Header colors */
    --header-background: 255 255 255;
    --header-text: 26 26 26;

    /* Footer colors */
    --footer-background: 26 26 26;
    --footer-text: 255 255 255;

    /* Rounded variables (used for border radius) */
    --rounded-xs: 0.25rem;
    --rounded-sm: 0.375rem;
    --rounded: 0.75rem;
    --rounded-lg: 1.5rem;
    --rounded-full: 9999px;

    --rounded-button: 3.75rem;
    --rounded-input: 0.5rem;

    /* Box shadow */
    --shadow-sm: 0 2px 8px rgb(var(--text-primary) / 0.1);
    --shadow: 0 5px 15px rgb(var(--text-primary) / 0.1);
    --shadow-md: 0 5px 30px rgb(var(--text-primary) / 0.1);
    --shadow-block: 0px 18px 50px rgb(var(--text-primary) / 0.1);

    /**
     * ---------------------------------------------------------------------
     * OTHER
     * ---------------------------------------------------------------------
     */

    --cursor-close-svg-url: url(//www.tesmanian.com/cdn/shop/t/45/assets/cursor-close.svg?v=147174565022153725511687253781);
    --cursor-zoom-in-svg-url: url(//www.tesmanian.com/cdn/shop/t/45/assets/cursor-zoom-in.svg?v=154953035094101115921687253781);
    --cursor-zoom-out-svg-url: url(//www.tesmanian.com/cdn/shop/t/45/assets/cursor-zoom-out.svg?v=16155520337305705181687253781);
    --checkmark-svg-url: url(//www.tesmanian.com/cdn/shop/t/45/assets/checkmark.svg?v=77552481021870063511687253781);
  }

  [dir="rtl"]:root {
    /* RTL support */
    --transform-logical-flip: -1;
    --transform-origin-start: right;
    --transform-origin-end: left;
  }

  @media screen and (min-width: 700px) {
    :root {
      /* Typography (font size) */
      --text-h0: 3.25rem;
      --text-h1: 2.25rem;
      --text-h2: 1.75rem;
      --text-h3: 1.625rem;
      --text-h4: 1.25rem;
      --text-h5: 1.25rem;
      --text-h6: 1.125rem;

      --text-xs: 0.75rem;
      --text-sm: 0.875rem;
      --text-base: 1.0rem;
      --text-lg: 1.25rem;

      /* Spacing */
      --container-gutter: 2rem;
      --section-outer-spacing-block: var(--spacing-16);
      --section-inner-max-spacing-block: var(--spacing-12);
      --section-inner-spacing-inline: var(--spacing-12);
      --section-stack-spacing-block: var(--spacing-12);

      /* Grid gutter */
      --grid-gutter: var(--spacing-6);

      /* Product list settings */
      --product-list-row-gap: var(--spacing-12);

      /* Form settings */
      --input-gap: 1rem;
      --input-height: 3.125rem;
      --input-padding-inline: var(--spacing-5);
    }
  }

  @media screen and (min-width: 1000px) {
    :root {
      /* Spacing settings */
      --container-gutter: var(--spacing-12);
      --section-outer-spacing-block: var(--spacing-18);
      --section-inner-max-spacing-block: var(--spacing-16);
      --section-inner-spacing-inline: var(--spacing-16);
      --section-stack-spacing-block: var(--spacing-12);
    }
  }

  @media screen and (min-width: 1150px) {
    :root {
      /* Spacing settings */
      --container-gutter: var(--spacing-12);
      --section-outer-spacing-block: var(--spacing-20);
      --section-inner-max-spacing-block: var(--spacing-16);
      --section-inner-spacing-inline: var(--spacing-16);
      --section-stack-spacing-block: var(--spacing-12);
    }
  }

  @media screen and (min-width: 1400px) {
    :root {
      /* Typography (font size) */
      --text-h0: 4rem;
      --text-h1: 3rem;
      --text-h2: 2.5rem;
      --text-h3: 1.75rem;
      --text-h4: 1.5rem;
      --text-h5: 1.25rem;
      --text-h6: 1.25rem;

      --section-outer-spacing-block: var(--spacing-24);
      --section-inner-max-spacing-block: var(--spacing-18);
      --section-inner-spacing-inline: var(--spacing-18);
    }
  }
</style>
`

const shopifyHeadScripts = `<script>window.performance && window.performance.mark && window.performance.mark('shopify.content_for_header.start');</script><meta name="google-site-verification" content="r0m8cQ7kY1n4mq3wH2W5uGZ7dM0bq1Zl9cS9s6kJtqk">
<meta id="shopify-digital-wallet" name="shopify-digital-wallet" content="/1738204/digital_wallets/dialog">
<meta name="shopify-checkout-api-token" content="9b7e3c0b1d9f2a4e6c8a0b2d4f6e8a1c">
<meta id="in-context-paypal-metadata" data-shop-id="1738204" data-venmo-supported="false" data-environment="production" data-locale="en_US" data-paypal-v4="true" data-currency="USD">
<link rel="alternate" type="application/atom+xml" title="Feed" href="/blogs/tesmanian-blog.atom" />
<script async="async" src="/checkouts/internal/preloads.js?locale=en-US"></script>
<link rel="preconnect" href="https://shop.app" crossorigin="anonymous">
<script async="async" src="https://shop.app/checkouts/internal/preloads.js?locale=en-US&shop_id=1738204" crossorigin="anonymous"></script>
<script id="apple-pay-shop-capabilities" type="application/json">{"shopId":1738204,"countryCode":"US","currencyCode":"USD","merchantCapabilities":["supports3DS"],"merchantId":"gid:\/\/shopify\/Shop\/1738204","merchantName":"Tesmanian","requiredBillingContactFields":["postalAddress","email","phone"],"requiredShippingContactFields":["postalAddress","email","phone"],"shippingType":"shipping","supportedNetworks":["visa","masterCard","amex","discover","elo","jcb"],"total":{"type":"pending","label":"Tesmanian","amount":"1.00"},"shopifyPaymentsEnabled":true,"supportsSubscriptions":true}</script>
<script id="shopify-features" type="application/json">{"accessToken":"9b7e3c0b1d9f2a4e6c8a0b2d4f6e8a1c","betas":["rich-media-storefront-analytics"],"domain":"www.tesmanian.com","predictiveSearch":true,"shopId":1738204,"smart_payment_buttons_url":"https:\/\/www.tesmanian.com\/cdn\/shopifycloud\/payment-sheet\/assets\/latest\/spb.en.js","dynamic_checkout_cart_url":"https:\/\/www.tesmanian.com\/cdn\/shopifycloud\/payment-sheet\/assets\/latest\/dynamic-checkout-cart.en.js","locale":"en"}</script>
<script>var Shopify = Shopify || {};
Shopify.shop = "tesmanian.myshopify.com";
Shopify.locale = "en";
Shopify.currency = {"active":"USD","rate":"1.0"};
Shopify.country = "US";
Shopify.theme = {"name":"Impact","id":` + themeID + `,"schema_name":"Impact","schema_version":"4.7.1","theme_store_id":1190,"role":"main"};
Shopify.theme.handle = "null";
Shopify.theme.style = {"id":null,"handle":null};
Shopify.cdnHost = "www.tesmanian.com/cdn";
Shopify.routes = Shopify.routes || {};
Shopify.routes.root = "/";</script>
<script type="module">!function(o){(o.Shopify=o.Shopify||{}).modules=!0}(window);</script>
<script>!function(o){function n(){var o=[];function n(){o.push(Array.prototype.slice.apply(arguments))}return n.q=o,n}var t=o.Shopify=o.Shopify||{};t.loadFeatures=n(),t.autoloadFeatures=n()}(window);</script>
<script id="shop-js-analytics" type="application/json">{"pageType":"%s"}</script>
<script>
  window.ShopifyAnalytics = window.ShopifyAnalytics || {};
  window.ShopifyAnalytics.meta = window.ShopifyAnalytics.meta || {};
  window.ShopifyAnalytics.meta.currency = 'USD';
  var meta = {"page":{"pageType":"%[1]s","resourceType":"%[1]s","resourceId":%[2]d}};
  for (var attr in meta) {
    window.ShopifyAnalytics.meta[attr] = meta[attr];
  }
</script>
<script class="analytics">
  (function () {
    var customDocumentWrite = function(content) {
      var jquery = null;

      if (window.jQuery) {
        jquery = window.jQuery;
      } else if (window.Checkout && window.Checkout.$) {
        jquery = window.Checkout.$;
      }

      if (jquery) {
        jquery('body').append(content);
      }
    };

    var hasLoggedConversion = function(token) {
      if (token) {
        return document.cookie.indexOf('loggedConversion=' + token) !== -1;
      }
      return false;
    }

    var setCookieIfConversion = function(token) {
      if (token) {
        var twoMonthsFromNow = new Date(Date.now());
        twoMonthsFromNow.setMonth(twoMonthsFromNow.getMonth() + 2);

        document.cookie = 'loggedConversion=' + token + '; expires=' + twoMonthsFromNow;
      }
    }

    var trekkie = window.ShopifyAnalytics.lib = window.trekkie = window.trekkie || [];
    if (trekkie.integrations) {
      return;
    }
    trekkie.methods = [
      'identify',
      'page',
      'ready',
      'track',
      'trackForm',
      'trackLink'
    ];
    trekkie.factory = function(method) {
      return function() {
        var args = Array.prototype.slice.call(arguments);
        args.unshift(method);
        trekkie.push(args);
        return trekkie;
      };
    };
    for (var i = 0; i < trekkie.methods.length; i++) {
      var key = trekkie.methods[i];
      trekkie[key] = trekkie.factory(key);
    }
    trekkie.load = function(config) {
      trekkie.config = config || {};
      trekkie.config.initialDocumentCookie = document.cookie;
      var first = document.getElementsByTagName('script')[0];
      var script = document.createElement('script');
      script.type = 'text/javascript';
      script.onerror = function(e) {
        var scriptFallback = document.createElement('script');
        scriptFallback.type = 'text/javascript';
        scriptFallback.onerror = function(error) {
          var Monorail = {
            produce: function produce(monorailDomain, schemaId, payload) {
              var currentMs = new Date().getTime();
              var event = {
                schema_id: schemaId,
                payload: payload,
                metadata: {
                  event_created_at_ms: currentMs,
                  event_sent_at_ms: currentMs
                }
              };
              return Monorail.sendRequest("https://" + monorailDomain + "/v1/produce", JSON.stringify(event));
            },
            sendRequest: function sendRequest(endpointUrl, payload) {
              try {
                if (window && window.navigator && typeof window.navigator.sendBeacon === 'function' && typeof window.Blob === 'function' && !isIos12()) {
                  var blobData = new window.Blob([payload], {
                    type: 'text/plain'
                  });

                  if (window.navigator.sendBeacon(endpointUrl, blobData)) {
                    return true;
                  }
                }

                var xhr = new XMLHttpRequest();
                xhr.open('POST', endpointUrl);
                xhr.setRequestHeader('Content-Type', 'text/plain');
                xhr.send(payload);
              } catch (e) {
                console.log(e);
              }
              return false;
            }
          };
          Monorail.produce('monorail-edge.shopifysvc.com', 'trekkie_storefront_load_errors/1.1', {shop_id: 1738204, theme_id: ` + themeID + `, app_name: "storefront", context_url: window.location.href, source_url: "//www.tesmanian.com/cdn/s/trekkie.storefront.min.js"});
        };
        scriptFallback.async = true;
        scriptFallback.src = '//www.tesmanian.com/cdn/s/trekkie.storefront.min.js';
        first.parentNode.insertBefore(scriptFallback, first);
      };
      script.async = true;
      script.src = '//www.tesmanian.com/cdn/s/trekkie.storefront.min.js';
      first.parentNode.insertBefore(script, first);
    };
    trekkie.load(
      {"Trekkie":{"appName":"storefront","development":false,"defaultAttributes":{"shopId":1738204,"isMerchantRequest":null,"themeId":` + themeID + `,"themeCityHash":"4372998931412094511","contentLanguage":"en","currency":"USD"},"isServerSideCookieWritingEnabled":true,"monorailRegion":"shop_domain"},"Session Attribution":{},"S2S":{"facebookCapiEnabled":false,"source":"trekkie-storefront-renderer","apiClientId":580111}}
    );

    var loaded = false;
    trekkie.ready(function() {
      if (loaded) return;
      loaded = true;

      window.ShopifyAnalytics.lib = window.trekkie;

      var originalDocumentWrite = document.write;
      document.write = customDocumentWrite;
      try { window.ShopifyAnalytics.merchantGoogleAnalytics.call(this); } catch(error) {};
      document.write = originalDocumentWrite;

      window.ShopifyAnalytics.lib.page(null,{"pageType":"%[1]s","resourceType":"%[1]s","resourceId":%[2]d,"shopifyEmitted":true});

      var match = window.location.pathname.match(/checkouts\/(.+)\/(thank_you|post_purchase)/)
      var token = match? match[1]: undefined;
      if (!hasLoggedConversion(token)) {
        setCookieIfConversion(token);
      }
    });

    var eventsListenerScript = document.createElement('script');
    eventsListenerScript.async = true;
    eventsListenerScript.src = "//www.tesmanian.com/cdn/shopifycloud/storefront/assets/shop_events_listener-3da45d37.js";
    document.getElementsByTagName('head')[0].appendChild(eventsListenerScript);
  })();
</script>
<script defer src="https://www.tesmanian.com/cdn/shopifycloud/perf-kit/shopify-perf-kit-1.6.2.min.js" data-application="storefront-renderer" data-shop-id="1738204" data-render-region="gcp-us-east1" data-page-type="%[1]s" data-theme-instance-id="` + themeID + `" data-theme-name="Impact" data-theme-version="4.7.1" data-monorail-region="shop_domain" data-resource-timing-sampling-rate="10" data-shs="true"></script>
<script>window.performance && window.performance.mark && window.performance.mark('shopify.content_for_header.end');</script>
`

const reviewsAppScript = `<script type="text/javascript" src="https://cdn.judge.me/widget_preloader.js" defer></script>
<script data-cfasync="false" type="text/javascript">
  jdgm = window.jdgm || {};jdgm.SHOP_DOMAIN = 'tesmanian.myshopify.com';jdgm.PLATFORM = 'shopify';jdgm.PUBLIC_TOKEN = 'Zk3bWq0xY7rR1eV8sT2a';
  jdgm.settings = {"pagination":5,"disable_web_reviews":false,"badge_no_review_text":"No reviews","badge_n_reviews_text":"{{ n }} review/reviews","hide_badge_preview_if_no_reviews":true,"widget_title":"Customer Reviews","widget_open_form_text":"Write a review","widget_close_form_text":"Cancel review","widget_summary_text":"Based on {{ number_of_reviews }} review/reviews","widget_no_review_text":"Be the first to write a review","widget_name_field_text":"Name","widget_verified_name_field_text":"Verified Name (public)","widget_name_placeholder_text":"Enter your name (public)","widget_required_field_error_text":"This field is required.","widget_email_field_text":"Email","widget_verified_email_field_text":"Verified Email (private, can't be edited)","widget_email_placeholder_text":"Enter your email (private)","widget_rating_field_text":"Rating","widget_review_title_field_text":"Review Title","widget_review_body_field_text":"Review","widget_sorting_most_recent_text":"Most Recent","widget_sorting_highest_rating_text":"Highest Rating","widget_sorting_lowest_rating_text":"Lowest Rating","widget_sorting_with_pictures_text":"Only Pictures","widget_sorting_most_helpful_text":"Most Helpful","widget_star_color":"#ffb74a","verified_badge_text":"Verified","all_reviews_include_out_of_store_products":true};
</script>
<style class="jdgm-settings-style">.jdgm-xx{left:0}:root{--jdgm-primary-color:#1a1a1a;--jdgm-secondary-color:rgba(26,26,26,0.1);--jdgm-star-color:#ffb74a;--jdgm-write-review-text-color:white;--jdgm-write-review-bg-color:#1a1a1a;--jdgm-paginate-color:#1a1a1a;--jdgm-border-radius:0}.jdgm-histogram__bar-content{background-color:#1a1a1a}.jdgm-rev[data-verified-buyer=true] .jdgm-rev__icon.jdgm-rev__icon:after,.jdgm-rev__buyer-badge.jdgm-rev__buyer-badge{color:white;background-color:#1a1a1a}.jdgm-prev-badge[data-average-rating='0.00']{display:none !important}.jdgm-author-all-initials{display:none !important}.jdgm-author-last-initial{display:none !important}</style>
`

const klaviyoAppScript = `<script async type="text/javascript" src="https://static.klaviyo.com/onsite/js/klaviyo.js?company_id=Xk4Tq9"></script>
<script>
  !function(){if(!window.klaviyo){window._klOnsite=window._klOnsite||[];try{window.klaviyo=new Proxy({},{get:function(n,i){return"push"===i?function(){var n;(n=window._klOnsite).push.apply(n,arguments)}:function(){for(var n=arguments.length,o=new Array(n),w=0;w<n;w++)o[w]=arguments[w];var t="function"==typeof o[o.length-1]?o.pop():void 0,e=new Promise((function(n){window._klOnsite.push([i].concat(o,[function(i){t&&t(i),n(i)}]))}));return e}}})}catch(n){window.klaviyo=window.klaviyo||[],window.klaviyo.push=function(){var n;(n=window._klOnsite).push.apply(n,arguments)}}}}();
</script>
`

const themeAssets = `
    <link href="//www.tesmanian.com/cdn/shop/t/45/assets/theme.css?v=104587423196551234521712057811" rel="stylesheet" type="text/css" media="all" />
    <script type="module" src="//www.tesmanian.com/cdn/shop/t/45/assets/vendor.min.js?v=52426788336887041471687253781"></script>
    <script type="module" src="//www.tesmanian.com/cdn/shop/t/45/assets/theme.js?v=102305916463219837571712057811"></script>
    <script>
      // This allows to expose several variables to the global scope, to be used in scripts
      window.themeVariables = {
        settings: {
          showPageTransition: null,
          staggerMenuApparition: true,
          reduceDrawerAnimation: false,
          reduceMenuAnimation: false,
          headingApparition: "split_fade",
          pageType: "article",
          moneyFormat: "${{amount}}",
          moneyWithCurrencyFormat: "${{amount}} USD",
          currencyCodeEnabled: false,
          cartType: "drawer",
          showDiscount: true,
          discountMode: "saving",
          pageBackground: "#ffffff",
          textColor: "#1a1a1a"
        },

        strings: {
          accessibilityClose: "Close",
          accessibilityNext: "Next",
          accessibilityPrevious: "Previous",
          closeGallery: "Close gallery",
          zoomGallery: "Zoom",
          errorGallery: "Image cannot be loaded",
          searchNoResults: "No results could be found.",
          addOrderNote: "Add order note",
          editOrderNote: "Edit order note",
          shippingEstimatorNoResults: "Sorry, we do not ship to your address.",
          shippingEstimatorOneResult: "There is one shipping rate for your address:",
          shippingEstimatorMultipleResults: "There are several shipping rates for your address:",
          shippingEstimatorError: "One or more error occurred while retrieving shipping rates:"
        },

        breakpoints: {
          'sm': 'screen and (min-width: 700px)',
          'md': 'screen and (min-width: 1000px)',
          'lg': 'screen and (min-width: 1150px)',
          'xl': 'screen and (min-width: 1400px)',

          'sm-max': 'screen and (max-width: 699px)',
          'md-max': 'screen and (max-width: 999px)',
          'lg-max': 'screen and (max-width: 1149px)',
          'xl-max': 'screen and (max-width: 1399px)'
        }
      };

      // For detecting native share
      document.documentElement.classList.add(` + "`native-share--${navigator.share ? 'enabled' : 'disabled'}`" + `);
    </script><script>
      if (!(HTMLScriptElement.supports && HTMLScriptElement.supports('importmap'))) {
        const importMapPolyfill = document.createElement('script');
        importMapPolyfill.async = true;
        importMapPolyfill.src = "//www.tesmanian.com/cdn/shop/t/45/assets/es-module-shims.min.js?v=163628956881225179081687253781";

        document.head.appendChild(importMapPolyfill);
      }
    </script>

    <script type="importmap">{
        "imports": {
          "vendor": "//www.tesmanian.com/cdn/shop/t/45/assets/vendor.min.js?v=52426788336887041471687253781",
          "theme": "//www.tesmanian.com/cdn/shop/t/45/assets/theme.js?v=102305916463219837571712057811",
          "photoswipe": "//www.tesmanian.com/cdn/shop/t/45/assets/photoswipe.min.js?v=96595610301167188461687253781"
        }
      }
    </script>
`
