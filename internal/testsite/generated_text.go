package testsite

import "strings"

// genWords is the vocabulary of generated pages (a read-only table).
var genWords = strings.Fields(`tesla spacex model battery factory giga berlin texas shanghai fremont
starship falcon launch orbit satellite starlink rocket booster engine raptor merlin capsule dragon crew
station production delivery quarter record demand price range charging supercharger network software update
autopilot driving camera sensor radar neural computer chip cell pack module lithium nickel cobalt iron
phosphate cathode anode supply chain mine refinery permit approval government minister agency environment
water energy solar roof powerwall megapack grid storage utility market share analyst investor stock
shares revenue margin profit guidance vehicle truck semi cybertruck pickup sedan crossover interior seat
screen wheel tire aluminum casting press steel alloy design engineer team week month year today report
according said company plans expected first new more than about after before during while would could
will should also still only already again soon later early late large small fast slow high low strong
weak global local european american chinese german norwegian customer owner driver fan community video
photo drone footage site construction building line hall shop paint body assembly test flight landing`)

// genAuthors are the bylines of generated pages, name and X handle (a
// read-only table).
var genAuthors = [][2]string{
	{"Eva Fox", "EvaFoxU"}, {"Alex Harmon", "AlexHarmonEV"}, {"Lena Brandt", "LenaBrandtEV"},
	{"Johan Nilsen", "JohanNilsenEV"}, {"Marcus Hale", "MarcusHaleSpace"}, {"Priya Raman", "PriyaRamanEV"},
}

const genHeadNoise = `    <style>
      :root { --spacing-1: 0.25rem; --spacing-2: 0.5rem; --spacing-3: 0.75rem; --spacing-4: 1rem; --spacing-5: 1.25rem; --spacing-6: 1.5rem; --spacing-8: 2rem; --spacing-10: 2.5rem; --spacing-12: 3rem; --spacing-16: 4rem;
        --container-max-width: 1600px; --container-gutter: var(--spacing-5); --heading-font-family: Barlow, sans-serif; --text-font-family: Inter, sans-serif;
        --text-h0: 2.5rem; --text-h1: 1.75rem; --text-h2: 1.5rem; --text-h3: 1.375rem; --text-h4: 1.125rem; --text-h5: 1.125rem; --text-h6: 1rem;
        --accent: 26 26 26; --text-primary: 26 26 26; --background-primary: 255 255 255; --border-color: var(--text-primary) / 0.12; }
      @media screen and (min-width: 700px) { :root { --text-h0: 3.25rem; --text-h1: 2.25rem; --text-h2: 1.75rem; --container-gutter: 2rem; } }
      @media screen and (min-width: 1000px) { :root { --container-gutter: var(--spacing-12); } }
      .blog-post-card { display: grid; gap: var(--spacing-4); } .prose p { margin-block: 1em; } .related-grid { display: grid; grid-template-columns: repeat(4, 1fr); gap: 24px; }
    </style>
    <script>
      window.ShopifyAnalytics = window.ShopifyAnalytics || {}; window.ShopifyAnalytics.meta = window.ShopifyAnalytics.meta || {}; window.ShopifyAnalytics.meta.currency = 'USD';
      var meta = {"page":{"pageType":"article"}}; for (var attr in meta) { window.ShopifyAnalytics.meta[attr] = meta[attr]; }
      document.documentElement.className = document.documentElement.className.replace('no-js', 'js');
    </script>
    <script type="application/json" id="shopify-features">{"betas":["rich-media-storefront-analytics"],"domain":"news.example","predictiveSearch":true,"locale":"en"}</script>
`

const genHeader = `    <header class="header">
      <a href="/" class="header__logo">Generated News</a>
      <nav class="header__primary-nav"><ul>
        <li><a href="/">Home</a></li><li><a href="/blogs/news">News</a></li><li><a href="/blogs/news/tagged/tag-0">Tag 0</a></li>
        <li><a href="/blogs/news/tagged/tag-1">Tag 1</a></li><li><a href="/blogs/news/tagged/tag-2">Tag 2</a></li><li><a href="/blogs/news/tagged/tag-3">Tag 3</a></li>
        <li><a href="/blogs/news/tagged/tag-4">Tag 4</a></li><li><a href="/blogs/news/tagged/tag-5">Tag 5</a></li>
      </ul></nav>
      <svg role="presentation" stroke-width="2" focusable="false" width="22" height="22" class="icon icon-search" viewBox="0 0 22 22"><circle cx="11" cy="10" r="7" fill="none" stroke="currentColor"></circle><path d="m16 15 3 3" stroke="currentColor" stroke-linecap="round" stroke-linejoin="round"></path></svg>
    </header>
`

const genFooter = `    <footer class="footer">
      <ul><li><a href="/blogs/news">News</a></li><li><a href="/blogs/news/tagged/tag-6">Tag 6</a></li><li><a href="/blogs/news/tagged/tag-7">Tag 7</a></li><li><a href="https://x.com/example">X</a></li></ul>
      <p class="footer__copyright">© 2024, Generated News.</p>
    </footer>
`

const genScriptNoise = `    <script>(function(){var d=document,s=d.createElement("script");s.async=!0;s.src="https://cdn.example.com/analytics.js?v=3";var m={"page":{"pageType":"article"},"settings":{"showPageTransition":false,"staggerMenuApparition":true,"reduceDrawerAnimation":false,"headingApparition":"split_fade","moneyFormat":"${{amount}}","cartType":"drawer","showDiscount":true,"discountMode":"saving"},"strings":{"accessibilityClose":"Close","accessibilityNext":"Next","accessibilityPrevious":"Previous","searchNoResults":"No results could be found.","addOrderNote":"Add order note","editOrderNote":"Edit order note"}};window.__m=m;d.head.appendChild(s)})();</script>
`
