package extract

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The credits stage: editors, the copyright line and the lead image's
// caption. The rule's credit elements are read before the body (ruleCredits);
// the credit lines the body stage set aside are settled after it, then the
// text around the body is searched for the ones still missing (credits).

// foundKind is the kind of a credit line set aside while sorting lines.
type foundKind int

const (
	foundCaption   foundKind = iota // an image caption or photo credit
	foundCopyright                  // a copyright line
	foundEditors                    // an editor credit ("Edited by …")
	foundWire                       // a wire credit: authors and editors
)

// found is a credit line set aside by classify, settled by settleFound.
type found struct {
	kind    foundKind
	text    string
	editors []Editor
	authors []Author
}

// note sets a credit line aside for the credits stage.
func (x *extraction) note(f found) {
	if f.kind == foundCaption && f.text != "" {
		x.captionNoted = true
	}
	x.found = append(x.found, f)
}

// hasCaption reports whether the lead image's caption is known or noted.
func (x *extraction) hasCaption() bool {
	return x.captionNoted || (x.a.Image != nil && x.a.Image.Caption != "")
}

// ruleCredits reads the rule's editor, copyright and caption elements and
// keeps them out of the body.
func (x *extraction) ruleCredits(ruleSrc string) {
	if x.rule == nil {
		return
	}
	a := x.a
	if n := x.find(selEditorCredit); n != nil {
		w := &walker{base: x.p.base, textOnly: true}
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

// credits settles the credit lines the body stage set aside (the first of
// each kind wins), then, while editors, copyright or caption are missing,
// mines the text around the body (a custom block after the text) for them.
func (x *extraction) credits(ruleSrc string) {
	a := x.a
	x.settleFound()
	if len(a.Editors) > 0 && a.Copyright != "" && a.Image != nil && a.Image.Caption != "" {
		return
	}
	roots := x.bodyRoots
	region := x.scope
	if x.bodySrc != ruleSrc && len(roots) > 0 && roots[0].Parent != nil {
		region = roots[0].Parent
		if region.Parent != nil && region.DataAtom != atom.Body {
			region = region.Parent
		}
	}
	inRoots := map[*html.Node]bool{}
	for _, r := range roots {
		inRoots[r] = true
	}
	w := &walker{base: x.p.base, textOnly: true,
		skip: func(n *html.Node) bool { return inRoots[n] || x.exclude[n] || pageChrome(n) }}
	w.walkRoot(region)
	x.classify(w.blocks, false)
	x.settleFound()
}

// settleFound records the credit lines set aside, in page order: the first
// caption, copyright line, editor list and wire author list win.
func (x *extraction) settleFound() {
	a := x.a
	for _, f := range x.found {
		switch f.kind {
		case foundCaption:
			x.caption(f.text)
		case foundCopyright:
			if a.Copyright == "" {
				a.Copyright = f.text
				x.set("copyright", SourceHeuristic)
			}
		case foundEditors, foundWire:
			if len(a.Editors) == 0 && len(f.editors) > 0 {
				a.Editors = f.editors
				x.set("editors", SourceHeuristic)
			}
			if f.kind == foundWire && len(x.wireAuth) == 0 {
				x.wireAuth = f.authors
			}
		}
	}
	x.found = x.found[:0]
	x.captionNoted = false
}

// creditLine reports a short line that is a credit — a copyright line, an
// editor credit or a wire credit ("Reporting by …; Editing by …") — and
// sets it aside. Labelled editor lines ("Editor: X") count only in the body
// (inBody).
func (x *extraction) creditLine(l line, inBody bool) bool {
	t, low := l.t, l.low
	if len(t) < 250 && (strings.Contains(t, "©") || bytes.HasPrefix(low, []byte("(c) ")) ||
		bytes.HasPrefix(low, []byte("copyright")) || bytes.Contains(low, []byte("rights reserved"))) &&
		reCopyright.MatchString(t) {
		x.note(found{kind: foundCopyright, text: t})
		return true
	}
	if bytes.Contains(low, []byte("edit")) && bytes.Contains(low, []byte("by")) {
		if eds, ok := parseEditorLine(t, l.b.links); ok {
			x.note(found{kind: foundEditors, editors: eds})
			return true
		}
	}
	if bytes.Contains(low, []byte("by ")) {
		if auth, eds, ok := parseWireLine(t, l.b.links); ok {
			x.note(found{kind: foundWire, editors: eds, authors: auth})
			return true
		}
	}
	if eds := editorCredit(t, l.b.links, inBody); len(eds) > 0 {
		x.note(found{kind: foundEditors, editors: eds})
		return true
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
