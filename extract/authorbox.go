package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

type authorBox struct {
	found          bool
	name, bio, url string
	src            string
}

// authorBox reads the "About the Author" box: the rule's selectors, else the
// heading found by its text.
func (x *extraction) authorBox(ruleSrc string) {
	var nodes []*html.Node
	src := ruleSrc
	if x.rule != nil {
		if n := x.find(selAuthorBox); n != nil {
			nodes = []*html.Node{n}
			b := &x.box
			if nn := x.rule.sel.authorName; nn != nil {
				if m := nn.MatchFirst(n); m != nil {
					b.name = textOf(m)
				}
			}
			if bs := x.rule.sel.authorBio; bs != nil {
				if m := bs.MatchFirst(n); m != nil {
					b.bio = textOf(m)
				}
			}
			if ls := x.rule.sel.authorLink; ls != nil {
				if m := ls.MatchFirst(n); m != nil {
					b.url = resolve(x.p.base, attr(m, "href"))
				}
			}
		}
	}
	if nodes == nil {
		src = SourceHeuristic
		heads, _ := x.p.boxHeads()
		for _, h := range heads {
			nodes = boxNodes(h, nil, func(s *html.Node) bool {
				// The box ends where long article text or another box starts.
				t, _ := textLens(s, false)
				return t > 3000
			})
			if len(nodes) > 0 {
				x.exclude[h] = true
				break
			}
		}
	}
	if len(nodes) == 0 {
		return
	}
	for _, n := range nodes {
		x.exclude[n] = true
	}
	x.box.found = true
	x.box.src = src
	if b := &x.box; b.name == "" || b.bio == "" || b.url == "" {
		x.fillBox(nodes) // the rule's selectors left part of the box unread
	}
}

// fillBox completes the box's name, bio and link from its text blocks.
func (x *extraction) fillBox(nodes []*html.Node) {
	b := &x.box
	w := &walker{base: x.p.base, textOnly: true, skip: func(n *html.Node) bool {
		return n.DataAtom == atom.H1 || n.DataAtom == atom.H2 && authorPhrases[strings.ToLower(textOf(n))]
	}}
	for _, n := range nodes {
		w.walkRoot(n)
	}
	var links []Link
	for _, bl := range w.blocks {
		links = append(links, bl.links...)
		t := bl.text
		if authorPhrases[strings.ToLower(strings.Trim(t, " :"))] {
			continue
		}
		if b.name == "" && len(t) <= 60 && looksLikeName(t) && !reFollowLink.MatchString(t) &&
			!strings.HasSuffix(t, ".") {
			b.name = strings.TrimSpace(strings.TrimPrefix(t, "By "))
			continue
		}
		if b.bio == "" && len(t) >= 15 && wordCount(t) >= 4 && !reBioLabel.MatchString(t) &&
			!(len(bl.links) > 0 && bl.linkLen*2 > len(t)) {
			b.bio = strings.ReplaceAll(t, "\n", " ")
		}
	}
	if b.name == "" {
		// The name may be only in a photo's alt text.
		for _, n := range nodes {
			if img := firstImage(n); img != nil && looksLikeName(attr(img, "alt")) {
				b.name = collapse(attr(img, "alt"))
				break
			}
		}
	}
	if b.url == "" {
		b.url = boxLink(links, b.name)
	}
}

// boxLink picks the author's profile link: one saying "Follow me", a social
// profile, or a link on the name.
func boxLink(links []Link, name string) string {
	for _, l := range links {
		if reFollowLink.MatchString(l.Title) && !strings.HasPrefix(l.URL, "mailto:") {
			return l.URL
		}
	}
	for _, l := range links {
		if isSocialURL(l.URL) {
			return l.URL
		}
	}
	for _, l := range links {
		if name != "" && sameName(l.Title, name) {
			return l.URL
		}
	}
	return ""
}

// socialHosts are profile hosts an author or editor link may point to.
var socialHosts = []string{"x.com", "twitter.com", "linkedin.com", "instagram.com", "facebook.com",
	"threads.net", "bsky.app", "mastodon.social", "youtube.com", "tiktok.com"}

func isSocialURL(u string) bool {
	h := hostOf(u)
	h = strings.TrimPrefix(h, "www.")
	h = strings.TrimPrefix(h, "mobile.")
	for _, s := range socialHosts {
		if h == s {
			return true
		}
	}
	return false
}
