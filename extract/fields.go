package extract

import (
	"bytes"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// body finds the article text (the rule's container, else the generic scorer),
// renders it to blocks and sorts out the lines that are credits, not text.
func (x *extraction) body(ruleSrc string) {
	a, p := x.a, x.p
	var roots []*html.Node
	src := SourceHeuristic
	if x.rule != nil {
		if n := x.find(selBody); n != nil {
			roots, src = []*html.Node{n}, ruleSrc
		}
	}
	// Rule-declared elements that are not text, and the rule's credit elements.
	if x.rule != nil {
		if drop := x.rule.sel.scoped[selDrop]; drop != nil {
			in := roots
			if in == nil {
				in = []*html.Node{x.scope}
			}
			for _, r := range in {
				matchAll(drop, r, func(n *html.Node) { x.exclude[n] = true })
			}
		}
		if n := x.find(selEditorCredit); n != nil {
			w := &walker{base: p.base, textOnly: true}
			w.walkRoot(n)
			var links []Link
			for _, bl := range w.blocks {
				links = append(links, bl.links...)
			}
			if eds, ok := parseEditorLine(textOf(n), links); ok && len(eds) > 0 {
				a.Editors = eds
				x.set("editors", ruleSrc)
			}
			x.exclude[n] = true
		}
		if n := x.find(selCopyright); n != nil {
			a.Copyright = textOf(n)
			x.set("copyright", ruleSrc)
			x.exclude[n] = true
		}
		if n := x.find(selImageCaption); n != nil {
			x.caption(textOf(n))
			x.exclude[n] = true
		}
	}
	skip := func(n *html.Node) bool { return x.exclude[n] }
	var kept []block
	if roots != nil {
		w := &walker{base: p.base, skip: skip}
		for _, r := range roots {
			w.walkRoot(r)
		}
		kept = x.classify(w.blocks, true)
	} else {
		// Generic: strict first; if that finds little text, again without the
		// class-name pruning (class names mislead it on some sites).
		for _, lenient := range []bool{false, true} {
			if lenient && !x.e.off.on(HeurLenient) {
				break
			}
			s := newScorer(lenient, x.e.off)
			if p.url != nil {
				s.host = strings.TrimPrefix(strings.ToLower(p.url.Hostname()), "www.")
			}
			s.story = x.headlineArticle()
			s.visit(p.body, skip)
			rs := s.bestRoots()
			for _, r := range rs {
				if st := s.stats[r]; st != nil {
					s.keepText += st.text
				}
			}
			s.keepText = s.keepText * 3 / 10
			w := &walker{base: p.base, skip: func(n *html.Node) bool { return x.exclude[n] || s.cleanSkip(n) }}
			for _, r := range rs {
				w.walkRoot(r)
			}
			k := x.classify(w.blocks, true)
			if textLen(k) > textLen(kept) {
				kept, roots = k, rs
			}
			if textLen(kept) >= 500 {
				break
			}
		}
		if textLen(kept) < 100 && x.e.off.on(HeurPageFallback) {
			// Nothing article-like found: take the page's text, minus furniture.
			w := &walker{base: p.base, skip: func(n *html.Node) bool { return x.exclude[n] || unlikely(n) }}
			w.walkRoot(p.body)
			if k := x.classify(w.blocks, true); textLen(k) > textLen(kept) {
				kept, roots = k, []*html.Node{p.body}
			}
		}
	}
	for _, b := range kept {
		if b.hasImg {
			x.bodyImage = firstImageURL(b.html)
			break
		}
	}
	x.signature = signatureNames(kept)
	a.BodyText = renderText(kept)
	a.BodyHTML = renderHTML(kept)
	if x.ld.body != "" && (a.BodyText == "" || (src == SourceHeuristic && x.e.off.on(HeurLDBody) && truncatedBody(a.BodyText, x.ld.body))) {
		a.BodyText, a.BodyHTML = ldParagraphs(x.ld.body)
		src = SourceJSONLD
	}
	if a.BodyText != "" {
		x.set("body_text", src)
		x.set("body_html", src)
	}
	a.WordCount = countWords(a.BodyText)

	// Credit lines outside the body (a custom block after the text).
	if len(a.Editors) == 0 || a.Copyright == "" || a.Image == nil || a.Image.Caption == "" {
		region := x.scope
		if src != ruleSrc && len(roots) > 0 && roots[0].Parent != nil {
			region = roots[0].Parent
			if region.Parent != nil && region.DataAtom != atom.Body {
				region = region.Parent
			}
		}
		inRoots := map[*html.Node]bool{}
		for _, r := range roots {
			inRoots[r] = true
		}
		w := &walker{base: p.base, textOnly: true,
			skip: func(n *html.Node) bool { return inRoots[n] || x.exclude[n] || pageChrome(n) }}
		w.walkRoot(region)
		x.classify(w.blocks, false)
	}
}

// signatureNames reads the names of a signature paragraph: a paragraph all
// in bold at the top of the body (before the first long paragraph) or at its
// end, holding nothing but person names ("Ann Lee", "Ann Lee/Bo Ray").
func signatureNames(blocks []block) []string {
	for i, b := range blocks {
		long := len(b.text) >= 150
		if long && i < len(blocks)-1 {
			// Past the top: only the last block may still sign the text.
			b = blocks[len(blocks)-1]
		}
		if nn := boldNames(b); len(nn) > 0 {
			return nn
		}
		if long {
			break
		}
	}
	return nil
}

// boldNames returns the names of a paragraph that is one bold run of two
// to four capitalised words per name, or nil.
func boldNames(b block) []string {
	h := strings.TrimSpace(b.html)
	if b.kind != atom.P || len(b.text) > 80 || !strings.HasPrefix(h, "<strong>") || !strings.HasSuffix(h, "</strong>") ||
		strings.Count(h, "<strong>") != 1 {
		return nil
	}
	names := cleanByline(strings.ReplaceAll(b.text, "/", ","))
	for _, n := range names {
		words := strings.Fields(n)
		if len(words) < 2 || len(words) > 4 {
			return nil
		}
		for _, w := range words {
			if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) {
				return nil
			}
		}
	}
	return names
}

// dateClassWords are class/id words of elements that print a date.
var dateClassWords = wordSet("date dates datum time timestamp published pubdate dateline datetime fecha data datahora")

// dateNearHeadline reads the printed date closest to the headline: among
// the elements whose class or id names a date ("meta_date", "article-datum")
// and whose short text holds one, the nearest to the first <h1> in page
// order. A date list of other articles lies farther from it.
func (x *extraction) dateNearHeadline() string {
	var h1 *html.Node
	for _, h := range x.p.h1s {
		if contains(x.scope, h) {
			h1 = h
			break
		}
	}
	best, bestDist := "", -1
	i, h1At := 0, -1
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || junkElement(c) {
				continue
			}
			i++
			if c == h1 {
				h1At = i
			}
			if dateNamed(c) {
				if t := textOf(c); len(t) < 120 {
					if d := parseLocalDate(t); d != "" {
						dist := i - h1At
						if h1At < 0 {
							dist = 1 << 20 // before the headline, or no headline: farther than any after it
						}
						if bestDist < 0 || dist < bestDist {
							best, bestDist = d, dist
						}
						continue
					}
				}
			}
			visit(c)
		}
	}
	visit(x.scope)
	return best
}

// dateNamed reports an element one of whose class or id words names a date.
func dateNamed(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Namespace != "" || (a.Key != "class" && a.Key != "id") {
			continue
		}
		found := false
		for _, name := range strings.Fields(a.Val) {
			classWords(name, func(w string) { found = found || dateClassWords[w] })
		}
		if found {
			return true
		}
	}
	return false
}

// headlineArticle returns the <article> element holding the first <h1>
// that reads as the page's title, or nil.
func (x *extraction) headlineArticle() *html.Node {
	title := normTitle(x.a.Title)
	if title == "" {
		return nil
	}
	for _, h := range x.p.h1s {
		if normTitle(textOf(h)) == title {
			return ancestorArticle(h)
		}
	}
	return nil
}

// truncatedBody reports a visible body that is the start of the declared
// one (JSON-LD articleBody): a paywalled or "read more" page shows a teaser
// and declares the whole text. The declared text must be half as long again
// and hold nearly all of the visible text's words.
func truncatedBody(visible, declared string) bool {
	if utf8.RuneCountInString(declared) < utf8.RuneCountInString(visible)*3/2 ||
		textSimilarity(declared, visible) < 0.8 {
		return false
	}
	// The teaser's first paragraph of prose opens the declared text too.
	dkey := normTitle(declared)
	for _, para := range strings.Split(visible, "\n\n") {
		if len(para) >= 80 {
			key := normTitle(para)
			return strings.Contains(dkey, key[:min(len(key), 60)])
		}
	}
	return false
}

// ldParagraphs renders a declared article body: its lines are paragraphs.
func ldParagraphs(body string) (text, markup string) {
	var t, m strings.Builder
	for _, line := range strings.Split(body, "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		if t.Len() > 0 {
			t.WriteString("\n\n")
		}
		t.WriteString(line)
		m.WriteString("<p>" + html.EscapeString(line) + "</p>")
	}
	return t.String(), m.String()
}

// pageChrome reports the page's own header, footer and navigation: their
// credit lines (a site-wide "© 2024 Example News") are not the article's.
func pageChrome(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Footer, atom.Header, atom.Nav, atom.Aside:
		return true
	}
	switch attr(n, "role") {
	case "contentinfo", "banner", "navigation":
		return true
	}
	return false
}

// firstWord returns the leading run of letters of a line, lowercased.
func firstWord(s string) string {
	for i, r := range s {
		if !unicode.IsLetter(r) {
			return strings.ToLower(s[:i])
		}
	}
	return strings.ToLower(s)
}

// appendLower appends s to buf with ASCII letters lowercased.
func appendLower(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf
}

var (
	captionWords = wordSet("featured cover top header lead image images photo photos photograph picture pictures pic credit credits illustration video")
	sourceWords  = wordSet("source via credit courtesy")
	boilerWords  = wordSet("please share sign subscribe follow like click tap advert adverts advertisement advertisements related recommended read also see comment comments enjoy enjoyed love tell leave")
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// creditLabels are the labels of image credit lines ("Photo: Jane Doe",
// "Фото: ТАСС", "Crédit : AFP") in the languages news sites use most,
// lowercased.
var creditLabels = map[string]bool{
	"image": true, "images": true, "photo": true, "photos": true, "picture": true, "pic": true,
	"illustration": true, "credit": true, "credits": true, "source": true, "image credit": true,
	"photo credit": true, "image source": true, "photo source": true, "photograph": true,
	"bild": true, "bilder": true, "foto": true, "fotos": true, "quelle": true, "bildquelle": true,
	"fotoquelle": true, "imagen": true, "imágenes": true, "fuente": true, "crédito": true,
	"créditos": true, "imagem": true, "fonte": true, "crédit": true, "crédits": true,
	"crédit photo": true, "illustration photo": true, "immagine": true, "fotografia": true,
	"bron": true, "beeld": true, "zdjęcie": true, "źródło": true, "fotografie": true,
	"zdroj": true, "zdroj foto": true, "kuva": true, "kép": true, "fotó": true, "forrás": true,
	"фото": true, "изображение": true, "источник": true, "иллюстрация": true, "снимок": true,
	"фотография": true, "джерело": true, "зображення": true, "görsel": true, "kaynak": true,
	"写真": true, "图片": true, "图": true, "사진": true, "출처": true,
}

// isCreditLine reports a short line of the form "<label>: <name>" whose
// label is an image credit label in one of several languages (see
// creditLabels). It is only asked of the line right after an image.
func isCreditLine(t string) bool {
	i := strings.IndexAny(t, ":：")
	if i <= 0 {
		return false
	}
	rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(t[i:], ":"), "："))
	if rest == "" || wordCount(t) > 8 || strings.ContainsAny(rest, ".!?") && strings.Count(rest, " ") > 3 {
		return false
	}
	return creditLabels[strings.ToLower(collapse(t[:i]))]
}

// creditWords are the last words of photo credit lines (see reCredit).
var creditWords = wordSet("images shutterstock photo afp reuters epa bloomberg press istock istockphoto")

// lastWord returns the trailing run of letters of a line, lowercased,
// ignoring closing punctuation.
func lastWord(s string) string {
	s = strings.TrimRight(s, " .)")
	i := len(s)
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !unicode.IsLetter(r) {
			break
		}
		i -= size
	}
	return strings.ToLower(s[i:])
}

// firstImageURL reads the src of the first <img> in sanitized block markup.
func firstImageURL(markup string) string {
	i := strings.Index(markup, `<img src="`)
	if i < 0 {
		return ""
	}
	rest := markup[i+len(`<img src="`):]
	j := strings.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return html.UnescapeString(rest[:j])
}

func textLen(blocks []block) int {
	n := 0
	for _, b := range blocks {
		if b.kind != atom.Figcaption {
			n += len(b.text)
		}
	}
	return n
}

// classify removes from blocks the repeated headline, caption and credit lines,
// editor and wire credits, the copyright line and boilerplate, recording what
// they say. inBody is false for text outside the article body, which is only
// mined for credits.
func (x *extraction) classify(blocks []block, inBody bool) []block {
	a := x.a
	title := ""
	if inBody {
		title = normTitle(a.Title)
	}
	kept := blocks[:0:0]
	seenText := false
	// seenLong is set by the first long paragraph: datelines and bylines
	// come before it.
	seenLong := false
	afterImage := false
	for _, b := range blocks {
		t := b.text
		prevImage := afterImage
		afterImage = b.hasImg && t == ""
		if t == "" && !b.hasImg {
			continue
		}
		short := len(t) <= 300
		if inBody && title != "" && (!seenText || b.kind == atom.H1) && normTitle(t) == title {
			continue // the headline repeated in the body
		}
		if short && t != "" {
			// Cheap gates keep the regular expressions off ordinary paragraphs.
			first := firstWord(t)
			x.low = appendLower(x.low[:0], t)
			low := x.low
			if x.e.off.on(HeurCaptions) && (b.kind == atom.Figcaption || (captionWords[first] && reCaption.MatchString(t)) ||
				(prevImage && sourceWords[first] && reSourceLine.MatchString(t)) ||
				(prevImage && isCreditLine(t))) {
				if b.kind == atom.Figcaption && !reCaption.MatchString(t) && !prevImage {
					if !x.leadFigure(b, blocks) {
						if inBody {
							kept = append(kept, b)
						}
						continue
					}
				}
				x.caption(t)
				continue
			}
			if len(t) < 250 && (strings.Contains(t, "©") || bytes.HasPrefix(low, []byte("(c) ")) ||
				bytes.HasPrefix(low, []byte("copyright")) || bytes.Contains(low, []byte("rights reserved"))) &&
				reCopyright.MatchString(t) {
				if a.Copyright == "" {
					a.Copyright = t
					x.set("copyright", SourceHeuristic)
				}
				continue
			}
			if bytes.Contains(low, []byte("edit")) && bytes.Contains(low, []byte("by")) {
				if eds, ok := parseEditorLine(t, b.links); ok {
					if len(a.Editors) == 0 && len(eds) > 0 {
						a.Editors = eds
						x.set("editors", SourceHeuristic)
					}
					continue
				}
			}
			if bytes.Contains(low, []byte("by ")) {
				if auth, eds, ok := parseWireLine(t, b.links); ok {
					if len(a.Editors) == 0 && len(eds) > 0 {
						a.Editors = eds
						x.set("editors", SourceHeuristic)
					}
					if len(x.wireAuth) == 0 {
						x.wireAuth = auth
					}
					continue
				}
			}
			if eds := editorCredit(t, b.links, inBody); len(eds) > 0 {
				if len(a.Editors) == 0 {
					a.Editors = eds
					x.set("editors", SourceHeuristic)
				}
				continue
			}
			credit := len(t) < 120 && creditWords[lastWord(t)]
			if !inBody && !credit {
				continue // outside the body only credit lines are of interest
			}
			if x.rule != nil && matchesAny(x.rule.dropText, t) {
				continue
			}
			if x.e.off.on(HeurBoilerplate) && (isBoilerplate(t, low, first) || localBoilerplate(t)) {
				continue
			}
			if inBody && !seenLong && x.e.off.on(HeurDateline) && strings.ContainsAny(t, "0123456789") && isDateline(t) {
				if a.PublishedAt == "" {
					x.visibleDate = t
				}
				continue
			}
			if credit && x.e.off.on(HeurCaptions) && reCredit.MatchString(t) {
				x.caption(t)
				continue
			}
			if inBody && !seenLong && len(t) < 100 && x.e.off.on(HeurBylineLine) &&
				bylineCues[first] && reBylineCue.MatchString(t) {
				if names := cleanByline(t); len(names) > 0 {
					if len(x.bodyName) == 0 {
						x.bodyName, x.bodyLine = names, t
					}
					continue
				}
			}
		}
		if !inBody {
			continue
		}
		if t != "" {
			seenText = true
			seenLong = seenLong || len(t) >= 150
		}
		kept = append(kept, b)
	}
	return kept
}

// leadFigure reports whether a figcaption belongs to the body's first figure.
func (x *extraction) leadFigure(b block, blocks []block) bool {
	if x.a.Image != nil && x.a.Image.Caption != "" {
		return false
	}
	for _, o := range blocks {
		if o.figure != nil {
			return o.figure == b.figure
		}
	}
	return false
}

// caption records the lead image's caption (the first one found wins).
func (x *extraction) caption(t string) {
	if t == "" {
		return
	}
	if x.a.Image == nil {
		x.a.Image = &Image{}
	}
	if x.a.Image.Caption == "" {
		x.a.Image.Caption = t
	}
}

// isBoilerplate reports a short line that is page furniture ("Share this",
// "Sign up for our newsletter", "Related: …"); low is the line with ASCII
// lowercased, first its first word, lowercased.
func isBoilerplate(t string, low []byte, first string) bool {
	if bytes.Contains(low, []byte("share your thoughts in the comment")) {
		return true
	}
	return (boilerWords[first] || (first == "" && len(t) < 12)) && reBoiler.MatchString(t)
}

func matchesAny(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// authors settles the author list: visible credits first (rule byline, author
// box, wire credits, a byline at the start of the body), then JSON-LD, then meta;
// the box adds the bio and profile link.
func (x *extraction) authors(ruleSrc string) {
	a, p := x.a, x.p
	var names []string
	src, line := "", ""
	if x.rule != nil {
		// The first matching element that reads as names (the date and the
		// comment count sit beside the byline in the same markup).
		for _, n := range x.findAll(selByline) {
			v := value(n)
			if names = cleanByline(v); len(names) > 0 {
				src, line = ruleSrc, v
				break
			}
		}
	}
	if len(names) == 0 && x.box.found && x.box.name != "" {
		names, src = []string{x.box.name}, x.box.src
	}
	// A wire footer's "Reporting by" names the reporters behind a byline;
	// a person the page declares in JSON-LD ("Reuters" as the author) wins.
	if len(names) == 0 && len(x.wireAuth) > 0 && !x.declaredCredit() {
		for _, w := range x.wireAuth {
			names = append(names, w.Name)
		}
		src = SourceHeuristic
	}
	// A credit naming only the house ("Example News", "example.com", a desk
	// account) or signing codes ("Example, abc") gives way to a person
	// declared or printed below it; it stays when the page names no one else.
	var held []string
	heldSrc, heldLine := "", ""
	hold := func() {
		if len(names) > 0 && src != ruleSrc && x.weakCredit(names) {
			if held == nil {
				held, heldSrc, heldLine = names, src, line
			}
			names = nil
		}
	}
	if len(names) == 0 && len(x.bodyName) > 0 {
		names, src, line = x.bodyName, SourceHeuristic, x.bodyLine
		hold()
	}
	ldURL := map[string]string{}
	if len(x.ld.authors) > 0 {
		var people, orgs []string
		for _, au := range x.ld.authors {
			if au.url != "" {
				ldURL[strings.ToLower(au.name)] = resolve(p.base, au.url)
			}
			if au.person {
				people = append(people, au.name)
			} else {
				orgs = append(orgs, au.name)
			}
		}
		if len(names) == 0 {
			if len(people) > 0 {
				names, src = people, SourceJSONLD
			} else if len(orgs) > 0 {
				names, src = orgs, SourceJSONLD
			}
		}
	}
	hold()
	if len(names) == 0 {
		// A name key may be repeated, one tag per author (Dublin Core's
		// DC.Creator, citation_author).
		for _, k := range metaAuthorKeys {
			for _, v := range p.metaAuthors[k] {
				if v == "" || strings.HasPrefix(v, "http") || strings.HasPrefix(v, "/") {
					continue
				}
				if nn := metaNames(v); len(nn) > 0 {
					names = append(names, nn...)
					line = joinLine(line, v)
				}
			}
			if len(names) > 0 {
				src = SourceMeta
				break
			}
		}
	}
	if held != nil && len(names) > 0 && !x.personCredit(names) {
		names = nil
	}
	hold()
	// Below a held house credit only a person will do: the first byline
	// element or printed line that names one, not a section label.
	accept := func([]string) bool { return true }
	if held != nil {
		accept = x.personCredit
	}
	fromDOM := false
	if len(names) == 0 {
		names, line = x.domByline(accept)
		if len(names) > 0 {
			src, fromDOM = SourceHeuristic, true
		} else {
			names = nil
		}
	}
	if len(names) == 0 {
		names, line = x.printedByline(accept)
		if len(names) > 0 {
			src = SourceHeuristic
		} else {
			names = nil
		}
	}
	if len(names) == 0 && len(held) > 0 && x.personCredit(x.signature) {
		names, src, line = x.signature, SourceHeuristic, ""
	}
	if len(names) == 0 && len(held) > 0 {
		names, src, line = held, heldSrc, heldLine
	}
	names = dropAffiliations(refineNames(names, x.siteNames()))
	seen := map[string]bool{}
	for _, n := range names {
		k := strings.ToLower(collapse(n))
		if seen[k] {
			continue
		}
		seen[k] = true
		au := Author{Name: collapse(n)}
		if x.box.found && (sameName(x.box.name, au.Name) || (x.box.name == "" && len(names) == 1)) {
			au.Bio, au.URL = x.box.bio, x.box.url
		}
		if au.URL == "" {
			au.URL = ldURL[k]
		}
		a.Authors = append(a.Authors, au)
	}
	if len(a.Authors) > 0 {
		x.set("authors", src)
		line, lineSrc := x.bylineLine(src == ruleSrc && x.rule != nil, fromDOM, line)
		if a.Byline = collapse(line); a.Byline == "" {
			for i, au := range a.Authors {
				if i > 0 {
					a.Byline += ", "
				}
				a.Byline += au.Name
			}
		}
		if lineSrc == "" {
			lineSrc = src
		}
		x.set("byline", lineSrc)
	}
}

// bylineLine returns the credit as the page states it, and the layer it
// comes from ("": the names' own): a site rule's byline as printed (or, when
// the rule found the author box, the names); else the author the page
// declares (JSON-LD names of people and organisations, else every value of
// the first author meta key, as written); else the first byline element as
// printed (its itemprop=name if it has one; fromDOM says line is that
// already); else line, the line the names were read from.
func (x *extraction) bylineLine(fromRule, fromDOM bool, line string) (string, string) {
	if fromRule {
		return line, "" // the rule's byline or author box; "" means the names
	}
	if len(x.ld.authors) > 0 {
		// People and organisations, in the page's order: "Ann Lee, Reuters".
		names := make([]string, 0, len(x.ld.authors))
		for _, au := range x.ld.authors {
			if !x.houseCredit([]string{au.name}) {
				names = append(names, au.name)
			}
		}
		if len(names) > 0 || !x.printedCredit() {
			if len(names) == 0 {
				for _, au := range x.ld.authors {
					names = append(names, au.name)
				}
			}
			return strings.Join(names, ", "), SourceJSONLD
		}
	}
	for _, k := range metaAuthorKeys {
		declared := ""
		seen := map[string]bool{}
		for _, v := range x.p.metaAuthors[k] {
			// A value reading "By …" is a printed line copied into a
			// meta tag; the page's own byline element is preferred.
			if v != "" && !strings.HasPrefix(v, "http") && !strings.HasPrefix(v, "/") && !reByline.MatchString(v) &&
				!seen[strings.ToLower(v)] && !(x.houseCredit([]string{v}) && x.printedCredit()) {
				seen[strings.ToLower(v)] = true
				declared = joinLine(declared, v)
			}
		}
		if declared != "" {
			return declared, SourceMeta
		}
	}
	if fromDOM {
		return line, ""
	}
	if _, printed := x.domByline(anyNames); printed != "" {
		return printed, SourceHeuristic
	}
	if line == "" && x.bodyLine != "" {
		return x.bodyLine, SourceHeuristic
	}
	return line, ""
}

// printedCredit reports whether the page prints a byline of its own: one
// found at the top of the body, or a byline element.
func (x *extraction) printedCredit() bool {
	if x.bodyLine != "" {
		return true
	}
	_, printed := x.domByline(anyNames)
	return printed != ""
}

// joinLine appends one more author value to a byline built from repeated
// meta tags.
func joinLine(line, v string) string {
	if line == "" {
		return v
	}
	return line + ", " + v
}

// houseCredit reports names that credit the publication rather than a
// person: each is a desk or CMS account, the site's own name, or its host
// ("example.com", "Example.de", "EXAMPLE Nachrichten" on example.de), and
// no part of it names anyone else.
func (x *extraction) houseCredit(names []string) bool {
	sites := x.siteNames()
	host := ""
	if x.p.base != nil {
		host = strings.TrimPrefix(strings.ToLower(x.p.base.Hostname()), "www.")
	}
	for _, n := range names {
		// "Ann Lee, Example.com" credits a person beside the house.
		for _, part := range splitNames(n) {
			if !genericCredit(part, sites...) && !hostCredit(part, host) {
				return false
			}
		}
	}
	return len(names) > 0
}

// weakCredit reports names that credit no person by name: house credits
// and signing codes ("jse", "ab."), with at least one house credit.
func (x *extraction) weakCredit(names []string) bool {
	house := false
	for _, n := range names {
		for _, part := range splitNames(n) {
			switch {
			case x.houseCredit([]string{part}):
				house = true
			case !reSigningCode.MatchString(part):
				return false
			}
		}
	}
	return house
}

// reSigningCode is the lower-case initials an author signs with: "jse", "ab.".
var reSigningCode = regexp.MustCompile(`^\p{Ll}{2,4}\.?$`)

// personCredit reports names that can replace a house credit: at least one
// reads as a person's full name (two words or more, or a name in a script
// written without spaces) and none is a house credit itself.
func (x *extraction) personCredit(names []string) bool {
	person := false
	for _, n := range names {
		if x.houseCredit([]string{n}) || x.houseCredit([]string{firstWord(n)}) {
			return false
		}
		for _, w := range strings.Fields(strings.ToLower(n)) {
			if shareWords[w] {
				return false
			}
		}
		if countWords(n) >= 2 || unspacedName(n) {
			person = true
		}
	}
	return person
}

// shareWords are the labels of share and follow buttons, which sit beside
// bylines and read like names ("Twitter Facebook").
var shareWords = wordSet("twitter facebook instagram linkedin whatsapp telegram pinterest reddit tiktok youtube " +
	"email e-mail share print mail rss")

// unspacedName reports a name of two to five letters of a script written
// without spaces between words (Chinese, Japanese, Korean): "王小明".
func unspacedName(s string) bool {
	n := 0
	for _, r := range s {
		if !unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			return false
		}
		n++
	}
	return n >= 2 && n <= 5
}

// hostCredit reports a name that is the page's host: it contains the host
// ("Example (www.example.com)"), or its first word, without a domain
// ending, spells the host's first label and any other words are in
// capitals or name a publication ("EXAMPLE.de", "Ex-Ample NEWS").
func hostCredit(name, host string) bool {
	if host == "" {
		return false
	}
	low := strings.ToLower(collapse(name))
	if strings.Contains(low, host) {
		return true
	}
	label, _, _ := strings.Cut(host, ".")
	words := strings.Fields(name)
	if len(words) == 0 {
		return false
	}
	first, _, _ := strings.Cut(strings.ToLower(words[0]), ".")
	if squash(first) == "" || squash(first) != squash(label) {
		return false
	}
	for _, w := range words[1:] {
		if !isAllCaps(w) && !orgWords[strings.ToLower(w)] {
			return false
		}
	}
	return true
}

// squash keeps the letters and digits of s.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

// metaAuthorKeys are the meta names and properties that hold author names,
// most trusted first; page.metaAuthors keeps every value of each.
var metaAuthorKeys = []string{"dc:creator", "dcterm:creator", "dcterms:creator", "dc.creator", "author",
	"article:author", "citation_author", "parsely-author", "sailthru.author", "byl"}

// metaNames reads the names in one author meta value: a list ("A, B and
// C"), or one name written surname first ("Kooman, F.", "Jong, Michiel de"),
// as library catalogues and Dublin Core do.
func metaNames(v string) []string {
	v = collapse(v)
	if parts := strings.Split(v, ","); len(parts) == 2 && !strings.ContainsAny(v, "&;|") &&
		!strings.Contains(v, " and ") && wordCount(parts[0]) == 1 && wordCount(parts[1]) <= 3 {
		if looksLikeName(v) && !strings.HasPrefix(strings.ToLower(v), "by ") {
			return []string{v}
		}
	}
	return cleanByline(v)
}

// anyNames accepts any names a byline yields.
func anyNames([]string) bool { return true }

// domByline reads the names of the first element marked as a byline
// (rel=author, itemprop=author, a byline class) whose text is short enough to
// be one and whose names accept takes, and that text as printed; an
// itemprop=name inside it wins. Only
// pages that name no author elsewhere, or declare none in their metadata,
// pay for this walk.
func (x *extraction) domByline(accept func([]string) bool) (names []string, line string) {
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || junkElement(c) {
				continue
			}
			if len(c.Attr) > 0 && bylineElement(c) && !creditContainer(c) && !inChrome(c) {
				if t, ok := shortText(c, 100); ok && t != "" {
					if nn := itempropName(c); nn != "" {
						t = nn
					}
					if nn := cleanByline(t); len(nn) > 0 && accept(nn) {
						names, line = nn, t
						return true
					}
					if line == "" {
						line = t
					}
				}
			}
			if walk(c) {
				return true
			}
		}
		return false
	}
	if !walk(x.p.body) {
		return nil, ""
	}
	return names, line
}

// creditContainer reports a byline-marked element that also holds the date
// (a class such as "author-date" or "byline-meta") and has a byline-marked
// element inside: the credit is that inner element.
func creditContainer(n *html.Node) bool {
	mixed := false
	for _, a := range n.Attr {
		if (a.Key == "class" || a.Key == "id") &&
			(containsFold(a.Val, "date") || containsFold(a.Val, "time") || containsFold(a.Val, "meta")) {
			mixed = true
		}
	}
	if !mixed {
		return false
	}
	var inner func(n *html.Node) bool
	inner = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && (bylineElement(c) || inner(c)) {
				return true
			}
		}
		return false
	}
	return inner(n)
}

// inChrome reports whether n is hidden, or inside the page's header, footer,
// navigation or a sidebar (an article's own header does not count).
func inChrome(n *html.Node) bool {
	chrome := false
	for a := n; a != nil && a.Type == html.ElementNode; a = a.Parent {
		switch {
		case junkElement(a):
			return true
		case a.DataAtom == atom.Article || a.DataAtom == atom.Main:
			chrome = false
		case pageChrome(a):
			chrome = true
		}
	}
	return chrome
}

// itempropName returns the text of the first itemprop=name element under n.
func itempropName(n *html.Node) string {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if attr(c, "itemprop") == "name" {
			if t := textOf(c); t != "" {
				return t
			}
		}
		if t := itempropName(c); t != "" {
			return t
		}
	}
	return ""
}

func (x *extraction) image(ruleSrc string) {
	a, p := x.a, x.p
	var u, src string
	if x.rule != nil {
		if n := x.find(selImage); n != nil {
			if n.DataAtom == atom.Img || n.DataAtom == atom.Source {
				u = imageSource(p.base, n)
			} else if img := firstImage(n); img != nil {
				u = imageSource(p.base, img)
			} else {
				u = resolve(p.base, value(n))
			}
			src = ruleSrc
		}
	}
	metaImages := x.rule == nil || !x.rule.NoMetaImage
	for _, c := range []struct{ v, src string }{
		{x.ld.image, SourceJSONLD},
		{p.meta["og:image:secure_url"], SourceOpenGraph},
		{p.meta["og:image"], SourceOpenGraph},
		{p.meta["og:image:url"], SourceOpenGraph},
		{p.meta["twitter:image"], SourceMeta},
		{p.meta["twitter:image:src"], SourceMeta},
	} {
		if u != "" || (!metaImages && c.src != SourceJSONLD) {
			break
		}
		u, src = resolve(p.base, c.v), c.src
	}
	// Prefer the https twin of an http image URL (og:image:secure_url).
	if strings.HasPrefix(u, "http://") {
		if s := resolve(p.base, p.meta["og:image:secure_url"]); s != "" && strings.TrimPrefix(s, "https://") == strings.TrimPrefix(u, "http://") {
			u = s
		}
	}
	if u == "" && x.bodyImage != "" {
		u, src = x.bodyImage, SourceHeuristic
	}
	if u == "" {
		if a.Image != nil && a.Image.Caption != "" {
			// A caption without an image URL is still a caption; keep it.
			x.set("image", SourceHeuristic)
		}
		return
	}
	if a.Image == nil {
		a.Image = &Image{}
	}
	a.Image.URL = u
	x.set("image", src)
}

func (x *extraction) dates(ruleSrc string) {
	a, p := x.a, x.p
	visible, visibleSrc := "", ""
	if x.rule != nil {
		if n := x.find(selPublished); n != nil {
			if dt := attr(n, "datetime"); dt != "" {
				a.PublishedAt = normDate(dt)
				x.set("published_at", ruleSrc)
			} else if d := parseTextDate(value(n)); d != "" {
				visible, visibleSrc = d, ruleSrc
			}
		}
	}
	if a.PublishedAt == "" {
		for _, c := range []struct{ v, src string }{
			{x.ld.published, SourceJSONLD},
			{p.meta["article:published_time"], SourceOpenGraph},
			{p.meta["og:published_time"], SourceOpenGraph},
			{p.meta["datepublished"], SourceMeta},
			{p.meta["pubdate"], SourceMeta},
			{p.meta["publishdate"], SourceMeta},
			{p.meta["publish-date"], SourceMeta},
			{p.meta["date"], SourceMeta},
			{p.meta["dc.date"], SourceMeta},
			{p.meta["dc.date.issued"], SourceMeta},
			{p.meta["dcterms.created"], SourceMeta},
			{p.meta["sailthru.date"], SourceMeta},
			{p.meta["parsely-pub-date"], SourceMeta},
		} {
			if d := normDate(c.v); d != "" {
				a.PublishedAt = d
				x.set("published_at", c.src)
				break
			}
		}
	}
	if a.PublishedAt == "" {
		for _, t := range p.times {
			if dt := attr(t, "datetime"); dt != "" && contains(x.scope, t) {
				a.PublishedAt = normDate(dt)
				x.set("published_at", SourceHeuristic)
				break
			}
		}
	}
	if a.PublishedAt == "" && visible != "" {
		a.PublishedAt = visible
		x.set("published_at", visibleSrc)
	}
	if a.PublishedAt == "" {
		for _, t := range p.times {
			if !contains(x.scope, t) {
				continue
			}
			if d := parseTextDate(textOf(t)); d != "" {
				a.PublishedAt = d
				x.set("published_at", SourceHeuristic)
				break
			}
		}
	}
	if a.PublishedAt == "" && x.visibleDate != "" {
		// The dateline printed above the text: "12. März 2024, 10:00 Uhr".
		if d := parseLocalDate(x.visibleDate); d != "" {
			a.PublishedAt = d
			x.set("published_at", SourceHeuristic)
		}
	}
	if a.PublishedAt == "" {
		if d := x.dateNearHeadline(); d != "" {
			a.PublishedAt = d
			x.set("published_at", SourceHeuristic)
		}
	}
	for _, c := range []struct{ v, src string }{
		{x.ld.modified, SourceJSONLD},
		{p.meta["article:modified_time"], SourceOpenGraph},
		{p.meta["og:updated_time"], SourceOpenGraph},
		{p.meta["datemodified"], SourceMeta},
		{p.meta["dcterms.modified"], SourceMeta},
	} {
		if d := normDate(c.v); d != "" {
			a.ModifiedAt = d
			x.set("modified_at", c.src)
			break
		}
	}
}
