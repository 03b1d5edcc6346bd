package extract

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Generic tags, for pages that declare none in their metadata: links marked
// rel=tag, and "Tags:" / "Tagged:" / "Topics:" lines (and their equivalents)
// of links or comma-separated words.

// reTagLabel is the label that opens a tag line.
var reTagLabel = regexp.MustCompile(`(?i)^\s*(?:tags|tagged(?: with| as)?|topics|keywords|filed under|schlagw(?:ö|o)rte?r?|themen|stichw(?:ö|o)rter|étiquettes|mots[- ]clés|etiquetas|temas|tag|argomenti|parole chiave|trefwoorden|теги|метки|ключевые слова|タグ|标签|標籤)\s*[:：]\s*`)

// pageTags returns the tags the page shows.
func (x *extraction) pageTags() []string {
	var out []string
	var relTags []string
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || junkElement(c) {
				continue
			}
			switch c.DataAtom {
			case atom.Nav, atom.Script, atom.Style, atom.Form:
				continue
			case atom.A:
				for _, r := range strings.Fields(strings.ToLower(attr(c, "rel"))) {
					if r == "tag" {
						relTags = append(relTags, textOf(c))
					}
				}
				continue
			}
			if isBlock(c) && startsWithTagLabel(c) {
				if t, ok := shortText(c, 400); ok {
					if loc := reTagLabel.FindStringIndex(t); loc != nil {
						out = tagItems(c, t[loc[1]:])
						if len(out) > 0 {
							return true
						}
					}
				}
			}
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(x.p.body)
	if len(out) == 0 {
		return relTags
	}
	return out
}

// tagItems returns the tags of a tag line: its links' texts, else its words
// after the label split at commas.
func tagItems(n *html.Node, rest string) []string {
	var out []string
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			if t := collapse(textOf(n)); t != "" && len(t) <= 60 {
				out = append(out, t)
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(n)
	if len(out) > 0 {
		return out
	}
	for _, p := range strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == ';' || r == '|' || r == '·' }) {
		if p = collapse(p); p != "" && len(p) <= 60 {
			out = append(out, p)
		}
	}
	return out
}

// startsWithTagLabel is a cheap test: the first text of block n holds a
// colon, as every tag label ends in one.
func startsWithTagLabel(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			if strings.TrimSpace(c.Data) == "" {
				continue
			}
			return strings.ContainsAny(c.Data, ":：")
		case html.ElementNode:
			if c.DataAtom == atom.A {
				return false
			}
			return startsWithTagLabel(c)
		}
	}
	return false
}

func (x *extraction) tags(ruleSrc string) {
	a, p := x.a, x.p
	seen := map[string]bool{}
	add := func(t, src string) {
		t = collapse(strings.Trim(strings.TrimPrefix(collapse(t), "#"), ",;| "))
		if t == "" || len(t) > 100 || seen[strings.ToLower(t)] {
			return
		}
		seen[strings.ToLower(t)] = true
		a.Tags = append(a.Tags, t)
		if _, ok := a.Sources["tags"]; !ok {
			x.set("tags", src)
		}
	}
	if x.rule != nil {
		for _, n := range x.findAll(selTags) {
			add(value(n), ruleSrc)
		}
	}
	for _, k := range x.ld.keywords {
		add(k, SourceJSONLD)
	}
	for _, k := range p.metaTags {
		add(k, SourceOpenGraph)
	}
	if len(a.Tags) == 0 {
		for _, k := range strings.Split(p.meta["news_keywords"], ",") {
			add(k, SourceMeta)
		}
	}
	if len(a.Tags) == 0 {
		for _, k := range x.pageTags() {
			add(k, SourceHeuristic)
		}
	}
}
