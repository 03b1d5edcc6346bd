package extract

import (
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Extractor turns pages into articles using an ordered list of site rules and the
// generic layers. It is immutable after New and safe for concurrent use.
type Extractor struct {
	rules []*Rule
}

// New returns an Extractor using rules, first match first. Rules come from
// LoadRules; nil rules leave only the generic layers.
func New(rules []*Rule) *Extractor {
	return &Extractor{rules: append([]*Rule(nil), rules...)}
}

// Default returns an Extractor with the embedded site rules (rules/*.json).
func Default() (*Extractor, error) {
	sub, err := fs.Sub(embeddedRules, "rules")
	if err != nil {
		return nil, fmt.Errorf("default extractor: %w", err)
	}
	rules, err := LoadRules(sub)
	if err != nil {
		return nil, fmt.Errorf("default extractor: %w", err)
	}
	return New(rules), nil
}

// Extract builds the record of one page from its URL, HTTP header (may be nil;
// Content-Type and Content-Language are used) and raw bytes. It does no I/O.
// It returns ErrEmpty or ErrNotHTML (wrapped) for bodies that are not pages;
// anything that parses as HTML, however broken or truncated, gives a record,
// possibly with empty fields.
func (e *Extractor) Extract(pageURL string, header http.Header, body []byte) (*Article, error) {
	var base *url.URL
	if pageURL != "" {
		u, err := url.Parse(pageURL)
		if err != nil {
			return nil, fmt.Errorf("extract %s: parse url: %w", pageURL, err)
		}
		base = u
	}
	if header == nil {
		header = http.Header{}
	}
	page, err := decode(header, body)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", pageURL, err)
	}
	doc, err := parse(page)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", pageURL, err)
	}
	p := scanPage(doc, base, header)
	x := &extraction{e: e, p: p, pageURL: pageURL}
	return x.run(), nil
}

// extraction is the state of one Extract call.
type extraction struct {
	e       *Extractor
	p       *page
	pageURL string
	rule    *Rule
	ld      ldArticle
	a       *Article

	scope   *html.Node // the rule's article element, or <body>
	exclude map[*html.Node]bool

	box       authorBox
	bodyName  []string // byline found at the start of the body
	bodyImage string   // first image in the body
	wireAuth  []Author
}

type authorBox struct {
	found          bool
	name, bio, url string
	src            string
}

func (x *extraction) set(field, src string) {
	if src != "" {
		x.a.Sources[field] = src
	}
}

func (x *extraction) run() *Article {
	p := x.p
	x.a = &Article{URL: x.pageURL, ExtractorVersion: Version, Sources: map[string]string{},
		Authors: []Author{}, Editors: []Editor{}, Tags: []string{}, Related: []Link{}}
	a := x.a
	x.exclude = map[*html.Node]bool{}
	x.ld = parseJSONLD(p.ldScripts)

	x.canonical()
	x.rule = x.selectRule()
	ruleSrc := ""
	if x.rule != nil {
		a.Rule = x.rule.Name
		ruleSrc = x.rule.source()
	}
	x.scope = p.body
	if x.rule != nil && x.rule.sel.article != nil {
		if n := x.rule.sel.article.MatchFirst(p.doc); n != nil {
			x.scope = n
		}
	}
	x.siteName(ruleSrc)
	x.language()
	x.title(ruleSrc)
	x.description(ruleSrc)
	x.tags(ruleSrc)
	x.authorBox(ruleSrc)
	x.related(ruleSrc)
	x.body(ruleSrc)
	x.authors(ruleSrc)
	x.image(ruleSrc)
	x.dates(ruleSrc)
	x.isArticle()
	return a
}

func (x *extraction) canonical() {
	p, a := x.p, x.a
	switch {
	case p.canonical != "":
		a.CanonicalURL = p.canonical
		x.set("canonical_url", SourceMeta)
	case resolve(p.base, p.meta["og:url"]) != "":
		a.CanonicalURL = resolve(p.base, p.meta["og:url"])
		x.set("canonical_url", SourceOpenGraph)
	case x.ld.url != "" && resolve(p.base, x.ld.url) != "":
		a.CanonicalURL = resolve(p.base, x.ld.url)
		x.set("canonical_url", SourceJSONLD)
	case p.base != nil && p.base.IsAbs():
		u := *p.base
		u.Fragment = ""
		a.CanonicalURL = u.String()
		x.set("canonical_url", SourceHeuristic)
	}
}

// selectRule picks the first rule whose host matches the page, canonical or
// og:url host; failing that, the first whose page signature matches.
func (x *extraction) selectRule() *Rule {
	p := x.p
	hosts := []string{}
	if p.base != nil {
		hosts = append(hosts, strings.ToLower(p.base.Hostname()))
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

func (x *extraction) isArticle() {
	a, p := x.a, x.p
	if x.rule != nil && x.rule.articlePath != nil {
		if p.base != nil && x.rule.isArticlePath(p.base.Path) {
			a.IsArticle = true
			return
		}
		if u, err := url.Parse(a.CanonicalURL); err == nil && x.rule.isArticlePath(u.Path) {
			a.IsArticle = true
		}
		return
	}
	if strings.EqualFold(p.meta["og:type"], "article") || x.ld.found {
		a.IsArticle = true
		return
	}
	paras := strings.Count(a.BodyText, "\n\n") + 1
	a.IsArticle = a.WordCount >= 250 && paras >= 3
}

func (x *extraction) siteName(ruleSrc string) {
	a, p := x.a, x.p
	switch {
	case p.meta["og:site_name"] != "":
		a.SiteName = collapse(p.meta["og:site_name"])
		x.set("site_name", SourceOpenGraph)
	case x.ld.publisher != "":
		a.SiteName = x.ld.publisher
		x.set("site_name", SourceJSONLD)
	case x.rule != nil && x.rule.SiteName != "":
		a.SiteName = x.rule.SiteName
		x.set("site_name", ruleSrc)
	case p.meta["application-name"] != "":
		a.SiteName = collapse(p.meta["application-name"])
		x.set("site_name", SourceMeta)
	}
}

func (x *extraction) language() {
	a, p := x.a, x.p
	switch {
	case p.lang != "":
		a.Language = p.lang
		x.set("language", SourceMeta)
	case p.meta["og:locale"] != "":
		a.Language = strings.ReplaceAll(p.meta["og:locale"], "_", "-")
		x.set("language", SourceOpenGraph)
	case p.header.Get("Content-Language") != "":
		a.Language = strings.TrimSpace(strings.Split(p.header.Get("Content-Language"), ",")[0])
		x.set("language", SourceMeta)
	case p.meta["http-equiv:content-language"] != "":
		a.Language = strings.TrimSpace(strings.Split(p.meta["http-equiv:content-language"], ",")[0])
		x.set("language", SourceMeta)
	case x.ld.language != "":
		a.Language = x.ld.language
		x.set("language", SourceJSONLD)
	}
}

// find returns the first match of sel inside the article scope (the whole page
// when the rule's article element is absent). Searching only the scope keeps a
// missing optional block from costing a walk over the whole page.
func (x *extraction) find(sel cascadia.Selector) *html.Node {
	if sel == nil {
		return nil
	}
	return sel.MatchFirst(x.scope)
}

func (x *extraction) findAll(sel cascadia.Selector) []*html.Node {
	if sel == nil {
		return nil
	}
	return sel.MatchAll(x.scope)
}

// findHead looks for head elements (meta, link) first in <head>.
func (x *extraction) findHead(sel cascadia.Selector) *html.Node {
	if sel == nil {
		return nil
	}
	if x.p.head != nil {
		if n := sel.MatchFirst(x.p.head); n != nil {
			return n
		}
	}
	return x.find(sel)
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

func (x *extraction) siteNames() []string {
	names := []string{x.a.SiteName, x.p.meta["og:site_name"], x.ld.publisher}
	if x.rule != nil {
		names = append(names, x.rule.SiteName)
	}
	return names
}

func (x *extraction) title(ruleSrc string) {
	a, p := x.a, x.p
	var t, src string
	if x.rule != nil {
		if n := x.find(x.rule.sel.title); n != nil {
			t, src = value(n), ruleSrc
		}
	}
	for _, c := range []struct{ v, src string }{
		{x.ld.headline, SourceJSONLD},
		{p.meta["og:title"], SourceOpenGraph},
		{p.meta["twitter:title"], SourceMeta},
		{p.title, SourceMeta},
	} {
		if t != "" {
			break
		}
		t, src = collapse(c.v), c.src
	}
	if t == "" && len(p.h1s) > 0 {
		t, src = textOf(p.h1s[0]), SourceHeuristic
	}
	if t == "" {
		return
	}
	a.Title = stripSiteSuffix(t, x.siteNames()...)
	x.set("title", src)
}

func (x *extraction) description(ruleSrc string) {
	a, p := x.a, x.p
	if x.rule != nil {
		if n := x.findHead(x.rule.sel.description); n != nil {
			if d := collapse(value(n)); d != "" {
				a.Description = d
				x.set("description", ruleSrc)
				return
			}
		}
	}
	for _, c := range []struct{ v, src string }{
		{x.ld.description, SourceJSONLD},
		{p.meta["og:description"], SourceOpenGraph},
		{p.meta["twitter:description"], SourceMeta},
		{p.meta["description"], SourceMeta},
	} {
		if d := collapse(c.v); d != "" {
			a.Description = d
			x.set("description", c.src)
			return
		}
	}
}

func (x *extraction) tags(ruleSrc string) {
	a, p := x.a, x.p
	seen := map[string]bool{}
	add := func(t, src string) {
		t = collapse(strings.Trim(strings.TrimPrefix(collapse(t), "#"), ",;| "))
		if t == "" || len(t) > 100 || seen[strings.ToLower(t)] {
			return
		}
		seen[strings.ToLower(t)] = true
		a.Tags = append(a.Tags, t)
		if _, ok := a.Sources["tags"]; !ok {
			x.set("tags", src)
		}
	}
	if x.rule != nil {
		for _, n := range x.findAll(x.rule.sel.tags) {
			add(value(n), ruleSrc)
		}
	}
	for _, k := range x.ld.keywords {
		add(k, SourceJSONLD)
	}
	for _, k := range p.metaTags {
		add(k, SourceOpenGraph)
	}
	if len(a.Tags) == 0 {
		for _, k := range strings.Split(p.meta["news_keywords"], ",") {
			add(k, SourceMeta)
		}
	}
}

// authorBox reads the "About the Author" box: the rule's selectors, else the
// heading found by its text.
func (x *extraction) authorBox(ruleSrc string) {
	var nodes []*html.Node
	src := ruleSrc
	if x.rule != nil {
		if n := x.find(x.rule.sel.authorBox); n != nil {
			nodes = []*html.Node{n}
			b := &x.box
			if nn := x.rule.sel.authorName; nn != nil {
				if m := nn.MatchFirst(n); m != nil {
					b.name = textOf(m)
				}
			}
			if bs := x.rule.sel.authorBio; bs != nil {
				if m := bs.MatchFirst(n); m != nil {
					b.bio = textOf(m)
				}
			}
			if ls := x.rule.sel.authorLink; ls != nil {
				if m := ls.MatchFirst(n); m != nil {
					b.url = resolve(x.p.base, attr(m, "href"))
				}
			}
		}
	}
	if nodes == nil {
		src = SourceHeuristic
		for _, h := range x.p.authorHeads {
			nodes = boxNodes(h, nil, func(s *html.Node) bool {
				// The box ends where long article text or another box starts.
				t, _ := textLens(s, false)
				return t > 3000
			})
			if len(nodes) > 0 {
				x.exclude[h] = true
				break
			}
		}
	}
	if len(nodes) == 0 {
		return
	}
	for _, n := range nodes {
		x.exclude[n] = true
	}
	x.box.found = true
	x.box.src = src
	x.fillBox(nodes)
}

// fillBox completes the box's name, bio and link from its text blocks.
func (x *extraction) fillBox(nodes []*html.Node) {
	b := &x.box
	w := &walker{base: x.p.base, skip: func(n *html.Node) bool {
		return n.DataAtom == atom.H1 || n.DataAtom == atom.H2 && authorPhrases[strings.ToLower(textOf(n))]
	}}
	for _, n := range nodes {
		w.walkRoot(n)
	}
	var links []Link
	for _, bl := range w.blocks {
		links = append(links, bl.links...)
		t := bl.text
		if authorPhrases[strings.ToLower(strings.Trim(t, " :"))] {
			continue
		}
		if b.name == "" && len(t) <= 60 && looksLikeName(t) && !reFollowLink.MatchString(t) &&
			!strings.HasSuffix(t, ".") {
			b.name = strings.TrimSpace(strings.TrimPrefix(t, "By "))
			continue
		}
		if b.bio == "" && len(t) >= 40 && !(len(bl.links) > 0 && bl.linkLen*2 > len(t)) {
			b.bio = strings.ReplaceAll(t, "\n", " ")
		}
	}
	if b.name == "" {
		// The name may be only in a photo's alt text.
		for _, n := range nodes {
			if img := firstImage(n); img != nil && looksLikeName(attr(img, "alt")) {
				b.name = collapse(attr(img, "alt"))
				break
			}
		}
	}
	if b.url == "" {
		b.url = boxLink(links, b.name)
	}
}

// boxLink picks the author's profile link: one saying "Follow me", a social
// profile, or a link on the name.
func boxLink(links []Link, name string) string {
	for _, l := range links {
		if reFollowLink.MatchString(l.Title) && !strings.HasPrefix(l.URL, "mailto:") {
			return l.URL
		}
	}
	for _, l := range links {
		if isSocialURL(l.URL) {
			return l.URL
		}
	}
	for _, l := range links {
		if name != "" && sameName(l.Title, name) {
			return l.URL
		}
	}
	return ""
}

func (x *extraction) related(ruleSrc string) {
	a, p := x.a, x.p
	self := a.CanonicalURL
	if x.rule != nil && x.rule.sel.related != nil {
		if n := x.find(x.rule.sel.related); n != nil {
			x.exclude[n] = true
			var match func(*html.Node) bool
			if ls := x.rule.sel.relatedLinks; ls != nil {
				match = ls.Match
			}
			if links := relatedLinks(p.base, []*html.Node{n}, self, match); len(links) > 0 {
				a.Related = links
				x.set("related", ruleSrc)
				return
			}
		}
	}
	for _, h := range p.relatedHeads {
		nodes := boxNodes(h, nil, func(s *html.Node) bool { return !linkDense(s) })
		if len(nodes) == 0 {
			continue
		}
		links := relatedLinks(p.base, nodes, self, nil)
		if len(links) == 0 {
			continue
		}
		x.exclude[h] = true
		for _, n := range nodes {
			x.exclude[n] = true
		}
		if len(a.Related) == 0 {
			a.Related = links
			x.set("related", SourceHeuristic)
		}
	}
}
