package extract

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// authors settles the author list: visible credits first (rule byline, author
// box, wire credits, a byline at the start of the body), then JSON-LD, then meta;
// the box adds the bio and profile link.
func (x *extraction) authors(ruleSrc string) {
	src := ""
	names, line := x.ruleByline()
	if len(names) > 0 {
		src = ruleSrc
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
	ldNames, ldURL := x.ldAuthorNames()
	if len(names) == 0 && len(ldNames) > 0 {
		names, src = ldNames, SourceJSONLD
	}
	hold()
	if len(names) == 0 {
		if nn, l := x.metaAuthorNames(line); len(nn) > 0 {
			names, line, src = nn, l, SourceMeta
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
	x.setAuthors(names, src, line, fromDOM, ldURL, ruleSrc)
}

// ruleByline returns the names of the first element the rule's byline
// selector matches that reads as names (the date and the comment count sit
// beside the byline in the same markup), and its text.
func (x *extraction) ruleByline() (names []string, line string) {
	if x.rule == nil {
		return nil, ""
	}
	for _, n := range x.findAll(selByline) {
		v := value(n)
		if names = cleanByline(v); len(names) > 0 {
			return names, v
		}
	}
	return nil, ""
}

// ldAuthorNames returns the JSON-LD authors' names — the people, or failing
// them the organisations — and their profile URLs by lowercased name.
func (x *extraction) ldAuthorNames() (names []string, urls map[string]string) {
	urls = map[string]string{}
	var people, orgs []string
	for _, au := range x.ld.authors {
		if au.url != "" {
			urls[strings.ToLower(au.name)] = resolve(x.p.base, au.url)
		}
		if au.person {
			people = append(people, au.name)
		} else {
			orgs = append(orgs, au.name)
		}
	}
	if len(people) > 0 {
		return people, urls
	}
	return orgs, urls
}

// metaAuthorNames returns the names of the first author meta key that gives
// any, and line with the values they were read from joined to it. A key may
// be repeated, one tag per author (Dublin Core's DC.Creator, citation_author).
func (x *extraction) metaAuthorNames(line string) (names []string, _ string) {
	for _, k := range metaAuthorKeys {
		for _, v := range x.p.metaAuthors[k] {
			if v == "" || strings.HasPrefix(v, "http") || strings.HasPrefix(v, "/") {
				continue
			}
			if nn := metaNames(v); len(nn) > 0 {
				names = append(names, nn...)
				line = joinLine(line, v)
			}
		}
		if len(names) > 0 {
			return names, line
		}
	}
	return nil, line
}

// setAuthors records the settled names as the article's authors (refined,
// deduplicated, with the author box's bio and link and JSON-LD profile URLs)
// and the byline as the page states it.
func (x *extraction) setAuthors(names []string, src, line string, fromDOM bool, ldURL map[string]string, ruleSrc string) {
	a := x.a
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
		if wordCount(n) >= 2 || unspacedName(n) {
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
		!strings.Contains(v, " and ") && fieldCount(parts[0]) == 1 && fieldCount(parts[1]) <= 3 {
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

// rePrintedByline is a credit line printed in the page: "By A and B",
// "Written by A on March 3", "Posted on May 1 by A".
var rePrintedByline = regexp.MustCompile(`(?i)^(?:by|written by|words by|text by|posted by|von|par|por|door|от|автор:?|autor(?:in)?(?:\s*/\s*autor(?:in)?|\*in|:in|/in)?:?)\s+(.{2,100})$|^(?i:posted|published)\s+(?:on\s+)?.{4,40}?\s+by\s+(.{2,60})$`)

// reOnDate is the " on <date>" tail of a printed credit.
var reOnDate = regexp.MustCompile(`(?i)\s+(?:on|am|le|el|il|op)\s+(?:\p{L}+[.,]?\s+){0,3}\d.*$`)

// printedByline returns the names of the first printed credit line of the
// page (outside navigation, footers and sidebars) whose names accept takes,
// and the line as printed.
func (x *extraction) printedByline(accept func([]string) bool) (names []string, line string) {
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || junkElement(c) {
				continue
			}
			switch c.DataAtom {
			case atom.Nav, atom.Footer, atom.Aside, atom.A, atom.Script, atom.Style, atom.Form:
				continue
			}
			if isBlock(c) {
				if t, ok := shortText(c, 150); ok && len(t) > 4 {
					if m := rePrintedByline.FindStringSubmatch(t); m != nil {
						v := m[1] + m[2]
						v = reOnDate.ReplaceAllString(v, "")
						if nn := cleanByline(v); len(nn) > 0 && accept(nn) {
							names, line = nn, t
							return true
						}
					}
					if !hasBlockChild(c) {
						continue // a short block holds no longer credit inside
					}
				}
			}
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(x.p.body)
	return names, line
}

// hasBlockChild reports whether n has a block element among its children:
// a short box of lines ("von A" beside the date) may hold a credit line.
func hasBlockChild(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && isBlock(c) {
			return true
		}
	}
	return false
}

// declaredCredit reports whether the page declares an author that a wire
// footer's "Reporting by" names must not replace: a JSON-LD person other
// than a staff account ("Tesmanian Team"), or a news agency as the JSON-LD
// or meta author ("Reuters", whose reporters the footer lists).
func (x *extraction) declaredCredit() bool {
	for _, p := range x.ld.authors {
		if agencies[strings.ToLower(p.name)] {
			return true
		}
		if p.person && !staffAccount(p.name) {
			return true
		}
	}
	for _, v := range x.p.metaAuthors["author"] {
		if agencies[strings.ToLower(strings.TrimSpace(v))] {
			return true
		}
	}
	return false
}

// staffAccount reports a credit naming a newsroom account rather than a
// person: "Tesmanian Team", "Staff", "Admin", "Editorial Desk".
func staffAccount(name string) bool {
	for _, w := range strings.Fields(strings.ToLower(name)) {
		switch w {
		case "team", "staff", "admin", "desk", "editors", "editorial", "newsroom", "redaktion", "rédaction", "redacción":
			return true
		}
	}
	return false
}

// cleanByline turns "By Eva Fox" / "Written by Eva Fox | Feb 15" into names.
func cleanByline(s string) []string {
	s = collapse(s)
	if m := reBylineCue.FindStringSubmatch(s); m != nil {
		s = m[1]
	}
	if i := strings.IndexAny(s, "|•·\n"); i >= 0 {
		s = s[:i]
	}
	// "Jo Doe March 11, 2015 3:46 PM": the date after the names goes.
	if i := strings.IndexAny(s, "0123456789"); i > 0 {
		head := strings.TrimSpace(s[:i])
		if j := strings.LastIndexByte(head, ' '); j > 0 && monthWords[strings.ToLower(strings.Trim(head[j+1:], ".,"))] {
			s = head[:j]
		}
	}
	// "By Ann Lee, in Politics, Business": the sections filed under.
	if loc := reInSections.FindStringIndex(s); loc != nil && loc[0] > 0 {
		s = s[:loc[0]]
	}
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), ","))
	if strings.IndexByte(s, '(') >= 0 {
		// "A (with B and C)": co-authors credited in parentheses.
		s = reWithAuthors.ReplaceAllString(s, ", $1")
	}
	var out []string
	for _, n := range splitNames(s) {
		n = strings.TrimSpace(strings.TrimPrefix(n, "@"))
		// "About the Author" heads an author box; it names nobody.
		if looksLikeName(n) && !dateWords[strings.ToLower(strings.Trim(n, ".,"))] &&
			!strings.HasPrefix(strings.ToLower(n), "about ") {
			out = append(out, n)
		}
	}
	return out
}

// splitNames splits "A, B and C" / "A & B" into names.
func splitNames(s string) []string {
	s = nameSeparators.Replace(s)
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// looksLikeName accepts short word sequences without sentence punctuation.
func looksLikeName(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 60 || strings.ContainsAny(s, "!?:;|/\n") {
		return false
	}
	if strings.ContainsAny(s, "0123456789") && !handleLike(s) {
		return false
	}
	words := strings.Fields(s)
	if len(words) > 6 {
		return false
	}
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// handleLike reports a user name such as "rmb8090": one word of letters
// and digits starting with a letter, with at least three letters.
func handleLike(s string) bool {
	if len(s) < 4 || len(s) > 30 {
		return false
	}
	letters := 0
	for i, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
		case r >= '0' && r <= '9' || r == '_':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return letters >= 3
}

// sameName compares person names ignoring case, spacing and accents of
// punctuation.
func sameName(a, b string) bool {
	return strings.EqualFold(collapse(a), collapse(b))
}

// Replacers are immutable once built and safe for concurrent use.
var (
	// The word for "and" in en, de, es, fr, it/pt, nl, da/no, sv, tr, ru, fi,
	// hu, pl; the enumeration commas of Chinese and Japanese.
	nameSeparators = strings.NewReplacer(" and ", ",", " & ", ",", " und ", ",", " y ", ",", " et ", ",", " e ", ",",
		" en ", ",", " og ", ",", " och ", ",", " ve ", ",", " и ", ",", " ja ", ",", " és ", ",", " oraz ", ",",
		"、", ",", "，", ",")
)
