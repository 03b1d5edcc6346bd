package extract

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html"
)

// dates settles the published date — the rule's element, JSON-LD,
// OpenGraph and meta tags, a <time> element in the article, the rule's
// printed date, a printed <time>, the dateline above the text, the element
// naming a date nearest the headline, in that order — and the modified date.
func (x *extraction) dates(ruleSrc string) {
	a, p := x.a, x.p
	visible, visibleSrc := "", ""
	if x.rule != nil {
		if n := x.find(selPublished); n != nil {
			if dt := attr(n, "datetime"); dt != "" {
				a.PublishedAt = normDate(dt)
				x.set("published_at", ruleSrc)
			} else if d := parseTextDate(value(n)); d != "" {
				visible, visibleSrc = d, ruleSrc
			}
		}
	}
	if a.PublishedAt == "" {
		for _, c := range []struct{ v, src string }{
			{x.ld.published, SourceJSONLD},
			{p.meta["article:published_time"], SourceOpenGraph},
			{p.meta["og:published_time"], SourceOpenGraph},
			{p.meta["datepublished"], SourceMeta},
			{p.meta["pubdate"], SourceMeta},
			{p.meta["publishdate"], SourceMeta},
			{p.meta["publish-date"], SourceMeta},
			{p.meta["date"], SourceMeta},
			{p.meta["dc.date"], SourceMeta},
			{p.meta["dc.date.issued"], SourceMeta},
			{p.meta["dcterms.created"], SourceMeta},
			{p.meta["sailthru.date"], SourceMeta},
			{p.meta["parsely-pub-date"], SourceMeta},
		} {
			if d := normDate(c.v); d != "" {
				a.PublishedAt = d
				x.set("published_at", c.src)
				break
			}
		}
	}
	if a.PublishedAt == "" {
		for _, t := range p.times {
			if dt := attr(t, "datetime"); dt != "" && contains(x.scope, t) {
				a.PublishedAt = normDate(dt)
				x.set("published_at", SourceHeuristic)
				break
			}
		}
	}
	if a.PublishedAt == "" && visible != "" {
		a.PublishedAt = visible
		x.set("published_at", visibleSrc)
	}
	if a.PublishedAt == "" {
		for _, t := range p.times {
			if !contains(x.scope, t) {
				continue
			}
			if d := parseTextDate(textOf(t)); d != "" {
				a.PublishedAt = d
				x.set("published_at", SourceHeuristic)
				break
			}
		}
	}
	if a.PublishedAt == "" && x.visibleDate != "" {
		// The dateline printed above the text: "12. März 2024, 10:00 Uhr".
		if d := parseLocalDate(x.visibleDate); d != "" {
			a.PublishedAt = d
			x.set("published_at", SourceHeuristic)
		}
	}
	if a.PublishedAt == "" {
		if d := x.dateNearHeadline(); d != "" {
			a.PublishedAt = d
			x.set("published_at", SourceHeuristic)
		}
	}
	x.modified()
}

// modified settles the modification date from JSON-LD, then OpenGraph, then
// other meta tags.
func (x *extraction) modified() {
	a, p := x.a, x.p
	for _, c := range []struct{ v, src string }{
		{x.ld.modified, SourceJSONLD},
		{p.meta["article:modified_time"], SourceOpenGraph},
		{p.meta["og:updated_time"], SourceOpenGraph},
		{p.meta["datemodified"], SourceMeta},
		{p.meta["dcterms.modified"], SourceMeta},
	} {
		if d := normDate(c.v); d != "" {
			a.ModifiedAt = d
			x.set("modified_at", c.src)
			break
		}
	}
}

// dateClassWords are class/id words of elements that print a date.
var dateClassWords = wordSet("date dates datum time timestamp published pubdate dateline datetime fecha data datahora")

// dateNearHeadline reads the printed date closest to the headline: among
// the elements whose class or id names a date ("meta_date", "article-datum")
// and whose short text holds one, the nearest to the first <h1> in page
// order. A date list of other articles lies farther from it.
func (x *extraction) dateNearHeadline() string {
	var h1 *html.Node
	for _, h := range x.p.h1s {
		if contains(x.scope, h) {
			h1 = h
			break
		}
	}
	best, bestDist := "", -1
	i, h1At := 0, -1
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || junkElement(c) {
				continue
			}
			i++
			if c == h1 {
				h1At = i
			}
			if dateNamed(c) {
				if t := textOf(c); len(t) < 120 {
					if d := parseLocalDate(t); d != "" {
						dist := i - h1At
						if h1At < 0 {
							dist = 1 << 20 // before the headline, or no headline: farther than any after it
						}
						if bestDist < 0 || dist < bestDist {
							best, bestDist = d, dist
						}
						continue
					}
				}
			}
			visit(c)
		}
	}
	visit(x.scope)
	return best
}

// dateNamed reports an element one of whose class or id words names a date.
func dateNamed(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Namespace != "" || (a.Key != "class" && a.Key != "id") {
			continue
		}
		found := false
		for _, name := range strings.Fields(a.Val) {
			classWords(name, func(w string) { found = found || dateClassWords[w] })
		}
		if found {
			return true
		}
	}
	return false
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

// parseLocalDate finds the first calendar date written in s in a local
// format and returns it as "2006-01-02", or "". No time or offset is
// invented.
func parseLocalDate(s string) string {
	if s == "" || len(s) > 300 {
		return ""
	}
	s = asciiDigits(s)
	if !strings.ContainsAny(s, "0123456789") {
		return ""
	}
	ymd := func(y, m, d string) string {
		yi, _ := strconv.Atoi(y)
		mi, _ := strconv.Atoi(m)
		di, _ := strconv.Atoi(d)
		return validDate(yi, mi, di)
	}
	if m := reCJKDate.FindStringSubmatch(s); m != nil {
		if d := ymd(m[1], m[2], m[3]); d != "" {
			return d
		}
	}
	if m := reISODate.FindStringSubmatch(s); m != nil {
		if d := ymd(m[1], m[2], m[3]); d != "" {
			return d
		}
	}
	low := strings.ToLower(s)
	if m := reDayMonth.FindStringSubmatch(low); m != nil {
		if mo := localMonths[m[2]]; mo > 0 {
			if d := ymd(m[3], strconv.Itoa(mo), m[1]); d != "" {
				return d
			}
		}
	}
	if m := reMonthDay.FindStringSubmatch(low); m != nil {
		if mo := localMonths[m[1]]; mo > 0 {
			if d := ymd(m[3], strconv.Itoa(mo), m[2]); d != "" {
				return d
			}
		}
	}
	if m := reNumDate.FindStringSubmatch(s); m != nil && m[2] == m[4] {
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[3])
		y, _ := strconv.Atoi(m[5])
		switch {
		case m[2] == ".": // day first wherever dots are used
			return validDate(y, b, a)
		case a > 12: // 31/12/2024
			return validDate(y, b, a)
		case b > 12: // 12/31/2024
			return validDate(y, a, b)
		}
		// 03/04/2024 reads either way: no date rather than a wrong one.
	}
	return ""
}

func validDate(y, m, d int) string {
	if y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

// asciiDigits rewrites the decimal digits of any script (Arabic-Indic,
// Devanagari, fullwidth) as ASCII ones.
func asciiDigits(s string) string {
	ascii := true
	for _, r := range s {
		if r >= 0x80 && unicode.Is(unicode.Nd, r) {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= 0x80 && unicode.Is(unicode.Nd, r) {
			return '0' + rune(digitValue(r))
		}
		return r
	}, s)
}

// digitValue returns a decimal digit's value: Unicode lays every decimal
// digit set out as ten consecutive code points from zero.
func digitValue(r rune) int {
	start := r
	for unicode.Is(unicode.Nd, start-1) {
		start--
	}
	return int(r-start) % 10
}
