package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

func (x *extraction) title(ruleSrc string) {
	a := x.a
	var t, src string
	if x.rule != nil {
		if n := x.find(selTitle); n != nil {
			t, src = value(n), ruleSrc
		}
	}
	if t == "" {
		t, src = x.genericTitle()
	}
	if t == "" {
		return
	}
	a.Title = t
	if src == ruleSrc {
		a.Title = stripSiteSuffix(t, x.siteNames()...)
	}
	x.set("title", src)
}

// genericTitle reads the headline from JSON-LD, the meta tags, the document
// title or the only <h1>, and names the layer it came from.
func (x *extraction) genericTitle() (t, src string) {
	p := x.p
	// A <title> that names the site the page declares loses that name;
	// otherwise it is cut the way readers cut it.
	docTitle := collapse(p.title)
	if st := stripSiteSuffix(docTitle, x.siteNames()...); st != docTitle {
		docTitle = st
	} else {
		docTitle = documentTitle(docTitle, p.h1s)
	}
	ld := x.ld.headline
	if x.ld.name != "" && x.ld.headline != "" {
		// Some sites put their own name in "name" and the headline in
		// "headline", others a long headline in "headline" and the short
		// one in "name": the one matching the document title wins, name
		// by default.
		if !(textSimilarity(x.ld.headline, docTitle) > 0.75 && textSimilarity(x.ld.name, docTitle) <= 0.75) {
			ld = x.ld.name
		}
	}
	for _, c := range []struct{ v, src string }{
		{ld, SourceJSONLD},
		{p.meta["dc:title"], SourceMeta},
		{p.meta["dcterm:title"], SourceMeta},
		{p.meta["og:title"], SourceOpenGraph},
		{p.meta["title"], SourceMeta},
		{p.meta["twitter:title"], SourceMeta},
		{p.meta["parsely-title"], SourceMeta},
	} {
		if t != "" {
			break
		}
		t, src = collapse(c.v), c.src
	}
	if t == "" && docTitle != "" {
		t, src = docTitle, SourceMeta
	}
	if t == "" && len(p.h1s) > 0 {
		t, src = textOf(p.h1s[0]), SourceHeuristic
	}
	return t, src
}

// titleSeparators are the characters that separate a document title's
// parts ("Headline | Site", "Site » Section » Headline").
const titleSeparators = "|-–—\\/>»"

// documentTitle derives the headline from the <title> text the way readers
// (Mozilla Readability) do: the part before the last separator, unless that
// leaves too few words; the part after a colon unless a heading repeats the
// whole title; the only <h1> when the title is implausibly short or long.
func documentTitle(orig string, h1s []*html.Node) string {
	orig = collapse(orig)
	if orig == "" {
		return ""
	}
	cur := orig
	hierarchical := false
	if i := lastSeparator(orig); i >= 0 {
		hierarchical = strings.ContainsAny(separatorsIn(orig), "\\/>»")
		cur = orig[:i]
		if fieldCount(cur) < 3 {
			if j := firstSeparator(orig); j >= 0 {
				cur = orig[j:]
			}
		}
	} else if strings.Contains(orig, ": ") {
		repeated := false
		for _, h := range h1s {
			if textOf(h) == orig {
				repeated = true
				break
			}
		}
		if !repeated {
			cur = orig[strings.LastIndexByte(orig, ':')+1:]
			if fieldCount(cur) < 3 {
				cur = orig[strings.IndexByte(orig, ':')+1:]
			} else if fieldCount(orig[:strings.IndexByte(orig, ':')]) > 5 {
				cur = orig
			}
		}
	} else if (len(orig) > 150 || len(orig) < 15) && len(h1s) == 1 {
		cur = textOf(h1s[0])
	}
	cur = collapse(cur)
	if n := fieldCount(cur); n <= 4 {
		stripped := strings.Map(func(r rune) rune {
			if strings.ContainsRune(titleSeparators, r) {
				return -1
			}
			return r
		}, orig)
		if !hierarchical || n != fieldCount(stripped)-1 {
			cur = orig
		}
	}
	return cur
}

// lastSeparator returns the index of the last separator character followed
// by a space and preceded by one, or -1.
func lastSeparator(s string) int {
	for i := len(s) - 1; i > 0; i-- {
		if s[i-1] != ' ' {
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if strings.ContainsRune(titleSeparators, r) && i+size < len(s) && s[i+size] == ' ' {
			return i - 1
		}
	}
	return -1
}

// firstSeparator returns the index just after the first separator character
// of s, or -1.
func firstSeparator(s string) int {
	for i, r := range s {
		if strings.ContainsRune(titleSeparators, r) {
			return i + utf8.RuneLen(r)
		}
	}
	return -1
}

// separatorsIn returns the separator characters that stand between spaces.
func separatorsIn(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && s[i-1] == ' ' && strings.ContainsRune(titleSeparators, r) {
			if j := i + utf8.RuneLen(r); j < len(s) && s[j] == ' ' {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// stripSiteSuffix removes " – Site", " | Site", " - Site" (and the prefix
// variants) when Site is one of the names the page gives itself.
func stripSiteSuffix(title string, names ...string) string {
	low := strings.ToLower(title)
	for _, name := range names {
		name = strings.TrimSpace(name)
		if name == "" || len(name) >= len(title) {
			continue
		}
		lname := strings.ToLower(name)
		if !strings.Contains(low, lname) {
			continue
		}
		for _, sep := range []string{" – ", " | ", " - ", " — ", " · ", " :: ", " » ", ": "} {
			if strings.HasSuffix(low, sep+lname) {
				return strings.TrimSpace(title[:len(title)-len(sep+name)])
			}
			if sep != ": " && strings.HasPrefix(low, lname+sep) {
				return strings.TrimSpace(title[len(name+sep):])
			}
		}
	}
	return title
}

// normTitle is a title's comparison key: case, spacing and quote style ignored.
func normTitle(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch r {
		case '’', '‘':
			r = '\''
		case '“', '”':
			r = '"'
		}
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// textSimilarity is the share of b's text (by length of its distinct words)
// that a also has: 1 when every word of b is in a.
func textSimilarity(a, b string) float64 {
	split := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
		})
	}
	ta, tb := split(a), split(b)
	if len(ta) == 0 || len(tb) == 0 {
		return 0
	}
	inA := make(map[string]bool, len(ta))
	for _, w := range ta {
		inA[w] = true
	}
	var uniq []string
	for _, w := range tb {
		if !inA[w] {
			uniq = append(uniq, w)
		}
	}
	return 1 - float64(len(strings.Join(uniq, " ")))/float64(len(strings.Join(tb, " ")))
}
