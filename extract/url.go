package extract

import (
	"net/url"
	"strings"
)

func (x *extraction) canonical() {
	p, a := x.p, x.a
	switch {
	case p.canonical != "":
		a.CanonicalURL = p.canonical
		x.set("canonical_url", SourceMeta)
	case resolve(p.base, p.meta["og:url"]) != "":
		a.CanonicalURL = resolve(p.base, p.meta["og:url"])
		x.set("canonical_url", SourceOpenGraph)
	case x.ld.url != "" && resolve(p.base, x.ld.url) != "":
		a.CanonicalURL = resolve(p.base, x.ld.url)
		x.set("canonical_url", SourceJSONLD)
	case p.url != nil && p.url.IsAbs():
		u := *p.url
		u.Fragment = ""
		a.CanonicalURL = u.String()
		x.set("canonical_url", SourceHeuristic)
	}
}

// linkBase settles the URL that the record's relative links resolve against.
// A page served from another host than its canonical one (a mirror, the
// loopback demo) but naming itself there — its absolute canonical URL, or
// og:url when it has no canonical link, has the page URL's path — resolves
// against the canonical URL, so its record does not change with the host or
// port that served it. Otherwise (a canonical pointing to a home page, say)
// the page URL and its <base href> stay the base.
func (x *extraction) linkBase() {
	p := x.p
	if p.url == nil {
		return
	}
	raw := p.canonicalRaw
	if raw == "" {
		raw = p.meta["og:url"]
	}
	c, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || !c.IsAbs() || c.Host == "" || !samePath(c.Path, p.url.Path) {
		return
	}
	if strings.EqualFold(c.Host, p.url.Host) && c.Scheme == p.url.Scheme {
		return // served from its own address: nothing to settle
	}
	c.Fragment, c.RawFragment = "", ""
	if p.baseHref != "" {
		if h, err := url.Parse(p.baseHref); err == nil {
			c = c.ResolveReference(h)
		}
	}
	p.base = c
}

// samePath compares two URL paths, ignoring a trailing slash.
func samePath(a, b string) bool {
	return strings.TrimSuffix(a, "/") == strings.TrimSuffix(b, "/")
}
