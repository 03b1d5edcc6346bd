package extract

import (
	"bytes"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// classify returns the blocks that are article text: it drops the repeated
// headline and, line by line (see sortLine), captions, credits, boilerplate,
// a dateline and a byline, noting what they say. inBody is false for text
// outside the article body, which is only mined for credits (nothing is kept).
func (x *extraction) classify(blocks []block, inBody bool) []block {
	title := ""
	if inBody {
		title = normTitle(x.a.Title)
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
		if inBody && title != "" && (!seenText || b.kind == atom.H1) && normTitle(t) == title {
			continue // the headline repeated in the body
		}
		if len(t) <= 300 && t != "" {
			switch x.sortLine(b, blocks, prevImage, inBody, seenLong) {
			case lineDrop:
				continue
			case lineFigcaption:
				if inBody {
					kept = append(kept, b)
				}
				continue
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

// lineVerdict is what sortLine makes of a short line.
type lineVerdict int

const (
	lineText       lineVerdict = iota // article text
	lineDrop                          // not text: dropped (what it says may be noted)
	lineFigcaption                    // the caption of a figure other than the lead one: kept as it stands
)

// line is a short line of text being sorted, with what the cheap gates look at.
type line struct {
	b     block
	t     string // b.text
	first string // its first word, lowercased
	low   []byte // the line with ASCII lowercased
}

// sortLine sorts one short line of text, in order: a caption or image
// credit, a credit (copyright, editors, wire), then — only in the body or for
// agency photo credits — the lines dropLine drops. prevImage is set when the
// line follows an image; seenLong once a long paragraph came before it.
func (x *extraction) sortLine(b block, blocks []block, prevImage, inBody, seenLong bool) lineVerdict {
	// Cheap gates keep the regular expressions off ordinary paragraphs.
	x.low = appendLower(x.low[:0], b.text)
	l := line{b: b, t: b.text, first: firstWord(b.text), low: x.low}
	if v, ok := x.captionLine(l, blocks, prevImage); ok {
		return v
	}
	if x.creditLine(l, inBody) {
		return lineDrop
	}
	credit := len(l.t) < 120 && creditWords[lastWord(l.t)]
	if !inBody && !credit {
		return lineDrop // outside the body only credit lines are of interest
	}
	if x.dropLine(l, inBody, seenLong, credit) {
		return lineDrop
	}
	return lineText
}

// captionLine recognises a caption or image credit line: a figcaption, a
// "Photo: …" line, or a "Source: …" or "<label>: <name>" line right after an
// image. The lead figure's caption is noted as the image caption and
// dropped; another figure's caption stays in the text (lineFigcaption).
func (x *extraction) captionLine(l line, blocks []block, prevImage bool) (lineVerdict, bool) {
	b, t := l.b, l.t
	if !x.e.off.on(HeurCaptions) || !(b.kind == atom.Figcaption || (captionWords[l.first] && reCaption.MatchString(t)) ||
		(prevImage && sourceWords[l.first] && reSourceLine.MatchString(t)) ||
		(prevImage && isCreditLine(t))) {
		return lineText, false
	}
	if b.kind == atom.Figcaption && !reCaption.MatchString(t) && !prevImage && !x.leadFigure(b, blocks) {
		return lineFigcaption, true
	}
	x.note(found{kind: foundCaption, text: t})
	return lineDrop, true
}

// dropLine reports a body line that is not article text: a rule's drop
// pattern, boilerplate, a dateline or byline before the first long paragraph
// (noted as the visible date and the body byline), or an agency photo credit
// (credit: the line ends in an agency word; noted as the caption).
func (x *extraction) dropLine(l line, inBody, seenLong, credit bool) bool {
	t := l.t
	if x.rule != nil && matchesAny(x.rule.dropText, t) {
		return true
	}
	if x.e.off.on(HeurBoilerplate) && (isBoilerplate(t, l.low, l.first) || localBoilerplate(t)) {
		return true
	}
	if inBody && !seenLong && x.e.off.on(HeurDateline) && strings.ContainsAny(t, "0123456789") && isDateline(t) {
		if x.a.PublishedAt == "" {
			x.visibleDate = t
		}
		return true
	}
	if credit && x.e.off.on(HeurCaptions) && reCredit.MatchString(t) {
		x.note(found{kind: foundCaption, text: t})
		return true
	}
	if inBody && !seenLong && len(t) < 100 && x.e.off.on(HeurBylineLine) &&
		bylineCues[l.first] && reBylineCue.MatchString(t) {
		if names := cleanByline(t); len(names) > 0 {
			if len(x.bodyName) == 0 {
				x.bodyName, x.bodyLine = names, t
			}
			return true
		}
	}
	return false
}

// leadFigure reports whether a figcaption belongs to the body's first figure
// and no caption is known yet.
func (x *extraction) leadFigure(b block, blocks []block) bool {
	if x.hasCaption() {
		return false
	}
	for _, o := range blocks {
		if o.figure != nil {
			return o.figure == b.figure
		}
	}
	return false
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

var (
	captionWords = wordSet("featured cover top header lead image images photo photos photograph picture pictures pic credit credits illustration video")
	sourceWords  = wordSet("source via credit courtesy")
	boilerWords  = wordSet("please share sign subscribe follow like click tap advert adverts advertisement advertisements related recommended read also see comment comments enjoy enjoyed love tell leave")
)

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
	if rest == "" || fieldCount(t) > 8 || strings.ContainsAny(rest, ".!?") && strings.Count(rest, " ") > 3 {
		return false
	}
	return creditLabels[strings.ToLower(collapse(t[:i]))]
}

// creditWords are the last words of photo credit lines (see reCredit).
var creditWords = wordSet("images shutterstock photo afp reuters epa bloomberg press istock istockphoto")

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

// isHeadingBlock reports a block that reads as a heading.
func isHeadingBlock(b block) bool {
	return isHeading(b.kind) || (len(b.text) < 60 && b.node != nil && (b.node.DataAtom == atom.Strong || b.node.DataAtom == atom.B))
}
