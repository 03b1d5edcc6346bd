package extract

import (
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Text patterns of the generic layer. They are applied to single short lines, never
// to the whole page.
var (
	reEditorLine = regexp.MustCompile(`(?i)^(?:this\s+)?(?:article|story|post|piece)?\s*(?:was\s+)?(?:edited|editing|edit)\s+by\s+(.+)$`)
	reWireLine   = regexp.MustCompile(`(?i)(?:^|[;.(]\s*)(?:additional\s+)?(?:reporting|writing|written|compiled)\s+by\s+`)
	reWirePart   = regexp.MustCompile(`(?i)^\(?\s*(additional\s+reporting|reporting|writing|written|compiled|editing|edited)\s+by\s+(.+?)\)?$`)
	reCaption    = regexp.MustCompile(`(?i)^(?:featured\s+|cover\s+|top\s+|header\s+|lead\s+)?(?:image|images|photo|photos|photograph|picture|pictures|pic|credit|credits|image\s+credit|photo\s+credit|illustration|video)\s*(?::|by\b|via\b|courtesy\b|source\b|credit\b|-|–|—)`)
	reSourceLine = regexp.MustCompile(`(?i)^(?:source|via|credit|courtesy(?: of)?)\s*[:\-–—]?\s*\S.{0,100}$`)
	reCopyright  = regexp.MustCompile(`(?i)^(?:©|\(c\)\s|copyright\b)|all rights reserved`)
	reByline     = regexp.MustCompile(`^(?i:by|written by|words by)\s+(.{2,80})$`)
	reBoiler     = regexp.MustCompile(`(?i)^(?:please\s+)?share\s+(?:this|your thoughts|on\b)|^(?:sign up|subscribe)\b.{0,80}\bnewsletter|^(?:follow|like) us on\b|^(?:click|tap) here to (?:subscribe|sign up|read)|^advert(?:isement)?s?$|^(?:related|recommended|read more|read next|also read|see more|see also)\s*:|^subscribe(?:\s+(?:now|today|here|to\b.{0,150}))?[.!]?$|^(?:\d+\s+)?comments?$|^(?:like|enjoy(?:ed)?|love) this (?:story|article|post)\?|^follow\s+(?:\S+\s+){1,6}on\s+(?:facebook|twitter|instagram|youtube|linkedin|x)\b|^(?:tell us what you think|leave a (?:comment|reply))\b|^also on\s+\S+\.\w+\b`)
	// reBoiler's alternatives are all anchored at the start, so a match is
	// tried at one position only; the one unanchored phrase is tested apart
	// (see isBoilerplate).
	// reCredit is a photo credit line: agency names after a separator.
	reCredit = regexp.MustCompile(`(?i)(?:^|[|/(]\s*|(?:photo|image|picture)s?\s*:\s*)(?:getty images|shutterstock|ap photo|afp|reuters|epa|bloomberg|associated press|istock(?:photo)?)\)?\.?$`)
	// reWithAuthors is a parenthesised list of co-authors.
	reWithAuthors = regexp.MustCompile(`(?i)\s*\((?:with|avec|mit|con|com|met|z)\s+([^()]+)\)`)
	// reInSections is the "in <section>" tail of a printed credit.
	reInSections = regexp.MustCompile(`,?\s+in\s+\p{Lu}`)
	reHandle     = regexp.MustCompile(`@([A-Za-z0-9_]{1,30})`)
	reFollowLink = regexp.MustCompile(`(?i)follow|twitter|\bx\b|linkedin|instagram|facebook|mastodon|bluesky|profile|website|more (?:articles|posts|stories) by|view all`)
)

// Replacers are immutable once built and safe for concurrent use.
var (
	// The word for "and" in en, de, es, fr, it/pt, nl, da/no, sv, tr, ru, fi,
	// hu, pl; the enumeration commas of Chinese and Japanese.
	nameSeparators = strings.NewReplacer(" and ", ",", " & ", ",", " und ", ",", " y ", ",", " et ", ",", " e ", ",",
		" en ", ",", " og ", ",", " och ", ",", " ve ", ",", " и ", ",", " ja ", ",", " és ", ",", " oraz ", ",",
		"、", ",", "，", ",")
)

// socialHosts are profile hosts an author or editor link may point to.
var socialHosts = []string{"x.com", "twitter.com", "linkedin.com", "instagram.com", "facebook.com",
	"threads.net", "bsky.app", "mastodon.social", "youtube.com", "tiktok.com"}

func isSocialURL(u string) bool {
	h := hostOf(u)
	h = strings.TrimPrefix(h, "www.")
	h = strings.TrimPrefix(h, "mobile.")
	for _, s := range socialHosts {
		if h == s {
			return true
		}
	}
	return false
}

// parseEditorLine reads "Article edited by @SmokeyShorts, you can follow him on
// Twitter", "Edited by Jane Doe" and similar lines.
func parseEditorLine(text string, links []Link) ([]Editor, bool) {
	if len(text) > 300 || strings.Contains(text, "\n\n") {
		return nil, false
	}
	m := reEditorLine.FindStringSubmatch(strings.TrimSpace(text))
	if m == nil {
		return nil, false
	}
	return parseEditorNames(m[1], links), true
}

func parseEditorNames(rest string, links []Link) []Editor {
	// Cut the tail after the names: ", you can follow him…", ". Follow…", "(…".
	if i := strings.IndexAny(rest, ",;|("); i >= 0 && !strings.HasPrefix(strings.TrimSpace(rest[i:]), "(@") {
		rest = rest[:i]
	}
	rest = strings.TrimRight(strings.TrimSpace(rest), ".!")
	var eds []Editor
	for _, part := range splitNames(rest) {
		var ed Editor
		if m := reHandle.FindStringSubmatch(part); m != nil {
			ed.Handle = m[1]
			part = strings.TrimSpace(strings.Trim(strings.Replace(part, m[0], "", 1), "() "))
		}
		if part != "" && looksLikeName(part) {
			ed.Name = part
		}
		if ed.Name == "" && ed.Handle == "" {
			continue
		}
		ed.URL = profileLink(links, ed.Handle, ed.Name)
		eds = append(eds, ed)
	}
	return eds
}

// profileLink finds the link belonging to a handle or name among a line's links.
func profileLink(links []Link, handle, name string) string {
	for _, l := range links {
		if handle != "" {
			if u, err := url.Parse(l.URL); err == nil && strings.EqualFold(strings.Trim(u.Path, "/"), handle) {
				return l.URL
			}
			if strings.EqualFold(strings.TrimPrefix(l.Title, "@"), handle) {
				return l.URL
			}
		}
		if name != "" && strings.EqualFold(l.Title, name) {
			return l.URL
		}
	}
	return ""
}

// parseWireLine reads "Reporting by A and B; Editing by C" credit lines.
func parseWireLine(text string, links []Link) (authors []Author, editors []Editor, ok bool) {
	if len(text) > 300 || !(containsFold(text, "reporting") || containsFold(text, "writ") ||
		containsFold(text, "compiled")) || !reWireLine.MatchString(text) {
		return nil, nil, false
	}
	roles, parts := creditParts(text)
	for i, role := range roles {
		names := parts[i]
		switch {
		case editorRole(role):
			editors = append(editors, parseEditorNames(names, links)...)
		case contributorRole(role):
			// Contributors, not the article's authors.
		default:
			for _, n := range splitNames(names) {
				n = strings.TrimSpace(strings.TrimSuffix(n, " in"))
				if i := strings.Index(n, " in "); i > 0 {
					n = n[:i] // "Reporting by A in Moscow"
				}
				if looksLikeName(n) {
					authors = append(authors, Author{Name: n})
				}
			}
		}
	}
	return authors, editors, len(authors)+len(editors) > 0
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

// sameName compares person names ignoring case, spacing and accents of
// punctuation.
func sameName(a, b string) bool {
	return strings.EqualFold(collapse(a), collapse(b))
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

// Date handling. Values with an offset become RFC 3339; values without one are
// kept exactly as the page gives them (no invented offset).
var offsetLayouts = []string{
	time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05Z0700", time.RFC1123Z, time.RFC1123, time.RFC822Z, time.RFC850,
	"Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
}

// normDate normalises a machine-readable date.
func normDate(s string) string {
	s = strings.TrimSpace(s)
	if len(s) <= len("2006-01-02T15:04:05") {
		return s // no room for an offset: kept as given
	}
	for _, l := range offsetLayouts {
		if t, err := time.Parse(l, s); err == nil {
			if strings.Contains(l, "MST") && t.Location() != time.UTC {
				// A zone abbreviation other than UTC/GMT gives no known offset.
				_, off := t.Zone()
				if off == 0 && !strings.HasSuffix(s, "GMT") && !strings.HasSuffix(s, "UTC") {
					return s
				}
			}
			return t.Format(time.RFC3339)
		}
	}
	return s
}

// textDateLayouts are the visible formats read as a last resort ("Feb 15, 2021");
// they become a bare calendar date "2021-02-15", as no time or offset is known.
var textDateLayouts = []string{
	"Jan 2, 2006", "January 2, 2006", "Jan 2 2006", "January 2 2006", "2 Jan 2006", "2 January 2006",
	"Jan. 2, 2006", "2006-01-02", "02/01/2006", "2.1.2006", "Monday, January 2, 2006", "Mon, Jan 2, 2006",
	"January 2, 2006 at 3:04 pm", "Jan 2, 2006 3:04 pm",
}

func parseTextDate(s string) string {
	s = collapse(strings.TrimPrefix(collapse(s), "Published "))
	s = strings.TrimPrefix(s, "on ")
	for _, l := range textDateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.Format("2006-01-02")
		}
	}
	// "Sept 15, 2021"
	if strings.HasPrefix(s, "Sept ") {
		return parseTextDate("Sep " + s[5:])
	}
	return parseLocalDate(s)
}

// dateWords are the words a dateline is made of, besides numbers: month and
// weekday names, time-of-day and zone abbreviations, and the verbs and
// prepositions around them ("Updated 6:55 AM, Nov. 19, 2019").
var dateWords = wordSet("jan january feb february mar march apr april may jun june jul july aug august sep sept september " +
	"oct october nov november dec december mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday " +
	"sat saturday sun sunday am pm a m p utc gmt est edt cst cdt mst mdt pst pdt bst cet cest ist jst aest " +
	"published updated posted last modified on at by de às the of and th st nd rd um am")

// monthWords are the month names among dateWords.
var monthWords = wordSet("jan january feb february mar march apr april may jun june jul july aug august sep sept september " +
	"oct october nov november dec december")

// isDateline reports a short line that is a publication date or time, with
// at most a few other words (a name, an agency): "Posted by Jo Doe on
// November 19, 2019, 6:21 AM EST", "20 Nov, 2019 05:47".
func isDateline(t string) bool {
	if len(t) > 120 {
		return false
	}
	other, numbers, month, year, clock := 0, 0, false, false, false
	start := -1
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	word := func(w string) {
		if isDigit(w[0]) {
			numbers++
			if len(w) == 4 && (w[:2] == "19" || w[:2] == "20") {
				year = true
			}
			return
		}
		lw := strings.ToLower(w)
		switch {
		case monthWords[lw] || localMonths[lw] > 0:
			month = true
		case dateWords[lw] || localDateWords[lw]:
		default:
			other++
		}
	}
	for i := 0; i <= len(t); i++ {
		var c byte = ' '
		if i < len(t) {
			c = t[i]
		}
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
		digit := isDigit(c)
		if start >= 0 && (!(letter || digit) || isDigit(t[start]) != digit) {
			if c == ':' && isDigit(t[start]) && i+1 < len(t) && isDigit(t[i+1]) {
				clock = true
			}
			word(t[start:i])
			start = -1
		}
		if start < 0 && (letter || digit) {
			start = i
		}
	}
	if other > 4 || numbers == 0 {
		return false
	}
	return (month && (year || clock || (numbers <= 2 && other == 0))) || (year && clock)
}

// isHeadingBlock reports a block that reads as a heading.
func isHeadingBlock(b block) bool {
	return isHeading(b.kind) || (len(b.text) < 60 && b.node != nil && (b.node.DataAtom == atom.Strong || b.node.DataAtom == atom.B))
}

// boxNodes returns the nodes forming the box introduced by heading h: its
// following siblings (up to the next heading of the same or higher level), or,
// when h is alone in its wrapper, the wrapper's following siblings. stop is
// called on each candidate sibling; a true result ends the box before it.
func boxNodes(h *html.Node, limit *html.Node, stop func(*html.Node) bool) []*html.Node {
	level := headingLevel(h.DataAtom)
	for climb := 0; climb < 4 && h != nil; climb++ {
		var nodes []*html.Node
		for s := h.NextSibling; s != nil; s = s.NextSibling {
			if s.Type != html.ElementNode {
				if s.Type == html.TextNode && strings.TrimSpace(s.Data) != "" {
					break
				}
				continue
			}
			if l := headingLevel(s.DataAtom); l > 0 && (level == 0 || l <= level) {
				break
			}
			if stop != nil && stop(s) {
				break
			}
			nodes = append(nodes, s)
		}
		if len(nodes) > 0 {
			return nodes
		}
		p := h.Parent
		if p == nil || p == limit || p.DataAtom == atom.Body || p.DataAtom == atom.Main ||
			p.DataAtom == atom.Html {
			return nil
		}
		h = p
	}
	return nil
}

// linkDense reports whether an element is mostly links (a card list).
func linkDense(n *html.Node) bool {
	total, links := textLens(n, false)
	if total == 0 {
		return hasLink(n)
	}
	return float64(links)/float64(total) >= 0.5
}

func hasLink(n *html.Node) bool {
	if n.Type == html.ElementNode && n.DataAtom == atom.A && attr(n, "href") != "" {
		return true
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasLink(c) {
			return true
		}
	}
	return false
}

// textLens returns the number of non-space text bytes under n, and how many of
// them are inside links.
func textLens(n *html.Node, inLink bool) (total, links int) {
	switch n.Type {
	case html.TextNode:
		c := 0
		for i := 0; i < len(n.Data); i++ {
			if !isSpaceByte(n.Data[i]) {
				c++
			}
		}
		if inLink {
			return c, c
		}
		return c, 0
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg:
			return 0, 0
		case atom.A:
			inLink = true
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t, l := textLens(c, inLink)
		total += t
		links += l
	}
	return total, links
}

// relatedLinks collects article links from the given nodes: absolute,
// de-duplicated by URL, in page order. A card often links one article twice (image
// and title); the longest plain link text wins, then an image's alt text.
func relatedLinks(base *url.URL, nodes []*html.Node, self string, match func(*html.Node) bool) []Link {
	type cand struct {
		url, text, alt, attr string
	}
	var order []string
	byURL := map[string]*cand{}
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		if n.DataAtom == atom.A && (match == nil || match(n)) {
			u := resolve(base, attr(n, "href"))
			if u != "" && u != self && !strings.HasPrefix(u, "mailto:") && !strings.HasPrefix(u, "tel:") {
				c := byURL[u]
				if c == nil {
					c = &cand{url: u}
					byURL[u] = c
					order = append(order, u)
				}
				img := firstImage(n)
				if img != nil {
					if c.alt == "" {
						c.alt = collapse(attr(img, "alt"))
					}
				} else if t := cleanLinkTitle(textOf(n)); len(t) > len(c.text) && !genericLinkText(t) {
					c.text = t
				}
				if c.attr == "" {
					c.attr = cleanLinkTitle(attr(n, "title"))
				}
			}
			return
		}
		if junkElement(n) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	for _, n := range nodes {
		visit(n)
	}
	var out []Link
	for _, u := range order {
		c := byURL[u]
		title := c.text
		if title == "" {
			title = c.alt
		}
		if title == "" {
			title = c.attr
		}
		if title == "" {
			continue
		}
		out = append(out, Link{Title: title, URL: u})
	}
	return out
}

// cleanLinkTitle strips the arrows and separators that prev/next links carry.
func cleanLinkTitle(s string) string {
	return strings.TrimSpace(strings.Trim(collapse(s), "«»‹›←→<>|·•"))
}

func firstImage(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom == atom.Img {
			return c
		}
		if img := firstImage(c); img != nil {
			return img
		}
	}
	return nil
}

func genericLinkText(t string) bool {
	switch strings.ToLower(strings.Trim(t, " .…>»→")) {
	case "read more", "continue reading", "more", "read", "read article", "read the article",
		"view", "see more", "learn more", "read full article", "full story":
		return true
	}
	return false
}

// countWords counts runs of letters and digits; apostrophes and hyphens
// join words but do not start them.
func countWords(s string) int {
	n, in := 0, false
	for i := 0; i < len(s); {
		c := s[i]
		var w, joiner bool
		if c < utf8.RuneSelf {
			w = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '\'' || c == '-'
			joiner = c == '\'' || c == '-'
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			w = unicode.IsLetter(r) || unicode.IsDigit(r) || r == '’'
			joiner = r == '’'
			i += size
		}
		if w && !in && !joiner {
			n++
			in = true
		} else if !w {
			in = false
		}
	}
	return n
}
