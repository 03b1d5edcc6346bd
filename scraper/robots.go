package scraper

import (
	"bytes"
	"strconv"
	"strings"
	"time"
)

// robotsParseLimit is how much of a robots.txt is parsed. RFC 9309 §2.5:
// crawlers MUST parse at least 500 kibibytes.
const robotsParseLimit = 500 << 10

// Robots is the part of a robots.txt that applies to one product token: the
// merged rules of every group naming the token, or of the "*" groups when
// none does. The zero value and a nil *Robots allow everything.
//
// It follows RFC 9309: groups start with one or more user-agent lines;
// groups naming the same agent are merged; agent tokens match
// case-insensitively; the longest matching rule wins and allow wins a tie;
// "*" matches any run of characters and a final "$" anchors the end;
// percent-encoding is normalised on both sides before comparing (§2.2.2);
// unknown lines are ignored. It also accepts what real files contain and
// Google's parser accepts: a UTF-8 BOM, CR, LF or CRLF line ends,
// whitespace before the colon, a missing colon, and common misspellings of
// the keys. Crawl-delay (not in the RFC) is read from the chosen groups.
type Robots struct {
	rules      []robotsRule
	crawlDelay time.Duration
	sitemaps   []string
}

type robotsRule struct {
	pattern string // normalised; may contain '*' and a final '$'
	allow   bool
	plain   bool // no '*' and no final '$': a prefix test suffices
}

type robotsGroup struct {
	agents     []string
	rules      []robotsRule
	crawlDelay time.Duration
}

// ParseRobots parses a robots.txt body for the given product token (such as
// "newsarchive"; see Config.UserAgent). Parsing never fails: what is not
// understood is ignored. Only the first 500 KiB are read.
func ParseRobots(body []byte, token string) *Robots {
	if len(body) > robotsParseLimit {
		body = body[:robotsParseLimit]
	}
	body = trimBOM(body)
	token = strings.ToLower(token)

	var (
		groups  []*robotsGroup
		cur     *robotsGroup
		inRules bool // the current group has had a rule: the next agent line starts a new group
		r       = &Robots{}
	)
	for len(body) > 0 {
		var line []byte
		i := bytes.IndexAny(body, "\r\n")
		if i < 0 {
			line, body = body, nil
		} else {
			line = body[:i]
			if body[i] == '\r' && i+1 < len(body) && body[i+1] == '\n' {
				i++
			}
			body = body[i+1:]
		}
		key, value, ok := robotsLine(line)
		if !ok {
			continue
		}
		switch key {
		case "user-agent", "useragent", "user agent":
			if cur == nil || inRules {
				cur = &robotsGroup{}
				groups = append(groups, cur)
				inRules = false
			}
			cur.agents = append(cur.agents, agentToken(value))
		case "allow", "disallow", "dissallow", "dissalow", "disalow", "diasllow", "disallaw":
			if cur == nil {
				continue // RFC 9309 §2.1: rules outside a group are ignored
			}
			inRules = true
			if value == "" {
				continue // "Disallow:" with no path disallows nothing
			}
			p := normEscapes(value)
			cur.rules = append(cur.rules, robotsRule{
				pattern: p,
				allow:   key == "allow",
				plain:   strings.IndexByte(p, '*') < 0 && !strings.HasSuffix(p, "$"),
			})
		case "crawl-delay", "crawldelay", "crawl delay":
			if cur == nil {
				continue
			}
			inRules = true
			if f, err := strconv.ParseFloat(value, 64); err == nil && f >= 0 && f < 1e6 {
				cur.crawlDelay = time.Duration(f * float64(time.Second))
			}
		case "sitemap", "site-map":
			// Sitemap lines are not part of any group (RFC 9309 §2.3.5).
			if value != "" {
				r.sitemaps = append(r.sitemaps, value)
			}
		}
	}

	chosen := pickGroups(groups, token)
	if len(chosen) == 0 {
		chosen = pickGroups(groups, "*")
	}
	for _, g := range chosen {
		r.rules = append(r.rules, g.rules...)
		r.crawlDelay = max(r.crawlDelay, g.crawlDelay)
	}
	return r
}

func pickGroups(groups []*robotsGroup, token string) []*robotsGroup {
	var out []*robotsGroup
	for _, g := range groups {
		for _, a := range g.agents {
			if a == token {
				out = append(out, g)
				break
			}
		}
	}
	return out
}

// agentToken extracts the product token of a user-agent line value
// ("Googlebot/2.1" → "googlebot", "*" → "*"), as Google's parser does.
func agentToken(v string) string {
	if strings.HasPrefix(v, "*") {
		return "*"
	}
	return productToken(v)
}

// robotsLine splits a line into a lowercased key and a value, dropping
// comments and surrounding whitespace.
func robotsLine(line []byte) (key, value string, ok bool) {
	if i := bytes.IndexByte(line, '#'); i >= 0 {
		line = line[:i]
	}
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return "", "", false
	}
	k, v, found := bytes.Cut(line, []byte(":"))
	if !found {
		// Google accepts "Disallow /x": a key and a value separated by
		// whitespace, and nothing else on the line.
		i := bytes.IndexAny(line, " \t")
		if i < 0 {
			return "", "", false
		}
		k, v = line[:i], bytes.TrimSpace(line[i:])
		if bytes.ContainsAny(v, " \t") {
			return "", "", false
		}
	}
	key = strings.ToLower(string(bytes.TrimSpace(k)))
	key = strings.Join(strings.Fields(key), " ")
	return key, string(bytes.TrimSpace(v)), key != ""
}

func trimBOM(b []byte) []byte {
	bom := []byte{0xEF, 0xBB, 0xBF}
	for i := 3; i > 0; i-- {
		if bytes.HasPrefix(b, bom[:i]) {
			return b[i:]
		}
	}
	return b
}

// Allowed reports whether the URL path (with its query, escaped as in the
// URL) may be fetched. "/robots.txt" is always allowed (RFC 9309 §2.2.2).
func (r *Robots) Allowed(pathQuery string) bool {
	if r == nil || len(r.rules) == 0 {
		return true
	}
	if pathQuery == "" {
		pathQuery = "/"
	}
	if pathQuery == "/robots.txt" {
		return true
	}
	p := normEscapes(pathQuery)
	best, allow := -1, true
	for i := range r.rules {
		rule := &r.rules[i]
		n := len(rule.pattern)
		if n < best || (n == best && !rule.allow) {
			continue // cannot beat the current match
		}
		if !rule.matches(p) {
			continue
		}
		if n > best || rule.allow {
			best, allow = n, rule.allow
		}
	}
	return allow
}

// CrawlDelay returns the Crawl-delay of the chosen groups (the largest when
// merged groups disagree), 0 when there is none.
func (r *Robots) CrawlDelay() time.Duration {
	if r == nil {
		return 0
	}
	return r.crawlDelay
}

// Sitemaps returns the Sitemap URLs listed in the file, in order.
func (r *Robots) Sitemaps() []string {
	if r == nil {
		return nil
	}
	return r.sitemaps
}

func (rule *robotsRule) matches(p string) bool {
	if rule.plain {
		return strings.HasPrefix(p, rule.pattern)
	}
	return wildcardMatch(rule.pattern, p)
}

// wildcardMatch matches a robots.txt pattern with '*' (any run) and a final
// '$' (end of path) against the start of p. It tracks the set of reachable
// positions, so it is O(len(pattern)·len(p)) with no backtracking blow-up.
func wildcardMatch(pattern, p string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	if anchored {
		pattern = pattern[:len(pattern)-1]
	}
	// pos[j] reports whether p[:j] can be consumed by the pattern so far.
	pos := make([]bool, len(p)+1)
	pos[0] = true
	lo := 0 // the lowest reachable position
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		if c == '*' {
			for j := lo + 1; j <= len(p); j++ {
				pos[j] = true
			}
			continue
		}
		any := false
		newLo := -1
		for j := len(p); j > lo; j-- {
			pos[j] = pos[j-1] && p[j-1] == c
			if pos[j] {
				any = true
				newLo = j
			}
		}
		pos[lo] = false
		if !any {
			return false
		}
		lo = newLo
	}
	if anchored {
		return pos[len(p)]
	}
	return true
}
