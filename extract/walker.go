package extract

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// block is one paragraph-level unit of text: a <p>, heading, list item, or a run
// of inline content directly inside a container.
type block struct {
	node    *html.Node // nearest block-level element holding the text
	kind    atom.Atom  // P, H2…H6, Li, Pre, Figcaption
	text    string     // plain text; "\n" for <br>
	html    string     // sanitized inline markup
	list    *html.Node // enclosing <ul>/<ol> of a list item
	ordered bool
	quote   *html.Node // enclosing <blockquote>
	figure  *html.Node // enclosing <figure>
	hasImg  bool
	links   []Link // links in the block (URL, text)
	linkLen int    // bytes of link text
}

// walker renders a subtree into blocks, the way a browser's innerText breaks
// lines: never gluing words across block elements.
type walker struct {
	base *url.URL
	// skip reports elements to leave out entirely (with their subtree).
	skip func(*html.Node) bool
	// textOnly leaves the blocks' markup empty, for walks that only read
	// text and links (credit lines outside the body, author boxes).
	textOnly bool

	blocks []block
	text   strings.Builder
	markup strings.Builder
	space  bool // a collapsed space is pending
	pre    int
	hasImg bool
	links  []Link
	linkN  int
	gen    int // incremented by every flush
	cell   int // cells so far in the current table row
	open   []openInline

	owner   *html.Node
	kind    atom.Atom
	list    *html.Node
	ordered bool
	quote   *html.Node
	figure  *html.Node
}

func (w *walker) walkRoot(n *html.Node) {
	w.owner, w.kind = n, atom.P
	w.walk(n)
	w.flush()
}

func (w *walker) walk(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			w.addText(c.Data)
		case html.ElementNode:
			w.element(c)
		}
	}
}

func (w *walker) element(c *html.Node) {
	if junkElement(c) || (w.skip != nil && w.skip(c)) {
		return
	}
	switch c.DataAtom {
	case atom.Br:
		w.space = false
		w.text.WriteByte('\n')
		w.writeMarkup("<br>")
		return
	case atom.Hr, atom.Wbr:
		return
	case atom.Img:
		w.image(c)
		return
	case atom.A:
		href := resolve(w.base, attr(c, "href"))
		start := w.text.Len()
		if href != "" {
			w.flushSpace()
			if w.textOnly {
				w.open = append(w.open, openInline{name: "a"})
			} else {
				w.push("a", `<a href="`+html.EscapeString(href)+`">`)
			}
		}
		gen := w.gen
		w.walk(c)
		if w.gen != gen {
			start = 0 // a block inside the link ended the paragraph
		}
		if href != "" {
			w.pop()
			w.links = append(w.links, Link{URL: href, Title: collapse(w.text.String()[start:])})
		}
		w.linkN += w.text.Len() - start
		return
	case atom.Thead, atom.Tbody, atom.Tfoot:
		w.walk(c)
		return
	case atom.Tr:
		// A table row is one line of its table's paragraph; cells are
		// separated by " | " (tables are not in the sanitized tag set).
		if w.text.Len() > 0 {
			w.space = false
			w.text.WriteByte('\n')
			w.writeMarkup("<br>")
		}
		w.cell = 0
		w.walk(c)
		return
	case atom.Td, atom.Th:
		if w.cell > 0 && w.text.Len() > 0 {
			w.space = false
			w.text.WriteString(" | ")
			w.writeMarkup(" | ")
		}
		w.cell++
		w.walk(c)
		return
	case atom.Em, atom.I, atom.Cite, atom.Dfn:
		w.inline(c, "em")
		return
	case atom.Strong, atom.B:
		w.inline(c, "strong")
		return
	}
	if !isBlock(c) {
		w.walk(c)
		return
	}
	// A block element: finish the current paragraph, render this one.
	w.flush()
	sOwner, sKind, sList, sOrdered, sQuote, sFigure, sPre := w.owner, w.kind, w.list, w.ordered, w.quote, w.figure, w.pre
	switch c.DataAtom {
	case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Li, atom.Figcaption, atom.Dt, atom.Dd:
		w.owner, w.kind = c, c.DataAtom
		if c.DataAtom == atom.Dt || c.DataAtom == atom.Dd {
			w.kind = atom.P
		}
	case atom.Pre:
		w.owner, w.kind = c, atom.Pre
		w.pre++
	case atom.Ul, atom.Ol, atom.Menu:
		w.list, w.ordered = c, c.DataAtom == atom.Ol
		w.owner, w.kind = c, atom.P
	case atom.Blockquote:
		w.quote = c
		w.owner, w.kind = c, atom.P
	case atom.Figure:
		w.figure = c
		w.owner, w.kind = c, atom.P
	default:
		w.owner, w.kind = c, atom.P
	}
	w.walk(c)
	w.flush()
	w.owner, w.kind, w.list, w.ordered, w.quote, w.figure, w.pre = sOwner, sKind, sList, sOrdered, sQuote, sFigure, sPre
}

func (w *walker) inline(c *html.Node, tag string) {
	if w.textOnly {
		w.walk(c)
		return
	}
	w.flushSpace()
	mark := w.markup.Len()
	open := "<em>"
	if tag == "strong" {
		open = "<strong>"
	}
	w.push(tag, open)
	before := w.text.Len()
	gen := w.gen
	w.walk(c)
	w.open = w.open[:len(w.open)-1]
	if w.gen == gen && w.text.Len() == before && !strings.Contains(w.markup.String()[mark:], "<img") {
		// Nothing inside: drop the empty element.
		s := w.markup.String()[:mark]
		w.markup.Reset()
		w.markup.WriteString(s)
		return
	}
	w.markup.WriteString("</")
	w.markup.WriteString(tag)
	w.markup.WriteByte('>')
}

// writeMarkup appends s to the current block's markup, unless the walk
// reads text only.
func (w *walker) writeMarkup(s string) {
	if !w.textOnly {
		w.markup.WriteString(s)
	}
}

// push opens an inline element; flush closes and reopens the open ones so every
// paragraph's markup is balanced.
func (w *walker) push(name, tag string) {
	w.open = append(w.open, openInline{name, tag})
	w.markup.WriteString(tag)
}

func (w *walker) pop() {
	o := w.open[len(w.open)-1]
	w.open = w.open[:len(w.open)-1]
	if !w.textOnly {
		w.markup.WriteString("</")
		w.markup.WriteString(o.name)
		w.markup.WriteByte('>')
	}
}

type openInline struct{ name, tag string }

func (w *walker) image(c *html.Node) {
	src := imageSource(w.base, c)
	if src == "" {
		return
	}
	w.flushSpace()
	w.hasImg = true
	if w.textOnly {
		return
	}
	w.markup.WriteString(`<img src="`)
	w.markup.WriteString(html.EscapeString(src))
	w.markup.WriteString(`" alt="`)
	w.markup.WriteString(html.EscapeString(collapse(attr(c, "alt"))))
	w.markup.WriteString(`">`)
}

// imageSource returns an <img>'s absolute URL: src, or the lazy-loading
// attributes and srcset that themes use instead.
func imageSource(base *url.URL, n *html.Node) string {
	for _, k := range []string{"src", "data-src", "data-original", "data-lazy-src"} {
		v := strings.TrimSpace(attr(n, k))
		if v == "" || strings.HasPrefix(v, "data:") {
			continue
		}
		if u := resolve(base, v); u != "" {
			return u
		}
	}
	for _, k := range []string{"srcset", "data-srcset"} {
		if v := strings.TrimSpace(attr(n, k)); v != "" {
			first := strings.Fields(strings.Split(v, ",")[0])
			if len(first) > 0 {
				if u := resolve(base, first[0]); u != "" {
					return u
				}
			}
		}
	}
	return ""
}

func (w *walker) addText(s string) {
	if w.pre > 0 {
		w.flushSpace()
		w.text.WriteString(s)
		if !w.textOnly {
			escapeTo(&w.markup, s)
		}
		return
	}
	if strings.Contains(s, "\u00a0") {
		// No-break spaces are spaces in extracted text.
		s = strings.ReplaceAll(s, "\u00a0", " ")
	}
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && !isSpaceByte(s[i]) {
			continue
		}
		if i < len(s) && s[i] == ' ' && i > start && i+1 < len(s) && !isSpaceByte(s[i+1]) {
			// A single space between words stays in the run written at
			// once: it is what the collapsed space would be.
			continue
		}
		if i > start {
			w.flushSpace()
			w.text.WriteString(s[start:i])
			if !w.textOnly {
				escapeTo(&w.markup, s[start:i])
			}
		}
		if i < len(s) {
			w.space = true
		}
		start = i + 1
	}
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f'
}

// flushSpace writes a pending collapsed space, except at a line start.
func (w *walker) flushSpace() {
	if !w.space {
		return
	}
	w.space = false
	if n := w.text.Len(); n > 0 {
		if last := w.text.String()[n-1]; last != '\n' && last != ' ' {
			w.text.WriteByte(' ')
			if !w.textOnly {
				w.markup.WriteByte(' ')
			}
		}
	}
}

func escapeTo(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// flush ends the current paragraph.
func (w *walker) flush() {
	w.space = false
	raw := w.text.String()
	text := raw
	if w.pre == 0 {
		text = trimLines(raw)
	} else {
		text = strings.Trim(raw, "\n")
	}
	if text != "" || w.hasImg {
		markup := ""
		if !w.textOnly {
			markup = w.closeMarkup()
		}
		w.blocks = append(w.blocks, block{
			node: w.owner, kind: w.kind, text: text, html: markup,
			list: w.list, ordered: w.ordered, quote: w.quote, figure: w.figure,
			hasImg: w.hasImg, links: w.links, linkLen: w.linkN,
		})
	}
	w.gen++
	w.text.Reset()
	w.markup.Reset()
	if !w.textOnly {
		for _, o := range w.open {
			w.markup.WriteString(o.tag)
		}
	}
	w.hasImg = false
	w.links = nil
	w.linkN = 0
}

// closeMarkup closes the open inline elements and returns the block's
// markup without leading or trailing line breaks.
func (w *walker) closeMarkup() string {
	for i := len(w.open) - 1; i >= 0; i-- {
		w.markup.WriteString("</")
		w.markup.WriteString(w.open[i].name)
		w.markup.WriteByte('>')
	}
	markup := strings.TrimSpace(w.markup.String())
	for strings.HasSuffix(markup, "<br>") {
		markup = strings.TrimSpace(strings.TrimSuffix(markup, "<br>"))
	}
	for strings.HasPrefix(markup, "<br>") {
		markup = strings.TrimSpace(strings.TrimPrefix(markup, "<br>"))
	}
	return markup
}

// trimLines trims each line and drops empty lines.
func trimLines(s string) string {
	if strings.IndexByte(s, '\n') < 0 {
		return strings.TrimSpace(s)
	}
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// junkElement reports elements that never hold article text.
func junkElement(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Form:
		// Some sites (ASP.NET) wrap the whole page in one form; only small
		// forms (search, newsletter, comment) are furniture.
		_, small := shortText(n, 1000)
		return small
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Iframe, atom.Object,
		atom.Embed, atom.Button, atom.Input, atom.Select, atom.Textarea, atom.Nav,
		atom.Canvas, atom.Video, atom.Audio, atom.Map, atom.Dialog, atom.Head, atom.Title, atom.Meta,
		atom.Link, atom.Math:
		return true
	}
	if n.DataAtom == 0 && n.Namespace != "" {
		return true // foreign content
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if a.Val == "true" && n.DataAtom != atom.Img {
				return true
			}
		case "style":
			if hiddenStyle(a.Val) {
				return true
			}
		}
	}
	return false
}

func hiddenStyle(s string) bool {
	if !strings.Contains(s, "none") && !strings.Contains(s, "hidden") {
		return false
	}
	s = strings.ToLower(strings.ReplaceAll(s, " ", ""))
	return strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden")
}

// renderHTML assembles kept blocks into sanitized markup: lists, quotes and
// figures are rebuilt around their blocks.
func renderHTML(blocks []block) string {
	var b strings.Builder
	var list, quote, figure *html.Node
	ordered := false
	closeList := func() {
		if list != nil {
			if ordered {
				b.WriteString("</ol>")
			} else {
				b.WriteString("</ul>")
			}
			list = nil
		}
	}
	for _, bl := range blocks {
		if bl.list != list || bl.kind != atom.Li {
			closeList()
		}
		if bl.figure != figure {
			if figure != nil {
				b.WriteString("</figure>")
			}
			figure = nil
		}
		if bl.quote != quote {
			closeList()
			if quote != nil {
				b.WriteString("</blockquote>")
			}
			quote = bl.quote
			if quote != nil {
				b.WriteString("<blockquote>")
			}
		}
		if bl.figure != nil && figure == nil {
			figure = bl.figure
			b.WriteString("<figure>")
		}
		switch {
		case bl.kind == atom.Li:
			if list == nil && bl.list != nil {
				list, ordered = bl.list, bl.ordered
				if ordered {
					b.WriteString("<ol>")
				} else {
					b.WriteString("<ul>")
				}
			}
			b.WriteString("<li>" + bl.html + "</li>")
		case isHeading(bl.kind):
			tag := bl.kind.String()
			if bl.kind == atom.H1 {
				tag = "h2"
			}
			b.WriteString("<" + tag + ">" + bl.html + "</" + tag + ">")
		case bl.kind == atom.Figcaption:
			if figure != nil {
				b.WriteString("<figcaption>" + bl.html + "</figcaption>")
			} else {
				b.WriteString("<p>" + bl.html + "</p>")
			}
		case bl.kind == atom.Pre:
			b.WriteString("<p>" + strings.ReplaceAll(bl.html, "\n", "<br>") + "</p>")
		case figure != nil && bl.text == "":
			b.WriteString(bl.html)
		default:
			b.WriteString("<p>" + bl.html + "</p>")
		}
	}
	closeList()
	if figure != nil {
		b.WriteString("</figure>")
	}
	if quote != nil {
		b.WriteString("</blockquote>")
	}
	return b.String()
}

// renderText joins the blocks' text with blank lines; captions are not body text.
func renderText(blocks []block) string {
	var b strings.Builder
	n := 0
	for _, bl := range blocks {
		n += len(bl.text) + 2
	}
	b.Grow(n)
	for _, bl := range blocks {
		if bl.text == "" || bl.kind == atom.Figcaption {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(bl.text)
	}
	return b.String()
}
