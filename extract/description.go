package extract

func (x *extraction) description(ruleSrc string) {
	a, p := x.a, x.p
	if x.rule != nil {
		if n := x.findHead(x.rule.sel.description); n != nil {
			if d := collapse(value(n)); d != "" {
				a.Description = d
				x.set("description", ruleSrc)
				return
			}
		}
	}
	for _, c := range []struct{ v, src string }{
		{x.ld.description, SourceJSONLD},
		{p.meta["og:description"], SourceOpenGraph},
		{p.meta["twitter:description"], SourceMeta},
		{p.meta["description"], SourceMeta},
	} {
		if d := collapse(c.v); d != "" {
			a.Description = d
			x.set("description", c.src)
			return
		}
	}
}
