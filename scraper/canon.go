package scraper

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// Errors returned (wrapped) by Canonicalize.
var (
	// ErrInvalidURL means the string cannot be parsed as an absolute URL.
	ErrInvalidURL = errors.New("invalid URL")
	// ErrUnsupportedScheme means the URL is not http or https.
	ErrUnsupportedScheme = errors.New("unsupported URL scheme")
)

// Canonicalize returns the canonical form of an absolute http(s) URL, the key
// the frontier de-duplicates on:
//
//   - scheme and host lowercased, an IDN host converted to punycode, a
//     trailing dot of the host and a default port (:80, :443) dropped,
//     user info dropped;
//   - the fragment dropped, an empty path made "/", dot segments removed;
//   - percent-encoding normalised (RFC 3986 §6.2.2): escapes of unreserved
//     characters decoded, other escapes uppercased, characters that must be
//     escaped (space, non-ASCII …) escaped, a stray "%" escaped as "%25";
//   - session ids removed: query parameters and ";"-path parameters named
//     sid, jsessionid, phpsessid, sessionid, session_id, aspsessionid*, cfid,
//     cftoken;
//   - tracking parameters removed: utm_*, fbclid, gclid, dclid, gbraid,
//     wbraid, msclkid, mc_cid, mc_eid, ref_src, yclid, igshid, _ga, _gl,
//     _hsenc, _hsmi, mkt_tok;
//   - the remaining query parameters sorted by name (stable, so repeated
//     names keep their order), empty ones dropped, and a bare "?" removed.
//
// Repeated slashes ("//") are kept: RFC 3986 makes "/a//b" a different
// resource from "/a/b" and some servers route on it; trap detection bounds
// the damage. "+" in a query is kept as is (it may mean a space or a plus).
func Canonicalize(raw string) (string, error) {
	u, err := parseLoose(raw)
	if err != nil {
		return "", err
	}
	return canonicalURL(u)
}

// parseLoose parses raw as browsers are lenient about: surrounding spaces,
// tabs and newlines inside the URL (WHATWG strips them), and stray "%".
func parseLoose(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if strings.ContainsAny(raw, "\t\n\r") {
		raw = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(raw)
	}
	if strings.IndexByte(raw, '%') >= 0 {
		raw = fixStrayPercent(raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidURL, err)
	}
	return u, nil
}

// canonicalURL is Canonicalize for a parsed absolute URL.
func canonicalURL(u *url.URL) (string, error) {
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		if scheme == "" {
			return "", fmt.Errorf("%w: %q is not absolute", ErrInvalidURL, u.String())
		}
		return "", fmt.Errorf("%w: %q", ErrUnsupportedScheme, scheme)
	}
	if u.Opaque != "" {
		return "", fmt.Errorf("%w: %q has no authority", ErrInvalidURL, u.String())
	}
	host, err := canonicalHost(u.Hostname())
	if err != nil {
		return "", err
	}
	port := u.Port()
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n <= 0 || n > 65535 {
			return "", fmt.Errorf("%w: bad port %q", ErrInvalidURL, port)
		}
		port = strings.TrimLeft(port, "0")
	}
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if u.Host != "" && strings.HasSuffix(u.Host, ":") {
		port = ""
	}

	var b strings.Builder
	p := canonicalPath(u.EscapedPath())
	q := canonicalQuery(u.RawQuery)
	b.Grow(len(scheme) + 3 + len(host) + 6 + len(p) + 1 + len(q))
	b.WriteString(scheme)
	b.WriteString("://")
	if strings.IndexByte(host, ':') >= 0 {
		b.WriteByte('[')
		b.WriteString(host)
		b.WriteByte(']')
	} else {
		b.WriteString(host)
	}
	if port != "" {
		b.WriteByte(':')
		b.WriteString(port)
	}
	b.WriteString(p)
	if q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	return b.String(), nil
}

func canonicalHost(h string) (string, error) {
	h = strings.TrimRight(h, ".")
	if h == "" {
		return "", fmt.Errorf("%w: empty host", ErrInvalidURL)
	}
	if h[0] == '.' || strings.Contains(h, "..") {
		return "", fmt.Errorf("%w: empty label in host %q", ErrInvalidURL, h)
	}
	ascii := true
	for i := 0; i < len(h); i++ {
		c := h[i]
		if c >= 0x80 {
			ascii = false
			break
		}
		if c <= ' ' || strings.IndexByte(`"<>\^`+"`"+`{|}%/?#@`, c) >= 0 {
			return "", fmt.Errorf("%w: bad host %q", ErrInvalidURL, h)
		}
	}
	if ascii {
		return strings.ToLower(h), nil
	}
	a, err := idna.Lookup.ToASCII(h)
	if err != nil || a == "" {
		return "", fmt.Errorf("%w: bad host %q", ErrInvalidURL, h)
	}
	return a, nil
}

// canonicalPath normalises an escaped path: escapes, session path
// parameters, dot segments, empty → "/".
func canonicalPath(p string) string {
	p = normEscapes(p)
	if strings.IndexByte(p, ';') >= 0 {
		p = stripPathParams(p)
	}
	if p == "" {
		return "/"
	}
	if p[0] != '/' {
		p = "/" + p
	}
	if strings.Contains(p, "/.") {
		p = removeDotSegments(p)
	}
	return p
}

// stripPathParams removes session parameters such as ";jsessionid=…" from
// every path segment.
func stripPathParams(p string) string {
	segs := strings.Split(p, "/")
	changed := false
	for i, s := range segs {
		if strings.IndexByte(s, ';') < 0 {
			continue
		}
		parts := strings.Split(s, ";")
		kept := parts[:1]
		for _, prm := range parts[1:] {
			name, _, _ := strings.Cut(prm, "=")
			if isSessionParam(strings.ToLower(name)) {
				changed = true
				continue
			}
			kept = append(kept, prm)
		}
		segs[i] = strings.Join(kept, ";")
	}
	if !changed {
		return p
	}
	return strings.Join(segs, "/")
}

// removeDotSegments implements RFC 3986 §5.2.4 on a path starting with "/".
func removeDotSegments(p string) string {
	segs := strings.Split(p[1:], "/")
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
			if last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	return "/" + strings.Join(out, "/")
}

// canonicalQuery drops session and tracking parameters and empty pairs,
// normalises escapes and sorts by name.
func canonicalQuery(q string) string {
	if q == "" {
		return ""
	}
	pairs := strings.Split(q, "&")
	kept := pairs[:0]
	for _, p := range pairs {
		if p == "" || p == "=" {
			continue
		}
		p = normEscapes(p)
		name, _, _ := strings.Cut(p, "=")
		if dropParam(name) {
			continue
		}
		kept = append(kept, p)
	}
	if len(kept) == 0 {
		return ""
	}
	if len(kept) > 1 {
		slices.SortStableFunc(kept, func(a, b string) int {
			an, _, _ := strings.Cut(a, "=")
			bn, _, _ := strings.Cut(b, "=")
			return strings.Compare(an, bn)
		})
	}
	return strings.Join(kept, "&")
}

func dropParam(name string) bool {
	n := strings.ToLower(name)
	if strings.HasPrefix(n, "utm_") || isSessionParam(n) {
		return true
	}
	switch n {
	case "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid",
		"ref_src", "yclid", "igshid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok":
		return true
	}
	return false
}

// isSessionParam reports whether a lowercased parameter name carries a
// session id.
func isSessionParam(n string) bool {
	switch n {
	case "sid", "jsessionid", "phpsessid", "sessionid", "session_id", "cfid", "cftoken":
		return true
	}
	return strings.HasPrefix(n, "aspsessionid")
}

const upperHex = "0123456789ABCDEF"

// normEscapes normalises percent-encoding of an already escaped URL component
// (RFC 3986 §6.2.2.1–2): escapes of unreserved characters are decoded, the
// other escapes uppercased, bytes that may not appear literally are escaped
// and a "%" not starting an escape becomes "%25". Reserved characters are
// left as they are, escaped or not, since decoding them changes meaning.
// It returns s itself when nothing changes (no allocation).
func normEscapes(s string) string {
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		if c == '%' || mustEscape(c) {
			break
		}
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			if i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				v := unhex(s[i+1])<<4 | unhex(s[i+2])
				if isUnreserved(v) {
					b.WriteByte(v)
				} else {
					b.WriteByte('%')
					b.WriteByte(upperHex[v>>4])
					b.WriteByte(upperHex[v&15])
				}
				i += 2
			} else {
				b.WriteString("%25")
			}
		case mustEscape(c):
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// fixStrayPercent escapes every "%" that does not start a valid escape, so
// that url.Parse accepts what browsers accept.
func fixStrayPercent(s string) string {
	bad := false
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && (i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2])) {
			bad = true
			break
		}
	}
	if !bad {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && (i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2])) {
			b.WriteString("%25")
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func mustEscape(c byte) bool {
	return c <= ' ' || c >= 0x7f || strings.IndexByte(`"<>\^`+"`{|}", c) >= 0
}

func isUnreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// Trap heuristics. A URL is a likely crawler trap when it is longer than the
// configured cap, has more than maxPathSegments segments, repeats one path
// segment trapRepeats times (/a/b/a/b/a/b, calendars, relative-link loops),
// or repeats one query pair trapRepeats times.
const (
	maxPathSegments = 32
	trapRepeats     = 3
)

// trapDetail returns why canonical URL s looks like a trap, or "" when it
// does not.
func trapDetail(s string, maxLen int) string {
	if len(s) > maxLen {
		return fmt.Sprintf("URL longer than %d bytes", maxLen)
	}
	rest := s
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	path, query, _ := strings.Cut(rest, "?")
	if i := strings.IndexByte(path, '/'); i >= 0 {
		path = path[i+1:]
	} else {
		path = ""
	}
	if d := repeated(path, '/', "path segment"); d != "" {
		return d
	}
	return repeated(query, '&', "query pair")
}

func repeated(s string, sep byte, what string) string {
	if s == "" {
		return ""
	}
	n := strings.Count(s, string(sep)) + 1
	if sep == '/' && n > maxPathSegments {
		return fmt.Sprintf("more than %d path segments", maxPathSegments)
	}
	if n < trapRepeats {
		return ""
	}
	counts := make(map[string]int, n)
	for part := range strings.SplitSeq(s, string(sep)) {
		if part == "" {
			continue
		}
		counts[part]++
		if counts[part] >= trapRepeats {
			return fmt.Sprintf("%s %q repeats %d times", what, part, trapRepeats)
		}
	}
	return ""
}
