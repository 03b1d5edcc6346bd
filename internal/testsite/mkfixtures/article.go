package main

import (
	"fmt"
	"net/url"
	"strings"
)

func tagHandle(tag string) string {
	return strings.ReplaceAll(strings.ToLower(tag), " ", "-")
}

// linkedTag reports whether a tag has a tag page in the fixture site; the
// banner badge links only these (the others are plain text).
func linkedTag(tag string) bool { return tag == "Elon Musk" || tag == "Tesla" || tag == "SpaceX" }

func articleURL(handle string) string { return host + blog + "/" + handle }

func imgURL(file string, v int64, width int) string {
	return fmt.Sprintf("%s/articles/%s?v=%d&amp;width=%d", cdn, file, v, width)
}

func srcset(file string, v int64, widths ...int) string {
	parts := make([]string, len(widths))
	for i, w := range widths {
		parts[i] = fmt.Sprintf("%s %dw", imgURL(file, v, w), w)
	}
	return strings.Join(parts, ", ")
}

// blogPostingLD is the Impact theme's BlogPosting JSON-LD, with its traps:
// relative mainEntityOfPage, dates without offset, string image sizes and the
// staff account's name as author.
func blogPostingLD(a *article) string {
	var b strings.Builder
	b.WriteString("\n    {\n")
	fmt.Fprintf(&b, "      \"@context\": \"https://schema.org\",\n      \"@type\": \"BlogPosting\",\n      \"mainEntityOfPage\": %s,\n", js(blog+"/"+a.Handle))
	fmt.Fprintf(&b, "      \"articleSection\": \"Tesmanian Blog\",\n      \"keywords\": %s,\n", js(strings.Join(a.Tags, ", ")))
	fmt.Fprintf(&b, "      \"headline\": %s,\n      \"description\": %s,\n", js(a.Title), js(truncateWords(a.Description, 25)))
	fmt.Fprintf(&b, "      \"dateCreated\": %s,\n      \"datePublished\": %s,\n      \"dateModified\": %s,\n", js(a.Published), js(a.Published), js(a.Modified))
	if a.Image != "" {
		fmt.Fprintf(&b, "      \"image\": {\n        \"@type\": \"ImageObject\",\n        \"url\": %s,\n        \"width\": \"1024\",\n        \"height\": \"1024\"\n      },\n",
			js(fmt.Sprintf("https://www.tesmanian.com/cdn/shop/articles/%s?v=%d&width=1024", a.Image, a.ImageV)))
	}
	fmt.Fprintf(&b, "      \"author\": {\n        \"@type\": \"Person\",\n        \"name\": %s,\n        \"givenName\": %s,\n        \"familyName\": %s\n      },\n", js(a.LDAuthor), js(a.LDGiven), js(a.LDFamily))
	b.WriteString("      \"publisher\": {\n        \"@type\": \"Organization\",\n        \"name\": \"Tesmanian\"\n      },\n")
	fmt.Fprintf(&b, "      \"commentCount\": %d,\n      \"comment\": [", len(a.Comments))
	for i, c := range a.Comments {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\n        {\n          \"@type\": \"Comment\",\n          \"author\": %s,\n          \"datePublished\": %s,\n          \"text\": %s\n        }", js(c.Author), js(c.Date), js(stripTags(c.Body)))
	}
	if len(a.Comments) > 0 {
		b.WriteString("\n      ")
	}
	b.WriteString("]\n    }\n  ")
	return b.String()
}

func breadcrumbLD(handle string) string {
	return fmt.Sprintf(`
    {
      "@context": "https://schema.org",
      "@type": "BreadcrumbList",
      "itemListElement": [{
          "@type": "ListItem",
          "position": 1,
          "name": "Home",
          "item": "https://www.tesmanian.com"
        },{
            "@type": "ListItem",
            "position": 2,
            "name": "Tesmanian Blog",
            "item": "https://www.tesmanian.com/blogs/tesmanian-blog"
          }, {
            "@type": "ListItem",
            "position": 3,
            "name": "Tesmanian Blog",
            "item": "https://www.tesmanian.com/blogs/tesmanian-blog/%s"
          }]
    }
  `, handle)
}

func truncateWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) <= n {
		return s
	}
	return strings.Join(f[:n], " ") + "..."
}

func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// authorBox is the site's custom "About the Author" box (not Impact stock).
func authorBox(a *article) string {
	avatar := fmt.Sprintf("%s/files/%s?v=1687253781&amp;width=240", cdn, a.Avatar)
	if a.AuthorBoxStyle == 1 {
		return fmt.Sprintf(`
<div class="author-bio" style="border-top: 1px solid #e6e6e6; margin-top: 32px; padding-top: 24px;">
<h4>About the Author</h4>
<p><img src="%s" alt="%s" width="96" height="96" style="border-radius: 50%%; float: left; margin: 0 16px 8px 0;"></p>
<p class="author-bio__caption"><small>%s</small></p>
<p><strong>%s</strong></p>
<p>%s</p>
<p><a href="https://x.com/%s" target="_blank" rel="noopener noreferrer">Follow me on X</a></p>
</div>`, avatar, esc(a.Author), esc(a.Author), esc(a.Author), a.Bio, a.XHandle)
	}
	return fmt.Sprintf(`<div class="tesmanian-author-box">
              <h3 class="tesmanian-author-box__heading h5">About the Author</h3>
              <div class="tesmanian-author-box__body">
                <figure class="tesmanian-author-box__photo">
                  <img src="%s" alt="%s" width="120" height="120" loading="lazy">
                  <figcaption class="text-sm">%s</figcaption>
                </figure>
                <div class="tesmanian-author-box__text v-stack gap-2">
                  <h4 class="tesmanian-author-box__name h6">%s</h4>
                  <p class="tesmanian-author-box__bio">%s</p>
                  <a class="tesmanian-author-box__follow link" href="https://x.com/%s" target="_blank" rel="noopener">Follow me on X</a>
                </div>
              </div>
            </div>`, avatar, esc(a.Author), esc(a.Author), esc(a.Author), a.Bio, a.XHandle)
}

func shareButtons(a *article) string {
	u := articleURL(a.Handle)
	q := url.QueryEscape
	if a.ShareStyle == 1 {
		return fmt.Sprintf(`<div class="share-buttons gap-3">
              <p class="bold text-sm">Share:</p>
              <ul class="h-stack gap-5" role="list">
                <li><a href="https://www.facebook.com/sharer.php?u=%s" class="link-faded text-sm" target="_blank" rel="noopener">Facebook</a></li>
                <li><a href="https://twitter.com/intent/tweet?text=%s&amp;url=%s" class="link-faded text-sm" target="_blank" rel="noopener">X (Twitter)</a></li>
                <li><a href="mailto:?subject=%s&amp;body=%s" class="link-faded text-sm">E-mail</a></li>
              </ul>
            </div>`, q(u), q(a.Title), q(u), q(a.Title), q(u))
	}
	media := ""
	if a.Image != "" {
		media = "&amp;media=" + q(fmt.Sprintf("https://www.tesmanian.com/cdn/shop/articles/%s?v=%d&width=1024", a.Image, a.ImageV))
	}
	return fmt.Sprintf(`<div class="share-buttons gap-3"><a href="https://www.facebook.com/sharer.php?u=%s" class="share-buttons__item" target="_blank" rel="noopener" aria-label="Share on Facebook"><svg role="presentation" focusable="false" width="22" height="22" class="icon icon-facebook" viewBox="0 0 24 24">
        <path fill-rule="evenodd" clip-rule="evenodd" d="M10.183 21.85v-8.868H7.2V9.526h2.983V6.982a4.17 4.17 0 0 1 4.44-4.572 22.33 22.33 0 0 1 2.667.144V5.63h-1.83a1.44 1.44 0 0 0-1.713 1.68v2.208h3.423l-.447 3.456h-2.97v8.868h-3.57Z" fill="currentColor"/>
      </svg></a><a href="https://twitter.com/intent/tweet?text=%s&amp;url=%s" class="share-buttons__item" target="_blank" rel="noopener" aria-label="Share on Twitter"><svg role="presentation" focusable="false" width="22" height="22" class="icon icon-twitter" viewBox="0 0 24 24">
        <path fill-rule="evenodd" clip-rule="evenodd" d="M16.94 4h2.715l-5.93 6.777L20.7 20h-5.462l-4.278-5.593L6.065 20H3.35l6.342-7.25L3 4h5.6l3.868 5.113L16.94 4Zm-.952 14.375h1.504L7.784 5.54H6.17l9.818 12.836Z" fill="currentColor"/>
      </svg></a><a href="https://pinterest.com/pin/create/button/?url=%s%s&amp;description=%s" class="share-buttons__item" target="_blank" rel="noopener" aria-label="Share on Pinterest"><svg role="presentation" focusable="false" width="22" height="22" class="icon icon-pinterest" viewBox="0 0 24 24">
        <path fill-rule="evenodd" clip-rule="evenodd" d="M11.765 2.401c3.59-.054 5.837 1.4 6.895 3.95.349.842.722 2.39.442 3.675-.112.512-.144 1.048-.295 1.53-.308.983-.708 1.853-1.238 2.603-.72 1.02-1.81 1.706-3.182 2.052-1.212.305-2.328-.152-2.976-.643-.206-.156-.483-.36-.56-.643h-.029c-.046.515-.244 1.062-.383 1.531-.193.65-.23 1.321-.472 1.929a12.345 12.345 0 0 1-.942 1.868c-.184.302-.692 1.335-1.061 1.347-.04-.078-.057-.108-.06-.245-.281-.57-.212-1.592-.087-2.248.23-1.214.643-2.43.943-3.644.25-1.013.345-1.956.648-2.92.111-.351-.074-.82-.148-1.1-.148-.568-.125-1.197 0-1.706.186-.757.653-1.59 1.592-1.53.9.058 1.197 1.026 1.002 1.955-.236 1.121-.674 2.135-.825 3.305-.068.526.133.997.354 1.3.417.572 1.527.787 2.268.379.853-.47 1.465-1.297 1.828-2.26.313-.83.573-1.878.5-3.032-.117-1.866-.833-3.153-2.123-3.826-.89-.465-2.532-.747-3.744-.322-1.096.384-1.846.983-2.417 1.867-.387.598-.79 1.504-.707 2.565.051.649.15 1.167.412 1.59.113.18.34.305.413.52.068.2-.057.613-.089.81-.027.16-.061.414-.148.517-.083.098-.207.124-.354.1-.618-.093-1.158-.536-1.444-.957-.458-.674-.924-1.714-.89-2.903.07-2.378 1.143-4.102 2.624-5.164.722-.517 1.686-.913 2.682-1.164Z" fill="currentColor"/>
      </svg></a><a href="mailto:?subject=%s&amp;body=%s" class="share-buttons__item" aria-label="Share by e-mail"><svg role="presentation" focusable="false" width="22" height="22" class="icon icon-email" viewBox="0 0 24 24">
        <path fill-rule="evenodd" clip-rule="evenodd" d="M3 4.5a.75.75 0 0 0-.75.75v13.5c0 .414.336.75.75.75h18a.75.75 0 0 0 .75-.75V5.25A.75.75 0 0 0 21 4.5H3Zm.75 2.31v11.19h16.5V6.81l-7.72 5.79a.75.75 0 0 1-.9 0L3.75 6.81Zm15.3-.81H4.95L12 11.29 19.05 6Z" fill="currentColor"/>
      </svg></a><native-share class="share-buttons__native" share-url="%s" share-title="%s" hidden></native-share></div>`,
		q(u), q(a.Title), q(u), q(u), media, q(a.Title), q(a.Title), q(u), u, esc(a.Title))
}

// readingNextCard is one blog-post-card under "Reading next".
func readingNextCard(t *article, withMeta bool, swapAttrs bool) string {
	var b strings.Builder
	b.WriteString(`<blog-post-card class="blog-post-card snap-center group">`)
	if t.Image != "" {
		if swapAttrs {
			fmt.Fprintf(&b, `<a class="blog-post-card__figure rounded" href="%s/%s" tabindex="-1" aria-hidden="true">`, blog, t.Handle)
		} else {
			fmt.Fprintf(&b, `<a href="%s/%s" class="blog-post-card__figure rounded" tabindex="-1" aria-hidden="true">`, blog, t.Handle)
		}
		fmt.Fprintf(&b, `<img src="%s" alt="%s" srcset="%s" width="1200" height="675" loading="lazy" sizes="(max-width: 699px) 74vw, (max-width: 999px) 38vw, calc(min(100vw - 96px, 1600px) / 2 - 24px)" class="w-full h-full object-cover zoom-image"></a>`,
			imgURL(t.Image, t.ImageV, 1200), esc(t.Title), srcset(t.Image, t.ImageV, 200, 300, 400, 500, 600, 700, 800, 1000, 1200))
	}
	fmt.Fprintf(&b, `<div class="blog-post-card__info">
              <div class="v-stack gap-4 sm:gap-5">
                <div class="v-stack gap-3 sm:gap-4">
                  <p class="h5">
                    <a href="%s/%s">%s</a>
                  </p></div>`, blog, t.Handle, esc(t.Title))
	if withMeta {
		fmt.Fprintf(&b, `<div class="blog-post-card__meta text-subdued">
                  <div class="text-with-icon link-faded">`+iconDate+`<span class="text-sm">%s</span>
                  </div></div>`, shortDate(t.Published))
	}
	b.WriteString("\n              </div>\n            </div>\n          </blog-post-card>")
	return b.String()
}

func commentsBlock(a *article) string {
	var b strings.Builder
	b.WriteString(`<div id="blog-post-comments" class="article-comments v-stack gap-8 sm:gap-12">`)
	if len(a.Comments) > 0 {
		noun := "comments"
		if len(a.Comments) == 1 {
			noun = "comment"
		}
		fmt.Fprintf(&b, `<div class="v-stack gap-6">
            <p class="h4">%d %s</p>
            <div class="article-comment-list">`, len(a.Comments), noun)
		for i, c := range a.Comments {
			fmt.Fprintf(&b, `
              <div class="article-comment" id="comment-%d">
                <div class="article-comment__header h-stack gap-4">
                  <span class="article-comment__gravatar"><img src="//www.gravatar.com/avatar/%x?s=80&amp;d=mm" alt="%s" width="40" height="40" loading="lazy"></span>
                  <div class="v-stack">
                    <p class="bold">%s</p>
                    <p class="text-sm text-subdued">%s</p>
                  </div>
                </div>
                <div class="prose">%s</div>
              </div>`, 129873451+i*1117, 0xa3f1+i*97, esc(c.Author), esc(c.Author), shortDate(c.Date), c.Body)
		}
		b.WriteString("\n            </div>\n          </div>")
	}
	fmt.Fprintf(&b, `<div class="article-comment-form v-stack gap-6">
            <p class="h4">Leave a comment</p><form method="post" action="%s/%s/comments#comment_form" id="comment_form" accept-charset="UTF-8" class="form"><input type="hidden" name="form_type" value="new_comment" /><input type="hidden" name="utf8" value="✓" />
              <div class="fieldset">
                <div class="fieldset-row">
                  <div class="form-control">
                    <input type="text" id="comment-form-name" name="comment[author]" class="input" required autocomplete="name" placeholder="Name">
                    <label for="comment-form-name" class="floating-label text-sm">Name</label>
                  </div>
                  <div class="form-control">
                    <input type="email" id="comment-form-email" name="comment[email]" class="input" required autocomplete="email" placeholder="E-mail">
                    <label for="comment-form-email" class="floating-label text-sm">E-mail</label>
                  </div>
                </div>
                <div class="form-control">
                  <textarea id="comment-form-body" name="comment[body]" rows="6" class="input" required placeholder="Comment"></textarea>
                  <label for="comment-form-body" class="floating-label text-sm">Comment</label>
                </div>
              </div>
              <p class="text-sm text-subdued">Please note, comments need to be approved before they are published.</p>
              <button type="submit" class="button button--xl">Post comment</button></form></div>
        </div>`, blog, a.Handle)
	return b.String()
}

// impactArticle renders an article page in the Impact theme.
func impactArticle(a *article, byHandle map[string]*article) string {
	var b strings.Builder
	writeHead(&b, head{
		Title: a.Title, Description: a.Description, Canonical: articleURL(a.Handle),
		OGType: "article", OGImage: a.Image, OGImageV: a.ImageV,
		JSONLD:   []string{blogPostingLD(a), breadcrumbLD(a.Handle)},
		PageType: "article", ResourceID: a.ID, Template: "article",
		Charset: a.Charset, Lang: a.Lang, ReviewsApp: a.ReviewsApp, KlaviyoApp: a.KlaviyoApp,
	})
	writeHeader(&b, blog, a.CartItems)
	b.WriteString("\n    <main role=\"main\" id=\"main\" class=\"anchor\">\n      ")
	sid := a.SectionID
	fmt.Fprintf(&b, `<section id="shopify-section-%s" class="shopify-section shopify-section--main-article"><style>
    #shopify-section-%s {
      --article-banner-min-height: 350px;
      --article-max-width: 780px;
    }

    @media screen and (min-width: 700px) {
      #shopify-section-%s {
        --article-banner-min-height: 550px;
      }
    }
  </style>

  <div class="article">
    <div class="article-banner %s bg-custom text-custom" style="--background: 243 243 243; --text-color: 26 26 26;">
      <div class="article-banner__content text-custom">`, sid, sid, sid, map[bool]string{true: "article-banner--image", false: "article-banner--no-image"}[a.Image != ""])
	badge := a.Tags[0]
	if linkedTag(badge) {
		fmt.Fprintf(&b, "\n          <a class=\"badge bold text-sm\" href=\"%s/tagged/%s\">%s</a>", blog, tagHandle(badge), esc(badge))
	} else {
		fmt.Fprintf(&b, "\n          <span class=\"badge bold text-sm\">%s</span>", esc(badge))
	}
	fmt.Fprintf(&b, "\n<h1 class=\"h0\" reveal-on-scroll=\"true\"><split-lines>%s</split-lines></h1>", esc(a.Title))
	if a.ShowMeta {
		fmt.Fprintf(&b, `<div class="article__meta text-sm">
            <p class="text-with-icon link-faded">`+iconDate+` <time>%s</time></p>
            <p class="text-with-icon link-faded">`+iconAuthor+` By %s</p>`, shortDate(a.Published), esc(a.Author))
		if len(a.Comments) > 0 {
			noun := "comments"
			if len(a.Comments) == 1 {
				noun = "comment"
			}
			fmt.Fprintf(&b, `<a href="#blog-post-comments" class="text-with-icon link-faded">`+iconComment+` %d %s</a>`, len(a.Comments), noun)
		}
		b.WriteString("</div>")
	}
	b.WriteString("</div>")
	if a.Image != "" {
		fmt.Fprintf(&b, `<div class="article-banner__image"><img src="%s" alt="%s" srcset="%s" width="1600" height="900" loading="eager" fetchpriority="high" sizes="(max-width: 699px) 100vw, 50vw" class="zoom-image"></div>`,
			imgURL(a.Image, a.ImageV, 1600), esc(a.ImageAlt), srcset(a.Image, a.ImageV, 200, 300, 400, 500, 600, 700, 800, 1000, 1200, 1400, 1600))
	}
	b.WriteString("</div>\n\n    <div class=\"container\">\n      <div class=\"article-content v-stack gap-8 sm:gap-10\">\n        <div class=\"prose\">")
	b.WriteString(a.Prose)
	if a.AuthorBox == "prose" {
		b.WriteString(authorBox(a))
	}
	b.WriteString("</div>\n")
	if a.AuthorBox == "block" {
		fmt.Fprintf(&b, "          <div class=\"shopify-block shopify-app-block article-author-block\" id=\"shopify-block-author_box_%d\">\n            ", a.ID%9973)
		b.WriteString(authorBox(a))
		b.WriteString("\n          </div>\n")
	}
	b.WriteString("          ")
	b.WriteString(shareButtons(a))
	b.WriteString("\n      </div>")

	var cards []string
	for _, h := range []string{a.Newer, a.Older} {
		if h == "" {
			continue
		}
		t, ok := byHandle[h]
		if !ok {
			panic("reading next: unknown handle " + h)
		}
		cards = append(cards, readingNextCard(t, a.CardMeta, a.ID%2 == 0))
	}
	if len(cards) > 0 {
		b.WriteString(`<div class="article-navigation">
          <h2 class="article-navigation__title text-with-icon h4">` + iconReadingNext + ` Reading next</h2>

          <div class="article-prev-next scroll-area bleed sm:unbleed">` + strings.Join(cards, "\n") + `</div>
        </div>`)
	}
	if len(a.Comments) > 0 || a.ShowMeta {
		b.WriteString("\n        ")
		b.WriteString(commentsBlock(a))
	}
	b.WriteString("\n    </div>\n  </div>\n</section>")
	writeProductSection(&b, strings.TrimSuffix(sid, "__main"), int(a.ID%5))
	writeFooter(&b)
	writeTail(&b, "")
	return reindent(b.String(), a.Compact, a.Tabs)
}

// reindent strips or converts leading indentation, as different ways of saving
// a page do.
func reindent(s string, compact, tabs bool) string {
	if !compact && !tabs {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		n := len(l) - len(t)
		switch {
		case compact:
			lines[i] = t
		case tabs:
			lines[i] = strings.Repeat("\t", n/2) + t
		}
	}
	return strings.Join(lines, "\n")
}
