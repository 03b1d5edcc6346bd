package web

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// blockedURL replaces a CSS URL that cannot be served from the archive: the
// browser fetches nothing for about:invalid (and the CSP forbids it anyway).
const blockedURL = `url("about:invalid")`

// urlStringFunctions are the CSS functions whose string arguments are URLs
// (CSS Images 4: image-set("a.png" 1x), image("a.png"); CSS Values 4:
// src("a.png")).
var urlStringFunctions = map[string]bool{
	"image-set": true, "-webkit-image-set": true, "image": true, "src": true,
}

// cleanCSS rewrites every URL of a stylesheet (url(), @import "…" and the
// string URLs of image-set() and its kin) to the archive's resource endpoint,
// resolved against base (the stylesheet's own URL, or the page's for inline
// styles). Names are compared after CSS escapes are decoded, as the browser
// does, so u\72l(…) is a url() too. Comments are removed.
func cleanCSS(css string, base *url.URL) string {
	var (
		b       strings.Builder
		fns     []string // open functions and blocks, innermost last ("" for a block)
		pending bool     // inside an @import prelude
	)
	b.Grow(len(css))
	inURLFunction := func() bool { return len(fns) > 0 && urlStringFunctions[fns[len(fns)-1]] }
	pop := func() {
		if len(fns) > 0 {
			fns = fns[:len(fns)-1]
		}
	}
	for i := 0; i < len(css); {
		c := css[i]
		switch {
		case c == '/' && i+1 < len(css) && css[i+1] == '*':
			j := strings.Index(css[i+2:], "*/")
			if j < 0 {
				i = len(css)
				continue
			}
			i += j + 4
			b.WriteByte(' ')
		case c == '"' || c == '\'':
			val, n := cssString(css[i:])
			if pending || inURLFunction() {
				b.WriteString(cssURL(val, base))
			} else {
				b.WriteString(css[i : i+n])
			}
			i += n
		case c == '@':
			name, n := cssIdent(css[i+1:])
			pending = pending || strings.EqualFold(name, "import")
			b.WriteString(css[i : i+1+n])
			i += 1 + n
		case c == ';' || c == '{' || c == '}':
			pending = false
			if c == '{' {
				fns = append(fns, "")
			} else if c == '}' {
				pop()
			}
			b.WriteByte(c)
			i++
		case c == '(':
			fns = append(fns, "")
			b.WriteByte(c)
			i++
		case c == ')':
			pop()
			b.WriteByte(c)
			i++
		case identStart(css[i:]):
			name, n := cssIdent(css[i:])
			if i+n < len(css) && css[i+n] == '(' {
				lname := strings.ToLower(name)
				if lname == "url" {
					val, m := cssURLBody(css[i+n+1:])
					b.WriteString(cssURL(val, base))
					i += n + 1 + m
					continue
				}
				fns = append(fns, lname)
				b.WriteString(css[i : i+n+1])
				i += n + 1
				continue
			}
			b.WriteString(css[i : i+n])
			i += n
		default:
			b.WriteByte(c)
			i++
		}
	}
	// The text goes into a <style> element: never let it close one.
	return strings.ReplaceAll(b.String(), "</", `<\/`)
}

// cleanCSSDeclarations is cleanCSS for a style attribute.
func cleanCSSDeclarations(decls string, base *url.URL) string {
	return cleanCSS(decls, base)
}

// cssURL is the rewritten url() for ref: the archive's resource endpoint, a
// data: image or font as it is, a fragment reference (an SVG filter or
// gradient of the page) as it is, else blockedURL.
func cssURL(ref string, base *url.URL) string {
	ref = strings.TrimSpace(ref)
	l := strings.ToLower(ref)
	switch {
	case strings.HasPrefix(l, "#"):
	case strings.HasPrefix(l, "data:image/"), strings.HasPrefix(l, "data:font/"),
		strings.HasPrefix(l, "data:application/font"), strings.HasPrefix(l, "data:application/x-font"):
	default:
		ref = resourceURL(ref, base, false)
		if ref == "" {
			return blockedURL
		}
	}
	return `url(` + strconv.Quote(ref) + `)`
}

// identStart reports whether s starts an identifier (CSS Syntax §4.3.9,
// loosely: digits too, which only makes a number part of the name).
func identStart(s string) bool {
	c := s[0]
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-', c >= 0x80:
		return true
	case c == '\\':
		return len(s) > 1 && s[1] != '\n' && s[1] != '\r' && s[1] != '\f'
	}
	return false
}

// cssIdent reads an identifier at the start of s: its value with escapes
// decoded, and the bytes it takes.
func cssIdent(s string) (string, int) {
	var b strings.Builder
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-', c >= 0x80:
			b.WriteByte(c)
			i++
		case c == '\\' && identStart(s[i:]):
			r, n := cssEscape(s[i+1:])
			b.WriteRune(r)
			i += 1 + n
		default:
			return b.String(), i
		}
	}
	return b.String(), i
}

// cssEscape decodes the escape after a backslash: up to six hex digits and
// one optional white space, or one character.
func cssEscape(s string) (rune, int) {
	n := 0
	for n < len(s) && n < 6 && isHex(s[n]) {
		n++
	}
	if n == 0 {
		if s == "" {
			return utf8.RuneError, 0
		}
		r, size := utf8.DecodeRuneInString(s)
		return r, size
	}
	v, _ := strconv.ParseUint(s[:n], 16, 32)
	r := rune(v)
	if r == 0 || r > utf8.MaxRune || r >= 0xD800 && r <= 0xDFFF {
		r = utf8.RuneError
	}
	if n < len(s) && (s[n] == ' ' || s[n] == '\t' || s[n] == '\n' || s[n] == '\f') {
		n++
	} else if n+1 < len(s) && s[n] == '\r' && s[n+1] == '\n' {
		n += 2
	} else if n < len(s) && s[n] == '\r' {
		n++
	}
	return r, n
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// cssString reads a quoted string at the start of s: its value with escapes
// decoded, and the bytes it takes (to the closing quote, or to the newline
// or end that leaves it unterminated).
func cssString(s string) (string, int) {
	q := s[0]
	var b strings.Builder
	i := 1
	for i < len(s) {
		c := s[i]
		switch {
		case c == q:
			return b.String(), i + 1
		case c == '\n' || c == '\r' || c == '\f':
			return b.String(), i
		case c == '\\':
			if i+1 < len(s) && (s[i+1] == '\n' || s[i+1] == '\f') {
				i += 2 // a line continuation
				continue
			}
			r, n := cssEscape(s[i+1:])
			if n > 0 {
				b.WriteRune(r)
			}
			i += 1 + n
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), i
}

// cssURLBody reads what follows "url(": a quoted or unquoted URL, through
// the closing parenthesis. It returns the URL and the bytes taken.
func cssURLBody(s string) (string, int) {
	i := 0
	for i < len(s) && isCSSSpace(s[i]) {
		i++
	}
	var val string
	if i < len(s) && (s[i] == '"' || s[i] == '\'') {
		v, n := cssString(s[i:])
		val = v
		i += n
	} else {
		var b strings.Builder
		for i < len(s) && s[i] != ')' {
			if s[i] == '\\' && i+1 < len(s) {
				r, n := cssEscape(s[i+1:])
				b.WriteRune(r)
				i += 1 + n
				continue
			}
			b.WriteByte(s[i])
			i++
		}
		val = b.String()
	}
	// Anything else before ')' makes a bad url: it is dropped with it.
	for i < len(s) && s[i] != ')' {
		i++
	}
	if i < len(s) {
		i++
	}
	return val, i
}

func isCSSSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}
