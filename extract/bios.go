package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Generic author bios: the text of author boxes marked by their class or id
// (author-bio, about-author, contributor cards, an author's description), and
// a tagline that opens with the author's name ("Jane Doe is a senior
// reporter covering energy."). Each bio is tied to the author whose name its
// box or its text holds; never a bare job title, never the box's "Follow" or
// "More articles by" lines.

// reBioLabel is a "Label: value" line of an author box (e-mail, key
// fingerprint, social handle), not a bio.
var reBioLabel = regexp.MustCompile(`^[\p{L} ]{2,25}:\s`)

// reTaglineVerb follows an author's name at the start of a tagline.
var reTaglineVerb = regexp.MustCompile(`^(?:\s*\([^)]{1,40}\))?(?:,\s[^,]{3,60},)?\s*(?:is|was|has|joined|writes|covers|reports|’s|'s|ist|war|schreibt|est|a rejoint|es|é|è|jest|är|er|is een)\b`)

// bioCand is one author box's bio text and the element to match names in.
type bioCand struct {
	text string
	// scope is the box: the nearest author-marked ancestor of the bio
	// element, or the element itself.
	scope *html.Node
	used  bool
}

// bioHint reports an element whose class or id marks an author's
// description.
func bioHint(n *html.Node) bool {
	if !hasAttr(n, "class") && !hasAttr(n, "id") && !hasAttr(n, "itemprop") {
		return false
	}
	if !bioAttr(n) {
		return false
	}
	ci := classID(n)
	if ci == "" {
		return attr(n, "itemprop") == "description" && authorScope(n.Parent, 3) != nil
	}
	if strings.Contains(ci, "bio") && !strings.Contains(ci, "biolog") && !strings.Contains(ci, "biom") {
		return true
	}
	if containsAny(ci, authorWords[:2]) && containsAny(ci, []string{"desc", "excerpt", "about", "summary", "content", "text", "details"}) {
		return true
	}
	return attr(n, "itemprop") == "description" && authorScope(n.Parent, 3) != nil
}

var authorWords = []string{"author", "contrib", "writer", "byline", "columnist", "journalist", "reporter"}

// authorScope returns the nearest element within depth levels up from n
// marked as an author box (class/id, itemprop=author, vcard).
func authorScope(n *html.Node, depth int) *html.Node {
	for i := 0; i <= depth && n != nil && n.Type == html.ElementNode; i, n = i+1, n.Parent {
		if n.DataAtom == atom.Body || n.DataAtom == atom.Article || n.DataAtom == atom.Main {
			return nil
		}
		if attr(n, "itemprop") == "author" || containsAny(classID(n), authorWords) ||
			strings.Contains(classID(n), "vcard") {
			return n
		}
	}
	return nil
}

// bioText reads the bio of box element n: its paragraphs that are neither
// names, labels, link lists nor "Follow" lines, joined.
func (x *extraction) bioText(n *html.Node) string {
	w := &walker{base: x.p.base, textOnly: true}
	w.walkRoot(n)
	var parts []string
	for _, bl := range w.blocks {
		t := collapse(strings.ReplaceAll(bl.text, "\n", " "))
		switch {
		case len(t) < 15 || wordCount(t) < 4:
		case len(bl.links) > 0 && bl.linkLen*2 > len(t):
		case len(t) < 120 && reFollowLink.MatchString(t) && len(bl.links) > 0:
		case !proseLike(t):
		case reBioLabel.MatchString(t), reByline.MatchString(t), strings.HasPrefix(t, "|"), strings.HasPrefix(strings.ToLower(t), "by "):
		default:
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " ")
}

// proseLike reports text that reads as a sentence rather than a name, date
// or title: at least two words starting with a lower-case letter (text in
// scripts without case passes).
func proseLike(t string) bool {
	lower, cased := 0, false
	for _, w := range strings.Fields(t) {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsLower(r) {
			lower++
		}
		if unicode.IsUpper(r) || unicode.IsLower(r) {
			cased = true
		} else if unicode.IsLetter(r) {
			return true
		}
	}
	return lower >= 2 || !cased
}

// bios gives a bio to each author that has none.
func (x *extraction) bios() {
	a := x.a
	need := false
	for _, au := range a.Authors {
		if au.Bio == "" {
			need = true
		}
	}
	if !need {
		return
	}
	var cands []*bioCand
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || junkElement(c) {
				continue
			}
			switch c.DataAtom {
			case atom.Nav, atom.A, atom.Select, atom.Form:
				continue
			}
			if bioHint(c) {
				if total, _ := textLens(c, false); total > 2000 {
					walk(c) // an article, not a box
					continue
				}
				if t := x.bioText(c); t != "" {
					scope := authorScope(c, 4)
					if scope == nil {
						scope = c
					}
					cands = append(cands, &bioCand{text: t, scope: scope})
					continue // the innermost marked element is read whole
				}
			}
			walk(c)
		}
	}
	walk(x.p.body)
	set := false
	for i := range a.Authors {
		au := &a.Authors[i]
		if au.Bio != "" {
			continue
		}
		if c := pickBio(cands, au.Name, len(a.Authors) == 1); c != nil {
			c.used = true
			au.Bio = c.text
			set = true
			continue
		}
		if t := x.tagline(au.Name); t != "" {
			au.Bio = t
			set = true
		}
	}
	if set {
		if _, ok := a.Sources["authors"]; ok && a.Sources["author_bio"] == "" {
			x.set("author_bio", SourceHeuristic)
		}
	}
}

// pickBio returns the first unused candidate tied to name: its text or its
// box names the author (whole name, or surname or given name); with a single
// author, a box marked as the author's also counts.
func pickBio(cands []*bioCand, name string, single bool) *bioCand {
	parts := strings.Fields(strings.ToLower(name))
	if len(parts) == 0 {
		return nil
	}
	for _, c := range cands {
		if c.used {
			continue
		}
		low := strings.ToLower(c.text)
		if strings.Contains(low, strings.ToLower(name)) {
			return c
		}
		scope := strings.ToLower(textOf(c.scope))
		if strings.Contains(scope, strings.ToLower(name)) {
			return c
		}
		first, last := parts[0], parts[len(parts)-1]
		if len(first) >= 3 && hasWord(low, first) || len(last) >= 3 && len(parts) > 1 && hasWord(low, last) {
			return c
		}
	}
	if single {
		for _, c := range cands {
			if !c.used && c.scope != nil && authorScope(c.scope, 0) != nil {
				return c
			}
		}
	}
	return nil
}

// hasWord reports whether s holds w as a whole word.
func hasWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || !isWordByte(s[j-1])
		k := j + len(w)
		after := k == len(s) || !isWordByte(s[k])
		if before && after {
			return true
		}
		i = j + 1
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// tagline returns a short closing paragraph of the body that introduces the
// author by name ("Jane Doe is a reporter…", "Jane Doe's book…").
func (x *extraction) tagline(name string) string {
	if wordCount(name) < 2 {
		return ""
	}
	paras := strings.Split(x.a.BodyText, "\n\n")
	for i := len(paras) - 1; i >= 0 && i >= len(paras)-3; i-- {
		p := collapse(paras[i])
		if len(p) > 400 || len(p) < 20 {
			continue
		}
		j := strings.Index(p, name)
		if j < 0 || j > 40 {
			continue
		}
		if reTaglineVerb.MatchString(p[j+len(name):]) {
			return p
		}
	}
	return ""
}

// bioAttr reports whether n's class, id or itemprop holds, ignoring ASCII
// case, one of the words that may mark a bio: "bio", "desc", "excerpt",
// "about", "summary", "content", "text" or "details". Each value is read
// once, stopping at the first letters of the words, without allocating.
func bioAttr(n *html.Node) bool {
	for _, a := range n.Attr {
		if (a.Key == "class" || a.Key == "id" || a.Key == "itemprop") && hasBioWord(a.Val) {
			return true
		}
	}
	return false
}

func hasBioWord(s string) bool {
	for i := 0; i < len(s); i++ {
		rest := s[i:]
		switch s[i] | 0x20 { // ASCII letters lowercased; no other byte becomes one of these
		case 'b':
			if prefixFold(rest, "bio") {
				return true
			}
		case 'd':
			if prefixFold(rest, "desc") || prefixFold(rest, "details") {
				return true
			}
		case 'e':
			if prefixFold(rest, "excerpt") {
				return true
			}
		case 'a':
			if prefixFold(rest, "about") {
				return true
			}
		case 's':
			if prefixFold(rest, "summary") {
				return true
			}
		case 'c':
			if prefixFold(rest, "content") {
				return true
			}
		case 't':
			if prefixFold(rest, "text") {
				return true
			}
		}
	}
	return false
}

// prefixFold reports whether s starts with the lowercase ASCII word sub,
// ignoring the case of ASCII letters of s.
func prefixFold(s, sub string) bool {
	if len(s) < len(sub) {
		return false
	}
	for j := 0; j < len(sub); j++ {
		c := s[j]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != sub[j] {
			return false
		}
	}
	return true
}
