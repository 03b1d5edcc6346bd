package extract

// Small text measures shared by the stages. Two counts of "words", for two
// jobs: fieldCount counts space-separated fields (the shape of a title or
// a label: "at most 8 fields"), wordCount counts words of letters and digits
// (Article.WordCount, "a name has two words"), so "Smith –" is 2 fields but
// one word.

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// wordSet returns the set of the space-separated words of s.
func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// fieldCount counts the space-separated fields of s, punctuation included.
func fieldCount(s string) int { return len(strings.Fields(s)) }

// wordCount counts runs of letters and digits; apostrophes and hyphens
// join words but do not start them.
func wordCount(s string) int {
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

// firstWord returns the leading run of letters of a line, lowercased.
func firstWord(s string) string {
	for i, r := range s {
		if !unicode.IsLetter(r) {
			return strings.ToLower(s[:i])
		}
	}
	return strings.ToLower(s)
}

// lastWord returns the trailing run of letters of a line, lowercased,
// ignoring closing punctuation.
func lastWord(s string) string {
	s = strings.TrimRight(s, " .)")
	i := len(s)
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !unicode.IsLetter(r) {
			break
		}
		i -= size
	}
	return strings.ToLower(s[i:])
}

// appendLower appends s to buf with ASCII letters lowercased.
func appendLower(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf
}

// squash keeps the letters and digits of s.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}
