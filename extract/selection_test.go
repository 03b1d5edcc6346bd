package extract

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The selection-API measurement (docs/extraction.md, "Selection API"): what
// porting extract's selection to goquery would cost. Three jobs, each done the
// way extract does it and the way goquery code does it, on the same parsed
// fixture pages:
//
//   - rules: the site rule's field selectors (query: one walk matching every
//     selector; goquery: one FindMatcher per field, SingleMatcher for fields
//     that keep one hit);
//   - density: text and link-text length of every container, the scorer's
//     link density (textLens; goquery: Selection.Text and Find("a").Text);
//   - class: elements whose class or id holds a furniture or credit word, as
//     the cleaning and the byline and date searches look for them (a walk
//     testing attributes; goquery: Find with [class*=…]).
//
// goquery's way gets its documents with scripts, styles, templates and SVG
// removed beforehand, untimed (Selection.Text would read them; extract's walks
// skip them), and its rule hits inside such elements filtered out, timed (a
// port must keep rule selectors out of them, as query does).
//
// TestSelectionAgrees checks that both ways find the same thing, so the
// benchmark compares like with like.

// selectionPage is one fixture page prepared for the selection benchmark.
type selectionPage struct {
	raw   []byte
	doc   *html.Node
	scope *html.Node
	// gq is a second parse of the page for goquery's way, opaque elements
	// removed.
	gq *goquery.Document
}

func selectionPages(tb testing.TB) (*Rule, []selectionPage) {
	tb.Helper()
	e := defaultExtractor(tb)
	var rule *Rule
	for _, r := range e.rules {
		if r.hasHost("www.tesmanian.com") {
			rule = r
		}
	}
	if rule == nil {
		tb.Fatal("no tesmanian rule")
	}
	var pages []selectionPage
	for _, h := range fixturePages(tb) {
		raw := readFixture(tb, h)
		doc, _, err := parse(raw)
		if err != nil {
			tb.Fatal(err)
		}
		p := scanPage(doc, nil, nil)
		scope := p.body
		if rule.sel.article != nil {
			if n := matchFirst(rule.sel.article, p.body); n != nil {
				scope = n
			}
		}
		gq, err := goquery.NewDocumentFromReader(bytes.NewReader(raw))
		if err != nil {
			tb.Fatal(err)
		}
		gq.Find("script, style, noscript, template, svg").Remove()
		pages = append(pages, selectionPage{raw: raw, doc: doc, scope: scope, gq: gq})
	}
	if len(pages) == 0 {
		tb.Skip("no fixture pages")
	}
	return rule, pages
}

// rulesWalk is extract's way: query's one walk for the fields, matchAll for
// the drop selector (as body does).
func rulesWalk(r *Rule, scope *html.Node) [numScoped][]*html.Node {
	x := &extraction{rule: r, scope: scope}
	x.query()
	if drop := r.sel.scoped[selDrop]; drop != nil {
		matchAll(drop, scope, func(n *html.Node) { x.hits[selDrop] = append(x.hits[selDrop], n) })
	}
	return x.hits
}

// rulesGoquery is goquery's way: one search per field, hits inside opaque
// elements dropped.
func rulesGoquery(r *Rule, scope *html.Node) [numScoped][]*html.Node {
	var hits [numScoped][]*html.Node
	doc := goquery.NewDocumentFromNode(scope)
	for f, sel := range r.sel.scoped {
		if sel == nil {
			continue
		}
		s := doc.FindMatcher(sel).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return s.ParentsFiltered("script, style, noscript, template, svg").Length() == 0
		})
		if !multiHit(f) && f != selDrop {
			s = s.First()
		}
		if s.Length() > 0 {
			hits[f] = s.Nodes
		}
	}
	return hits
}

// densityTags are the containers whose link density is measured.
var densityTags = []atom.Atom{atom.Div, atom.Section, atom.Article, atom.Main, atom.Td}

const densitySelector = "div, section, article, main, td"

// densityWalk sums text and link-text lengths (non-space bytes) of every
// container, as the scorer's link density reads them.
func densityWalk(doc *html.Node) (text, links int) {
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && slices.Contains(densityTags, n.DataAtom) {
			t, l := textLens(n, false)
			text += t
			links += l
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return text, links
}

// densityGoquery is the same measure written with goquery.
func densityGoquery(doc *goquery.Document) (text, links int) {
	doc.Find(densitySelector).Each(func(_ int, s *goquery.Selection) {
		text += nonSpace(s.Text())
		links += nonSpace(s.Find("a").Text())
	})
	return text, links
}

func nonSpace(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if !isSpaceByte(s[i]) {
			n++
		}
	}
	return n
}

// hintWords are the words of the class search.
var hintWords = []string{"share", "social", "author", "date"}

var classSelector = cascadia.MustCompile(`[class*=share], [id*=share], [class*=social], [id*=social], [class*=author], [id*=author], [class*=date], [id*=date]`)

// classWalk lists the elements whose class or id holds one of hintWords.
func classWalk(doc *html.Node) []*html.Node {
	var out []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && opaque(n) {
			return
		}
		if n.Type == html.ElementNode && len(n.Attr) > 0 {
			if containsAny(attr(n, "class"), hintWords) || containsAny(attr(n, "id"), hintWords) {
				out = append(out, n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// classGoquery is the same search written with goquery.
func classGoquery(doc *goquery.Document) []*html.Node {
	return doc.FindMatcher(classSelector).Nodes
}

// TestSelectionAgrees checks that the two ways of each job of
// BenchmarkSelection find the same nodes and lengths on every fixture page.
func TestSelectionAgrees(t *testing.T) {
	rule, pages := selectionPages(t)
	for i, p := range pages {
		walked, queried := rulesWalk(rule, p.scope), rulesGoquery(rule, p.scope)
		if len(walked[selBody]) == 0 || len(walked[selTitle]) == 0 {
			t.Errorf("page %d: the rule found no body or title", i)
		}
		for f := range walked {
			if !slices.Equal(walked[f], queried[f]) {
				t.Errorf("page %d, rule field %d: walk found %d nodes, goquery %d", i, f, len(walked[f]), len(queried[f]))
			}
		}
		tw, lw := densityWalk(p.doc)
		tg, lg := densityGoquery(p.gq)
		if tw != tg || lw != lg || lw == 0 {
			t.Errorf("page %d, density: walk %d/%d, goquery %d/%d (want equal, links > 0)", i, tw, lw, tg, lg)
		}
		if cw, cg := classWalk(p.doc), classGoquery(p.gq); len(cw) != len(cg) || len(cw) == 0 {
			t.Errorf("page %d, class search: walk %d nodes, goquery %d (want equal, > 0)", i, len(cw), len(cg))
		}
	}
}

// BenchmarkSelection times, in one run and alternating on each page, the
// parse and both ways of each job (see the top of this file), and reports
// each per page and as a ratio to the parse ("<job>-<way>/parse"), plus
// goquery's cost over extract's way ("<job>-x").
func BenchmarkSelection(b *testing.B) {
	rule, pages := selectionPages(b)
	const (
		parseT = iota
		rulesWalkT
		rulesGoqueryT
		densityWalkT
		densityGoqueryT
		classWalkT
		classGoqueryT
		numT
	)
	names := [numT]string{"parse", "rules-walk", "rules-goquery", "density-walk", "density-goquery", "class-walk", "class-goquery"}
	var sum [numT]time.Duration
	n := 0
	for b.Loop() {
		k := n % len(pages)
		p := pages[k]
		var t [numT + 1]time.Time
		t[0] = time.Now()
		if _, err := goquery.NewDocumentFromReader(bytes.NewReader(p.raw)); err != nil {
			b.Fatal(err)
		}
		t[1] = time.Now()
		rulesWalk(rule, p.scope)
		t[2] = time.Now()
		rulesGoquery(rule, p.scope)
		t[3] = time.Now()
		densityWalk(p.doc)
		t[4] = time.Now()
		densityGoquery(p.gq)
		t[5] = time.Now()
		classWalk(p.doc)
		t[6] = time.Now()
		classGoquery(p.gq)
		t[7] = time.Now()
		for j := range numT {
			sum[j] += t[j+1].Sub(t[j])
		}
		n++
	}
	if n < len(pages) || sum[parseT] == 0 {
		return
	}
	for j := range numT {
		b.ReportMetric(float64(sum[j].Nanoseconds())/float64(n), names[j]+"-ns/page")
		if j != parseT {
			b.ReportMetric(float64(sum[j])/float64(sum[parseT]), names[j]+"/parse")
		}
	}
	for _, j := range []int{rulesGoqueryT, densityGoqueryT, classGoqueryT} {
		job := strings.TrimSuffix(names[j], "-goquery")
		b.ReportMetric(float64(sum[j])/float64(sum[j-1]), job+"-x")
	}
}

// BenchmarkSelectionAllocs reports the allocations of each way of each job.
func BenchmarkSelectionAllocs(b *testing.B) {
	rule, pages := selectionPages(b)
	jobs := []struct {
		name string
		fn   func(k int)
	}{
		{"rules-walk", func(k int) { rulesWalk(rule, pages[k].scope) }},
		{"rules-goquery", func(k int) { rulesGoquery(rule, pages[k].scope) }},
		{"density-walk", func(k int) { densityWalk(pages[k].doc) }},
		{"density-goquery", func(k int) { densityGoquery(pages[k].gq) }},
		{"class-walk", func(k int) { classWalk(pages[k].doc) }},
		{"class-goquery", func(k int) { classGoquery(pages[k].gq) }},
	}
	for _, j := range jobs {
		b.Run(j.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				j.fn(i % len(pages))
				i++
			}
		})
	}
}
