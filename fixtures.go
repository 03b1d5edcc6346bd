// Package newsarchive holds the project's embedded fixture site: a saved copy of a
// Tesmanian-style news site (testdata/site) that the demo serves on loopback and the
// tests crawl and extract (testdata/README.md lists its pages; internal/testsite
// serves it). The program itself lives in cmd/newsarchive.
package newsarchive

import (
	"embed"
	"io/fs"
)

//go:embed testdata/site
var siteFiles embed.FS

// FixtureSite returns the fixture site's files, rooted at the site's document root
// (robots.txt, sitemap.xml, blogs/…).
func FixtureSite() fs.FS {
	sub, err := fs.Sub(siteFiles, "testdata/site")
	if err != nil {
		// fs.Sub fails only on an invalid path, which is a constant here.
		panic(err)
	}
	return sub
}
