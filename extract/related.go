package extract

import (
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Generic related-article links: blocks that the page offers as further
// reading for this article, found by their heading text (in the major
// languages), by in-body label lines ("Related:", "Read more:") and by
// class/id hints; their links kept when the target looks like an article of
// the site rather than an index, share or navigation page.

// reRelatedHead matches the lowercased, trimmed text of a heading that opens
// a further-reading block.
var reRelatedHead = regexp.MustCompile(`^(?:` +
	// English
	`related(?: (?:articles?|posts?|stories|story|news|content|coverage|reading|links?|videos?|roundup|items|topics|to this (?:story|article)))?|` +
	`(?:more )?related (?:articles|stories|posts|news)|` +
	`read (?:more|next|also|this next|these next)|reading next|(?:also|further) read(?:ing)?|what to read next|` +
	`keep reading|continue reading|up next|next up(?: in .{1,40})?|next (?:article|story|post)|` +
	`more (?:on|about|in|from)(?: this (?:story|topic|subject)| .{1,50})?|` +
	`more (?:stories|articles|posts|news)(?: (?:like this(?: one)?|on this topic|from .{1,40}|in .{1,40}))?|` +
	`more .{1,30} (?:news|stories|articles)|` +
	`(?:you|we think you) (?:may|might|will|could) (?:also )?(?:like|enjoy|be interested in|want to read)(?: (?:this|these|reading))?|` +
	`you may also be interested in|` +
	`recommended(?: (?:for you|stories|articles|reading|posts|links|news))?|recommends|picked for you|` +
	`see (?:also|more)|also (?:on|in|from) .{1,40}|also|more|explore further|story timeline|in (?:this|the) series|` +
	`don'?t miss|in case you missed it|related post|read more about .{1,40}|` +
	// German
	`lesen sie (?:auch|mehr|weiter)|auch interessant|mehr zum thema(?: .{1,40})?|weitere (?:beiträge|artikel|meldungen|nachrichten|themen)(?: zum thema| aus .{1,40})?|` +
	`das könnte sie (?:auch )?interessieren|verwandte (?:artikel|beiträge|themen)|ähnliche (?:artikel|beiträge)|zum thema|` +
	// French
	`(?:à|a) lire (?:aussi|également|egalement|ensuite)|lire (?:aussi|également|la suite)|sur le même (?:sujet|thème)|articles? (?:similaires|liés|connexes)|` +
	`voir aussi|vous aimerez (?:aussi|également)|vous (?:pourriez|pouvez) aussi aimer|dans la même rubrique|` +
	// Spanish, Portuguese, Italian
	`(?:lee|leer|lea) (?:también|más|además)|te puede interesar|también te puede interesar|(?:noticias|artículos|notas) relacionad[ao]s|` +
	`más (?:noticias|información)(?: sobre .{1,40})?|ver (?:también|más)|` +
	`leia (?:também|mais)|veja (?:também|mais)|(?:artigos|notícias|posts|matérias) relacionad[ao]s|você (?:também )?pode gostar|` +
	`leggi anche(?: su.{0,40})?|potrebbe interessarti|ti potrebbe (?:anche )?interessare|articoli correlati|vedi anche|` +
	// Dutch, Scandinavian, Polish, Turkish
	`lees (?:ook|meer|verder)|gerelateerde (?:artikelen|berichten)|meer over .{1,40}|läs (?:också|mer)|les (?:også|mer)|relaterat|relateret|` +
	`czytaj (?:też|także|również|więcej)|zobacz (?:też|także|również)|ilgili haberler|bunlar da ilginizi çekebilir|` +
	// Russian, Ukrainian
	`читайте (?:также|еще|ещё|по теме)|материалы по теме|по теме|вам (?:также )?может быть интересно|похожие (?:статьи|материалы|новости)|` +
	`смотрите также|читать также|читайте також|` +
	// Japanese, Chinese, Korean, Arabic
	`関連記事|関連ニュース|関連する記事|あわせて読みたい|こちらもおすすめ|おすすめ記事|` +
	`相关阅读|相關閱讀|相关文章|相關文章|相关新闻|相關新聞|延伸阅读|延伸閱讀|推荐阅读|推薦閱讀|` +
	`관련 ?기사|함께 볼만한 기사|اقرأ أيضا|اقرأ أيضاً|مواضيع ذات صلة|أخبار ذات صلة` +
	`)$`)

// relatedFirstWords are the first words of reRelatedHead's phrases in
// alphabetic scripts: a cheap test before the expression runs.
var relatedFirstWords = wordSet("related more read reading also further what keep continue up next you we " +
	"recommended recommends picked see explore story in don't don’t dont lesen auch mehr weitere das verwandte " +
	"ähnliche zum à a lire sur articles article voir vous dans lee leer lea te también noticias artículos notas " +
	"más ver leia veja artigos notícias posts matérias você leggi potrebbe ti articoli vedi lees gerelateerde meer " +
	"läs les relaterat relateret czytaj zobacz ilgili bunlar")

// reSiteWideHead matches headings of site-wide lists that are never the
// article's further reading.
var reSiteWideHead = regexp.MustCompile(`most (?:read|popular|viewed|shared|commented|emailed|watched)|popular|trending|latest|top (?:stories|news)|` +
	`around the web|sponsored|promoted|partner|paid|advert|from the web|meistgelesen|beliebt|les plus lus|más leídas|mais lidas|più lette|самое популярное`)

// relatedClassWords are class/id words that mark a further-reading block.
var relatedClassWords = []string{"related", "read-more", "readmore", "read-next", "readnext", "recommended",
	"more-stories", "morestories", "more-articles", "also-read", "alsoread", "more-like-this", "further-reading"}

// notArticleSegments are path segments of index, profile and utility pages.
var notArticleSegments = wordSet("tag tags topic topics category categories section sections author authors " +
	"profile profiles people person user users search login signin signup register subscribe subscription " +
	"newsletter newsletters about contact privacy terms cookies account feed rss page comments share")

// shareHosts are hosts of share, comment and tracking links.
var shareHosts = []string{"facebook.com", "twitter.com", "x.com", "linkedin.com", "pinterest.com", "reddit.com",
	"wa.me", "whatsapp.com", "t.me", "telegram.me", "vk.com", "instagram.com", "youtube.com", "outbrain.com",
	"taboola.com", "zergnet.com", "disqus.com", "plus.google.com", "tumblr.com", "flipboard.com", "getpocket.com"}

// maxRelatedBlock is the most links a further-reading block holds; longer
// lists under such a heading are site-wide feeds.
const maxRelatedBlock = 16

// relatedFinder collects further-reading links of one page.
type relatedFinder struct {
	base   *url.URL
	self   *url.URL
	out    []Link
	seen   map[string]bool
	done   map[*html.Node]bool
	blocks []*html.Node
	// heads holds each block's heading text, for tests.
	heads []string
}

// genericRelated returns the page's further-reading links, in page order,
// and the elements that hold them.
func (x *extraction) genericRelated() ([]Link, []*html.Node) {
	f := x.findRelated()
	return f.out, f.blocks
}

func (x *extraction) findRelated() *relatedFinder {
	f := &relatedFinder{base: x.p.base, seen: map[string]bool{}, done: map[*html.Node]bool{}}
	if u, err := url.Parse(x.a.CanonicalURL); err == nil && x.a.CanonicalURL != "" {
		f.self = u
	} else {
		f.self = x.p.url
	}
	if f.self != nil {
		f.seen[linkKey(f.self)] = true
	}
	if x.p.url != nil {
		f.seen[linkKey(x.p.url)] = true
	}
	f.walk(x.p.body)
	if len(f.out) == 0 {
		f.out = f.prevNext(x.p.body)
	}
	return f
}

func linkKey(u *url.URL) string {
	return strings.TrimPrefix(strings.ToLower(u.Host), "www.") + strings.TrimRight(u.Path, "/") + "?" + u.RawQuery
}

// walk visits the page in document order, skipping page chrome.
func (f *relatedFinder) walk(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			f.text(c)
		case html.ElementNode:
			switch c.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Nav, atom.Footer,
				atom.Form, atom.Select, atom.Button, atom.Iframe:
				continue
			case atom.Header:
				// The page's banner, not a module's or an article's header.
				if n.DataAtom == atom.Body || attr(c, "role") == "banner" {
					continue
				}
			}
			if attr(c, "role") == "navigation" || junkElement(c) {
				continue
			}
			if headingLevel(c.DataAtom) > 0 || attr(c, "role") == "heading" {
				// A heading's text may be split ("<strong>You</strong> may
				// also like", "Next Up In <a>Science</a>").
				t, ok := shortText(c, 120)
				if ok && strings.TrimSpace(t) == "" {
					if img := firstImage(c); img != nil {
						t = attr(img, "alt") // a heading drawn as an image
					}
				}
				if ok && f.heading(c, t) {
					continue
				}
			}
			f.walk(c)
		}
	}
}

// headKey returns the comparison text of a short heading: lowercased, white
// space collapsed, the punctuation around it trimmed.
func headKey(s string) string {
	s = strings.ToLower(collapse(s))
	return strings.Trim(s, " \t:.…-–—|»›>«<→←!?•·*")
}

// relatedHeadKey returns the comparison key of s when s is a
// further-reading heading, else "".
func relatedHeadKey(s string) string {
	t := strings.TrimLeft(s, " \t\n\r\f:.-|»›>«<!?*")
	if len(t) < 2 {
		return ""
	}
	if t[0] < 0xd0 {
		// Cheap test of the first word before any allocation.
		end := strings.IndexAny(t, " \t\n\r:\u00a0")
		if end < 0 {
			end = len(t)
		}
		if end > 12 || !relatedFirstWords[strings.ToLower(t[:end])] {
			return ""
		}
	}
	key := headKey(s)
	if len(key) < 2 || len(key) > 70 {
		return ""
	}
	first := key
	if i := strings.IndexByte(key, ' '); i > 0 {
		first = key[:i]
	}
	if !relatedFirstWords[first] && key[0] < 0xd0 {
		return "" // no heading starts so (scripts from Cyrillic up are left to the expression)
	}
	if !reRelatedHead.MatchString(key) || reSiteWideHead.MatchString(key) {
		return ""
	}
	return key
}

// ambiguousHeads are heading keys that pages also print on expand buttons
// and teasers; they head a block only as a heading element or a "Label:".
var ambiguousHeads = map[string]bool{"read more": true, "more": true, "also": true, "continue reading": true,
	"keep reading": true, "see more": true, "related": true}

// sponsorLabels are the texts that mark a block of links as advertising.
var sponsorLabels = map[string]bool{"ad": true, "ads": true, "sponsored": true, "promoted": true,
	"paid content": true, "advertisement": true, "anzeige": true, "publicité": true, "publicidad": true,
	"sponsorisé": true, "partner content": true, "paid post": true, "sponsored content": true}

// underHeading reports whether n is (inside) a heading element, within two
// levels.
func underHeading(n *html.Node) bool {
	for i := 0; i < 3 && n != nil && n.Type == html.ElementNode; i, n = i+1, n.Parent {
		if headingLevel(n.DataAtom) > 0 || attr(n, "role") == "heading" {
			return true
		}
	}
	return false
}

// heading checks a heading element's whole text.
func (f *relatedFinder) heading(h *html.Node, text string) bool {
	key := relatedHeadKey(text)
	if key == "" || f.done[h] {
		return false
	}
	f.done[h] = true
	f.block(h, key)
	return true
}

// text checks one text node for a further-reading heading or label.
func (f *relatedFinder) text(t *html.Node) {
	s := t.Data
	if len(s) < 2 || len(s) > 200 {
		return
	}
	key := relatedHeadKey(s)
	if key == "" {
		return
	}
	h := t.Parent
	if h == nil || h.Type != html.ElementNode {
		return
	}
	if ambiguousHeads[key] && !strings.Contains(s, ":") && !underHeading(h) {
		return // "Read more" on a button or a teaser, not a heading
	}
	for a := h; a != nil && a.Type == html.ElementNode; a = a.Parent {
		if a.DataAtom == atom.A {
			if href := strings.TrimSpace(attr(a, "href")); href != "" && href != "#" {
				return // a link saying "Read more" is not a heading
			}
		}
		if a.DataAtom == atom.Button || a.DataAtom == atom.Option {
			return
		}
		if a.DataAtom == atom.Body {
			break
		}
	}
	for h.Parent != nil && h.Parent.Type == html.ElementNode && onlyChild(h.Parent, h) &&
		h.Parent.DataAtom != atom.Body && !hasLink(h.Parent) {
		h = h.Parent
	}
	if f.done[h] {
		return
	}
	f.done[h] = true
	f.block(h, key)
}

// block collects the links that follow heading h: in its ancestors up to the
// first that holds article-like links, up to the next heading like it.
func (f *relatedFinder) block(h *html.Node, key string) {
	bare := key == "also" || key == "more"
	level := headingLevel(h.DataAtom)
	for a, climb := h, 0; a.Parent != nil && climb < 5; a, climb = a.Parent, climb+1 {
		p := a.Parent
		if p.DataAtom == atom.Body || p.DataAtom == atom.Html {
			return
		}
		var links []Link
		after, stopped, sponsored, followed := false, false, false, false
		var visit func(n *html.Node)
		visit = func(n *html.Node) {
			if stopped {
				return
			}
			if n == h {
				after = true
				return
			}
			if n.Type == html.TextNode && after && len(n.Data) < 40 && sponsorLabels[headKey(n.Data)] {
				sponsored = true
			}
			if n.Type != html.ElementNode {
				return
			}
			if after && n.Parent == p && !hasLink(n) {
				if t, _ := textLens(n, false); t == 0 && firstImage(n) == nil {
					followed = true // an empty box, filled by script
				}
			}
			if after && (isNextHead(n, h, level) || prose(n)) {
				stopped = true
				return
			}
			if junkElement(n) {
				return
			}
			if n.DataAtom == atom.A {
				if after && sponsorLabels[headKey(textOf(n))] {
					sponsored = true
				}
				if after {
					if l, ok := f.link(n); ok {
						links = append(links, l)
					}
				}
				return
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				visit(c)
			}
		}
		visit(p)
		if sponsored {
			return
		}
		if len(links) > 0 {
			if len(links) > maxRelatedBlock {
				return // a site-wide feed, not this article's further reading
			}
			if bare && len(links) > 3 {
				return // "More:" heads short in-body lists, not whole sections
			}
			for _, l := range links {
				k := l.URL
				if u, err := url.Parse(l.URL); err == nil {
					k = linkKey(u)
				}
				if f.seen[k] {
					continue
				}
				f.seen[k] = true
				f.out = append(f.out, l)
			}
			f.blocks = append(f.blocks, p)
			f.heads = append(f.heads, key)
			return
		}
		// A heading's wrapper may hold nothing else: climb. A box that
		// follows the heading but holds no links (filled by script) is empty.
		if followed {
			return
		}
		if t, _ := textLens(p, false); t > 2000 {
			return
		}
	}
}

// isNextHead reports whether n starts another block after heading h: a
// heading of the same or a higher level, or an element like h (same tag and
// class).
func isNextHead(n, h *html.Node, level int) bool {
	if l := headingLevel(n.DataAtom); l > 0 && (level == 0 || l <= level) {
		// Card titles are headings too, but they hold their link.
		return !hasLink(n) && (n.Parent == nil || n.Parent.DataAtom != atom.A)
	}
	return n.DataAtom == h.DataAtom && attr(n, "class") == attr(h, "class") && attr(h, "class") != "" && !hasLink(n)
}

// prose reports a paragraph of running text, which ends a block of links.
func prose(n *html.Node) bool {
	if n.DataAtom != atom.P {
		return false
	}
	total, links := textLens(n, false)
	return total-links >= 150
}

// link returns the link's target and title when the target looks like an
// article.
func (f *relatedFinder) link(a *html.Node) (Link, bool) {
	href := strings.TrimSpace(attr(a, "href"))
	if href == "" || strings.HasPrefix(href, "#") || strings.HasPrefix(strings.ToLower(href), "javascript:") {
		return Link{}, false
	}
	abs := resolve(f.base, href)
	u, err := url.Parse(abs)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return Link{}, false
	}
	if !articleLikeURL(u, f.self) {
		return Link{}, false
	}
	u.Fragment = ""
	title := cleanLinkTitle(textOf(a))
	if genericLinkText(title) {
		title = ""
	}
	if title == "" {
		if img := firstImage(a); img != nil {
			title = collapse(attr(img, "alt"))
		}
	}
	if title == "" {
		title = cleanLinkTitle(attr(a, "title"))
	}
	if title == "" {
		return Link{}, false
	}
	return Link{Title: title, URL: u.String()}, true
}

// articleLikeURL reports whether u looks like the address of an article: not
// a share or sponsored link, not the site's front, section, tag or author
// page; a slug, a numeric id or a date in its path, or the shape of the
// page's own address.
func articleLikeURL(u, self *url.URL) bool {
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	for _, s := range shareHosts {
		if host == s || strings.HasSuffix(host, "."+s) {
			return false
		}
	}
	if q := strings.ToLower(u.RawQuery); strings.Contains(q, "url=") || strings.Contains(q, "http") {
		return false // a share or redirect link carrying another address
	}
	segs := pathSegments(u.Path)
	if len(segs) == 0 {
		return u.RawQuery != "" && hasDigits(u.RawQuery, 4)
	}
	for _, s := range segs {
		if notArticleSegments[strings.ToLower(s)] {
			return false
		}
	}
	last := strings.ToLower(segs[len(segs)-1])
	if i := strings.LastIndexByte(last, '.'); i > 0 {
		last = last[:i]
	}
	switch {
	case strings.Count(last, "-")+strings.Count(last, "_") >= 2:
		return true
	case hasDigits(u.Path, 4) || hasDigits(u.RawQuery, 4):
		return true
	}
	if self != nil && len(segs) > 1 {
		own := pathSegments(self.Path)
		if len(segs) == len(own) && len(last) >= 8 {
			return true // the shape of the page's own address
		}
		if len(segs) == len(own) && strings.Join(segs[:len(segs)-1], "/") == strings.Join(own[:len(own)-1], "/") {
			return true // beside the page in its folder
		}
	}
	return nonASCII(last) && len(last) >= 6
}

func pathSegments(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// hasDigits reports whether s holds a run of at least n decimal digits.
func hasDigits(s string, n int) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			if run >= n {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

func nonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] == '%' {
			return true
		}
	}
	return false
}

// rePrevNext is the text of a blog's post-to-post navigation link.
var rePrevNext = regexp.MustCompile(`(?i)^(?:older|newer|previous|prev|next)\s+(?:post|article|story|entry)|^(?:älterer|neuerer|vorheriger|nächster)\s+(?:beitrag|artikel)|^(?:article|billet)\s+(?:précédent|suivant)|^(?:artículo|entrada)\s+(?:anterior|siguiente)|^(?:post|articolo)\s+(?:precedente|successivo)|^(?:предыдущая|следующая)\s+(?:статья|запись)`)

// prevNext returns the links of a blog theme's "Older Post" / "Newer Post"
// navigation, which such themes offer as the article's reading next, titled
// by their title attribute (the target article's headline).
func (f *relatedFinder) prevNext(body *html.Node) []Link {
	var out []Link
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || junkElement(c) {
				continue
			}
			switch c.DataAtom {
			case atom.Nav, atom.Footer, atom.Script, atom.Style, atom.Form:
				continue
			case atom.A:
				t, ok := shortText(c, 40)
				if !ok || !rePrevNext.MatchString(strings.Trim(t, " ←→«»‹›<>")) {
					continue
				}
				title := collapse(attr(c, "title"))
				u, err := url.Parse(resolve(f.base, attr(c, "href")))
				if title == "" || err != nil || !articleLikeURL(u, f.self) {
					continue
				}
				u.Fragment = ""
				if k := linkKey(u); !f.seen[k] {
					f.seen[k] = true
					out = append(out, Link{Title: title, URL: u.String()})
				}
				continue
			}
			walk(c)
		}
	}
	walk(body)
	return out
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

// relatedLinks collects article links from the given nodes: absolute,
// de-duplicated by URL, in page order. A card often links one article twice (image
// and title); the longest plain link text wins, then an image's alt text.
func relatedLinks(base *url.URL, nodes []*html.Node, self string, match func(*html.Node) bool) []Link {
	type cand struct {
		url, text, alt, attr string
	}
	var order []string
	byURL := map[string]*cand{}
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		if n.DataAtom == atom.A && (match == nil || match(n)) {
			u := resolve(base, attr(n, "href"))
			if u != "" && u != self && !strings.HasPrefix(u, "mailto:") && !strings.HasPrefix(u, "tel:") {
				c := byURL[u]
				if c == nil {
					c = &cand{url: u}
					byURL[u] = c
					order = append(order, u)
				}
				img := firstImage(n)
				if img != nil {
					if c.alt == "" {
						c.alt = collapse(attr(img, "alt"))
					}
				} else if t := cleanLinkTitle(textOf(n)); len(t) > len(c.text) && !genericLinkText(t) {
					c.text = t
				}
				if c.attr == "" {
					c.attr = cleanLinkTitle(attr(n, "title"))
				}
			}
			return
		}
		if junkElement(n) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	for _, n := range nodes {
		visit(n)
	}
	var out []Link
	for _, u := range order {
		c := byURL[u]
		title := c.text
		if title == "" {
			title = c.alt
		}
		if title == "" {
			title = c.attr
		}
		if title == "" {
			continue
		}
		out = append(out, Link{Title: title, URL: u})
	}
	return out
}

// cleanLinkTitle strips the arrows and separators that prev/next links carry.
func cleanLinkTitle(s string) string {
	return strings.TrimSpace(strings.Trim(collapse(s), "«»‹›←→<>|·•"))
}

func firstImage(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom == atom.Img {
			return c
		}
		if img := firstImage(c); img != nil {
			return img
		}
	}
	return nil
}

func genericLinkText(t string) bool {
	switch strings.ToLower(strings.Trim(t, " .…>»→")) {
	case "read more", "continue reading", "more", "read", "read article", "read the article",
		"view", "see more", "learn more", "read full article", "full story":
		return true
	}
	return false
}
