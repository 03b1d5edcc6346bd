package extract

import (
	"fmt"
	"sort"
	"strings"
)

// Heuristic names one rule of the generic body layer that can be switched
// off for an ablation study (see Extractor.Without).
type Heuristic string

// The generic body heuristics. Each one removes or adds text on its own
// evidence; switching one off shows what it contributes on each benchmark.
const (
	// HeurUnlikely prunes elements whose class or id names page furniture
	// ("sidebar", "comment", "share") before scoring.
	HeurUnlikely Heuristic = "unlikely"
	// HeurClassWeight adds or subtracts points for positive ("article",
	// "content") and negative ("footer", "widget") class/id words.
	HeurClassWeight Heuristic = "class-weight"
	// HeurGrow moves from the best candidate to an ancestor while what the
	// ancestor adds is mostly prose paragraphs.
	HeurGrow Heuristic = "grow"
	// HeurSiblings joins the best candidate's well-scoring or text-like
	// siblings.
	HeurSiblings Heuristic = "siblings"
	// HeurCousins joins candidates of the best one's tag and class nearby
	// (an article split into chunks around ads).
	HeurCousins Heuristic = "cousins"
	// HeurHeadlineArticle prefers the <article> element holding the
	// page's headline when the best text lies in another one (the next
	// story of an infinite-scroll page).
	HeurHeadlineArticle Heuristic = "headline-article"
	// HeurFurniture drops furniture-named blocks (share bars, credits,
	// datelines) inside the chosen container.
	HeurFurniture Heuristic = "furniture"
	// HeurLinkDensity drops link-heavy containers and lists inside the
	// chosen container.
	HeurLinkDensity Heuristic = "link-density"
	// HeurTeasers drops short paragraphs and list items that are all links
	// to the site's own pages.
	HeurTeasers Heuristic = "teasers"
	// HeurBoilerplate drops short lines that read as furniture ("Share
	// this", "Sign up for our newsletter").
	HeurBoilerplate Heuristic = "boilerplate"
	// HeurDateline drops date lines before the first long paragraph.
	HeurDateline Heuristic = "dateline"
	// HeurBylineLine drops "By …" lines before the first long paragraph.
	HeurBylineLine Heuristic = "byline-line"
	// HeurCaptions drops caption and image credit lines from the text.
	HeurCaptions Heuristic = "captions"
	// HeurLenient retries without the class/id pruning when the strict pass
	// finds little text.
	HeurLenient Heuristic = "lenient"
	// HeurPageFallback takes the whole page's text, minus furniture, when
	// no container holds an article.
	HeurPageFallback Heuristic = "page-fallback"
	// HeurLDBody takes the declared JSON-LD articleBody when the visible
	// body is only its beginning (a teaser before a paywall).
	HeurLDBody Heuristic = "ld-body"
	// HeurInlineLinks counts links inside prose paragraphs (text that is
	// mostly not links) at a quarter of their length in link density:
	// topic links in running text do not make it navigation.
	HeurInlineLinks Heuristic = "inline-links"
	// HeurScriptCommas counts clause commas of every script (、，،) and
	// ignores decimal commas (551,88) when scoring paragraphs.
	HeurScriptCommas Heuristic = "script-commas"
	// HeurHintDamping caps a positive class/id bonus at the candidate's own
	// paragraph score: a hint can double evidence, never make it up (a
	// small "ArticleNote" box, a "list-articles" teaser list).
	HeurHintDamping Heuristic = "hint-damping"
)

// Heuristics returns the names of the heuristics Without accepts, sorted.
func Heuristics() []Heuristic {
	hs := []Heuristic{HeurUnlikely, HeurClassWeight, HeurGrow, HeurSiblings, HeurCousins, HeurHeadlineArticle,
		HeurFurniture, HeurLinkDensity, HeurTeasers, HeurBoilerplate, HeurDateline,
		HeurBylineLine, HeurCaptions, HeurLenient, HeurPageFallback, HeurLDBody, HeurInlineLinks,
		HeurScriptCommas, HeurHintDamping}
	sort.Slice(hs, func(i, j int) bool { return hs[i] < hs[j] })
	return hs
}

// heuristicSet is a set of switched-off heuristics; the nil set switches
// nothing off.
type heuristicSet map[Heuristic]bool

// on reports whether heuristic h is in use.
func (s heuristicSet) on(h Heuristic) bool { return !s[h] }

// Without returns a copy of e that does not apply the named heuristics, for
// measuring what each contributes. Unknown names are an error.
func (e *Extractor) Without(names ...Heuristic) (*Extractor, error) {
	known := map[Heuristic]bool{}
	for _, h := range Heuristics() {
		known[h] = true
	}
	off := heuristicSet{}
	for h := range e.off {
		off[h] = true
	}
	for _, h := range names {
		if !known[h] {
			return nil, fmt.Errorf("unknown heuristic %q (known: %s)", h, heuristicList())
		}
		off[h] = true
	}
	c := *e
	c.off = off
	return &c, nil
}

func heuristicList() string {
	var b strings.Builder
	for i, h := range Heuristics() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(h))
	}
	return b.String()
}
