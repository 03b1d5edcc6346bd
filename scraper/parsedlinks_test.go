package scraper

import (
	"bytes"
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html"

	newsarchive "github.com/newsarchive/newsarchive"
)

// TestParsedLinks: link discovery from a parsed tree (Config.ParseHTML,
// the pipeline's parse-once path) finds exactly the links, in the same
// order with the same kinds and hops, and the same <base>, as the
// tokenizer scan on every HTML page of the fixture site, and on pages
// written to differ between the two if anything would.
func TestParsedLinks(t *testing.T) {
	pages := map[string][]byte{}
	err := fs.WalkDir(newsarchive.FixtureSite(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(newsarchive.FixtureSite(), p)
		if err != nil {
			return err
		}
		if bytes.Contains(bytes.ToLower(b[:min(len(b), 4096)]), []byte("<html")) {
			pages[p] = b
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 10 {
		t.Fatalf("only %d fixture HTML pages found", len(pages))
	}
	pages["crafted"] = []byte(`<!doctype html><html><head><base href="/a/"><base href="/b/">
<link rel="alternate" type="application/atom+xml; charset=utf-8" href="feed.atom">
<link rel="Next Prefetch" href="?page=2"><link rel=canonical href="https://example.org/c">
<link rel="stylesheet" href="s.css"></head><body>
<a href="x&amp;y">1</a><a href="">empty</a><a>none</a><a href="one" href="two">dup</a>
<table><a href="fostered">f</a><tr><td><a href="cell" rel="next">c</a></td></tr></table>
<svg><a xlink:href="svgx">s</a><a href="svg2">s2</a></svg>
<template><a href="in-template">t</a></template>
<noscript><a href="in-noscript">n</a></noscript><textarea><a href="in-textarea"></a></textarea>
<map><area href="area.html"></map><p><a href="p1"><div><a href="nested">n</a></div></a></p>
</body></html>`)
	links := 0
	for name, b := range pages {
		wantLinks, wantBase := htmlLinks(b)
		root, err := html.Parse(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		gotLinks, gotBase := treeLinks(root)
		if gotBase != wantBase {
			t.Errorf("%s: base %q from the tree, %q from the scan", name, gotBase, wantBase)
		}
		if !reflect.DeepEqual(gotLinks, wantLinks) {
			t.Errorf("%s: links differ\ntree: %s\nscan: %s", name, fmtLinks(gotLinks), fmtLinks(wantLinks))
		}
		links += len(wantLinks)
	}
	if links < 100 {
		t.Errorf("only %d links on %d pages: the comparison tested little", links, len(pages))
	}
}

func fmtLinks(ls []rawLink) string {
	var sb strings.Builder
	for _, l := range ls {
		sb.WriteString(l.href + "(" + string(l.kind))
		if l.next {
			sb.WriteString(",next")
		}
		sb.WriteString(") ")
	}
	return sb.String()
}
