package testsite_test

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	newsarchive "github.com/newsarchive/newsarchive"
	"github.com/newsarchive/newsarchive/internal/testsite"
)

// TestLocalAssets: with LocalAssets no page of the fixture references a
// stylesheet or image host other than the serving one (a crawl with page
// requisites stays on loopback), and the assets are served with validators.
func TestLocalAssets(t *testing.T) {
	srv := httptest.NewServer(testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true, LocalAssets: true}))
	defer srv.Close()
	pages := 0
	err := fs.WalkDir(newsarchive.FixtureSite(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(name, ".html") || name == "404.html" {
			return err
		}
		p := "/" + strings.TrimSuffix(name, ".html")
		switch p {
		case "/index":
			p = "/"
		case "/blogs/tesmanian-blog.page-2", "/blogs/tesmanian-blog.page-3":
			p = "/blogs/tesmanian-blog?page=" + p[len(p)-1:]
		}
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return nil // pages behind redirects are checked where they land
		}
		pages++
		for _, h := range []string{"//www.tesmanian.com/cdn/", "//cdn.shopify.com/", "//fonts.googleapis.com/", "//www.gravatar.com/"} {
			if strings.Contains(string(b), h) {
				t.Errorf("%s still references %s", p, h)
			}
		}
		return nil
	})
	if err != nil || pages < 20 {
		t.Fatalf("%d pages checked, %v", pages, err)
	}
	for _, c := range []struct{ path, ctype string }{
		{"/cdn/shop/t/45/assets/theme.css?v=1", "text/css; charset=utf-8"},
		{"/cdn/shop/articles/x.jpg?width=200", "image/jpeg"},
		{"/_ext/www.gravatar.com/avatar/a1?s=80", "image/png"},
		{"/_ext/fonts.googleapis.com/css?family=x", "text/css; charset=utf-8"},
	} {
		resp, err := http.Get(srv.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != c.ctype || resp.Header.Get("ETag") == "" {
			t.Errorf("%s: %d %q etag %q", c.path, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("ETag"))
		}
	}
}
