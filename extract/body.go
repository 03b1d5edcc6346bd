package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// body finds the article text (the rule's container, else the generic scorer),
// renders it to blocks and sets aside the lines that are not text (classify):
// the credits among them are noted for the credits stage, which settles them.
func (x *extraction) body(ruleSrc string) {
	a := x.a
	var roots []*html.Node
	src := SourceHeuristic
	if x.rule != nil {
		if n := x.find(selBody); n != nil {
			roots, src = []*html.Node{n}, ruleSrc
		}
		x.dropRuleElements(roots)
	}
	var kept []block
	if roots != nil {
		w := &walker{base: x.p.base, skip: func(n *html.Node) bool { return x.exclude[n] }}
		for _, r := range roots {
			w.walkRoot(r)
		}
		kept = x.classify(w.blocks, true)
	} else {
		kept, roots = x.genericBody()
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
	a.WordCount = wordCount(a.BodyText)
	x.bodyRoots, x.bodySrc = roots, src
}

// dropRuleElements excludes the rule's declared non-text elements inside the
// rule's body roots, or its scope when it names no body (its credit elements
// are excluded by ruleCredits).
func (x *extraction) dropRuleElements(roots []*html.Node) {
	drop := x.rule.sel.scoped[selDrop]
	if drop == nil {
		return
	}
	in := roots
	if in == nil {
		in = []*html.Node{x.scope}
	}
	for _, r := range in {
		matchAll(drop, r, func(n *html.Node) { x.exclude[n] = true })
	}
}

// genericBody picks the body without a rule: the scorer's best roots, strict
// first and, if that finds little text, again without the class-name pruning
// (class names mislead it on some sites); failing both, the page's text minus
// furniture. Every attempt's lines go through classify.
func (x *extraction) genericBody() (kept []block, roots []*html.Node) {
	p := x.p
	for _, lenient := range []bool{false, true} {
		if lenient && !x.e.off.on(HeurLenient) {
			break
		}
		s := newScorer(lenient, x.e.off)
		if p.url != nil {
			s.host = strings.TrimPrefix(strings.ToLower(p.url.Hostname()), "www.")
		}
		s.story = x.headlineArticle()
		s.visit(p.body, func(n *html.Node) bool { return x.exclude[n] })
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
	return kept, roots
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

func textLen(blocks []block) int {
	n := 0
	for _, b := range blocks {
		if b.kind != atom.Figcaption {
			n += len(b.text)
		}
	}
	return n
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
