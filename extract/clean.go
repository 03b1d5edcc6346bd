package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Cleaning for the generic body: which elements are furniture by their class
// and id (pruned before scoring, dropped inside the chosen container), how a
// class or id weighs on a candidate's score, and the teaser lists of links to
// the site's own pages.

// Class and id words: unlikely (pruned unless also maybe), negative and
// positive (the candidate's class weight).
var (
	unlikelyHints = []string{"-ad-", "ai2html", "banner", "breadcrumb", "combx", "comment", "community",
		"cover-wrap", "disqus", "extra", "footer", "gdpr", "header", "legends", "menu", "related",
		"remark", "replies", "rss", "shoutbox", "sidebar", "skyscraper", "social", "sponsor",
		"supplemental", "ad-break", "agegate", "pagination", "pager", "popup", "yom-remote",
		"share", "sharing", "newsletter", "subscribe", "cookie", "outbrain", "taboola", "author-bio",
		"authorbio", "about-author", "author-box", "modal", "promo", "recommend", "signup"}
	maybeHints    = []string{"article", "body", "column", "content", "main", "shadow", "story", "entry", "prose", "post-text"}
	negativeHints = []string{"hidden", "banner", "combx", "comment", "com-", "contact", "foot", "footnote",
		"gdpr", "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share",
		"shoutbox", "sidebar", "skyscraper", "sponsor", "shopping", "tags", "tool", "widget", "byline", "author"}
	positiveHints = []string{"article", "body", "content", "entry", "hentry", "h-entry", "main", "page",
		"post", "text", "blog", "story", "prose"}
)

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// unlikely reports elements whose tag or class/id mark them as page furniture.
func unlikely(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Aside, atom.Footer:
		return true
	case atom.Body, atom.Html, atom.Main, atom.Article, atom.A, atom.Table, atom.Tbody, atom.Tr, atom.Td:
		return false
	}
	ci := classID(n)
	if ci == "" {
		return attr(n, "role") == "navigation" || attr(n, "role") == "complementary"
	}
	return containsAny(ci, unlikelyHints) && !containsAny(ci, maybeHints)
}

// furnitureWords are class/id words naming the parts of an article page that
// are not its text: credits, datelines, captions, share bars, promotions.
// They are matched as whole words of a class name (see furniture).
var furnitureWords = wordSet("share shares sharing social byline bylines dateline datelines timestamp date dates " +
	"caption captions credit credits copyright related recirc newsletter subscribe subscription promo promotion " +
	"advert advertisement advertising ad ads sponsor sponsored tags tag topics breadcrumb breadcrumbs comment comments " +
	"author authors bio gallery slideshow carousel lightbox toolbar tools print pagination pager prev previous next " +
	"outbrain taboola signup footer header meta nav navigation menu widget sidebar popular trending disclaimer cta " +
	// the same parts as other languages' class names call them
	"werbung anzeige kommentare empfehlung empfehlungen meistgelesen lesetipp lesetipps teilen " +
	"publicite partage commentaires publicidad compartir comentarios relacionadas relacionados publicidade compartilhar " +
	"pubblicita condividi commenti correlati advertentie reacties reklama komentarze polecane reklam paylas yorumlar")

// contentWords name article text containers; a class name ending in one
// ("share-content") is not furniture.
var contentWords = wordSet("article body content text main story entry post prose")

// furniture reports an element one of whose class names marks it as page
// furniture: it holds a furniture word, and its last word is not a content
// word. Class names split into words at "-", "_" and case changes of BEM-style
// names ("article__share" is a share bar, "share-content" is not).
func furniture(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Namespace != "" || (a.Key != "class" && a.Key != "id") {
			continue
		}
		for _, name := range strings.Fields(a.Val) {
			if furnitureName(name) {
				return true
			}
		}
	}
	return false
}

func furnitureName(name string) bool {
	found, last := false, ""
	start := 0
	for i := 0; i <= len(name); i++ {
		if i < len(name) {
			c := name[i]
			lower := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
			upper := c >= 'A' && c <= 'Z'
			if lower || (upper && (i == start || !(name[i-1] >= 'a' && name[i-1] <= 'z'))) {
				continue
			}
			if upper {
				// camelCase boundary: the upper-case letter starts the next word.
				if w := strings.ToLower(name[start:i]); w != "" {
					found = found || furnitureWords[w]
					last = w
				}
				start = i
				continue
			}
		}
		if i > start {
			w := strings.ToLower(name[start:i])
			found = found || furnitureWords[w]
			last = w
		}
		start = i + 1
	}
	return found && !contentWords[last]
}

func classWeight(n *html.Node) float64 {
	ci := classID(n)
	if ci == "" {
		return 0
	}
	w := 0.0
	if containsAny(ci, negativeHints) {
		w -= 25
	}
	if containsAny(ci, positiveHints) {
		w += 25
	}
	return w
}

// cleanSkip drops link-heavy or negatively hinted containers inside the chosen
// article (card rails, tag lists, share bars).
func (s *scorer) cleanSkip(n *html.Node) bool {
	for _, c := range s.core {
		if contains(n, c) {
			return false
		}
	}
	if s.pruning() && unlikely(n) {
		return true
	}
	switch n.DataAtom {
	case atom.Div, atom.Section, atom.Ul, atom.Ol, atom.Table, atom.Aside, atom.Header, atom.Dl,
		atom.P, atom.Span, atom.Figure, atom.Li:
	default:
		return false
	}
	st := s.stats[n]
	if st == nil {
		return false
	}
	if st.text == 0 {
		return false // images, embeds: keep
	}
	if s.pruning() && s.off.on(HeurFurniture) && st.text < s.keepText && (n.DataAtom == atom.Header || furniture(n)) {
		return true
	}
	switch n.DataAtom {
	case atom.P, atom.Li:
		// A short line that is all links to the site's own pages is a
		// teaser of another article ("Read more: …", a related headline).
		return s.pruning() && s.off.on(HeurTeasers) && st.text < 250 && st.links*5 >= st.text*4 && internalLinks(n, s.host)
	case atom.Span, atom.Figure:
		return false // only class hints remove these
	}
	if !s.off.on(HeurLinkDensity) {
		return false
	}
	ld := float64(st.links) / float64(st.text)
	if s.off.on(HeurClassWeight) && classWeight(n) < 0 && st.text < 1000 {
		return true
	}
	if n.DataAtom == atom.Ul || n.DataAtom == atom.Ol {
		return ld > 0.6 && st.commas == 0
	}
	return (ld > 0.5 && st.text < 2000) || (ld > 0.33 && st.text < 200 && st.commas == 0)
}

// internalLinks reports whether n holds links and all of them point to host
// (or a subdomain of it) or are relative.
func internalLinks(n *html.Node, host string) bool {
	found, ok := false, true
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil && ok; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom == atom.A {
				found = true
				ok = sameSite(attr(c, "href"), host)
				continue
			}
			visit(c)
		}
	}
	visit(n)
	return found && ok
}

// sameSite reports whether href is relative or its host is host or a
// subdomain of it.
func sameSite(href, host string) bool {
	href = strings.TrimSpace(href)
	i := strings.Index(href, "//")
	if i < 0 || (i > 0 && href[i-1] != ':') {
		return host != "" // relative
	}
	h := href[i+2:]
	if j := strings.IndexAny(h, "/?#"); j >= 0 {
		h = h[:j]
	}
	if j := strings.LastIndexByte(h, ':'); j >= 0 {
		h = h[:j]
	}
	h = strings.TrimPrefix(strings.ToLower(h), "www.")
	return host != "" && (h == host || strings.HasSuffix(h, "."+host))
}
