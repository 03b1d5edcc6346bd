package main

import (
	"fmt"
	"strings"
)

// skeletonArticle renders an article the way the store's previous theme (a
// Skeleton 16-column grid theme) did: different class names, microdata instead
// of JSON-LD, prev/next links in div.paginate and a sidebar.
func skeletonArticle(a *article, byHandle map[string]*article, recent []*article) string {
	var b strings.Builder
	u := articleURL(a.Handle)
	fmt.Fprintf(&b, `<!DOCTYPE html>
<!--[if lt IE 7 ]><html class="ie ie6" lang="en"> <![endif]-->
<!--[if IE 7 ]><html class="ie ie7" lang="en"> <![endif]-->
<!--[if IE 8 ]><html class="ie ie8" lang="en"> <![endif]-->
<!--[if IE 9 ]><html class="ie ie9" lang="en"> <![endif]-->
<!--[if (gte IE 10)|!(IE)]><!--><html lang="en"> <!--<![endif]-->
  <head>
    <meta charset="utf-8">
    <meta http-equiv="cleartype" content="on">
    <meta name="robots" content="index,follow">

    
    <title>%s - Tesmanian</title>

    
      <meta name="description" content="%s" />
    

    <!-- Custom Fonts -->
    
      <link href="//fonts.googleapis.com/css?family=.|Open+Sans:light,normal,bold|Open+Sans:light,normal,bold|Open+Sans:light,normal,bold" rel="stylesheet" type="text/css" />
    

    

<meta name="author" content="Tesmanian">
<meta property="og:url" content="%s">
<meta property="og:site_name" content="Tesmanian">


  <meta property="og:type" content="article">
  <meta property="og:title" content="%s">
  
  
    
    <meta property="og:image" content="http://cdn.shopify.com/s/files/1/0173/8204/articles/%s?v=%d">
    <meta property="og:image:secure_url" content="https://cdn.shopify.com/s/files/1/0173/8204/articles/%s?v=%d">
  



  <meta property="og:description" content="%s">




  <meta name="twitter:site" content="@tesmanian_com">

<meta name="twitter:card" content="summary">

  <meta name="twitter:title" content="%s">
  <meta name="twitter:description" content="%s">
  


    <!-- Mobile Specific Metas -->
    <meta name="HandheldFriendly" content="True">
    <meta name="MobileOptimized" content="320">
    <meta name="viewport" content="width=device-width,initial-scale=1">
    <meta name="theme-color" content="#ffffff">

    <!-- Stylesheets for Responsive 6.4.1 -->
    <link href="//cdn.shopify.com/s/files/1/0173/8204/t/12/assets/styles.scss.css?v=17283736318457236412" rel="stylesheet" type="text/css" media="all" />

    <!-- Icons -->
    
      <link rel="shortcut icon" type="image/x-icon" href="//cdn.shopify.com/s/files/1/0173/8204/t/12/assets/favicon.png?v=4121352873418761711">
    
    <link rel="canonical" href="%s" />

    

    <script src="//cdn.shopify.com/s/files/1/0173/8204/t/12/assets/app.js?v=3571829203458190011" type="text/javascript"></script>
%s
    <script type="text/javascript">
      var _gaq = _gaq || [];
      _gaq.push(['_setAccount', 'UA-108513232-1']);
      _gaq.push(['_trackPageview']);
      (function() {
        var ga = document.createElement('script'); ga.type = 'text/javascript'; ga.async = true;
        ga.src = ('https:' == document.location.protocol ? 'https://ssl' : 'http://www') + '.google-analytics.com/ga.js';
        var s = document.getElementsByTagName('script')[0]; s.parentNode.insertBefore(ga, s);
      })();
    </script>
  </head>
  <body class="article">
    <div>
      <div id="header" class="mm-fixed-top">
        <a href="#nav" class="icon-menu"> <span>Menu</span></a>
        <a href="/" title="Tesmanian" class="mobile_logo logo">
          <img src="//cdn.shopify.com/s/files/1/0173/8204/t/12/assets/logo.png?v=3412309876543219876" alt="Tesmanian" />
        </a>
        <a href="/cart" class="icon-cart cart-button right"> <span>0</span></a>
      </div>

      <div class="hidden">
        <div id="nav">
          <ul>
            <li><a href="/collections/all" title="Shop">Shop</a></li>
            <li class="Selected"><a href="/blogs/tesmanian-blog" title="Tesla News">Tesla News</a></li>
            <li><a href="/pages/about-us" title="About">About</a></li>
            <li><a href="/pages/contact" title="Contact">Contact</a></li>
            <li><a href="/account/login" id="customer_login_link">Log in</a></li>
          </ul>
        </div>
      </div>

      <div class="container">
        <div class="four columns logo">
          <a href="/" title="Tesmanian">
            <img src="//cdn.shopify.com/s/files/1/0173/8204/t/12/assets/logo.png?v=3412309876543219876" alt="Tesmanian" />
          </a>
        </div>

        <div class="twelve columns nav mobile_hidden">
          <ul class="menu">
            <li><a href="/collections/all" title="Shop" class="top-link ">Shop</a></li>
            <li><a href="/blogs/tesmanian-blog" title="Tesla News" class="top-link active">Tesla News</a></li>
            <li><a href="/pages/about-us" title="About" class="top-link ">About</a></li>
            <li><a href="/pages/contact" title="Contact" class="top-link ">Contact</a></li>
            <li class="search_container" data-autocomplete-true>
              <form class="search" action="/search">
                <input type="hidden" name="type" value="article" />
                <input type="text" name="q" class="search_box" placeholder="search" value="" autocapitalize="off" autocomplete="off" autocorrect="off" />
              </form>
            </li>
            <li class="cart"><a href="/cart" class="icon-cart cart-button"> <span>0</span></a></li>
          </ul>
        </div>
      </div>
      <div class="container">
        <div class="sixteen columns">
          <div class="clearfix breadcrumb">
            <div class="right mobile_hidden">
`, esc(a.Title), esc(a.Description), u, esc(a.Title), a.Image, a.ImageV, a.Image, a.ImageV, esc(a.Description), esc(a.Title), esc(a.Description), u, strings.ReplaceAll(fmt.Sprintf(shopifyHeadScripts, "article", a.ID), themeID, "31868895293"))
	newer, older := byHandle[a.Newer], byHandle[a.Older]
	if older != nil {
		fmt.Fprintf(&b, "              <a href=\"%s/%s\" title=\"%s\">&larr; Older Post</a>\n", blog, older.Handle, esc(older.Title))
	}
	if newer != nil {
		fmt.Fprintf(&b, "              <a href=\"%s/%s\" title=\"%s\">Newer Post &rarr;</a>\n", blog, newer.Handle, esc(newer.Title))
	}
	fmt.Fprintf(&b, `            </div>

            <div class="breadcrumb_text" itemscope itemtype="http://schema.org/BreadcrumbList">
              <span itemprop="itemListElement" itemscope itemtype="http://schema.org/ListItem"><a href="https://www.tesmanian.com" title="Tesmanian" itemprop="item"><span itemprop="name">Home</span></a></span>
              &nbsp; / &nbsp;
              <span itemprop="itemListElement" itemscope itemtype="http://schema.org/ListItem"><a href="https://www.tesmanian.com/blogs/tesmanian-blog" title="Tesmanian Blog" itemprop="item"><span itemprop="name">Tesmanian Blog</span></a></span>
              &nbsp; / &nbsp;
              %s
            </div>
          </div>
        </div>

        <div class="twelve columns">
          <div class="article" itemscope itemtype="http://schema.org/BlogPosting">
            <meta itemprop="mainEntityOfPage" content="%s">
            <meta itemprop="datePublished" content="%s">
            <meta itemprop="dateModified" content="%s">
            <h1 class="article_title" itemprop="headline">%s</h1>

            <p class="blog_meta">
              <span itemprop="author" itemscope itemtype="http://schema.org/Person">By <span itemprop="name">%s</span></span>
              <span class="label">on <time datetime="%s">%s</time></span>
              <span class="label"><a href="%s/%s#comments">%d comments</a></span>
            </p>

            <div class="blog_content" itemprop="articleBody">
`, esc(a.Title), u, withOffset(a.Published), withOffset(a.Modified), esc(a.Title), esc(a.Author),
		withOffset(a.Published), longDate(a.Published), blog, a.Handle, len(a.Comments))
	b.WriteString(a.Prose)
	if a.AuthorBox == "prose" {
		b.WriteString(authorBox(a))
	}
	b.WriteString("\n            </div>\n\n            <div class=\"blog_tags\">\n              <span class=\"tag_label\">Tags:</span>\n")
	for i, t := range a.Tags {
		sep := ","
		if i == len(a.Tags)-1 {
			sep = ""
		}
		if linkedTag(t) {
			fmt.Fprintf(&b, "              <span class=\"tag\"><a href=\"%s/tagged/%s\" title=\"Show articles tagged %s\">%s</a>%s</span>\n", blog, tagHandle(t), esc(t), esc(t), sep)
		} else {
			fmt.Fprintf(&b, "              <span class=\"tag\">%s%s</span>\n", esc(t), sep)
		}
	}
	b.WriteString(`            </div>

            <div class="social_buttons">
              <a target="_blank" class="icon-twitter-share" title="Share this on Twitter" href="https://twitter.com/intent/tweet?text=` + strings.ReplaceAll(esc(a.Title), " ", "+") + `&amp;url=` + u + `">Tweet</a>
              <a target="_blank" class="icon-facebook-share" title="Share this on Facebook" href="https://www.facebook.com/sharer/sharer.php?u=` + u + `">Share</a>
            </div>

            <div class="paginate">
`)
	if older != nil {
		fmt.Fprintf(&b, "              <span class=\"prev\"><a href=\"%s/%s\" title=\"%s\">&laquo; %s</a></span>\n", blog, older.Handle, esc(older.Title), esc(older.Title))
	}
	b.WriteString("              <span class=\"deco\">|</span>\n")
	if newer != nil {
		fmt.Fprintf(&b, "              <span class=\"next\"><a href=\"%s/%s\" title=\"%s\">%s &raquo;</a></span>\n", blog, newer.Handle, esc(newer.Title), esc(newer.Title))
	}
	b.WriteString("            </div>\n\n            <div id=\"comments\">\n")
	fmt.Fprintf(&b, "              <h4>%d Comments</h4>\n              <ul class=\"comments\">\n", len(a.Comments))
	for _, c := range a.Comments {
		fmt.Fprintf(&b, `                <li class="comment">
                  <h6 class="comment_author">%s</h6>
                  <span class="comment_date">%s</span>
                  <div class="comment_body">%s</div>
                </li>
`, esc(c.Author), longDate(c.Date), c.Body)
	}
	fmt.Fprintf(&b, `              </ul>

              <form method="post" action="%s/%s/comments#comment_form" id="comment_form" accept-charset="UTF-8" class="comment-form"><input type="hidden" name="form_type" value="new_comment" /><input type="hidden" name="utf8" value="✓" />
                <h4>Leave a comment</h4>
                <label for="comment_author">Name</label>
                <input type="text" id="comment_author" name="comment[author]" size="40" value="" />
                <label for="comment_email">Email</label>
                <input type="email" id="comment_email" name="comment[email]" size="40" value="" />
                <label for="comment_body">Comment</label>
                <textarea id="comment_body" name="comment[body]" cols="40" rows="5"></textarea>
                <p class="comment-moderated-msg"><em>Please note, comments must be approved before they are published</em></p>
                <input type="submit" value="Post comment" id="comment-submit" class="action_button" />
              </form>
            </div>
          </div>
        </div>

        <div class="four columns sidebar">
          <div class="sidebar_content">
            <h4 class="toggle"><span>+</span>Recent Articles</h4>
            <ul class="blog_list toggle_list">
`, blog, a.Handle)
	for _, r := range recent {
		fmt.Fprintf(&b, "              <li>\n                <a href=\"%s/%s\" title=\"%s\">%s</a>\n                <span class=\"blog_date\">%s</span>\n              </li>\n", blog, r.Handle, esc(r.Title), esc(r.Title), longDate(r.Published))
	}
	b.WriteString(`            </ul>

            <h4 class="toggle"><span>+</span>Categories</h4>
            <ul class="blog_list toggle_list">
              <li><a href="/blogs/tesmanian-blog" class="active">All</a></li>
              <li><a href="/blogs/tesmanian-blog/tagged/elon-musk" title="Show articles tagged Elon Musk">Elon Musk</a></li>
              <li><a href="/blogs/tesmanian-blog/tagged/spacex" title="Show articles tagged SpaceX">SpaceX</a></li>
              <li><a href="/blogs/tesmanian-blog/tagged/tesla" title="Show articles tagged Tesla">Tesla</a></li>
            </ul>

            <h4 class="toggle"><span>+</span>Newsletter</h4>
            <div class="toggle_list newsletter">
              <p>Sign up to get the latest on Tesla and SpaceX.</p>
              <form method="post" action="/contact#contact_form" id="contact_form" accept-charset="UTF-8" class="contact-form"><input type="hidden" name="form_type" value="customer" /><input type="hidden" name="utf8" value="✓" />
                <input type="hidden" name="contact[tags]" value="prospect, newsletter"/>
                <input type="email" class="contact_email" name="contact[email]" required placeholder="Enter your email address..." />
                <input type='submit' class="action_button sign_up" value="Sign Up" />
              </form>
            </div>
          </div>
        </div>
      </div>

      <div class="footer">
        <div class="container">
          <div class="sixteen columns">
            <div class="four columns alpha">
              <h6>Main Menu</h6>
              <ul class="footer_menu">
                <li><a href="/collections/all" title="Shop">Shop</a></li>
                <li><a href="/blogs/tesmanian-blog" title="Tesla News">Tesla News</a></li>
                <li><a href="/pages/about-us" title="About">About</a></li>
                <li><a href="/pages/contact" title="Contact">Contact</a></li>
              </ul>
            </div>
            <div class="four columns">
              <h6>Information</h6>
              <ul class="footer_menu">
                <li><a href="/search" title="Search">Search</a></li>
                <li><a href="/policies/privacy-policy" title="Privacy Policy">Privacy Policy</a></li>
              </ul>
            </div>
            <div class="eight columns omega">
              <h6>About Tesmanian</h6>
              <p>Tesmanian is an independent news site and accessories store for Tesla owners and fans.</p>
            </div>
          </div>

          <div class="sixteen columns">
            <div class="credits">
              <p class="credits left">&copy; 2021 <a href="/" title="">Tesmanian</a>.
                <a target="_blank" rel="nofollow" href="https://www.shopify.com?utm_campaign=poweredby&amp;utm_medium=shopify&amp;utm_source=onlinestore">Powered by Shopify</a></p>
              <div class="payment_methods right">
                <img src="//cdn.shopify.com/s/assets/payment_icons/visa-319d545c6fd255c9aad5eeaad21fd6f7f7b4fdbdb1a35ce83b89cca12a187f00.svg" alt="visa" />
                <img src="//cdn.shopify.com/s/assets/payment_icons/master-173035bc8124581983d4efa50cf8626e8553c2b311353fbf67485f9c1a2b88d1.svg" alt="master" />
                <img src="//cdn.shopify.com/s/assets/payment_icons/paypal-49e4c1e03244b6d2de0d270ca0d22dd15da6e92cc7266e93eb43762df5aa355d.svg" alt="paypal" />
              </div>
            </div>
          </div>
        </div>
      </div>
    </div>

    <script src="//cdn.shopify.com/s/files/1/0173/8204/t/12/assets/jquery.mmenu.js?v=6810277153213581431" type="text/javascript"></script>
    <script type="text/javascript">
      $(function() {
        $('nav#nav').mmenu();
        $('.toggle').on('click', function() {
          $(this).next('.toggle_list').slideToggle('fast');
        });
      });
    </script>
  </body>
</html>
`)
	return b.String()
}
