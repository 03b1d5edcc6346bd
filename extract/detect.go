package extract

import (
	"net/url"
	"strings"
)

// Article detection without a site rule. The page's own text decides first:
// a listing (its main text mostly link text, no paragraph of prose) is not an
// article whatever its metadata says; a headline with a byline or a date over
// several paragraphs of prose is one, even when its JSON-LD is broken; the
// declared type (og:type, JSON-LD) settles the rest, then the text's length.

// Thresholds of the generic decision.
const (
	// listingLinkShare is the share of the main text inside links from which
	// a page without prose paragraphs is a listing.
	listingLinkShare = 0.5
	// proseParagraph is the length of a paragraph that reads as prose.
	proseParagraph = 120
	// minArticleWords is the least text of an article found by its shape.
	minArticleWords = 60
)

// genericIsArticle decides is_article for pages no site rule covers.
func (x *extraction) genericIsArticle() bool {
	a, p := x.a, x.p
	paras := strings.Split(a.BodyText, "\n\n")
	prose := 0
	for _, s := range paras {
		if len(s) >= proseParagraph && strings.Count(s, " ") >= 12 {
			prose++
		}
	}
	if a.BodyText != "" && linkShare(a.BodyHTML) >= listingLinkShare && prose < 2 {
		return false // headlines as links: a home or section page
	}
	if strings.EqualFold(p.meta["og:type"], "article") || x.ld.found {
		return true
	}
	headline := len(p.h1s) > 0 || a.Title != ""
	credit := len(a.Authors) > 0 || a.PublishedAt != "" || x.visibleDate != "" || len(p.times) > 0
	if headline && credit && prose >= 2 && a.WordCount >= minArticleWords {
		return true
	}
	return a.WordCount >= 250 && len(paras) >= 3 && prose >= 1
}

// linkShare returns the share of the text of sanitized body markup that lies
// inside <a> elements.
func linkShare(markup string) float64 {
	total, inLink := 0, 0
	depth := 0
	for i := 0; i < len(markup); i++ {
		c := markup[i]
		if c == '<' {
			j := strings.IndexByte(markup[i:], '>')
			if j < 0 {
				break
			}
			tag := markup[i+1 : i+j]
			switch {
			case strings.HasPrefix(tag, "a ") || tag == "a":
				depth++
			case tag == "/a":
				if depth > 0 {
					depth--
				}
			}
			i += j
			continue
		}
		if c == ' ' || c == '\n' || c == '\t' {
			continue
		}
		total++
		if depth > 0 {
			inLink++
		}
	}
	if total == 0 {
		return 0
	}
	return float64(inLink) / float64(total)
}

func (x *extraction) isArticle() {
	a, p := x.a, x.p
	if x.rule != nil && x.rule.articlePath != nil {
		if p.url != nil && x.rule.isArticlePath(p.url.Path) {
			a.IsArticle = true
			return
		}
		if u, err := url.Parse(a.CanonicalURL); err == nil && x.rule.isArticlePath(u.Path) {
			a.IsArticle = true
		}
		return
	}
	a.IsArticle = x.genericIsArticle()
}
