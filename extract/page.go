package extract

import (
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// page is what one pass over the document collects: head metadata, JSON-LD
// scripts, and the headings that open author boxes and related-link blocks.
type page struct {
	doc  *html.Node
	head *html.Node
	body *html.Node
	// url is the address the page was fetched from; it decides the site rule
	// and whether the page is an article.
	url *url.URL
	// base resolves the record's relative URLs: the page URL (or its
	// <base href>) until extraction.linkBase settles it.
	base     *url.URL
	baseHref string // the first <base href>, as written
	header   http.Header

	lang      string
	title     string // <title>
	canonical string // <link rel=canonical>, resolved
	// canonicalRaw is the canonical link's href as written.
	canonicalRaw string
	meta         map[string]string
	// metaAuthors holds every value of the author keys (see
	// metaAuthorKeys), which pages repeat for several authors.
	metaAuthors map[string][]string
	metaTags    []string // article:tag values, in order
	ldScripts   []string
	h1s         []*html.Node
	times       []*html.Node

	// Headings found by their own text ("About the Author", "Reading next"),
	// looked for only when a field needs them (see boxHeads).
	headsFound   bool
	authorHeads  []*html.Node
	relatedHeads []*html.Node
}

// boxHeads returns the headings that open "About the Author" boxes and
// related-link blocks, finding them on first use: pages whose site rule
// locates both boxes never pay for the walk.
func (p *page) boxHeads() (author, related []*html.Node) {
	if !p.headsFound {
		p.headsFound = true
		p.findHeads(p.doc)
	}
	return p.authorHeads, p.relatedHeads
}

// findHeads walks the text of the page (not scripts, styles, templates,
// head elements or SVG) for box heading phrases.
func (p *page) findHeads(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			p.checkHeadingText(c)
		case html.ElementNode:
			switch c.DataAtom {
			case atom.Title, atom.Meta, atom.Link, atom.Base, atom.Script, atom.Style, atom.Noscript,
				atom.Template, atom.Svg:
				continue
			}
			p.findHeads(c)
		}
	}
}

func scanPage(doc *html.Node, base *url.URL, header http.Header) *page {
	p := &page{doc: doc, url: base, base: base, header: header, meta: make(map[string]string, 32)}
	p.scan(doc, false)
	if p.body == nil {
		p.body = doc
	}
	if p.baseHref != "" {
		if u, err := url.Parse(p.baseHref); err == nil {
			if base != nil {
				u = base.ResolveReference(u)
			}
			if u.IsAbs() {
				p.base = u
			}
		}
	}
	if p.canonicalRaw != "" {
		p.canonical = resolve(p.base, p.canonicalRaw)
	}
	return p
}

func (p *page) scan(n *html.Node, inSVG bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		switch c.DataAtom {
		case atom.Html:
			if p.lang == "" {
				p.lang = strings.TrimSpace(attr(c, "lang"))
				if p.lang == "" {
					p.lang = strings.TrimSpace(attr(c, "xml:lang"))
				}
			}
		case atom.Head:
			if p.head == nil {
				p.head = c
			}
		case atom.Body:
			if p.body == nil {
				p.body = c
			}
		case atom.Title:
			if p.title == "" && !inSVG {
				p.title = textOf(c)
			}
			continue
		case atom.Meta:
			p.addMeta(c)
			continue
		case atom.Link:
			if p.canonicalRaw == "" && strings.EqualFold(strings.TrimSpace(attr(c, "rel")), "canonical") {
				p.canonicalRaw = strings.TrimSpace(attr(c, "href"))
			}
			continue
		case atom.Base:
			if p.baseHref == "" {
				p.baseHref = strings.TrimSpace(attr(c, "href"))
			}
			continue
		case atom.Script:
			if t := strings.ToLower(strings.TrimSpace(attr(c, "type"))); strings.HasPrefix(t, "application/ld+json") {
				if c.FirstChild != nil && c.FirstChild.Type == html.TextNode {
					p.ldScripts = append(p.ldScripts, c.FirstChild.Data)
				}
			}
			continue
		case atom.Style, atom.Noscript, atom.Template:
			continue
		case atom.Svg:
			p.scan(c, true)
			continue
		case atom.H1:
			if !inSVG {
				p.h1s = append(p.h1s, c)
			}
		case atom.Time:
			p.times = append(p.times, c)
		}
		p.scan(c, inSVG)
	}
}

func (p *page) addMeta(n *html.Node) {
	var content, property, name, itemprop, equiv string
	hasContent := false
	for _, a := range n.Attr {
		switch a.Key {
		case "content":
			content, hasContent = strings.TrimSpace(a.Val), true
		case "property":
			property = a.Val
		case "name":
			name = a.Val
		case "itemprop":
			itemprop = a.Val
		case "http-equiv":
			equiv = a.Val
		}
	}
	if !hasContent {
		return
	}
	for i, k := range [4]string{property, name, itemprop, equiv} {
		if k == "" {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		if i == 3 {
			k = "http-equiv:" + k
		}
		// A property attribute may hold several space-separated names.
		for _, key := range strings.Fields(k) {
			if key == "article:tag" {
				p.metaTags = append(p.metaTags, content)
				continue
			}
			if _, seen := p.meta[key]; !seen && content != "" {
				p.meta[key] = content
			}
			if content != "" && isMetaAuthorKey(key) {
				if p.metaAuthors == nil {
					p.metaAuthors = map[string][]string{}
				}
				p.metaAuthors[key] = append(p.metaAuthors[key], content)
			}
		}
	}
}

func isMetaAuthorKey(k string) bool {
	for _, a := range metaAuthorKeys {
		if k == a {
			return true
		}
	}
	return false
}

// bylineElement reports an element marked as an author credit: rel=author,
// an itemprop naming the author, or a class or id containing "byline",
// "author", "dateline" or "writtenby".
func bylineElement(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "rel":
			if strings.EqualFold(strings.TrimSpace(a.Val), "author") {
				return true
			}
		case "itemprop":
			if strings.Contains(strings.ToLower(a.Val), "author") {
				return true
			}
		case "class", "id":
			if containsFold(a.Val, "byline") || containsFold(a.Val, "author") || containsFold(a.Val, "dateline") ||
				containsFold(a.Val, "writtenby") {
				return true
			}
		}
	}
	return false
}

// containsFold reports whether s contains the lowercase ASCII word sub,
// ignoring ASCII case, without allocating.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for ; j < len(sub); j++ {
			c := s[i+j]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}

// heading phrases, compared after lowercasing and trimming punctuation.
var (
	authorPhrases = map[string]bool{
		"about the author": true, "about the authors": true, "about author": true,
		"about the writer": true, "about the reporter": true, "about the contributor": true,
		"author bio": true,
	}
	relatedPhrases = map[string]bool{
		"reading next": true, "read next": true, "related": true, "related articles": true,
		"related posts": true, "related stories": true, "related news": true, "related content": true,
		"read more": true, "more to read": true, "more stories": true, "more articles": true,
		"you may also like": true, "you might also like": true, "recommended": true,
		"recommended articles": true, "recommended for you": true, "see also": true,
		"related reading": true, "further reading": true, "more on this topic": true,
		"related coverage": true, "also read": true, "keep reading": true,
	}
)

// checkHeadingText notes the element whose own text is a box heading phrase.
func (p *page) checkHeadingText(t *html.Node) {
	s := t.Data
	if len(s) < 4 || len(s) > 80 {
		return
	}
	// Cheap gate: the phrases are short and start with one of these letters
	// (most text nodes this short are the white space between tags).
	i := 0
	for i < len(s) && isSpaceByte(s[i]) {
		i++
	}
	if i == len(s) || strings.IndexByte("aArRmMyYsSfFkK", s[i]) < 0 {
		return
	}
	first := strings.TrimSpace(s[i:])
	if len(first) < 4 || len(first) > 32 {
		return
	}
	var buf [32]byte
	k, ok := phraseKey(buf[:0], first)
	if !ok {
		return
	}
	isAuthor, isRelated := authorPhrases[string(k)], relatedPhrases[string(k)]
	if !isAuthor && !isRelated {
		return
	}
	// Climb to the outermost element holding nothing but this text.
	h := t.Parent
	if h == nil || h.Type != html.ElementNode {
		return
	}
	for a := h; a != nil && a.Type == html.ElementNode; a = a.Parent {
		if a.DataAtom == atom.A || a.DataAtom == atom.Button || a.DataAtom == atom.Option || a.DataAtom == atom.Label {
			return // a link or control saying "Read more" is not a heading
		}
		if a.DataAtom == atom.Body || a.DataAtom == atom.Main || a.DataAtom == atom.Article {
			break
		}
	}
	for h.Parent != nil && h.Parent.Type == html.ElementNode && onlyChild(h.Parent, h) &&
		h.Parent.DataAtom != atom.Body {
		h = h.Parent
	}
	if isAuthor {
		p.authorHeads = append(p.authorHeads, h)
	} else {
		p.relatedHeads = append(p.relatedHeads, h)
	}
}

// phraseKey appends to buf the comparison key of a short heading text: ASCII
// lowercased, runs of white space (no-break spaces too) made one space, the
// punctuation around it (" :.-–—|»›>") trimmed. ok is false for text with
// other non-ASCII characters, which no heading phrase has.
func phraseKey(buf []byte, s string) (key []byte, ok bool) {
	s = strings.Trim(s, " \t\n\r\f:.-–—|»›>")
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == 0xc2 && i+1 < len(s) && s[i+1] == 0xa0: // no-break space
			i++
			space = true
			continue
		case c >= 0x80:
			return nil, false
		case isSpaceByte(c):
			space = true
			continue
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		if space && len(buf) > 0 {
			buf = append(buf, ' ')
		}
		space = false
		buf = append(buf, c)
	}
	return buf, len(buf) > 0
}

// onlyChild reports whether c is parent's only child with content (ignoring
// whitespace text, icons and comments).
func onlyChild(parent, c *html.Node) bool {
	for x := parent.FirstChild; x != nil; x = x.NextSibling {
		if x == c {
			continue
		}
		switch x.Type {
		case html.TextNode:
			if strings.TrimSpace(x.Data) != "" {
				return false
			}
		case html.ElementNode:
			switch x.DataAtom {
			case atom.Svg, atom.Img, atom.Br, atom.Script, atom.Style:
				continue
			}
			if x.DataAtom == atom.Span || x.DataAtom == atom.I {
				if strings.TrimSpace(textOf(x)) == "" {
					continue
				}
			}
			return false
		}
	}
	return true
}
