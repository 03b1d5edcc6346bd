// Command mkfixtures writes the fixture site in testdata/site: a saved copy of
// www.tesmanian.com (Shopify, "Impact" theme; one page from the older Skeleton theme)
// with hand-written articles and the platform files (robots.txt, sitemaps, Atom feed).
//
// The files in testdata/site are the fixtures; this program is how they were made,
// kept so that they can be changed consistently (links between articles, listings,
// feed and sitemap all derive from one table). Run it from the repository root:
//
//	go run ./internal/testsite/mkfixtures -out testdata/site -manifest testdata/fixtures.json
//
// It overwrites the generated files; hand edits to them are lost.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

func main() {
	out := flag.String("out", "testdata/site", "document root to write")
	man := flag.String("manifest", "testdata/fixtures.json", "where to write the article manifest")
	flag.Parse()
	if err := run(*out, *man); err != nil {
		fmt.Fprintln(os.Stderr, "mkfixtures:", err)
		os.Exit(1)
	}
}

func run(root, manifestPath string) error {
	files, err := build()
	if err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("create dir for %s: %w", name, err)
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	m, err := manifest()
	if err != nil {
		return err
	}
	if err := os.WriteFile(manifestPath, m, 0o644); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	return nil
}
