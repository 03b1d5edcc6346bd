package extract

// caption records the lead image's caption (the first one found wins).
func (x *extraction) caption(t string) {
	if t == "" {
		return
	}
	if x.a.Image == nil {
		x.a.Image = &Image{}
	}
	if x.a.Image.Caption == "" {
		x.a.Image.Caption = t
	}
}
