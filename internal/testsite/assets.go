package testsite

// The fixture's page requisites (FixtureOptions.LocalAssets): the pages
// reference stylesheets and images on www.tesmanian.com/cdn/ and on other
// hosts (assetHosts); with LocalAssets they are served here and the pages
// point to them on the serving host, so that a crawl with page requisites
// never leaves loopback.

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"path"
	"strings"
)

// AssetStylesheet is the body of every stylesheet of the fixture (any .css
// under the asset prefixes). Tests check that it applies through
// AssetBodyBorder; its texture.png is a requisite of a requisite.
const AssetStylesheet = `/* newsarchive fixture stylesheet */
body { border-top: 7px solid rgb(12, 34, 56); }
.fixture-texture, body::after { background-image: url("texture.png"); }
`

// AssetBodyBorder is the computed border-top-width of <body> with the
// fixture stylesheet applied.
const AssetBodyBorder = "7px"

// AssetImageSize is the width and height of every fixture image.
var AssetImageSize = image.Pt(48, 27)

// assetHosts are the hosts other than the site's own /cdn/ that the pages
// load stylesheets and images from; with LocalAssets they are served under
// /_ext/<host>/.
var assetHosts = []string{"cdn.shopify.com", "fonts.googleapis.com", "www.gravatar.com"}

// rewriteAssets points the asset references of an HTML page (absolute or
// scheme-relative) at host, over plain HTTP.
func rewriteAssets(body []byte, host string) []byte {
	type rule struct{ from, to string }
	rules := []rule{
		{"https://www.tesmanian.com/cdn/", "http://" + host + "/cdn/"},
		{"http://www.tesmanian.com/cdn/", "http://" + host + "/cdn/"},
		{"//www.tesmanian.com/cdn/", "//" + host + "/cdn/"},
	}
	for _, h := range assetHosts {
		rules = append(rules, rule{"https://" + h + "/", "http://" + host + "/_ext/" + h + "/"},
			rule{"http://" + h + "/", "http://" + host + "/_ext/" + h + "/"},
			rule{"//" + h + "/", "//" + host + "/_ext/" + h + "/"})
	}
	for _, r := range rules {
		body = bytes.ReplaceAll(body, []byte(r.from), []byte(r.to))
	}
	return body
}

// serveAsset answers a request for an asset path; it reports false for
// other paths. Stylesheets are AssetStylesheet, images are generated (a
// rectangle of AssetImageSize, PNG, JPEG or SVG by extension), anything
// else (fonts, scripts) is 404. Every asset has an ETag and Last-Modified,
// so re-crawls get 304s.
func (s *Site) serveAsset(w http.ResponseWriter, r *http.Request) bool {
	p := r.URL.Path
	if !strings.HasPrefix(p, "/cdn/") && !strings.HasPrefix(p, "/_ext/") {
		return false
	}
	var body []byte
	ctype := ""
	ext := strings.ToLower(path.Ext(p))
	switch {
	case ext == "" && strings.HasSuffix(p, "/css"): // fonts.googleapis.com/css?family=…
		ext = ".css"
	case ext == "" && strings.Contains(p, "/avatar/"): // www.gravatar.com/avatar/…
		ext = ".png"
	}
	switch ext {
	case ".css":
		body, ctype = []byte(AssetStylesheet), "text/css; charset=utf-8"
	case ".png", ".ico", ".gif", ".webp":
		body, ctype = assetImage(false), "image/png"
	case ".jpg", ".jpeg":
		body, ctype = assetImage(true), "image/jpeg"
	case ".svg":
		body, ctype = []byte(assetSVG), "image/svg+xml"
	default:
		http.NotFound(w, r)
		return true
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("ETag", etag(body))
	h.Set("Cache-Control", "max-age=0, must-revalidate")
	http.ServeContent(w, r, "", FixtureModTime(), bytes.NewReader(body))
	return true
}

// assetSVG is every SVG image of the fixture.
const assetSVG = `<svg xmlns="http://www.w3.org/2000/svg" width="48" height="27"><rect width="48" height="27" fill="#c84"/></svg>`

// assetImage encodes the fixture image.
func assetImage(asJPEG bool) []byte {
	img := image.NewRGBA(image.Rectangle{Max: AssetImageSize})
	for y := range AssetImageSize.Y {
		for x := range AssetImageSize.X {
			img.Set(x, y, color.RGBA{R: 200, G: uint8(4 * x), B: uint8(8 * y), A: 255})
		}
	}
	var b bytes.Buffer
	if asJPEG {
		_ = jpeg.Encode(&b, img, nil) // writes to a bytes.Buffer do not fail
	} else {
		_ = png.Encode(&b, img)
	}
	return b.Bytes()
}
