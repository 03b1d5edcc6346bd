package web

import (
	"bytes"

	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
)

// snapshotCSP is sent with every archived page. sandbox without allow-scripts
// and allow-same-origin: no script runs, and the page gets an opaque origin, so
// it can read neither the UI's pages nor its API. The fetch directives keep
// every request on this server (and images to data: URLs); links may navigate
// the top window only when clicked, and they all point into the archive.
const snapshotCSP = "sandbox allow-top-navigation-by-user-activation; default-src 'none'; " +
	"img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; " +
	"form-action 'none'; base-uri 'none'; frame-ancestors 'self'"

// dropElements are removed with their content: they run code, load other
// documents or navigate (meta refresh), or only matter when scripts run.
var dropElements = map[string]bool{
	"script": true, "noscript": true, "iframe": true, "frame": true, "frameset": true, "object": true,
	"embed": true, "applet": true, "base": true, "link": true, "meta": true, "portal": true, "template": true,
	"audio": true, "video": true, "source": true, "track": true, "param": true,
}

// urlAttrs are attributes that make the browser fetch or navigate.
var urlAttrs = map[string]bool{
	"src": true, "srcset": true, "href": true, "action": true, "formaction": true, "poster": true,
	"background": true, "ping": true, "data": true, "codebase": true, "cite": true, "longdesc": true,
	"usemap": true, "manifest": true, "xlink:href": true, "lowsrc": true, "dynsrc": true, "imagesrcset": true,
}

// neutralise rewrites an archived HTML page so that it cannot act: scripts,
// frames, objects, meta refreshes and event handlers are removed, links are
// rewritten to the archive's /go endpoint (which opens the archived copy, if
// any), and other resource URLs are dropped (the archive keeps pages, not
// their images). The Content-Security-Policy sent with it is the second lock.
// contentType picks the page's character set; the result is UTF-8.
func neutralise(body []byte, contentType, pageURL string) ([]byte, error) {
	r, err := charset.NewReader(bytes.NewReader(body), contentType)
	if err != nil {
		r = bytes.NewReader(body)
	}
	doc, err := html.Parse(r)
	if err != nil {
		return nil, err
	}
	base, _ := url.Parse(pageURL)
	clean(doc, base)
	var out bytes.Buffer
	out.WriteString("<!DOCTYPE html>\n")
	for c := doc.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.DoctypeNode {
			continue
		}
		if err := html.Render(&out, c); err != nil {
			return nil, err
		}
	}
	return out.Bytes(), nil
}

func clean(n *html.Node, base *url.URL) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode && dropElements[strings.ToLower(c.Data)] {
			n.RemoveChild(c)
			c = next
			continue
		}
		if c.Type == html.ElementNode {
			cleanAttrs(c, base)
		}
		clean(c, base)
		c = next
	}
}

func cleanAttrs(n *html.Node, base *url.URL) {
	attrs := n.Attr[:0]
	for _, a := range n.Attr {
		key := strings.ToLower(a.Key)
		if a.Namespace != "" {
			key = strings.ToLower(a.Namespace) + ":" + key
		}
		switch {
		case strings.HasPrefix(key, "on"):
			continue // event handlers
		case (n.DataAtom == atom.A || n.DataAtom == atom.Area) && key == "href":
			if u := archiveLink(a.Val, base); u != "" {
				attrs = append(attrs, html.Attribute{Key: "href", Val: u})
				attrs = append(attrs, html.Attribute{Key: "target", Val: "_top"})
			}
			continue
		case urlAttrs[key] || strings.HasSuffix(key, ":href"):
			continue
		case key == "target" || key == "formtarget" || key == "http-equiv" || key == "srcdoc":
			continue
		}
		attrs = append(attrs, a)
	}
	n.Attr = attrs
}

// archiveLink turns a link of an archived page into a link to the archive's
// copy of its target; "" for links that cannot be archived (javascript:,
// mailto:, fragments only are kept as fragments).
func archiveLink(href string, base *url.URL) string {
	href = strings.TrimSpace(href)
	if strings.HasPrefix(href, "#") {
		return href
	}
	u, err := url.Parse(href)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	u.Fragment = ""
	return "/go?url=" + url.QueryEscape(u.String())
}
