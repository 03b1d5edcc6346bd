package testsite_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// noRedirect is a client that returns redirects instead of following them.
func noRedirect(srv *httptest.Server) *http.Client {
	c := srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

func do(t *testing.T, c *http.Client, method, url string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	return resp, body
}

// parseHTML decodes a page as a browser would (Content-Type charset, BOM,
// <meta charset> prescan) and parses it.
func parseHTML(t *testing.T, body []byte, contentType string) *html.Node {
	t.Helper()
	r, err := charset.NewReader(bytes.NewReader(body), contentType)
	if err != nil {
		t.Fatalf("charset reader: %v", err)
	}
	doc, err := html.Parse(r)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// walk calls f for every element node.
func walk(n *html.Node, f func(*html.Node)) {
	if n.Type == html.ElementNode {
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func hrefs(doc *html.Node) []string {
	var out []string
	walk(doc, func(n *html.Node) {
		if n.Data == "a" {
			if v, ok := attr(n, "href"); ok {
				out = append(out, v)
			}
		}
	})
	return out
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(n)
	return b.String()
}

var blockTags = map[string]bool{"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"div": true, "li": true, "figcaption": true, "blockquote": true, "section": true, "header": true, "footer": true,
	"br": true, "tr": true, "figure": true, "ul": true, "ol": true, "nav": true, "main": true}

var skipTags = map[string]bool{"script": true, "style": true, "svg": true, "template": true, "title": true, "noscript": true, "textarea": true, "head": true}

// visibleBlocks returns the page's text as rendered blocks: one string per
// block element, ASCII whitespace collapsed (no-break spaces kept).
func visibleBlocks(doc *html.Node) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		s := strings.Join(strings.FieldsFunc(cur.String(), func(r rune) bool {
			return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f'
		}), " ")
		if s != "" {
			out = append(out, s)
		}
		cur.Reset()
	}
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.ElementNode && skipTags[n.Data] {
			return
		}
		if n.Type == html.TextNode {
			cur.WriteString(n.Data)
			return
		}
		block := n.Type == html.ElementNode && blockTags[n.Data]
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
		if block {
			flush()
		}
	}
	rec(doc)
	flush()
	return out
}
