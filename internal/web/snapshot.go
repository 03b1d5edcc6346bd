package web

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// snapshotCSP is sent with every response under /snapshots/ but the viewer
// page. sandbox without allow-scripts and allow-same-origin: no script runs,
// and the page gets an opaque origin, so it can read neither the UI's pages
// nor its API. The fetch directives keep every request on this server (and
// images and fonts to data: URLs); links may navigate the top window only
// when clicked, and they all point into the archive.
const snapshotCSP = "sandbox allow-top-navigation-by-user-activation; default-src 'none'; " +
	"img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; " +
	"form-action 'none'; base-uri 'none'; frame-ancestors 'self'"

// resourcePath is the endpoint serving an archived stylesheet, image or font
// by its URL (see Server.handleResource).
const resourcePath = "/snapshots/resource"

// The snapshot cleaner is an allowlist: an element or attribute not listed
// here does not reach the output. Elements are in three groups: kept (with
// their allowed attributes), unwrapped (the element goes, its children stay:
// unknown and custom elements, forms, SVG links) and dropped with everything
// inside (code, embedded documents, media, form controls, SVG animation).
//
// Nothing kept can carry a URL the browser would fetch or navigate to except
// the attributes rewritten into the archive (a href → /go, img src and srcset,
// link href and CSS url() → /snapshots/resource); everything else that can
// hold a URL (SMIL's to/values/from, use/image/feImage href, xlink:href,
// formaction, base, meta refresh, background, poster, ping, cite…) is simply
// not on the list.

// htmlElements are the HTML elements kept: they structure, format or show
// text and images, nothing more.
var htmlElements = map[string]bool{
	"html": true, "head": true, "body": true, "title": true, "style": true, "link": true,
	"article": true, "aside": true, "footer": true, "header": true, "main": true, "nav": true, "section": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "hgroup": true, "address": true,
	"p": true, "hr": true, "pre": true, "blockquote": true, "ol": true, "ul": true, "li": true, "menu": true,
	"dl": true, "dt": true, "dd": true, "figure": true, "figcaption": true, "div": true, "center": true,
	"a": true, "em": true, "strong": true, "small": true, "s": true, "cite": true, "q": true, "dfn": true,
	"abbr": true, "ruby": true, "rt": true, "rp": true, "data": true, "time": true, "code": true, "var": true,
	"samp": true, "kbd": true, "sub": true, "sup": true, "i": true, "b": true, "u": true, "mark": true,
	"bdi": true, "bdo": true, "span": true, "br": true, "wbr": true, "ins": true, "del": true, "big": true,
	"tt": true, "strike": true, "font": true, "nobr": true, "label": true, "fieldset": true, "legend": true,
	"picture": true, "source": true, "img": true, "table": true, "caption": true, "colgroup": true, "col": true,
	"tbody": true, "thead": true, "tfoot": true, "tr": true, "td": true, "th": true, "details": true,
	"summary": true, "svg": true,
}

// svgElements are the SVG elements kept: shapes, text, grouping and paint
// servers. Not listed, so dropped: animate, set, animateMotion,
// animateTransform, animateColor, mpath (SMIL can rewrite any attribute,
// href included), use, image, feImage, pattern, textPath, filter (they
// reference other documents by href), a, foreignObject, script, style.
var svgElements = map[string]bool{
	"svg": true, "g": true, "path": true, "circle": true, "ellipse": true, "line": true, "polyline": true,
	"polygon": true, "rect": true, "text": true, "tspan": true, "defs": true, "lineargradient": true,
	"radialgradient": true, "stop": true, "clippath": true, "symbol": true, "title": true, "desc": true,
}

// dropWithContent are the HTML elements removed with all they contain.
var dropWithContent = map[string]bool{
	"script": true, "iframe": true, "frame": true, "frameset": true, "object": true, "embed": true,
	"applet": true, "template": true, "portal": true, "audio": true, "video": true, "track": true,
	"param": true, "input": true, "textarea": true, "select": true, "button": true, "datalist": true,
	"output": true, "meta": true, "base": true, "map": true, "area": true, "dialog": true, "slot": true,
	"xmp": true, "plaintext": true, "noembed": true, "noframes": true, "math": true,
}

// globalAttrs are kept on every kept element (style rewritten, see cleanCSS).
var globalAttrs = map[string]bool{
	"class": true, "id": true, "title": true, "lang": true, "dir": true, "style": true, "hidden": true,
	"role": true, "align": true, "valign": true, "width": true, "height": true, "bgcolor": true,
	"color": true, "translate": true,
}

// elementAttrs are the attributes kept on one element besides globalAttrs and
// aria-*. URL attributes (a href, img src/srcset, source srcset, link href)
// are rewritten, not listed.
var elementAttrs = map[string]map[string]bool{
	"a":        {"name": true},
	"img":      {"alt": true, "sizes": true, "border": true},
	"source":   {"media": true, "type": true, "sizes": true},
	"link":     {"media": true},
	"style":    {"media": true},
	"ol":       {"start": true, "reversed": true, "type": true},
	"ul":       {"type": true},
	"li":       {"value": true, "type": true},
	"time":     {"datetime": true},
	"data":     {"value": true},
	"del":      {"datetime": true},
	"ins":      {"datetime": true},
	"details":  {"open": true},
	"font":     {"face": true, "size": true},
	"bdo":      {"dir": true},
	"label":    {"for": true},
	"table":    {"border": true, "cellpadding": true, "cellspacing": true, "summary": true, "frame": true, "rules": true},
	"td":       {"colspan": true, "rowspan": true, "headers": true, "nowrap": true},
	"th":       {"colspan": true, "rowspan": true, "headers": true, "scope": true, "abbr": true, "nowrap": true},
	"col":      {"span": true},
	"colgroup": {"span": true},
	"hr":       {"size": true, "noshade": true},
}

// svgAttrs are the presentation attributes kept on SVG elements. A value
// with a url() must reference a fragment of the page itself (see localURLs).
var svgAttrs = map[string]bool{
	"class": true, "id": true, "style": true, "d": true, "fill": true, "fill-opacity": true, "fill-rule": true,
	"stroke": true, "stroke-width": true, "stroke-linecap": true, "stroke-linejoin": true,
	"stroke-miterlimit": true, "stroke-dasharray": true, "stroke-dashoffset": true, "stroke-opacity": true,
	"clip-rule": true, "clip-path": true, "opacity": true, "transform": true, "viewbox": true,
	"preserveaspectratio": true, "x": true, "y": true, "x1": true, "x2": true, "y1": true, "y2": true,
	"cx": true, "cy": true, "r": true, "rx": true, "ry": true, "fx": true, "fy": true, "width": true,
	"height": true, "points": true, "offset": true, "stop-color": true, "stop-opacity": true,
	"gradientunits": true, "gradienttransform": true, "spreadmethod": true, "clippathunits": true,
	"font-size": true, "font-family": true, "font-weight": true, "font-style": true, "text-anchor": true,
	"dominant-baseline": true, "letter-spacing": true, "dx": true, "dy": true, "rotate": true,
	"color": true, "display": true, "visibility": true, "vector-effect": true, "shape-rendering": true,
	"aria-hidden": true, "aria-label": true, "role": true, "focusable": true,
}

// neutralise rewrites an archived HTML page so that it can only present:
// whatever is not on the allowlists above is removed, links are rewritten to
// the archive's /go endpoint (which opens the archived copy, if any), and
// stylesheets and images to the archive's resource endpoint (which serves the
// archived copy, if any). The Content-Security-Policy sent with it is the
// second lock. contentType picks the page's character set; the result is
// UTF-8.
func neutralise(body []byte, contentType, pageURL string) ([]byte, error) {
	r, err := charset.NewReader(bytes.NewReader(body), contentType)
	if err != nil {
		r = bytes.NewReader(body)
	}
	// Scripting off: <noscript> holds markup (often the real images of a
	// lazy-loading page), which the cleaner unwraps, as a browser without
	// scripts would show it.
	doc, err := html.ParseWithOptions(r, html.ParseOptionEnableScripting(false))
	if err != nil {
		return nil, err
	}
	base, _ := url.Parse(pageURL)
	if b := baseHref(doc, base); b != nil {
		base = b
	}
	c := cleaner{base: base}
	c.children(doc)
	var out bytes.Buffer
	out.WriteString("<!DOCTYPE html>\n")
	for n := doc.FirstChild; n != nil; n = n.NextSibling {
		if n.Type == html.DoctypeNode {
			continue
		}
		if err := html.Render(&out, n); err != nil {
			return nil, err
		}
	}
	return out.Bytes(), nil
}

// baseHref returns the page's <base href> resolved against base, the base
// its relative URLs were written for (the element itself is removed).
func baseHref(n *html.Node, base *url.URL) *url.URL {
	if n.Type == html.ElementNode && n.Data == "base" && n.Namespace == "" {
		for _, a := range n.Attr {
			if a.Key == "href" && a.Namespace == "" {
				if u, err := url.Parse(strings.TrimSpace(a.Val)); err == nil && base != nil {
					if u = base.ResolveReference(u); u.Scheme == "http" || u.Scheme == "https" {
						return u
					}
				}
			}
		}
		return nil
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if u := baseHref(c, base); u != nil {
			return u
		}
	}
	return nil
}

// cleaner applies the allowlists to a parsed page.
type cleaner struct {
	base *url.URL
}

// action is what the cleaner does with one node.
type action int

const (
	keep action = iota
	unwrap
	drop
)

func (c *cleaner) decide(n *html.Node) action {
	switch n.Type {
	case html.TextNode, html.DocumentNode:
		return keep
	case html.ElementNode:
	default:
		return drop // comments (conditional comments), doctypes inside
	}
	name := strings.ToLower(n.Data)
	switch n.Namespace {
	case "":
		switch {
		case htmlElements[name]:
			if name == "link" && !isStylesheet(n) {
				return drop
			}
			return keep
		case dropWithContent[name]:
			return drop
		}
		return unwrap // unknown, custom elements, form, noscript, canvas…
	case "svg":
		if svgElements[name] {
			return keep
		}
		if name == "a" || name == "switch" {
			return unwrap
		}
		return drop
	}
	return drop // MathML (it has href on every element)
}

// children cleans n's children, in place.
func (c *cleaner) children(n *html.Node) {
	for ch := n.FirstChild; ch != nil; {
		next := ch.NextSibling
		switch c.decide(ch) {
		case drop:
			n.RemoveChild(ch)
		case unwrap:
			c.children(ch)
			for g := ch.FirstChild; g != nil; {
				gn := g.NextSibling
				ch.RemoveChild(g)
				n.InsertBefore(g, ch)
				g = gn
			}
			n.RemoveChild(ch)
		case keep:
			if ch.Type == html.ElementNode {
				c.attrs(ch)
				if ch.Namespace == "" && strings.EqualFold(ch.Data, "style") {
					c.styleText(ch)
					break
				}
			}
			c.children(ch)
		}
		ch = next
	}
}

// styleText rewrites a <style> element's stylesheet.
func (c *cleaner) styleText(n *html.Node) {
	var css strings.Builder
	for t := n.FirstChild; t != nil; t = t.NextSibling {
		if t.Type == html.TextNode {
			css.WriteString(t.Data)
		}
	}
	for n.FirstChild != nil {
		n.RemoveChild(n.FirstChild)
	}
	n.AppendChild(&html.Node{Type: html.TextNode, Data: cleanCSS(css.String(), c.base)})
}

func isStylesheet(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, "rel") {
			for f := range strings.FieldsSeq(strings.ToLower(a.Val)) {
				if f == "stylesheet" {
					return !strings.Contains(strings.ToLower(a.Val), "alternate")
				}
			}
		}
	}
	return false
}

// lazyAttrs are where lazy-loading scripts keep an image's real URL while
// src holds a placeholder; without scripts, the cleaner moves it to src.
var lazyAttrs = map[string]string{
	"data-src": "src", "data-lazy-src": "src", "data-original": "src",
	"data-srcset": "srcset", "data-lazy-srcset": "srcset",
}

// unlazy gives an img or source the URLs a lazy-loading script would have
// set: data-src and its kin replace a missing or data: src (srcset alike).
func unlazy(n *html.Node) {
	have := map[string]string{}
	for _, a := range n.Attr {
		if a.Namespace == "" {
			have[strings.ToLower(a.Key)] = a.Val
		}
	}
	for lazy, real := range lazyAttrs {
		v, ok := have[lazy]
		if !ok || strings.TrimSpace(v) == "" {
			continue
		}
		if cur, ok := have[real]; ok && !strings.HasPrefix(strings.TrimSpace(strings.ToLower(cur)), "data:") {
			continue
		}
		attrs := n.Attr[:0]
		for _, a := range n.Attr {
			if a.Namespace != "" || !strings.EqualFold(a.Key, real) {
				attrs = append(attrs, a)
			}
		}
		n.Attr = append(attrs, html.Attribute{Key: real, Val: v})
		have[real] = v
	}
}

// attrs keeps n's allowed attributes and rewrites its URLs into the archive.
func (c *cleaner) attrs(n *html.Node) {
	name := strings.ToLower(n.Data)
	svg := n.Namespace == "svg"
	if !svg && (name == "img" || name == "source") {
		unlazy(n)
	}
	kept := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Namespace != "" {
			continue // xlink:href, xml:base, xmlns:…
		}
		key := strings.ToLower(a.Key)
		switch {
		case key == "style":
			a.Val = cleanCSSDeclarations(a.Val, c.base)
		case svg:
			if !svgAttrs[key] || !localURLs(a.Val) {
				continue
			}
		case key == "href" && name == "a":
			u := archiveLink(a.Val, c.base)
			if u == "" {
				continue
			}
			kept = append(kept, html.Attribute{Key: "href", Val: u})
			if !strings.HasPrefix(u, "#") {
				// Out of the sandboxed frame: the archive's pages are UI.
				kept = append(kept, html.Attribute{Key: "target", Val: "_top"})
			}
			continue
		case key == "href" && name == "link", key == "src" && name == "img":
			u := resourceURL(a.Val, c.base, name == "img")
			if u == "" {
				continue
			}
			a = html.Attribute{Key: key, Val: u}
		case key == "srcset" && (name == "img" || name == "source"):
			v := rewriteSrcset(a.Val, c.base)
			if v == "" {
				continue
			}
			a = html.Attribute{Key: key, Val: v}
		case key == "rel" && name == "link":
			a.Val = "stylesheet"
		case globalAttrs[key] || strings.HasPrefix(key, "aria-") || elementAttrs[name][key]:
		default:
			continue
		}
		a.Key = key
		kept = append(kept, a)
	}
	n.Attr = kept
}

// localURLs reports whether every url() in an SVG attribute value refers to
// a fragment of the page itself (fill="url(#gradient)").
func localURLs(v string) bool {
	l := strings.ToLower(v)
	for {
		i := strings.Index(l, "url(")
		if i < 0 {
			return true
		}
		rest := strings.TrimLeft(l[i+4:], " \t\n\r\f'\"")
		if !strings.HasPrefix(rest, "#") {
			return false
		}
		l = rest
	}
}

// archiveLink turns a link of an archived page into a link to the archive's
// copy of its target; "" for links that cannot be archived (javascript:,
// mailto:); fragments only are kept as fragments.
func archiveLink(href string, base *url.URL) string {
	href = strings.TrimSpace(href)
	if strings.HasPrefix(href, "#") {
		return href
	}
	u := absolute(href, base)
	if u == nil {
		return ""
	}
	u.Fragment = ""
	return "/go?url=" + url.QueryEscape(u.String())
}

// resourceURL turns the URL of a stylesheet, image or font into the
// archive's resource endpoint for it; "" for URLs that are neither http(s)
// nor (when dataOK) a data: image.
func resourceURL(ref string, base *url.URL, dataOK bool) string {
	ref = strings.TrimSpace(ref)
	if dataOK && len(ref) > 11 && strings.EqualFold(ref[:11], "data:image/") {
		return ref
	}
	u := absolute(ref, base)
	if u == nil {
		return ""
	}
	u.Fragment = ""
	return resourcePath + "?url=" + url.QueryEscape(u.String())
}

// absolute resolves ref against base; nil unless it is an http(s) URL.
func absolute(ref string, base *url.URL) *url.URL {
	u, err := url.Parse(ref)
	if err != nil {
		return nil
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil
	}
	return u
}

// rewriteSrcset rewrites each image candidate of a srcset ("URL [descriptor]"
// separated by commas, HTML §4.8.4.3) into the archive; "" when none is left.
func rewriteSrcset(v string, base *url.URL) string {
	var out []string
	for len(v) > 0 {
		v = strings.TrimLeft(v, " \t\n\r\f,")
		if v == "" {
			break
		}
		end := strings.IndexAny(v, " \t\n\r\f")
		if end < 0 {
			end = len(v)
		}
		ref := v[:end]
		v = v[end:]
		var desc string
		if strings.HasSuffix(ref, ",") {
			ref = strings.TrimRight(ref, ",")
		} else {
			// Descriptors run to the next comma outside parentheses.
			depth, i := 0, 0
			for ; i < len(v); i++ {
				if v[i] == '(' {
					depth++
				} else if v[i] == ')' && depth > 0 {
					depth--
				} else if v[i] == ',' && depth == 0 {
					break
				}
			}
			desc, v = strings.TrimSpace(v[:i]), v[i:]
		}
		if u := resourceURL(ref, base, true); u != "" && !strings.ContainsAny(desc, ",()") {
			out = append(out, strings.TrimSpace(u+" "+desc))
		}
	}
	return strings.Join(out, ", ")
}
