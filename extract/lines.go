package extract

import (
	"bytes"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

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
	if rest == "" || wordCount(t) > 8 || strings.ContainsAny(rest, ".!?") && strings.Count(rest, " ") > 3 {
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
