package scraper

// Page requisites (Config.PageRequisites): the stylesheets, images, icons
// and fonts an HTML page needs to look like itself when replayed, the files
// `wget -p` and archiving crawlers capture with a page.

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// KindRequisite is a page requisite: fetched once per run for the pages that
// use it, archived, never parsed for links to follow. A stylesheet's own
// requisites (its url() and @import targets) are requisites too.
const KindRequisite Kind = "requisite"

// Defaults of the requisite bounds.
const (
	DefaultMaxRequisitesPerPage = 100
	DefaultMaxRequisiteBytes    = 8 << 20
)

// htmlRequisites returns the requisite references of an HTML document, in
// document order: link rel=stylesheet / icon / preload (style, font,
// image) hrefs, img src, srcset and lazy-loading data-src / data-srcset,
// picture source srcset, video poster, and the url() and @import targets of
// <style> elements and style attributes.
func htmlRequisites(body []byte) []string {
	z := html.NewTokenizer(bytes.NewReader(body))
	var refs []string
	inStyle := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return refs
		case html.TextToken:
			if inStyle {
				refs = append(refs, cssRequisites(z.Text())...)
			}
			continue
		case html.EndTagToken:
			inStyle = false
			continue
		case html.StartTagToken, html.SelfClosingTagToken:
		default:
			continue
		}
		name, hasAttr := z.TagName()
		a := atom.Lookup(name)
		inStyle = a == atom.Style && tt == html.StartTagToken
		var href, rel, as, src, srcset, dataSrc, dataSrcset, poster, style []byte
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			switch string(k) {
			case "href":
				href = v
			case "rel":
				rel = v
			case "as":
				as = v
			case "src":
				src = v
			case "srcset":
				srcset = v
			case "data-src":
				dataSrc = v
			case "data-srcset":
				dataSrcset = v
			case "poster":
				poster = v
			case "style":
				style = v
			}
		}
		if len(style) > 0 {
			refs = append(refs, cssRequisites(style)...)
		}
		switch a {
		case atom.Link:
			if len(href) > 0 && isRequisiteLink(rel, as) {
				refs = append(refs, string(href))
			}
		case atom.Img:
			refs = appendNonEmpty(refs, src, dataSrc)
			refs = append(refs, srcsetURLs(srcset)...)
			refs = append(refs, srcsetURLs(dataSrcset)...)
		case atom.Source:
			// In <picture>; a <video>/<audio> source has src, not srcset.
			refs = append(refs, srcsetURLs(srcset)...)
		case atom.Video:
			refs = appendNonEmpty(refs, poster)
		}
	}
}

func appendNonEmpty(refs []string, vs ...[]byte) []string {
	for _, v := range vs {
		if s := strings.TrimSpace(string(v)); s != "" {
			refs = append(refs, s)
		}
	}
	return refs
}

// isRequisiteLink reports whether a <link> with this rel (and as) loads
// something the page is drawn with.
func isRequisiteLink(rel, as []byte) bool {
	for _, r := range []string{"stylesheet", "icon", "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon"} {
		if hasRel(rel, r) {
			return true
		}
	}
	if hasRel(rel, "preload") {
		switch strings.ToLower(strings.TrimSpace(string(as))) {
		case "style", "font", "image":
			return true
		}
	}
	return false
}

// srcsetURLs returns the URLs of a srcset value ("a.jpg 1x, b.jpg 2x"): the
// replayed page may pick any of them, depending on the screen.
func srcsetURLs(v []byte) []string {
	var out []string
	s := strings.TrimSpace(string(v))
	for s != "" {
		s = strings.TrimLeft(s, " \t\n\r\f,")
		i := strings.IndexAny(s, " \t\n\r\f")
		if i < 0 {
			i = len(s)
		}
		u := s[:i]
		s = s[i:]
		// A URL may itself end in a comma when no descriptor follows.
		u = strings.TrimRight(u, ",")
		if u != "" {
			out = append(out, u)
		}
		// Skip the descriptor up to the next comma.
		if j := strings.IndexByte(s, ','); j >= 0 {
			s = s[j+1:]
		} else {
			s = ""
		}
	}
	return out
}

// cssRequisites returns the url() and @import targets of a stylesheet (or
// a style attribute), skipping data: URIs. Comments are ignored.
func cssRequisites(css []byte) []string {
	var out []string
	s := string(css)
	for len(s) > 0 {
		i := strings.IndexAny(s, "/u@U")
		if i < 0 {
			break
		}
		s = s[i:]
		switch {
		case strings.HasPrefix(s, "/*"):
			end := strings.Index(s[2:], "*/")
			if end < 0 {
				return out
			}
			s = s[2+end+2:]
		case len(s) >= 4 && strings.EqualFold(s[:4], "url("):
			v, rest := cssURLArg(s[4:])
			s = rest
			out = appendCSSURL(out, v)
		case len(s) >= 7 && strings.EqualFold(s[:7], "@import"):
			rest := strings.TrimLeft(s[7:], " \t\r\n\f")
			if len(rest) > 0 && (rest[0] == '"' || rest[0] == '\'') {
				if end := strings.IndexByte(rest[1:], rest[0]); end >= 0 {
					out = appendCSSURL(out, rest[1:1+end])
					s = rest[1+end+1:]
					continue
				}
			}
			s = rest // url(…) is found by the next round
		default:
			s = s[1:]
		}
	}
	return out
}

// cssURLArg reads the argument of url( up to its closing parenthesis.
func cssURLArg(s string) (arg, rest string) {
	t := strings.TrimLeft(s, " \t\r\n\f")
	if len(t) > 0 && (t[0] == '"' || t[0] == '\'') {
		if end := strings.IndexByte(t[1:], t[0]); end >= 0 {
			rest = t[1+end+1:]
			if p := strings.IndexByte(rest, ')'); p >= 0 {
				rest = rest[p+1:]
			}
			return t[1 : 1+end], rest
		}
		return "", ""
	}
	end := strings.IndexByte(t, ')')
	if end < 0 {
		return "", ""
	}
	return strings.TrimSpace(t[:end]), t[end+1:]
}

func appendCSSURL(out []string, v string) []string {
	v = strings.TrimSpace(v)
	if v == "" || v[0] == '#' || strings.HasPrefix(strings.ToLower(v), "data:") {
		return out
	}
	return append(out, v)
}

// isCSS reports whether a response is a stylesheet.
func isCSS(mt, pathQuery string) bool {
	if mt == "text/css" {
		return true
	}
	p, _, _ := strings.Cut(pathQuery, "?")
	return strings.HasSuffix(strings.ToLower(p), ".css") && (mt == "" || mt == "text/plain" || mt == "application/octet-stream")
}

// requisiteLinks returns a stylesheet's requisites as frontier entries (see
// addRequisites); other requisites have none.
func (c *Crawler) requisiteLinks(rs *runState, e Entry, base *url.URL, mt string, body []byte) []Entry {
	_, _, pq := splitCanonical(e.URL)
	if !c.cfg.PageRequisites || len(body) == 0 || base == nil || !isCSS(mt, pq) {
		return nil
	}
	ls := linkSet{crawler: c, rs: rs, from: e}
	c.addRequisites(&ls, base, cssRequisites(body))
	return ls.links
}

// addRequisites adds refs, resolved against base, to ls as entries of kind
// KindRequisite at the document's depth (a requisite is no hop), up to
// Config.MaxRequisitesPerPage of them.
func (c *Crawler) addRequisites(ls *linkSet, base *url.URL, refs []string) {
	n := 0
	for _, ref := range refs {
		if c.cfg.MaxRequisitesPerPage > 0 && n >= c.cfg.MaxRequisitesPerPage {
			c.log.Debug("requisites capped", logURL, ls.from.URL, logLinks, n)
			return
		}
		before := len(ls.links)
		ls.add(base, ref, KindRequisite, ls.from.Depth, time.Time{})
		n += len(ls.links) - before
	}
}

// requisite classifies the answer to a requisite's request; it returns
// false for answers that are handled like any other entry's (errors,
// retries, 4xx and 5xx). A 2xx (or a 304 to a conditional request) is
// archived whatever its type, and a stylesheet's own requisites are
// found in it; a redirect to another host is followed as a requisite
// (requisites may leave the crawl's scope).
func (c *Crawler) requisite(rs *runState, r *Result, e Entry, out fetchOutcome, prev *Previous) bool {
	resp := out.resp
	if out.err != nil || resp == nil {
		return false
	}
	st := resp.Status
	switch {
	case st == 304 && prev != nil:
		resp.NotModified = true
		if resp.ContentType == "" || resp.ContentType == "text/plain" {
			resp.ContentType = prev.ContentType
		}
		r.State = StateDone
		r.Links = c.requisiteLinks(rs, e, parseBase(resp.FinalURL), prev.ContentType, prev.Body)
	case st >= 200 && st <= 299:
		r.State = StateDone
		r.Links = c.requisiteLinks(rs, e, parseBase(resp.FinalURL), resp.ContentType, resp.Body)
		if resp.Truncated {
			r.Reason = ReasonTooLarge
			r.Detail = fmt.Sprintf("requisite cut at %d bytes", c.requisiteCap())
		}
	case st >= 300 && st <= 399 && out.handoff != "":
		r.State, r.Detail = StateDone, "redirect to "+out.handoff
		r.Links = []Entry{{URL: out.handoff, Depth: e.Depth, Kind: KindRequisite, Via: e.URL}}
	default:
		return false
	}
	return true
}

// requisiteCap is the largest requisite body kept.
func (c *Crawler) requisiteCap() int64 {
	if c.cfg.MaxRequisiteBytes > 0 {
		return min(c.cfg.MaxRequisiteBytes, c.cfg.MaxBodyBytes)
	}
	return c.cfg.MaxBodyBytes
}

func parseBase(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		return nil
	}
	return u
}
