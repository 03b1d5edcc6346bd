package extract

import (
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// selectRule picks the first rule whose host matches the page, canonical or
// og:url host; failing that, the first whose page signature matches.
func (x *extraction) selectRule() *Rule {
	p := x.p
	hosts := []string{}
	if p.url != nil {
		hosts = append(hosts, strings.ToLower(p.url.Hostname()))
	}
	hosts = append(hosts, hostOf(x.a.CanonicalURL), hostOf(resolve(p.base, p.meta["og:url"])))
	for _, h := range hosts {
		for _, r := range x.e.rules {
			if r.hasHost(h) {
				return r
			}
		}
	}
	names := []string{p.meta["og:site_name"], x.ld.publisher, p.meta["application-name"]}
	for _, r := range x.e.rules {
		for _, sn := range r.Signature.SiteNames {
			for _, n := range names {
				if n != "" && strings.EqualFold(strings.TrimSpace(n), sn) {
					return r
				}
			}
		}
		if r.sigSel != nil && r.sigSel.MatchFirst(p.doc) != nil {
			return r
		}
	}
	return nil
}

// query matches all the rule's scoped selectors in one walk over the article
// scope. Scripts, styles, templates and SVG icons are not searched: they hold no
// fields, and Shopify pages carry thousands of their nodes.
func (x *extraction) query() {
	parts := x.rule.parts
	if len(parts) == 0 {
		return
	}
	// For "A B" parts: the last parent looked at, and whether it is or is
	// inside an A. Siblings share the answer.
	type ancMemo struct {
		parent *html.Node
		inside bool
	}
	memo := make([]ancMemo, len(parts))
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if opaque(n) {
				return
			}
			bare := len(n.Attr) == 0
			class, classRead := "", false
			for i := range parts {
				p := &parts[i]
				if (bare && p.needsAttr) || (!multiHit(p.field) && len(x.hits[p.field]) > 0) {
					continue
				}
				if p.class != "" {
					if !classRead {
						class, classRead = attr(n, "class"), true
					}
					if !strings.Contains(class, p.class) {
						continue
					}
				}
				match := false
				if p.self != nil {
					if p.self.Match(n) {
						m := &memo[i]
						if m.parent != n.Parent || m.parent == nil {
							m.parent, m.inside = n.Parent, hasAncestor(p.anc, n.Parent)
						}
						match = m.inside
					}
				} else {
					match = p.sel.Match(n)
				}
				if match {
					// A node matching two alternatives of one field counts once.
					if h := x.hits[p.field]; len(h) == 0 || h[len(h)-1] != n {
						x.hits[p.field] = append(h, n)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(x.scope)
}

// hasAncestor reports whether n or one of its ancestors is an element
// that sel matches.
func hasAncestor(sel cascadia.Sel, n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n.Type == html.ElementNode && sel.Match(n) {
			return true
		}
	}
	return false
}

// opaque reports the elements whose subtrees rule selectors never search:
// scripts, styles, templates and SVG icons hold no fields, and Shopify pages
// carry thousands of their nodes.
func opaque(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Template, atom.Svg, atom.Noscript:
		return true
	}
	return false
}

// matchFirst returns the first element of root's subtree (root included), in
// page order, that sel matches, or nil; opaque subtrees are not searched.
func matchFirst(sel cascadia.Selector, root *html.Node) *html.Node {
	if root.Type == html.ElementNode {
		if opaque(root) {
			return nil
		}
		if sel.Match(root) {
			return root
		}
	}
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if m := matchFirst(sel, c); m != nil {
			return m
		}
	}
	return nil
}

// matchAll calls fn on every element of root's subtree (root included) that
// sel matches, in page order; opaque subtrees are not searched.
func matchAll(sel cascadia.Selector, root *html.Node, fn func(*html.Node)) {
	if root.Type == html.ElementNode {
		if opaque(root) {
			return
		}
		if sel.Match(root) {
			fn(root)
		}
	}
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			matchAll(sel, c, fn)
		}
	}
}

// multiHit reports the fields whose every match is used; the others need
// only their first.
func multiHit(field int) bool { return field == selTags || field == selByline }

// find returns the first element of the article scope matching the rule's
// selector for field, or nil.
func (x *extraction) find(field int) *html.Node {
	if len(x.hits[field]) == 0 {
		return nil
	}
	return x.hits[field][0]
}

// findAll returns all elements of the article scope matching the rule's
// selector for field, in page order.
func (x *extraction) findAll(field int) []*html.Node { return x.hits[field] }

// findHead looks for head elements (meta, link) in <head>, then the page.
func (x *extraction) findHead(sel cascadia.Selector) *html.Node {
	if sel == nil {
		return nil
	}
	if x.p.head != nil {
		if n := sel.MatchFirst(x.p.head); n != nil {
			return n
		}
	}
	return sel.MatchFirst(x.p.doc)
}

// value reads an element's value: content of a <meta>, datetime of a <time>,
// the text otherwise.
func value(n *html.Node) string {
	switch n.DataAtom {
	case atom.Meta:
		return strings.TrimSpace(attr(n, "content"))
	case atom.Link:
		return strings.TrimSpace(attr(n, "href"))
	}
	return textOf(n)
}
