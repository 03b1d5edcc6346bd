package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestFilesUpToDate fails when testdata/site or testdata/fixtures.json differ
// from what this program generates: edit the tables here and re-run
// `go run ./internal/testsite/mkfixtures` instead of editing the files.
func TestFilesUpToDate(t *testing.T) {
	root := filepath.Join("..", "..", "..", "testdata")
	files, err := build()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(root, "site", filepath.FromSlash(name)))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the generated page; re-run go run ./internal/testsite/mkfixtures", name)
		}
	}
	err = filepath.WalkDir(filepath.Join(root, "site"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(filepath.Join(root, "site"), p)
		if err != nil {
			return err
		}
		if _, ok := files[filepath.ToSlash(rel)]; !ok {
			t.Errorf("%s is not generated; the site directory holds only generated files", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := manifest()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(root, "fixtures.json"))
	if err != nil || !bytes.Equal(got, m) {
		t.Errorf("fixtures.json is not up to date (%v); re-run go run ./internal/testsite/mkfixtures", err)
	}
}
