package scraper

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxTokenBytes caps one token of the link scan (see htmlLinks).
const maxTokenBytes = 1 << 20

// rawLink is a link found in a document, before resolution.
type rawLink struct {
	href string
	kind Kind
	next bool // rel=next pagination, or a sitemap/feed item: no extra hop
}

// htmlLinks scans an HTML document with the tokenizer (no DOM is built) and
// returns the targets of a[href], area[href], link[rel=next|canonical] and
// link[rel=alternate] feeds, and the first <base href>.
func htmlLinks(body []byte) (links []rawLink, base string) {
	z := html.NewTokenizer(bytes.NewReader(body))
	// The tokenizer copies the current token into a buffer that grows to fit
	// it: a gzip bomb or a page that is one endless text node would make it
	// as large as the page (twice, while it grows). No token that carries a
	// link is that long; past the cap the scan ends with the links so far.
	z.SetMaxBuf(maxTokenBytes)
	links = make([]rawLink, 0, 64)
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return links, base
		case html.StartTagToken, html.SelfClosingTagToken:
		default:
			continue
		}
		name, hasAttr := z.TagName()
		if !hasAttr {
			continue
		}
		a := atom.Lookup(name)
		if a != atom.A && a != atom.Link && a != atom.Base && a != atom.Area {
			continue
		}
		var href, rel, typ []byte
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			switch string(k) {
			case "href":
				href = v
			case "rel":
				rel = v
			case "type":
				typ = v
			}
		}
		if len(href) == 0 {
			continue
		}
		links, base = addRawLink(links, base, a, href, rel, typ)
	}
}

// addRawLink classifies one element with a non-empty href (a, area, link or
// base) for htmlLinks and treeLinks.
func addRawLink(links []rawLink, base string, a atom.Atom, href, rel, typ []byte) ([]rawLink, string) {
	switch a {
	case atom.Base:
		if base == "" {
			base = string(href)
		}
	case atom.A, atom.Area:
		links = append(links, rawLink{href: string(href), kind: KindPage, next: hasRel(rel, "next")})
	case atom.Link:
		switch {
		case hasRel(rel, "next"):
			links = append(links, rawLink{href: string(href), kind: KindPage, next: true})
		case hasRel(rel, "canonical"):
			links = append(links, rawLink{href: string(href), kind: KindPage, next: true})
		case hasRel(rel, "alternate") && isFeedType(typ):
			links = append(links, rawLink{href: string(href), kind: KindFeed, next: true})
		}
	}
	return links, base
}

// treeLinks is htmlLinks over a parsed document: the same elements, read
// from the tree (in document order) instead of a second tokenisation.
func treeLinks(root *html.Node) (links []rawLink, base string) {
	links = make([]rawLink, 0, 64)
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for ; n != nil; n = n.NextSibling {
			if n.Type == html.ElementNode {
				switch a := n.DataAtom; a {
				case atom.A, atom.Link, atom.Base, atom.Area:
					var href, rel, typ []byte
					for _, at := range n.Attr {
						if at.Namespace != "" {
							continue
						}
						switch at.Key {
						case "href":
							href = []byte(at.Val)
						case "rel":
							rel = []byte(at.Val)
						case "type":
							typ = []byte(at.Val)
						}
					}
					if len(href) > 0 {
						links, base = addRawLink(links, base, a, href, rel, typ)
					}
				}
			}
			if n.FirstChild != nil {
				walk(n.FirstChild)
			}
		}
	}
	walk(root)
	return links, base
}

// hasRel reports whether the space-separated rel list contains v
// (case-insensitive).
func hasRel(rel []byte, v string) bool {
	for len(rel) > 0 {
		rel = bytes.TrimLeft(rel, " \t\n\r\f")
		i := bytes.IndexAny(rel, " \t\n\r\f")
		if i < 0 {
			i = len(rel)
		}
		if i > 0 && strings.EqualFold(string(rel[:i]), v) {
			return true
		}
		rel = rel[i:]
	}
	return false
}

func isFeedType(t []byte) bool {
	s := strings.ToLower(string(bytes.TrimSpace(t)))
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	return s == "application/rss+xml" || s == "application/atom+xml"
}

// resolveLink resolves href against base and canonicalises it. It returns
// ok=false for links that are not fetchable http(s) URLs: javascript:,
// mailto:, tel:, data:, fragment-only links and unparsable ones.
func resolveLink(base *url.URL, href string) (string, bool) {
	s, _, ok := resolveLinkForms(base, href)
	return s, ok
}

// resolveLinkForms is resolveLink that also returns the link as the site
// wrote it (see requestForm), "" when that is the canonical form.
func resolveLinkForms(base *url.URL, href string) (canon, request string, ok bool) {
	href = strings.TrimSpace(href)
	if href == "" || href[0] == '#' {
		return "", "", false
	}
	if i := strings.IndexByte(href, ':'); i > 0 && i < 12 {
		switch strings.ToLower(href[:i]) {
		case "http", "https":
		case "javascript", "mailto", "tel", "data", "ftp", "file", "about", "blob", "sms", "callto", "whatsapp":
			return "", "", false
		}
	}
	ref, err := parseLoose(href)
	if err != nil {
		return "", "", false
	}
	u := ref
	if base != nil {
		u = base.ResolveReference(ref)
	}
	s, err := canonicalURL(u)
	if err != nil {
		return "", "", false
	}
	return s, requestForm(u, s), true
}

// requestForm returns the absolute URL u as the site wrote it — origin of
// its canonical form canon, path and query in their own order, with only the
// percent-encoding normalisation RFC 9309 §2.2.2 applies when matching (and
// that a request needs): no parameter sorted or removed, no dot segment or
// path parameter dropped beyond what resolution did. It returns "" when that
// is canon itself.
func requestForm(u *url.URL, canon string) string {
	origin, _, cpq := splitCanonical(canon)
	p := normEscapes(u.EscapedPath())
	if p == "" {
		p = "/"
	}
	q := normEscapes(u.RawQuery)
	// Most links are written in canonical form: compare without building.
	if rest, ok := strings.CutPrefix(cpq, p); ok {
		if (q == "" && rest == "") || (q != "" && len(rest) == len(q)+1 && rest[0] == '?' && rest[1:] == q) {
			return ""
		}
	}
	if q == "" {
		return origin + p
	}
	return origin + p + "?" + q
}

// pathQueryOf returns the path and query of an absolute URL string (as
// splitCanonical does for canonical ones).
func pathQueryOf(s string) string {
	_, _, pq := splitCanonical(s)
	return pq
}
