package extract

import "strings"

func (x *extraction) siteName(ruleSrc string) {
	a, p := x.a, x.p
	switch {
	case p.meta["og:site_name"] != "":
		a.SiteName = collapse(p.meta["og:site_name"])
		x.set("site_name", SourceOpenGraph)
	case x.ld.publisher != "":
		a.SiteName = x.ld.publisher
		x.set("site_name", SourceJSONLD)
	case x.rule != nil && x.rule.SiteName != "":
		a.SiteName = x.rule.SiteName
		x.set("site_name", ruleSrc)
	case p.meta["application-name"] != "":
		a.SiteName = collapse(p.meta["application-name"])
		x.set("site_name", SourceMeta)
	}
}

func (x *extraction) siteNames() []string {
	names := []string{x.a.SiteName, x.p.meta["og:site_name"], x.ld.publisher}
	if x.rule != nil {
		names = append(names, x.rule.SiteName)
	}
	return names
}

func (x *extraction) language() {
	a, p := x.a, x.p
	switch {
	case p.lang != "":
		a.Language = p.lang
		x.set("language", SourceMeta)
	case p.meta["og:locale"] != "":
		a.Language = strings.ReplaceAll(p.meta["og:locale"], "_", "-")
		x.set("language", SourceOpenGraph)
	case p.header.Get("Content-Language") != "":
		a.Language = strings.TrimSpace(strings.Split(p.header.Get("Content-Language"), ",")[0])
		x.set("language", SourceMeta)
	case p.meta["http-equiv:content-language"] != "":
		a.Language = strings.TrimSpace(strings.Split(p.meta["http-equiv:content-language"], ",")[0])
		x.set("language", SourceMeta)
	case x.ld.language != "":
		a.Language = x.ld.language
		x.set("language", SourceJSONLD)
	}
}
