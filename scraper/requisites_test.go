package scraper

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestHTMLRequisites(t *testing.T) {
	page := `<html><head>
<link rel="stylesheet" href="/a.css"><link rel="Shortcut Icon" href="/fav.ico">
<link rel="preload" as="font" href="/f.woff2"><link rel="preload" as="script" href="/s.js">
<link rel="canonical" href="/canon"><link rel="preconnect" href="https://cdn.example">
<style>body{background:url("/bg.png")} /* url(/commented.png) */ @import '/imp.css';</style>
<script src="/app.js"></script></head><body>
<img src="/i.jpg" srcset="/i-1.jpg 1x, /i-2.jpg 2x"><img data-src="/lazy.jpg" src="data:image/gif;base64,R0lGOD">
<picture><source srcset="/p.webp 100w,/p2.webp 200w" type="image/webp"><img src="/p.jpg"></picture>
<video poster="/poster.jpg"><source src="/v.mp4"></video>
<div style="background-image: url(/div.png)"><a href="/next">next</a></div></body></html>`
	got := htmlRequisites([]byte(page))
	want := []string{"/a.css", "/fav.ico", "/f.woff2", "/bg.png", "/imp.css", "/i.jpg", "/i-1.jpg", "/i-2.jpg",
		"data:image/gif;base64,R0lGOD", "/lazy.jpg", "/p.webp", "/p2.webp", "/p.jpg", "/poster.jpg", "/div.png"}
	if !slices.Equal(got, want) {
		t.Errorf("htmlRequisites:\n got %q\nwant %q", got, want)
	}
}

func TestCSSRequisites(t *testing.T) {
	css := `@import url("base.css") screen; @import "print.css";
@font-face{font-family:X;src:url(fonts/x.woff2) format("woff2"),URL( 'fonts/x.woff' )}
.a{background:url(data:image/png;base64,AAA)} /* url(no.png) */ .b{mask:url(#m)} .c{background:url(img/c.png)}`
	got := cssRequisites([]byte(css))
	want := []string{"base.css", "print.css", "fonts/x.woff2", "fonts/x.woff", "img/c.png"}
	if !slices.Equal(got, want) {
		t.Errorf("cssRequisites:\n got %q\nwant %q", got, want)
	}
}

// TestPageRequisites crawls a site whose pages use a stylesheet (with an
// image and an @import of its own), images and an icon on the site and on a
// second host (a CDN, out of the crawl's scope, whose robots.txt forbids
// one file): every requisite is fetched once though two pages use them, the
// CDN's robots.txt is obeyed, nothing is followed from a requisite (not
// even from an HTML answer), the CDN's pages are not crawled, and the
// count per page and the size are bounded. Without PageRequisites none is
// fetched.
func TestPageRequisites(t *testing.T) {
	cdn := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
		case "/lead.jpg", "/private/x.png":
			w.Header().Set("Content-Type", "image/jpeg")
			w.Write([]byte("\xff\xd8\xff jpeg"))
		case "/big.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write([]byte(strings.Repeat("x", 5000)))
		case "/font.woff2":
			w.Header().Set("Content-Type", "font/woff2")
			w.Write([]byte("wOF2"))
		default:
			writePage(w, "/cdn-page")
		}
	}))
	site := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			writePage(w, "/a", "/b", "/many")
		case "/a", "/b":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, `<html><head><link rel="stylesheet" href="/s/site.css"><link rel="icon" href="/fav.ico"></head>
<body><img src="%[1]s/lead.jpg"><img src="%[1]s/private/x.png"><img src="%[1]s/big.png"><img src="/html-image">
<a href="%[1]s/cdn-linked-page">cdn page</a></body></html>`, cdn.URL)
		case "/many":
			w.Header().Set("Content-Type", "text/html")
			var b strings.Builder
			for i := range 20 {
				fmt.Fprintf(&b, `<img src="/m/%d.png">`, i)
			}
			fmt.Fprint(w, "<html><body>"+b.String()+"</body></html>")
		case "/s/site.css":
			w.Header().Set("Content-Type", "text/css")
			fmt.Fprintf(w, `@import "more.css"; body{background:url(../bg.png)} @font-face{src:url(%s/font.woff2)}`, cdn.URL)
		case "/s/more.css":
			w.Header().Set("Content-Type", "text/css")
			fmt.Fprint(w, `h1{color:red}`)
		case "/html-image":
			writePage(w, "/from-requisite")
		case "/fav.ico", "/bg.png":
			w.Header().Set("Content-Type", "image/x-icon")
			w.Write([]byte("\x00\x00\x01\x00"))
		default:
			if strings.HasPrefix(r.URL.Path, "/m/") {
				w.Header().Set("Content-Type", "image/png")
				w.Write([]byte("\x89PNG"))
				return
			}
			writePage(w)
		}
	}))

	cfg := testConfig()
	cfg.PageRequisites = true
	cfg.MaxRequisitesPerPage = 8
	cfg.MaxRequisiteBytes = 1000
	store := newMemStore()
	crawl(t, cfg, store, site.URL+"/")

	for _, u := range []string{site.u("/s/site.css"), site.u("/s/more.css"), site.u("/bg.png"), site.u("/fav.ico"),
		site.u("/html-image"), cdn.u("/lead.jpg"), cdn.u("/font.woff2"), cdn.u("/big.png")} {
		r := store.last(u)
		if r == nil || r.State != StateDone || r.Entry.Kind != KindRequisite || r.Response == nil || len(r.Response.Body) == 0 {
			t.Errorf("requisite %s: %+v", u, r)
			continue
		}
		if n := len(store.resultsFor(u)); n != 1 {
			t.Errorf("requisite %s fetched %d times, want once", u, n)
		}
	}
	if r := store.last(cdn.u("/big.png")); r != nil && (!r.Response.Truncated || len(r.Response.Body) != 1000 || r.Reason != ReasonTooLarge) {
		t.Errorf("big requisite: truncated %v, %d bytes, reason %q; want cut at 1000", r.Response.Truncated, len(r.Response.Body), r.Reason)
	}
	if got := store.state(cdn.u("/private/x.png")); got != StateSkipped || cdn.count("/private/x.png") != 0 {
		t.Errorf("requisite disallowed by the CDN's robots.txt: state %q, %d requests", got, cdn.count("/private/x.png"))
	}
	for _, p := range []string{"/from-requisite"} {
		if site.count(p) != 0 {
			t.Errorf("%s was followed from a requisite", p)
		}
	}
	for _, p := range []string{"/cdn-page", "/cdn-linked-page"} {
		if cdn.count(p) != 0 {
			t.Errorf("%s on the CDN was crawled: only requisites may leave the scope", p)
		}
	}
	many := 0
	for i := range 20 {
		if store.state(site.u(fmt.Sprintf("/m/%d.png", i))) != "" {
			many++
		}
	}
	if many != cfg.MaxRequisitesPerPage {
		t.Errorf("%d requisites taken from a page with 20, want the cap of %d", many, cfg.MaxRequisitesPerPage)
	}

	// Off, no requisite is fetched.
	cfg.PageRequisites = false
	off := newMemStore()
	before := site.count("/s/site.css")
	crawl(t, cfg, off, site.URL+"/")
	if site.count("/s/site.css") != before || off.state(site.u("/s/site.css")) != "" {
		t.Error("a requisite was fetched with PageRequisites off")
	}
}

// TestRequisiteNotModified: a requisite revalidated by a conditional
// request is done, marked not modified, and a stylesheet's requisites are
// found again in its previous body.
func TestRequisiteNotModified(t *testing.T) {
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<link rel="stylesheet" href="/s.css">`)
		case "/s.css":
			if r.Header.Get("If-None-Match") == `"1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			t.Errorf("unconditional request for /s.css")
		case "/bg.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write([]byte("\x89PNG"))
		default:
			http.NotFound(w, r)
		}
	}))
	store := newMemStore()
	store.prev[srv.u("/s.css")] = Previous{ETag: `"1"`, ContentType: "text/css", Body: []byte(`a{background:url(bg.png)}`)}
	cfg := testConfig()
	cfg.PageRequisites = true
	crawl(t, cfg, store, srv.URL+"/")
	r := store.last(srv.u("/s.css"))
	if r == nil || r.State != StateDone || r.Response == nil || !r.Response.NotModified || r.Response.ContentType != "text/css" {
		t.Fatalf("/s.css = %+v", r)
	}
	if store.state(srv.u("/bg.png")) != StateDone {
		t.Error("the stylesheet's image was not found again in its previous body")
	}
}
