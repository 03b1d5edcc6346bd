package extract

import (
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Extractor turns pages into articles using an ordered list of site rules and the
// generic layers. It is immutable after New and safe for concurrent use.
type Extractor struct {
	rules    []*Rule
	maxParse int // 0: parse whole pages
	// off holds the generic heuristics switched off by Without.
	off heuristicSet
}

// WithMaxParse returns a copy of e that parses at most the first n bytes of
// a page (n <= 0: all of it), so that a huge page costs a bounded DOM. A
// record taken from a prefix has Partial set.
func (e *Extractor) WithMaxParse(n int) *Extractor {
	c := *e
	c.maxParse = max(n, 0)
	return &c
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
	partial := false
	if e.maxParse > 0 && len(body) > e.maxParse {
		body, partial = body[:e.maxParse], true
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
	a := x.run()
	a.Partial = partial
	return a, nil
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
	hits    [numScoped][]*html.Node
	exclude map[*html.Node]bool

	box       authorBox
	bodyName  []string // byline found at the start of the body
	bodyLine  string   // that byline as printed
	signature []string // names of a bold signature paragraph at the top or end of the body
	bodyImage string   // first image in the body
	// visibleDate is a dateline found at the start of the body.
	visibleDate string
	wireAuth    []Author

	low []byte // scratch: the line classify is looking at, lowercased
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
	x.linkBase()
	x.rule = x.selectRule()
	ruleSrc := ""
	if x.rule != nil {
		a.Rule = x.rule.Name
		ruleSrc = x.rule.source()
	}
	x.scope = p.body
	if x.rule != nil {
		if x.rule.sel.article != nil {
			if n := matchFirst(x.rule.sel.article, p.body); n != nil {
				x.scope = n
			}
		}
		x.query()
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
	x.bios()
	x.editorLines()
	x.image(ruleSrc)
	x.dates(ruleSrc)
	x.isArticle()
	x.validUTF8()
	return a
}

// validUTF8 replaces invalid UTF-8 (from pages that lie about their charset) in
// every text field of the record.
func (x *extraction) validUTF8() {
	a := x.a
	fix := func(s *string) {
		if !utf8.ValidString(*s) {
			*s = strings.ToValidUTF8(*s, "\uFFFD")
		}
	}
	for _, s := range []*string{&a.URL, &a.CanonicalURL, &a.SiteName, &a.Language, &a.Title, &a.PublishedAt,
		&a.ModifiedAt, &a.Description, &a.BodyText, &a.BodyHTML, &a.Copyright} {
		fix(s)
	}
	for i := range a.Authors {
		fix(&a.Authors[i].Name)
		fix(&a.Authors[i].Bio)
		fix(&a.Authors[i].URL)
	}
	for i := range a.Editors {
		fix(&a.Editors[i].Name)
		fix(&a.Editors[i].Handle)
		fix(&a.Editors[i].URL)
	}
	for i := range a.Tags {
		fix(&a.Tags[i])
	}
	for i := range a.Related {
		fix(&a.Related[i].Title)
		fix(&a.Related[i].URL)
	}
	if a.Image != nil {
		fix(&a.Image.URL)
		fix(&a.Image.Caption)
	}
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
	case p.url != nil && p.url.IsAbs():
		u := *p.url
		u.Fragment = ""
		a.CanonicalURL = u.String()
		x.set("canonical_url", SourceHeuristic)
	}
}

// linkBase settles the URL that the record's relative links resolve against.
// A page served from another host than its canonical one (a mirror, the
// loopback demo) but naming itself there — its absolute canonical URL, or
// og:url when it has no canonical link, has the page URL's path — resolves
// against the canonical URL, so its record does not change with the host or
// port that served it. Otherwise (a canonical pointing to a home page, say)
// the page URL and its <base href> stay the base.
func (x *extraction) linkBase() {
	p := x.p
	if p.url == nil {
		return
	}
	raw := p.canonicalRaw
	if raw == "" {
		raw = p.meta["og:url"]
	}
	c, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || !c.IsAbs() || c.Host == "" || !samePath(c.Path, p.url.Path) {
		return
	}
	if strings.EqualFold(c.Host, p.url.Host) && c.Scheme == p.url.Scheme {
		return // served from its own address: nothing to settle
	}
	c.Fragment, c.RawFragment = "", ""
	if p.baseHref != "" {
		if h, err := url.Parse(p.baseHref); err == nil {
			c = c.ResolveReference(h)
		}
	}
	p.base = c
}

// samePath compares two URL paths, ignoring a trailing slash.
func samePath(a, b string) bool {
	return strings.TrimSuffix(a, "/") == strings.TrimSuffix(b, "/")
}

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

func (x *extraction) siteNames() []string {
	names := []string{x.a.SiteName, x.p.meta["og:site_name"], x.ld.publisher}
	if x.rule != nil {
		names = append(names, x.rule.SiteName)
	}
	return names
}

func (x *extraction) title(ruleSrc string) {
	a := x.a
	var t, src string
	if x.rule != nil {
		if n := x.find(selTitle); n != nil {
			t, src = value(n), ruleSrc
		}
	}
	if t == "" {
		t, src = x.genericTitle()
	}
	if t == "" {
		return
	}
	a.Title = t
	if src == ruleSrc {
		a.Title = stripSiteSuffix(t, x.siteNames()...)
	}
	x.set("title", src)
}

// genericTitle reads the headline from JSON-LD, the meta tags, the document
// title or the only <h1>, and names the layer it came from.
func (x *extraction) genericTitle() (t, src string) {
	p := x.p
	// A <title> that names the site the page declares loses that name;
	// otherwise it is cut the way readers cut it.
	docTitle := collapse(p.title)
	if st := stripSiteSuffix(docTitle, x.siteNames()...); st != docTitle {
		docTitle = st
	} else {
		docTitle = documentTitle(docTitle, p.h1s)
	}
	ld := x.ld.headline
	if x.ld.name != "" && x.ld.headline != "" {
		// Some sites put their own name in "name" and the headline in
		// "headline", others a long headline in "headline" and the short
		// one in "name": the one matching the document title wins, name
		// by default.
		if !(textSimilarity(x.ld.headline, docTitle) > 0.75 && textSimilarity(x.ld.name, docTitle) <= 0.75) {
			ld = x.ld.name
		}
	}
	for _, c := range []struct{ v, src string }{
		{ld, SourceJSONLD},
		{p.meta["dc:title"], SourceMeta},
		{p.meta["dcterm:title"], SourceMeta},
		{p.meta["og:title"], SourceOpenGraph},
		{p.meta["title"], SourceMeta},
		{p.meta["twitter:title"], SourceMeta},
		{p.meta["parsely-title"], SourceMeta},
	} {
		if t != "" {
			break
		}
		t, src = collapse(c.v), c.src
	}
	if t == "" && docTitle != "" {
		t, src = docTitle, SourceMeta
	}
	if t == "" && len(p.h1s) > 0 {
		t, src = textOf(p.h1s[0]), SourceHeuristic
	}
	return t, src
}

// titleSeparators are the characters that separate a document title's
// parts ("Headline | Site", "Site » Section » Headline").
const titleSeparators = "|-–—\\/>»"

// documentTitle derives the headline from the <title> text the way readers
// (Mozilla Readability) do: the part before the last separator, unless that
// leaves too few words; the part after a colon unless a heading repeats the
// whole title; the only <h1> when the title is implausibly short or long.
func documentTitle(orig string, h1s []*html.Node) string {
	orig = collapse(orig)
	if orig == "" {
		return ""
	}
	cur := orig
	hierarchical := false
	if i := lastSeparator(orig); i >= 0 {
		hierarchical = strings.ContainsAny(separatorsIn(orig), "\\/>»")
		cur = orig[:i]
		if wordCount(cur) < 3 {
			if j := firstSeparator(orig); j >= 0 {
				cur = orig[j:]
			}
		}
	} else if strings.Contains(orig, ": ") {
		repeated := false
		for _, h := range h1s {
			if textOf(h) == orig {
				repeated = true
				break
			}
		}
		if !repeated {
			cur = orig[strings.LastIndexByte(orig, ':')+1:]
			if wordCount(cur) < 3 {
				cur = orig[strings.IndexByte(orig, ':')+1:]
			} else if wordCount(orig[:strings.IndexByte(orig, ':')]) > 5 {
				cur = orig
			}
		}
	} else if (len(orig) > 150 || len(orig) < 15) && len(h1s) == 1 {
		cur = textOf(h1s[0])
	}
	cur = collapse(cur)
	if n := wordCount(cur); n <= 4 {
		stripped := strings.Map(func(r rune) rune {
			if strings.ContainsRune(titleSeparators, r) {
				return -1
			}
			return r
		}, orig)
		if !hierarchical || n != wordCount(stripped)-1 {
			cur = orig
		}
	}
	return cur
}

// lastSeparator returns the index of the last separator character followed
// by a space and preceded by one, or -1.
func lastSeparator(s string) int {
	for i := len(s) - 1; i > 0; i-- {
		if s[i-1] != ' ' {
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if strings.ContainsRune(titleSeparators, r) && i+size < len(s) && s[i+size] == ' ' {
			return i - 1
		}
	}
	return -1
}

// firstSeparator returns the index just after the first separator character
// of s, or -1.
func firstSeparator(s string) int {
	for i, r := range s {
		if strings.ContainsRune(titleSeparators, r) {
			return i + utf8.RuneLen(r)
		}
	}
	return -1
}

// separatorsIn returns the separator characters that stand between spaces.
func separatorsIn(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && s[i-1] == ' ' && strings.ContainsRune(titleSeparators, r) {
			if j := i + utf8.RuneLen(r); j < len(s) && s[j] == ' ' {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

func wordCount(s string) int { return len(strings.Fields(s)) }

// textSimilarity is the share of b's text (by length of its distinct words)
// that a also has: 1 when every word of b is in a.
func textSimilarity(a, b string) float64 {
	split := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
		})
	}
	ta, tb := split(a), split(b)
	if len(ta) == 0 || len(tb) == 0 {
		return 0
	}
	inA := make(map[string]bool, len(ta))
	for _, w := range ta {
		inA[w] = true
	}
	var uniq []string
	for _, w := range tb {
		if !inA[w] {
			uniq = append(uniq, w)
		}
	}
	return 1 - float64(len(strings.Join(uniq, " ")))/float64(len(strings.Join(tb, " ")))
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
		for _, n := range x.findAll(selTags) {
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
	if len(a.Tags) == 0 {
		for _, k := range x.pageTags() {
			add(k, SourceHeuristic)
		}
	}
}

// authorBox reads the "About the Author" box: the rule's selectors, else the
// heading found by its text.
func (x *extraction) authorBox(ruleSrc string) {
	var nodes []*html.Node
	src := ruleSrc
	if x.rule != nil {
		if n := x.find(selAuthorBox); n != nil {
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
		heads, _ := x.p.boxHeads()
		for _, h := range heads {
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
	if b := &x.box; b.name == "" || b.bio == "" || b.url == "" {
		x.fillBox(nodes) // the rule's selectors left part of the box unread
	}
}

// fillBox completes the box's name, bio and link from its text blocks.
func (x *extraction) fillBox(nodes []*html.Node) {
	b := &x.box
	w := &walker{base: x.p.base, textOnly: true, skip: func(n *html.Node) bool {
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
		if b.bio == "" && len(t) >= 15 && countWords(t) >= 4 && !reBioLabel.MatchString(t) &&
			!(len(bl.links) > 0 && bl.linkLen*2 > len(t)) {
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
	if x.rule != nil {
		if n := x.find(selRelated); n != nil {
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
	links, blocks := x.genericRelated()
	for _, n := range blocks {
		if linkDense(n) {
			x.exclude[n] = true
		}
	}
	if len(links) > 0 {
		a.Related = links
		x.set("related", SourceHeuristic)
	}
}
