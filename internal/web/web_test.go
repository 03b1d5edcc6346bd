package web

import (
	"strings"
	"testing"
)

func TestNeutralise(t *testing.T) {
	in := `<!doctype html><html><head><meta http-equiv="refresh" content="0;url=http://evil/"><base href="http://evil/">
<link rel=stylesheet href="http://evil/a.css"><script>alert(1)</script><style>p{color:red}</style></head>
<body onload="alert(2)"><p onclick="x()">Text <a href="/next">next</a> <a href="javascript:alert(3)">js</a>
<a href="#top">top</a> <img src="http://evil/i.png" srcset="http://evil/2.png 2x" alt="pic"></p>
<iframe src="http://evil/"></iframe><object data="x"></object><svg><script>alert(4)</script><a xlink:href="http://evil/">s</a></svg>
<form action="http://evil/"><button formaction="http://evil/">go</button></form><noscript><img src="http://evil/ns"></noscript></body></html>`
	out, err := neutralise([]byte(in), "text/html; charset=utf-8", "https://news.example/a/b")
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	for _, bad := range []string{"<script", "alert", "onload", "onclick", "<iframe", "<object", "<meta", "<base", "<link",
		"evil", "javascript:", "<noscript", "srcset"} {
		if strings.Contains(got, bad) {
			t.Errorf("output keeps %q:\n%s", bad, got)
		}
	}
	for _, want := range []string{`href="/go?url=https%3A%2F%2Fnews.example%2Fnext" target="_top"`, `href="#top"`,
		`alt="pic"`, "<style>p{color:red}</style>", "Text"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestNeutraliseCharset(t *testing.T) {
	out, err := neutralise([]byte("<p>caf\xe9</p>"), "text/html; charset=iso-8859-1", "https://x.example/")
	if err != nil || !strings.Contains(string(out), "café") {
		t.Errorf("latin-1 page = %q, %v", out, err)
	}
}

func TestHighlight(t *testing.T) {
	got := string(highlight("a <b>\x02x\x03 & \x02y"))
	if want := "a &lt;b&gt;<mark>x</mark> &amp; <mark>y</mark>"; got != want {
		t.Errorf("highlight = %q, want %q", got, want)
	}
}
