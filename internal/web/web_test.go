package web

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// hostilePage carries every way we know for a page to run code, load from
// or navigate to another site; neutralise must leave none of them.
const hostilePage = `<!doctype html><html><head><meta http-equiv="refresh" content="0;url=http://evil.example/">
<base href="https://news.example/a/">
<link rel=stylesheet href="http://evil.example/a.css"><link rel=preload as=image href="http://evil.example/pre.png">
<link rel="alternate stylesheet" href="http://evil.example/alt.css">
<script>alert(1)</script><style>p{color:red} @import "http://evil.example/i.css"; @\69mport 'http://evil.example/j.css';
body{background:url(http://evil.example/bg.png)} div{background:u\72l(http://evil.example/esc.png)}
h1{background-image:image-set("http://evil.example/set.png" 1x)} /* url(http://evil.example/comment) */</style></head>
<body onload="alert(2)" background="http://evil.example/body.png"><p onclick="x()">Text <a href="next">next</a> <a href="javascript:alert(3)">js</a>
<a href="#top">top</a> <a href="HTTPS://evil.example/x" ping="http://evil.example/ping">out</a>
<img src="http://evil.example/i.png" srcset="http://evil.example/2.png 2x, data:image/png;base64,AAAA 3x" alt="pic"></p>
<picture><source srcset="http://evil.example/s.webp" type="image/webp"><img src="pic.jpg" alt="p2"></picture>
<div style="background: url('http://evil.example/style.png'); color: blue">Styled</div>
<iframe src="http://evil.example/"></iframe><object data="x"></object><embed src="http://evil.example/e">
<svg><script>alert(4)</script><a xlink:href="http://evil.example/"><text>s</text></a>
<a href="/ok"><set attributeName="href" to="https://evil.example/set"/><animate attributeName="href" values="https://evil.example/animate"/><text>svg link</text></a>
<animateMotion dur="1s"><mpath href="#p"/></animateMotion><use href="http://evil.example/sprite.svg#i"/>
<image href="http://evil.example/svg-image.png"/><feImage href="http://evil.example/fe.png"/>
<rect fill="url(http://evil.example/fill.svg#g)" width="1" height="1"/><circle fill="url(#grad)" r="1"/>
<foreignObject><img src="http://evil.example/fo.png"></foreignObject></svg>
<math href="http://evil.example/math"><mi>x</mi></math>
<form action="http://evil.example/"><button formaction="http://evil.example/">go</button><input type=image src="http://evil.example/in.png"></form>
<noscript><img src="lazy.jpg" alt="lazy"></noscript>
<video poster="http://evil.example/poster.png" src="http://evil.example/v.mp4"></video>
<blockquote cite="http://evil.example/cite">quoted</blockquote>
<custom-element onmouseover="x()">custom text</custom-element>
</body></html>`

// archiveURL reports whether a URL in the output leads only into the archive.
func archiveURL(v string) bool {
	for _, p := range []string{"/go?url=", resourcePath + "?url=", "#", "data:image/", "data:font/",
		"data:application/font", "data:application/x-font", "about:invalid"} {
		if strings.HasPrefix(v, p) {
			return true
		}
	}
	return false
}

// cssURLs returns the url() arguments of a rewritten stylesheet.
func cssURLs(css string) []string {
	var out []string
	for _, part := range strings.Split(strings.ReplaceAll(css, `\"`, ""), `url("`)[1:] {
		out = append(out, part[:strings.IndexByte(part, '"')])
	}
	return out
}

// withoutURLs removes the rewritten url("…") of a stylesheet.
func withoutURLs(css string) string {
	css = strings.ReplaceAll(css, `\"`, "")
	var b strings.Builder
	for {
		i := strings.Index(css, `url("`)
		if i < 0 {
			return b.String() + css
		}
		b.WriteString(css[:i])
		j := strings.Index(css[i+5:], `")`)
		if j < 0 {
			return b.String()
		}
		css = css[i+5+j+2:]
	}
}

// assertInert fails unless the output of neutralise holds no element, no
// attribute and no CSS that could run code or reach anything but the archive.
func assertInert(t *testing.T, out []byte) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	forbidden := map[string]bool{"script": true, "iframe": true, "object": true, "embed": true, "meta": true,
		"base": true, "animate": true, "set": true, "animatemotion": true, "animatetransform": true, "mpath": true,
		"use": true, "image": true, "feimage": true, "foreignobject": true, "form": true, "input": true,
		"button": true, "video": true, "math": true, "noscript": true}
	urlAttrs := map[string]bool{"href": true, "src": true}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			name := strings.ToLower(n.Data)
			if forbidden[name] {
				t.Errorf("element <%s> left", n.Data)
			}
			if n.Namespace == "svg" && name == "a" {
				t.Errorf("SVG link left")
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				switch {
				case a.Namespace != "":
					t.Errorf("<%s %s:%s> left", n.Data, a.Namespace, a.Key)
				case strings.HasPrefix(key, "on"), key == "formaction", key == "action", key == "ping",
					key == "background", key == "poster", key == "cite", key == "srcdoc", key == "http-equiv", key == "data":
					t.Errorf("<%s %s> left", n.Data, a.Key)
				case urlAttrs[key] && !archiveURL(a.Val):
					t.Errorf("<%s %s=%q> leads out of the archive", n.Data, a.Key, a.Val)
				case key == "srcset":
					for _, c := range strings.Split(a.Val, ", ") {
						if !archiveURL(c) {
							t.Errorf("<%s srcset> candidate %q leads out of the archive", n.Data, c)
						}
					}
				case key == "style":
					for _, u := range cssURLs(a.Val) {
						if !archiveURL(u) {
							t.Errorf("style attribute url(%q) leads out of the archive", u)
						}
					}
				}
				if key != "alt" && key != "title" && key != "style" && !strings.HasPrefix(a.Val, "data:") && strings.Contains(a.Val, "://") {
					t.Errorf("<%s %s=%q> holds an absolute URL", n.Data, a.Key, a.Val)
				}
			}
			if name == "style" && n.FirstChild != nil {
				css := n.FirstChild.Data
				for _, u := range cssURLs(css) {
					if !archiveURL(u) {
						t.Errorf("stylesheet url(%q) leads out of the archive", u)
					}
				}
				if rest := withoutURLs(css); strings.Contains(strings.ToLower(rest), "url(") {
					t.Errorf("stylesheet keeps a url() not rewritten: %s", rest)
				}
				// (Other "://" in CSS are selectors like a[href^="http://"]
				// and strings, which fetch nothing.)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

func TestNeutralise(t *testing.T) {
	out, err := neutralise([]byte(hostilePage), "text/html; charset=utf-8", "https://news.example/a/b")
	if err != nil {
		t.Fatal(err)
	}
	assertInert(t, out)
	got := string(out)
	res := func(u string) string { return resourcePath + "?url=" + url.QueryEscape(u) }
	for _, want := range []string{
		`href="/go?url=https%3A%2F%2Fnews.example%2Fa%2Fnext" target="_top"`, // resolved against <base>
		`href="#top">`, `alt="pic"`, "Text", "custom text", "quoted", "svg link", `fill="url(#grad)"`,
		`<link rel="stylesheet" href="` + res("http://evil.example/a.css") + `"/>`,
		`@import url("` + res("http://evil.example/i.css") + `")`,
		`url("` + res("http://evil.example/j.css") + `")`,
		`background:url("` + res("http://evil.example/bg.png") + `")`,
		`background:url("` + res("http://evil.example/esc.png") + `")`,
		`image-set(url("` + res("http://evil.example/set.png") + `") 1x)`,
		`src="` + res("https://news.example/a/pic.jpg") + `"`,
		`src="` + res("https://news.example/a/lazy.jpg") + `" alt="lazy"`,
		`data:image/png;base64,AAAA 3x`,
		`color: blue`,
	} {
		if !strings.Contains(got, strings.ReplaceAll(want, "&", "&amp;")) && !strings.Contains(got, want) {
			t.Errorf("output lacks %s", want)
		}
	}
	if strings.Contains(got, "alt.css") || strings.Contains(got, "pre.png") || strings.Contains(got, "comment") {
		t.Errorf("an alternate or preload link or a CSS comment survived:\n%s", got)
	}
	if t.Failed() {
		t.Logf("output:\n%s", got)
	}
}

// TestNeutraliseSVGAnimation is the reported attack: SMIL retargets a kept
// link to the live web. The animation goes, with anything else that could
// give an SVG element a URL.
func TestNeutraliseSVGAnimation(t *testing.T) {
	for name, in := range map[string]string{
		"set":              `<svg><a href="/ok"><set attributeName="href" to="https://evil.example/x"/><text>click</text></a></svg>`,
		"animate":          `<svg><a href="/ok"><animate attributeName="href" values="https://evil.example/x" begin="0s" fill="freeze"/><text>click</text></a></svg>`,
		"animate xlink":    `<svg><a xlink:href="/ok"><animate attributeName="xlink:href" from="/ok" to="https://evil.example/x"/><text>click</text></a></svg>`,
		"set on a parent":  `<svg><g><set attributeName="href" to="https://evil.example/x"/><a><text>click</text></a></g></svg>`,
		"animateTransform": `<svg><rect><animateTransform attributeName="transform" type="rotate" values="0;360"/></rect></svg>`,
		"use":              `<svg><use href="https://evil.example/sprite.svg#x"/><use xlink:href="data:image/svg+xml,<svg/>"/></svg>`,
	} {
		t.Run(name, func(t *testing.T) {
			out, err := neutralise([]byte(in), "text/html", "https://news.example/")
			if err != nil {
				t.Fatal(err)
			}
			assertInert(t, out)
			for _, bad := range []string{"evil", "<set", "<animate", "<use", "attributename"} {
				if strings.Contains(strings.ToLower(string(out)), bad) {
					t.Errorf("output keeps %q:\n%s", bad, out)
				}
			}
		})
	}
}

func TestNeutraliseCharset(t *testing.T) {
	out, err := neutralise([]byte("<p>caf\xe9</p>"), "text/html; charset=iso-8859-1", "https://x.example/")
	if err != nil || !strings.Contains(string(out), "café") {
		t.Errorf("latin-1 page = %q, %v", out, err)
	}
}

func TestCleanCSS(t *testing.T) {
	base, _ := url.Parse("https://news.example/css/site.css")
	res := func(u string) string { return `url("` + resourcePath + "?url=" + url.QueryEscape(u) + `")` }
	for _, tc := range []struct{ in, want string }{
		{`a{b:url(x.png)}`, `a{b:` + res("https://news.example/css/x.png") + `}`},
		{`a{b:url( "../y.png" )}`, `a{b:` + res("https://news.example/y.png") + `}`},
		{`@import 'z.css' screen;`, `@import ` + res("https://news.example/css/z.css") + ` screen;`},
		{`@font-face{src:url(f.woff2) format("woff2")}`, `@font-face{src:` + res("https://news.example/css/f.woff2") + ` format("woff2")}`},
		{`a{b:URL(javascript:alert(1))}`, `a{b:` + blockedURL + `)}`},
		{`a{b:url(data:image/png;base64,AA)}`, `a{b:url("data:image/png;base64,AA")}`},
		{`a{b:url(data:text/html,<x>)}`, `a{b:` + blockedURL + `}`},
		{`a{content:"url(http://x/)"}`, `a{content:"url(http://x/)"}`},
		{`a{b:-webkit-image-set('p.png' 2x)}`, `a{b:-webkit-image-set(` + res("https://news.example/css/p.png") + ` 2x)}`},
		{`a{b:\75 rl(q.png)}`, `a{b:` + res("https://news.example/css/q.png") + `}`},
		{`a{b:url(#f)}`, `a{b:url("#f")}`},
		{`a{content:"</style><script>"}`, `a{content:"<\/style><script>"}`},
		{`a{b:url(x.png`, `a{b:` + res("https://news.example/css/x.png")},
	} {
		if got := cleanCSS(tc.in, base); got != tc.want {
			t.Errorf("cleanCSS(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestRewriteSrcset(t *testing.T) {
	base, _ := url.Parse("https://news.example/a/")
	got := rewriteSrcset("x.jpg 1x,y.jpg 2x, https://cdn.example/z.jpg?w=1,2 640w, javascript:x 3x", base)
	r := func(u string) string { return resourcePath + "?url=" + url.QueryEscape(u) }
	want := r("https://news.example/a/x.jpg") + " 1x, " + r("https://news.example/a/y.jpg") + " 2x, " +
		r("https://cdn.example/z.jpg?w=1,2") + " 640w"
	if got != want {
		t.Errorf("rewriteSrcset\n got %q\nwant %q", got, want)
	}
}

func TestHighlight(t *testing.T) {
	got := string(highlight("a <b>\x02x\x03 & \x02y"))
	if want := "a &lt;b&gt;<mark>x</mark> &amp; <mark>y</mark>"; got != want {
		t.Errorf("highlight = %q, want %q", got, want)
	}
}

func TestNeutraliseLazyImages(t *testing.T) {
	in := `<img src="data:image/gif;base64,R0lGOD" data-src="/real.jpg" alt="a"><img data-lazy-src="b.jpg" alt="b">
<img src="/kept.jpg" data-src="/other.jpg" alt="c"><picture><source data-srcset="/d.webp 2x"><img alt="d"></picture>`
	out, err := neutralise([]byte(in), "text/html", "https://news.example/x/")
	if err != nil {
		t.Fatal(err)
	}
	assertInert(t, out)
	r := func(u string) string { return resourcePath + "?url=" + url.QueryEscape(u) }
	for _, want := range []string{`src="` + r("https://news.example/real.jpg") + `"`, `src="` + r("https://news.example/x/b.jpg") + `"`,
		`src="` + r("https://news.example/kept.jpg") + `"`, `srcset="` + r("https://news.example/d.webp") + ` 2x"`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "other.jpg") || strings.Contains(string(out), "data-") {
		t.Errorf("a data- attribute or a lazy URL beside a real src survived:\n%s", out)
	}
}
