package scraper

import (
	"slices"
	"strings"
)

// Template returns the path template of a canonical URL: its host and path
// with the parts that vary between pages of one generator replaced by
// placeholders — numbers "{n}", dates "{date}", ids and hashes "{id}", long
// slugs "{slug}" — and its query reduced to its sorted parameter names. Pages
// of a calendar (/calendar/2024/05/12), of a pagination (/news?page=7) or of
// one article pattern (/2024/05/12/some-long-slug) share a template; it is
// the unit trap defence counts yield on. It returns "" for a string that is
// not a canonical URL.
func Template(canonical string) string {
	_, hostport, pq := splitCanonical(canonical)
	if hostport == "" {
		return ""
	}
	path, query, hasQuery := strings.Cut(pq, "?")
	var b strings.Builder
	b.Grow(len(hostport) + len(path) + 16)
	b.WriteString(hostport)
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(segmentTemplate(s))
	}
	if hasQuery && query != "" {
		var keys []string
		for pair := range strings.SplitSeq(query, "&") {
			k, _, _ := strings.Cut(pair, "=")
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		b.WriteByte('?')
		b.WriteString(strings.Join(keys, "&"))
	}
	return b.String()
}

// segmentTemplate returns the placeholder for one path segment, or the
// segment itself when it looks like a fixed name ("news", "page").
func segmentTemplate(s string) string {
	if s == "" {
		return s
	}
	// Keep an extension: "/2024/05/12.html" is a day of a calendar too.
	stem, ext := s, ""
	if i := strings.LastIndexByte(s, '.'); i > 0 && len(s)-i <= 5 && isAlpha(s[i+1:]) {
		stem, ext = s[:i], s[i:]
	}
	var digits, letters, hexLetters, seps, others int
	for i := 0; i < len(stem); i++ {
		c := stem[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F':
			letters++
			hexLetters++
		case c >= 'g' && c <= 'z' || c >= 'G' && c <= 'Z':
			letters++
		case c == '-' || c == '_':
			seps++
		default:
			others++
		}
	}
	n := len(stem)
	switch {
	case n == 0:
		return s
	case digits == n:
		return "{n}" + ext
	case others == 0 && seps > 0 && digits >= 6 && letters == 0:
		return "{date}" + ext // 2024-05-12, 2024_05_12
	case others == 0 && digits > 0 && letters == hexLetters && n >= 8:
		return "{id}" + ext // hex hashes, uuids
	case others == 0 && seps == 0 && digits >= 3 && n >= 6:
		return "{id}" + ext // mixed ids: a1b2c3d4e5
	case others == 0 && seps >= 2 && letters > 0:
		return "{slug}" + ext // a-long-article-slug, story-1234
	case others == 0 && seps >= 1 && digits >= 3:
		return "{slug}" + ext // story-1234
	}
	return s
}

func isAlpha(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// dateQueryKeys are query parameter names that select a day, month or year:
// a template with one of them is calendar-shaped.
var dateQueryKeys = []string{"date", "day", "month", "year", "week", "from", "to", "start", "end", "since", "until",
	"d", "m", "y", "ym", "cal", "calendar", "start_date", "end_date"}

// pageQueryKeys are query parameter names that number a listing's pages.
var pageQueryKeys = []string{"page", "p", "pg", "paged", "offset", "start", "pagenum", "page_num", "pn"}

// templateShape classifies a template: calendars (several numbers in a row,
// a date, a date parameter) and paginations (/page/{n}, ?page=) get a smaller
// budget of fetches without yield than other templates.
type templateShape int

const (
	shapePlain templateShape = iota
	shapeCalendar
	shapePagination
)

func shapeOf(tmpl string) templateShape {
	path, query, _ := strings.Cut(tmpl, "?")
	for k := range strings.SplitSeq(query, "&") {
		k = strings.ToLower(k)
		if k != "" && slices.Contains(dateQueryKeys, k) {
			return shapeCalendar
		}
	}
	if strings.Contains(path, "{date}") || strings.Contains(path, "{n}/{n}") {
		return shapeCalendar
	}
	if strings.Contains(path, "/page/{n}") || strings.HasSuffix(path, "/page{n}") {
		return shapePagination
	}
	for k := range strings.SplitSeq(query, "&") {
		if k != "" && slices.Contains(pageQueryKeys, strings.ToLower(k)) {
			return shapePagination
		}
	}
	return shapePlain
}

// budgetFor returns how many fetches in a row without yield a template of
// shape sh may cost before it is cut, given the configured budget for plain
// templates.
func budgetFor(sh templateShape, budget int) int {
	switch sh {
	case shapeCalendar, shapePagination:
		return max(budget/2, 1)
	}
	return budget
}
