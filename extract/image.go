package extract

import (
	"strings"

	"golang.org/x/net/html/atom"
)

func (x *extraction) image(ruleSrc string) {
	a, p := x.a, x.p
	var u, src string
	if x.rule != nil {
		if n := x.find(selImage); n != nil {
			if n.DataAtom == atom.Img || n.DataAtom == atom.Source {
				u = imageSource(p.base, n)
			} else if img := firstImage(n); img != nil {
				u = imageSource(p.base, img)
			} else {
				u = resolve(p.base, value(n))
			}
			src = ruleSrc
		}
	}
	metaImages := x.rule == nil || !x.rule.NoMetaImage
	for _, c := range []struct{ v, src string }{
		{x.ld.image, SourceJSONLD},
		{p.meta["og:image:secure_url"], SourceOpenGraph},
		{p.meta["og:image"], SourceOpenGraph},
		{p.meta["og:image:url"], SourceOpenGraph},
		{p.meta["twitter:image"], SourceMeta},
		{p.meta["twitter:image:src"], SourceMeta},
	} {
		if u != "" || (!metaImages && c.src != SourceJSONLD) {
			break
		}
		u, src = resolve(p.base, c.v), c.src
	}
	// Prefer the https twin of an http image URL (og:image:secure_url).
	if strings.HasPrefix(u, "http://") {
		if s := resolve(p.base, p.meta["og:image:secure_url"]); s != "" && strings.TrimPrefix(s, "https://") == strings.TrimPrefix(u, "http://") {
			u = s
		}
	}
	if u == "" && x.bodyImage != "" {
		u, src = x.bodyImage, SourceHeuristic
	}
	if u == "" {
		if a.Image != nil && a.Image.Caption != "" {
			// A caption without an image URL is still a caption; keep it.
			x.set("image", SourceHeuristic)
		}
		return
	}
	if a.Image == nil {
		a.Image = &Image{}
	}
	a.Image.URL = u
	x.set("image", src)
}
