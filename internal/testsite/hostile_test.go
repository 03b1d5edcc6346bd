package testsite

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html/charset"
)

func hostileServer(t *testing.T, opts HostileOptions) (*Hostile, *httptest.Server) {
	t.Helper()
	h := NewHostile(opts)
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		h.Close()
		srv.Close()
	})
	return h, srv
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", u, err)
	}
	return resp, b
}

func TestHostileGzipBomb(t *testing.T) {
	small := gzipBomb(8 << 20)
	zr, err := gzip.NewReader(bytes.NewReader(small))
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	n, err := io.Copy(io.Discard, zr) // checks the CRC and size trailer too
	if err != nil || n != 8<<20 {
		t.Fatalf("8 MiB bomb inflates to %d bytes, err %v", n, err)
	}

	h, srv := hostileServer(t, HostileOptions{})
	bomb := h.Bomb()
	if len(bomb) < 500<<10 || len(bomb) > 1500<<10 {
		t.Errorf("default bomb is %d bytes compressed, want about 1 MB", len(bomb))
	}
	// Raw transport, no transparent decoding: the header and compressed bytes as sent.
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, raw := get(t, c, srv.URL+"/bomb/gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" || !bytes.Equal(raw, bomb) {
		t.Fatalf("bomb served with encoding %q and %d bytes", resp.Header.Get("Content-Encoding"), len(raw))
	}
	zr, err = gzip.NewReader(bytes.NewReader(bomb))
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	head := make([]byte, 32<<20)
	if _, err := io.ReadFull(zr, head); err != nil {
		t.Fatalf("inflate the first 32 MiB: %v", err)
	}
	if bytes.ContainsFunc(head, func(r rune) bool { return r != 0 }) {
		t.Error("bomb does not inflate to zeros")
	}
	// The trailer's ISIZE is the inflated size mod 2^32 (the 8 MiB bomb above
	// proves the construction end to end, CRC included).
	if got := binary.LittleEndian.Uint32(bomb[len(bomb)-4:]); got != uint32(DefaultBombSize) {
		t.Errorf("bomb ISIZE %d, want %d", got, uint32(DefaultBombSize))
	}
}

func TestHostileEncodings(t *testing.T) {
	h, srv := hostileServer(t, HostileOptions{})
	for _, tc := range []struct{ path, wantCT, wantLabel string }{
		{"/enc/cp1251", "text/html", "windows-1251"},
		{"/enc/shift-jis", "text/html; charset=Shift_JIS", "shift_jis"},
		{"/enc/gb18030", "text/html", "gb18030"},
		{"/enc/latin2", "text/html", "iso-8859-2"},
		{"/enc/utf16", "text/html", "utf-16le"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := get(t, http.DefaultClient, srv.URL+tc.path)
			ct := resp.Header.Get("Content-Type")
			if ct != tc.wantCT {
				t.Errorf("Content-Type %q, want %q", ct, tc.wantCT)
			}
			a, ok := h.Article(tc.path)
			if !ok {
				t.Fatal("not a good article")
			}
			if bytes.Contains(body, []byte(a.Title)) {
				t.Error("title found as UTF-8 in an article that must not be UTF-8")
			}
			enc, name, _ := charset.DetermineEncoding(body, ct)
			if name != tc.wantLabel {
				t.Errorf("encoding determined as %q, want %q", name, tc.wantLabel)
			}
			dec, err := enc.NewDecoder().Bytes(body)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(dec, []byte("<title>"+a.Title+"</title>")) || !bytes.Contains(dec, []byte(a.Phrase)) {
				t.Errorf("decoded page lacks its title %q or phrase", a.Title)
			}
		})
	}
}

func TestHostileGoodArticlesServe(t *testing.T) {
	h, srv := hostileServer(t, HostileOptions{})
	good := h.GoodArticles()
	if len(good) != 27 {
		t.Errorf("%d good articles, want 27", len(good))
	}
	if _, ok := good["/dup/story-copy"]; ok {
		t.Error("the duplicate URL is listed as a good article")
	}
	for p, title := range good {
		if strings.HasPrefix(p, "/flaky/") || strings.HasPrefix(p, "/enc/") {
			continue // tested elsewhere
		}
		resp, body := get(t, http.DefaultClient, srv.URL+p)
		if resp.StatusCode != 200 || !bytes.Contains(body, []byte("<title>"+title+"</title>")) {
			t.Errorf("%s: status %d, title %q not found", p, resp.StatusCode, title)
		}
		if n := bytes.Count(body, []byte("<p")); n < 5 {
			t.Errorf("%s: %d paragraphs", p, n)
		}
	}
	_, deep := get(t, http.DefaultClient, srv.URL+"/broken/deep")
	if n := bytes.Count(deep, []byte("<div")); n < 600 {
		t.Errorf("deep page nests %d divs", n)
	}
	_, page := get(t, http.DefaultClient, srv.URL+"/dup/story-copy")
	if !bytes.Contains(page, []byte(`<link rel="canonical" href="`+srv.URL+`/dup/story">`)) {
		t.Error("duplicate lacks rel=canonical to /dup/story")
	}
	resp, _ := get(t, http.DefaultClient, srv.URL+"/broken/octet")
	if ct := resp.Header.Get("Content-Type"); ct != "application/octet-stream" {
		t.Errorf("octet page Content-Type %q", ct)
	}
}

func TestHostileRedirects(t *testing.T) {
	h, srv := hostileServer(t, HostileOptions{})
	var hops int
	c := &http.Client{CheckRedirect: func(req *http.Request, via []*http.Request) error {
		hops = len(via)
		if len(via) > 40 {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	resp, _ := get(t, c, srv.URL+"/redirect/five/1")
	if resp.Request.URL.Path != "/redirect/five/article" || hops != 5 {
		t.Errorf("five: ended at %s after %d redirects", resp.Request.URL.Path, hops)
	}
	resp, _ = get(t, c, srv.URL+"/redirect/thirty/1")
	if resp.Request.URL.Path != "/redirect/thirty/article" || hops != 30 {
		t.Errorf("thirty: ended at %s after %d redirects", resp.Request.URL.Path, hops)
	}
	resp, _ = get(t, c, srv.URL+"/redirect/loop/a")
	if resp.StatusCode != http.StatusFound {
		t.Errorf("loop: status %d", resp.StatusCode)
	}
	if got := h.TrapRequests(TrapRedirect); got != 6+31+41 {
		t.Errorf("redirect trap counted %d requests, want %d", got, 6+31+41)
	}
}

func TestHostileFlaky(t *testing.T) {
	h, srv := hostileServer(t, HostileOptions{})
	want := map[string][]int{
		"/flaky/500": {500, 500, 200, 200},
		"/flaky/503": {503, 200},
		"/flaky/429": {429, 200},
		"/flaky/408": {408, 200},
	}
	for p, codes := range want {
		for i, code := range codes {
			resp, _ := get(t, http.DefaultClient, srv.URL+p)
			if resp.StatusCode != code {
				t.Errorf("%s attempt %d: status %d, want %d", p, i+1, resp.StatusCode, code)
			}
			switch {
			case code == 503 && resp.Header.Get("Retry-After") != "2":
				t.Errorf("503 Retry-After %q", resp.Header.Get("Retry-After"))
			case code == 429:
				at, err := http.ParseTime(resp.Header.Get("Retry-After"))
				if d := time.Until(at); err != nil || d < time.Second || d > 4*time.Second {
					t.Errorf("429 Retry-After %q (%v from now, %v)", resp.Header.Get("Retry-After"), d, err)
				}
			}
		}
		if got := len(h.Exchanges(p)); got != len(codes) {
			t.Errorf("%s: %d exchanges recorded, want %d", p, got, len(codes))
		}
	}
}

func TestHostileTrapsAndCaps(t *testing.T) {
	h, srv := hostileServer(t, HostileOptions{TrapCap: 3})
	_, robots := get(t, http.DefaultClient, srv.URL+"/robots.txt")
	for _, line := range []string{"Disallow: /private/", "Disallow: /*?print=1$", "Allow: /rules/public/"} {
		if !bytes.Contains(robots, []byte(line+"\n")) {
			t.Errorf("robots.txt lacks %q", line)
		}
	}
	_, index := get(t, http.DefaultClient, srv.URL+"/")
	for _, l := range append([]string{"/session/", "/calendar/2021/01/", "/bomb/gzip", "/slow/stall", h.RefusedURL()}, h.RobotsForbidden()...) {
		if !bytes.Contains(index, []byte(`href="`+html.EscapeString(l)+`"`)) {
			t.Errorf("index does not link %s", l)
		}
	}
	_, s1 := get(t, http.DefaultClient, srv.URL+"/session/")
	_, s2 := get(t, http.DefaultClient, srv.URL+"/session/")
	if bytes.Equal(s1, s2) || !bytes.Contains(s1, []byte(";jsessionid=")) {
		t.Error("session listing does not change its session ids")
	}
	_, cal := get(t, http.DefaultClient, srv.URL+"/calendar/2021/12/")
	for _, l := range []string{"/calendar/2022/01", "/calendar/2021/11", "/calendar/2021/12/31"} {
		if !bytes.Contains(cal, []byte(`href="`+l+`"`)) {
			t.Errorf("calendar month does not link %s", l)
		}
	}
	_, day := get(t, http.DefaultClient, srv.URL+"/calendar/2021/12/31")
	for _, l := range []string{"/calendar/2021/12", "/calendar/2021/12/30", "/calendar/2022/01/1"} {
		if !bytes.Contains(day, []byte(`href="`+l+`"`)) {
			t.Errorf("calendar day does not link %s", l)
		}
	}
	_, list := get(t, http.DefaultClient, srv.URL+"/listing/?page=9")
	if !bytes.Contains(list, []byte(`rel="next" href="/listing/?page=10"`)) || bytes.Contains(list, []byte("/listing/story-")) {
		t.Error("listing page 9 is not an empty page linking page 10")
	}
	_, loop := get(t, http.DefaultClient, srv.URL+"/loop/a/b/")
	if !bytes.Contains(loop, []byte(`href="/loop/a/b/a/"`)) {
		t.Error("loop does not repeat its segments")
	}
	_, long := get(t, http.DefaultClient, srv.URL+"/long/")
	if !bytes.Contains(long, []byte(`href="/long/`+strings.Repeat("b", hostileLongSegment)+`/"`)) {
		t.Error("long trap does not grow its path")
	}
	// TrapCap 3: the calendar's 4th request (after a month and a day above)
	// gets 404.
	get(t, http.DefaultClient, srv.URL+"/calendar/2021/01/")
	resp, _ := get(t, http.DefaultClient, srv.URL+"/calendar/2021/03/")
	if resp.StatusCode != http.StatusNotFound || h.TrapRequests(TrapCalendar) != 4 {
		t.Errorf("calendar over its cap: status %d after %d requests", resp.StatusCode, h.TrapRequests(TrapCalendar))
	}
	if h.BareRequests("/session/") != 2 {
		t.Errorf("BareRequests(/session/) = %d", h.BareRequests("/session/"))
	}
	for _, p := range []string{"/broken/report.pdf", "/broken/chart.png"} {
		resp, body := get(t, http.DefaultClient, srv.URL+p)
		if ct := resp.Header.Get("Content-Type"); ct == "" || strings.Contains(ct, "html") || len(body) == 0 {
			t.Errorf("%s: Content-Type %q, %d bytes", p, ct, len(body))
		}
	}
	resp, _ = get(t, http.DefaultClient, srv.URL+"/missing/page")
	if resp.StatusCode != 404 {
		t.Errorf("missing page: %d", resp.StatusCode)
	}
	if _, err := net.DialTimeout("tcp", strings.TrimSuffix(strings.TrimPrefix(h.RefusedURL(), "http://"), "/refused"), time.Second); err == nil {
		t.Error("refused host accepts connections")
	}
}

func TestHostileSlowAndHuge(t *testing.T) {
	h, srv := hostileServer(t, HostileOptions{TrickleFor: 2 * time.Second, StallFor: 1500 * time.Millisecond, HugeSize: 3 << 20})
	start := time.Now()
	resp, body := get(t, http.DefaultClient, srv.URL+"/slow/trickle")
	if d := time.Since(start); resp.StatusCode != 200 || d > 5*time.Second || len(body) > 3 {
		t.Errorf("trickle: status %d, %d bytes in %v", resp.StatusCode, len(body), d)
	}
	c := &http.Client{Transport: &http.Transport{ResponseHeaderTimeout: 500 * time.Millisecond}}
	if _, err := c.Get(srv.URL + "/slow/stall"); err == nil {
		t.Error("stall sent headers within 500ms")
	}
	start = time.Now()
	resp, _ = get(t, http.DefaultClient, srv.URL+"/slow/stall")
	if d := time.Since(start); resp.StatusCode != http.StatusGatewayTimeout || d < time.Second {
		t.Errorf("stall: status %d after %v", resp.StatusCode, d)
	}
	resp, body = get(t, http.DefaultClient, srv.URL+"/huge/page")
	if int64(len(body)) != 3<<20 || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("huge page: %d bytes, encoding %q", len(body), resp.Header.Get("Content-Encoding"))
	}
	if ex := h.Exchanges("/huge/page"); len(ex) != 1 || ex[0].Bytes != 3<<20 {
		t.Errorf("huge exchanges %+v", ex)
	}
	// Close ends a stall at once.
	done := make(chan struct{})
	go func() {
		defer close(done)
		if r, err := http.Get(srv.URL + "/slow/stall"); err == nil {
			r.Body.Close()
		}
	}()
	time.Sleep(200 * time.Millisecond)
	h.Close()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Error("Close did not end the stall")
	}
}
