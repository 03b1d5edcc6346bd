package extract

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// attr returns the value of n's attribute key (lowercase), or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}

// hasAttr reports whether n has attribute key.
func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return true
		}
	}
	return false
}

// collapse normalises whitespace: runs of white space become one space, and the
// ends are trimmed.
func collapse(s string) string {
	// Fast path: nothing to do.
	clean := true
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		sp := c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
		if sp && (prevSpace || c != ' ') || c >= utf8.RuneSelf {
			clean = false
			break
		}
		prevSpace = sp
	}
	if clean && !prevSpace {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// textOf returns n's text with inline whitespace collapsed and a space between
// block-level elements, skipping scripts, styles and templates.
func textOf(n *html.Node) string {
	var b strings.Builder
	appendText(&b, n)
	return collapse(b.String())
}

func appendText(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(n.Data)
		return
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Iframe:
			return
		case atom.Br:
			b.WriteByte('\n')
			return
		case atom.Img:
			return
		}
		if isBlockAtom(n.DataAtom) {
			b.WriteByte(' ')
			defer b.WriteByte(' ')
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		appendText(b, c)
	}
}

// shortText returns n's collapsed text if it has at most max non-space bytes;
// ok is false (and the walk stops early) for longer text.
func shortText(n *html.Node, max int) (string, bool) {
	var b strings.Builder
	count := 0
	if !appendShort(&b, n, max, &count) {
		return "", false
	}
	return collapse(b.String()), true
}

func appendShort(b *strings.Builder, n *html.Node, max int, count *int) bool {
	switch n.Type {
	case html.TextNode:
		for i := 0; i < len(n.Data); i++ {
			if c := n.Data[i]; c != ' ' && c != '\n' && c != '\t' && c != '\r' {
				*count++
			}
		}
		if *count > max {
			return false
		}
		b.WriteString(n.Data)
		return true
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Iframe:
			return true
		}
		if isBlockAtom(n.DataAtom) || n.DataAtom == atom.Br {
			b.WriteByte(' ')
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if !appendShort(b, c, max, count) {
			return false
		}
	}
	return true
}

func isBlockAtom(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Body, atom.Dd, atom.Details,
		atom.Dialog, atom.Div, atom.Dl, atom.Dt, atom.Fieldset, atom.Figcaption, atom.Figure,
		atom.Footer, atom.Form, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Header,
		atom.Hgroup, atom.Hr, atom.Li, atom.Main, atom.Nav, atom.Ol, atom.P, atom.Pre, atom.Section,
		atom.Table, atom.Tbody, atom.Thead, atom.Tfoot, atom.Tr, atom.Td, atom.Th, atom.Ul,
		atom.Caption, atom.Summary, atom.Center, atom.Html, atom.Menu:
		return true
	}
	return false
}

// isBlock treats unknown custom elements (names with a hyphen, such as
// <blog-post-card>) as blocks, as themes use them for layout.
func isBlock(n *html.Node) bool {
	if n.DataAtom != 0 {
		return isBlockAtom(n.DataAtom)
	}
	return strings.Contains(n.Data, "-")
}

func isHeading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

func headingLevel(a atom.Atom) int {
	switch a {
	case atom.H1:
		return 1
	case atom.H2:
		return 2
	case atom.H3:
		return 3
	case atom.H4:
		return 4
	case atom.H5:
		return 5
	case atom.H6:
		return 6
	}
	return 0
}

// contains reports whether n is a or one of a's descendants.
func contains(a, n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == a {
			return true
		}
	}
	return false
}

// resolve makes ref absolute against base; it returns "" for empty references,
// fragments, and javascript:/data: URLs.
func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || strings.HasPrefix(ref, "#") {
		return ""
	}
	if hasPrefixASCIIFold(ref, "javascript:") || hasPrefixASCIIFold(ref, "data:") ||
		hasPrefixASCIIFold(ref, "vbscript:") {
		return ""
	}
	if u, ok := resolveFast(base, ref); ok {
		return u
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if !u.IsAbs() {
		return ""
	}
	return u.String()
}

// hasPrefixASCIIFold answers strings.HasPrefix(strings.ToLower(s), prefix)
// for a lowercase ASCII prefix without lowercasing, and so copying, every
// link: ASCII letters are compared case-insensitively, and a byte outside
// ASCII before the end of the prefix (a letter such as the Kelvin sign or İ
// lowercases to ASCII) hands the question to strings.ToLower.
func hasPrefixASCIIFold(s, prefix string) bool {
	for i := 0; i < len(prefix) && i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return strings.HasPrefix(strings.ToLower(s), prefix)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return len(s) >= len(prefix)
}

// resolveFast resolves the common plain references without parsing them: an
// absolute http(s) URL, a scheme-relative one or a root-relative path, made only of characters that
// url.URL.String writes back unchanged and without dot segments. ok is false
// for anything else, which resolve hands to net/url.
func resolveFast(base *url.URL, ref string) (string, bool) {
	var rest string
	switch {
	case strings.HasPrefix(ref, "https://"):
		rest = ref[len("https://"):]
	case strings.HasPrefix(ref, "http://"):
		rest = ref[len("http://"):]
	case strings.HasPrefix(ref, "//"):
		if base == nil || (base.Scheme != "http" && base.Scheme != "https") {
			return "", false
		}
		rest = ref[2:]
		ref = base.Scheme + ":" + ref
	case len(ref) > 1 && ref[0] == '/' && ref[1] != '/':
		if base == nil || base.User != nil || base.Host == "" || (base.Scheme != "http" && base.Scheme != "https") ||
			!plainRef(ref) {
			return "", false
		}
		return base.Scheme + "://" + base.Host + ref, true
	default:
		return "", false
	}
	if rest == "" || rest[0] == '/' || strings.ContainsAny(rest, "@[]") || !plainRef(rest) {
		return "", false
	}
	return ref, true
}

// plainRef reports whether a URL part holds only unreserved and sub-delimiter
// characters, no dot segment ("/." is refused, conservatively), and no empty
// fragment.
func plainRef(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '.':
			if i > 0 && s[i-1] == '/' {
				return false
			}
		case strings.IndexByte("-_~:/?#!$&'()*+,;=", c) >= 0:
		default:
			return false
		}
	}
	return !strings.HasSuffix(s, "#") && !strings.HasSuffix(s, "?")
}

// hostOf returns the lowercase host (without port) of an absolute URL, or "".
func hostOf(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// classID returns n's class and id attributes joined, lowercased, for hint
// matching.
func classID(n *html.Node) string {
	c, id := attr(n, "class"), attr(n, "id")
	if c == "" && id == "" {
		return ""
	}
	return strings.ToLower(c + " " + id)
}

// boxNodes returns the nodes forming the box introduced by heading h: its
// following siblings (up to the next heading of the same or higher level), or,
// when h is alone in its wrapper, the wrapper's following siblings. stop is
// called on each candidate sibling; a true result ends the box before it.
func boxNodes(h *html.Node, limit *html.Node, stop func(*html.Node) bool) []*html.Node {
	level := headingLevel(h.DataAtom)
	for climb := 0; climb < 4 && h != nil; climb++ {
		var nodes []*html.Node
		for s := h.NextSibling; s != nil; s = s.NextSibling {
			if s.Type != html.ElementNode {
				if s.Type == html.TextNode && strings.TrimSpace(s.Data) != "" {
					break
				}
				continue
			}
			if l := headingLevel(s.DataAtom); l > 0 && (level == 0 || l <= level) {
				break
			}
			if stop != nil && stop(s) {
				break
			}
			nodes = append(nodes, s)
		}
		if len(nodes) > 0 {
			return nodes
		}
		p := h.Parent
		if p == nil || p == limit || p.DataAtom == atom.Body || p.DataAtom == atom.Main ||
			p.DataAtom == atom.Html {
			return nil
		}
		h = p
	}
	return nil
}

// linkDense reports whether an element is mostly links (a card list).
func linkDense(n *html.Node) bool {
	total, links := textLens(n, false)
	if total == 0 {
		return hasLink(n)
	}
	return float64(links)/float64(total) >= 0.5
}

func hasLink(n *html.Node) bool {
	if n.Type == html.ElementNode && n.DataAtom == atom.A && attr(n, "href") != "" {
		return true
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasLink(c) {
			return true
		}
	}
	return false
}

// textLens returns the number of non-space text bytes under n, and how many of
// them are inside links.
func textLens(n *html.Node, inLink bool) (total, links int) {
	switch n.Type {
	case html.TextNode:
		c := 0
		for i := 0; i < len(n.Data); i++ {
			if !isSpaceByte(n.Data[i]) {
				c++
			}
		}
		if inLink {
			return c, c
		}
		return c, 0
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg:
			return 0, 0
		case atom.A:
			inLink = true
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t, l := textLens(c, inLink)
		total += t
		links += l
	}
	return total, links
}
