package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Generic body detection: a compact Readability-style scorer. Paragraphs give
// points to their ancestors (by length and commas), candidates are penalised by
// link density and class/id hints, and the best candidate's siblings that look
// like article text join it.

type nodeStats struct {
	text, links, commas int
	// good is the text of the prose paragraphs under the node: long enough,
	// and mostly not links (see goodParagraph).
	good  int
	score float64
	// hint is the class/id weight, applied in final (see HeurHintDamping).
	hint float64
	cand bool
	// para marks a paragraph-like element: a <p>, or a block holding only
	// inline content.
	para bool
}

type scorer struct {
	stats map[*html.Node]*nodeStats
	cands []*html.Node
	// lenient turns off the class/id based pruning, for the second attempt
	// on pages whose class names mislead it.
	lenient bool
	// keepText is the text length from which cleanSkip keeps an element
	// whatever its class says: a hint never removes most of the article.
	keepText int
	// host is the page's host without "www.", for telling the site's own
	// links from others.
	host string
	// off holds the heuristics switched off for an ablation.
	off heuristicSet
	// story is the <article> element holding the page's headline, when
	// there is one (see HeurHeadlineArticle).
	story *html.Node
	// core holds the best candidate and its cousins when grow chose an
	// ancestor: the text that won is never cleaned away inside it.
	core []*html.Node
}

func newScorer(lenient bool, off heuristicSet) *scorer {
	return &scorer{stats: make(map[*html.Node]*nodeStats, 512), lenient: lenient, off: off}
}

// pruning reports whether the class/id pruning applies: neither the lenient
// pass nor an ablation has switched it off.
func (s *scorer) pruning() bool { return !s.lenient && s.off.on(HeurUnlikely) }

// countCommas counts the clause commas in a text: "," except between digits
// (a decimal comma, "551,88"), and the commas of scripts that have their own
// (ideographic "、", fullwidth "，", Arabic "،").
func countCommas(t string, allScripts bool) int {
	n := 0
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case ',':
			if allScripts && i > 0 && i+1 < len(t) && isDigitByte(t[i-1]) && isDigitByte(t[i+1]) {
				continue
			}
			n++
		case 0xE3: // 、 is E3 80 81
			if allScripts && i+2 < len(t) && t[i+1] == 0x80 && t[i+2] == 0x81 {
				n++
			}
		case 0xEF: // ， is EF BC 8C
			if allScripts && i+2 < len(t) && t[i+1] == 0xBC && t[i+2] == 0x8C {
				n++
			}
		case 0xD8: // ، is D8 8C
			if allScripts && i+1 < len(t) && t[i+1] == 0x8C {
				n++
			}
		}
	}
	return n
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// visit computes text statistics bottom-up and scores paragraph ancestors.
// It returns whether n holds block-level children.
func (s *scorer) visit(n *html.Node, skip func(*html.Node) bool) (st nodeStats, block bool) {
	switch n.Type {
	case html.TextNode:
		for i := 0; i < len(n.Data); i++ {
			if !isSpaceByte(n.Data[i]) {
				st.text++
			}
		}
		st.commas = countCommas(n.Data, s.off.on(HeurScriptCommas))
		return st, false
	case html.ElementNode, html.DocumentNode:
	default:
		return st, false
	}
	if n.Type == html.ElementNode && (junkElement(n) || (s.pruning() && unlikely(n)) || (skip != nil && skip(n))) {
		return st, isBlock(n)
	}
	hasBlock := false
	// Runs of inline content between block children (text written straight
	// into a <div>, paragraphs separated by <br><br>) are paragraphs too, as
	// Readability's DIV-to-P conversion makes them.
	var runs []nodeStats
	var run nodeStats
	lastBR := false
	endRun := func() {
		if run.text > 0 {
			runs = append(runs, run)
		}
		run, lastBR = nodeStats{}, false
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		cs, cb := s.visit(c, skip)
		st.text += cs.text
		st.links += cs.links
		st.commas += cs.commas
		st.good += cs.good
		hasBlock = hasBlock || cb
		switch {
		case cb:
			endRun()
		case c.Type == html.ElementNode && c.DataAtom == atom.Br:
			if lastBR {
				endRun()
			} else {
				lastBR = true
			}
		case c.Type == html.TextNode && cs.text == 0:
			// white space between <br>s
		default:
			run.text += cs.text
			run.links += cs.links
			run.commas += cs.commas
			lastBR = false
		}
	}
	endRun()
	if n.Type != html.ElementNode {
		return st, true
	}
	if hasBlock && isBlock(n) {
		for _, r := range runs {
			s.scoreParagraph(n, r)
			if goodParagraph(r) {
				st.good += r.text
			}
		}
	}
	if n.DataAtom == atom.A {
		st.links = st.text
	}
	if isBlock(n) || n.DataAtom == atom.Span || n.DataAtom == atom.Font {
		p := s.stats[n]
		if p == nil {
			p = &nodeStats{}
			s.stats[n] = p
		}
		p.text, p.links, p.commas = st.text, st.links, st.commas
	}
	para := n.DataAtom == atom.P || n.DataAtom == atom.Pre || n.DataAtom == atom.Td ||
		(!hasBlock && isBlock(n) && n.DataAtom != atom.Li && !isHeading(n.DataAtom))
	if para && isBlock(n) {
		s.stats[n].para = true
	}
	if para {
		if goodParagraph(st) {
			st.good = st.text
		}
		s.scoreParagraph(n.Parent, st)
		if s.off.on(HeurInlineLinks) && st.links*2 < st.text {
			// Links inside running text are references, not navigation:
			// they weigh a quarter in the ancestors' link density.
			st.links /= 4
		}
	}
	if p := s.stats[n]; p != nil {
		p.good = st.good
	}
	return st, isBlock(n) || hasBlock
}

// goodParagraph reports prose: a paragraph of a sentence or more (80 bytes:
// some 12 words, or 25 characters of a script without spaces) whose text is
// mostly not links.
func goodParagraph(st nodeStats) bool {
	return st.text >= 80 && st.links*3 < st.text
}

// scoreParagraph gives a paragraph's points to its ancestors, starting with
// a (its parent): the full score, then half, then a third and less.
// Paragraphs shorter than 25 characters or mostly links score nothing.
func (s *scorer) scoreParagraph(a *html.Node, st nodeStats) {
	if st.text < 25 || float64(st.links) >= 0.5*float64(st.text) {
		return
	}
	score := 1 + float64(st.commas) + minf(float64(st.text)/100, 3)
	for level := 0; a != nil && level < 4; level++ {
		if a.Type != html.ElementNode {
			break
		}
		c := s.candidate(a)
		switch level {
		case 0:
			c.score += score
		case 1:
			c.score += score / 2
		default:
			c.score += score / float64(level*3)
		}
		a = a.Parent
	}
}

func (s *scorer) candidate(n *html.Node) *nodeStats {
	st := s.stats[n]
	if st == nil {
		st = &nodeStats{}
		s.stats[n] = st
	}
	if !st.cand {
		st.cand = true
		s.cands = append(s.cands, n)
		if s.off.on(HeurClassWeight) {
			st.hint = classWeight(n)
		}
		switch n.DataAtom {
		case atom.Div, atom.Article, atom.Section, atom.Main:
			st.score += 5
		case atom.Pre, atom.Td, atom.Blockquote:
			st.score += 3
		case atom.Address, atom.Ol, atom.Ul, atom.Dl, atom.Dd, atom.Dt, atom.Li, atom.Form:
			st.score -= 3
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Th:
			st.score -= 5
		}
	}
	return st
}

func minf(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}

func (s *scorer) final(n *html.Node) float64 {
	st := s.stats[n]
	if st == nil {
		return 0
	}
	ld := 0.0
	if st.text > 0 {
		ld = float64(st.links) / float64(st.text)
	}
	hint := st.hint
	if hint > 0 && s.off.on(HeurHintDamping) {
		// A class name promises an article; it can at most double the
		// evidence of the candidate's own paragraphs, never make it up.
		hint = minf(hint, maxf(st.score, 0))
	}
	return (st.score + hint) * (1 - ld)
}

// bestRoots returns the article's top-level containers in page order, or nil.
func (s *scorer) bestRoots() []*html.Node {
	var top *html.Node
	best := 0.0
	for _, c := range s.cands {
		if f := s.final(c); top == nil || f > best {
			top, best = c, f
		}
	}
	if top == nil || best <= 0 {
		return nil
	}
	if s.story != nil && s.off.on(HeurHeadlineArticle) && !contains(s.story, top) && ancestorArticle(top) != nil {
		// The best text is another story of the page (an infinite-scroll
		// page appends the next one): the headline's story comes first.
		var in *html.Node
		inBest := 0.0
		for _, c := range s.cands {
			if f := s.final(c); contains(s.story, c) && (in == nil || f > inBest) {
				in, inBest = c, f
			}
		}
		if in != nil && inBest > 0 {
			top, best = in, inBest
		}
	}
	best0 := top
	if s.off.on(HeurGrow) {
		if top = s.grow(top); top != best0 {
			s.core = s.cousins(best0, best, []*html.Node{best0})
		}
	}
	if top.Parent == nil || !s.off.on(HeurSiblings) {
		return s.cousins(best0, best, []*html.Node{top})
	}
	threshold := maxf(10, best*0.2)
	topClass := attr(top, "class")
	var roots []*html.Node
	for sib := top.Parent.FirstChild; sib != nil; sib = sib.NextSibling {
		if sib == top {
			roots = append(roots, sib)
			continue
		}
		if sib.Type != html.ElementNode {
			continue
		}
		st := s.stats[sib]
		if st == nil || (s.pruning() && s.off.on(HeurFurniture) && furniture(sib)) {
			continue // a disclaimer or credit block beside the text is not text
		}
		bonus := 0.0
		if topClass != "" && attr(sib, "class") == topClass {
			bonus = best * 0.2
		}
		if st.cand && s.final(sib)+bonus >= threshold {
			roots = append(roots, sib)
			continue
		}
		if st.para && st.text > 0 {
			ld := float64(st.links) / float64(st.text)
			if (st.text > 80 && ld < 0.25) || (st.text <= 80 && ld == 0 && st.commas+strings.Count(textOf(sib), ". ") > 0) {
				roots = append(roots, sib)
			}
		}
	}
	return s.cousins(best0, best, roots)
}

// grow moves from the best candidate to an ancestor while what the
// ancestor adds is mostly prose: an article whose paragraphs are spread over
// several wrappers (a lede box, sections between ads) scores each wrapper
// apart, and the best of them holds only part of the text.
func (s *scorer) grow(top *html.Node) *html.Node {
	ts := s.stats[top]
	if ts == nil {
		return top
	}
	grown := top
	for p, level := top.Parent, 0; level < 6; p, level = p.Parent, level+1 {
		if p == nil || p.Type != html.ElementNode || p.DataAtom == atom.Body || p.DataAtom == atom.Html {
			break
		}
		ps := s.stats[p]
		if ps == nil {
			break
		}
		extra, extraGood, extraLinks := ps.text-ts.text, ps.good-ts.good, ps.links-ts.links
		if extraGood*2 < extra || extraLinks*10 > extra {
			break
		}
		// A lede or a dateline beside the text is not worth the move: the
		// ancestor must add at least half as much prose again.
		if extraGood*2 >= ts.good {
			grown = p
		}
	}
	return grown
}

// cousins adds to roots the article's other parts: an article split into
// chunks (around ads, or by a page builder) repeats its text container, so
// well-scoring candidates of the same tag and class near the best one are
// parts of it. The result is in page order.
func (s *scorer) cousins(top *html.Node, best float64, roots []*html.Node) []*html.Node {
	class := componentClass(top)
	if class == "" || !s.off.on(HeurCousins) {
		return roots
	}
	// The common ancestor must be close: a few levels above the best
	// candidate, never the page body.
	scope := top
	for i := 0; i < 5 && scope.Parent != nil && scope.Parent.Type == html.ElementNode && scope.Parent.DataAtom != atom.Body; i++ {
		scope = scope.Parent
	}
	var extra []*html.Node
	for _, c := range s.cands {
		if c == top || c.DataAtom != top.DataAtom || s.final(c) < best*0.25 || componentClass(c) != class ||
			!contains(scope, c) || contains(top, c) || contains(c, top) {
			continue
		}
		if s.story != nil && s.off.on(HeurHeadlineArticle) && contains(s.story, top) && !contains(s.story, c) {
			continue // another story's text
		}
		dup := false
		for _, r := range roots {
			if contains(r, c) || contains(c, r) {
				dup = true
				break
			}
		}
		if !dup {
			extra = append(extra, c)
		}
	}
	if len(extra) == 0 {
		return roots
	}
	want := map[*html.Node]bool{}
	for _, r := range append(roots, extra...) {
		want[r] = true
	}
	ordered := make([]*html.Node, 0, len(want))
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if want[n] {
			ordered = append(ordered, n)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				walk(c)
			}
		}
	}
	// The roots may reach above scope (see grow): order them from the top.
	root := scope
	for root.Parent != nil {
		root = root.Parent
	}
	walk(root)
	return ordered
}

// componentClass is the first name of an element's class attribute: the
// component a page builder or a BEM stylesheet names first, before its
// modifiers ("RichText RichText--last lg:w-8/12" is a "RichText").
func componentClass(n *html.Node) string {
	c := strings.TrimSpace(attr(n, "class"))
	if i := strings.IndexAny(c, " \t\n\r\f"); i >= 0 {
		c = c[:i]
	}
	return c
}

// ancestorArticle returns the nearest <article> element holding n, or nil.
func ancestorArticle(n *html.Node) *html.Node {
	for ; n != nil; n = n.Parent {
		if n.Type == html.ElementNode && n.DataAtom == atom.Article {
			return n
		}
	}
	return nil
}

func maxf(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}
