package warc

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// WACZVersion is the version of the WACZ specification written.
const WACZVersion = "1.1.1"

// Page is a line of a WACZ pages/pages.jsonl: an entry point for replay.
type Page struct {
	URL   string
	Time  time.Time
	Title string
}

// WACZOptions describes the package.
type WACZOptions struct {
	Title    string
	Software string
	Created  time.Time // zero: now
}

// WriteWACZ writes a WACZ 1.1.1 package to w: the WARC files under
// archive/ (stored, not deflated, so replay tools can read records by
// range), a CDXJ index of their captures under indexes/index.cdxj (sorted),
// pages/pages.jsonl and a datapackage.json listing every file with its
// size and SHA-256, and datapackage-digest.json with the digest of
// datapackage.json. Records of the WARCs that cannot be indexed are left
// out of the index and reported in the error returned after the package is
// complete; any other error leaves the package unusable.
func WriteWACZ(w io.Writer, files []string, pages []Page, opts WACZOptions) (indexErr error, err error) {
	zw := zip.NewWriter(w)
	created := opts.Created
	if created.IsZero() {
		created = time.Now()
	}
	type resource struct {
		Name  string `json:"name"`
		Path  string `json:"path"`
		Hash  string `json:"hash"`
		Bytes int64  `json:"bytes"`
	}
	var resources []resource
	add := func(path string, method uint16, write func(io.Writer) error) error {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: path, Method: method, Modified: created})
		if err != nil {
			return err
		}
		h := sha256.New()
		cw := &countWriter{w: io.MultiWriter(fw, h)}
		if err := write(cw); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		resources = append(resources, resource{Name: filepath.Base(path), Path: path, Hash: hexHash(h), Bytes: cw.n})
		return nil
	}

	var (
		entries []IndexEntry // File holds the name in the package
		idxErrs []error
		used    = map[string]bool{}
	)
	for _, f := range files {
		name := filepath.Base(f)
		for i := 2; used[name]; i++ {
			ext := ".warc.gz"
			if !strings.HasSuffix(filepath.Base(f), ext) {
				ext = filepath.Ext(f)
			}
			name = strings.TrimSuffix(filepath.Base(f), ext) + fmt.Sprintf("-%d", i) + ext
		}
		used[name] = true
		fileEntries, ierr := IndexFile(f)
		if ierr != nil {
			idxErrs = append(idxErrs, ierr)
		}
		for _, e := range fileEntries {
			e.File = name
			entries = append(entries, e)
		}
		err := add("archive/"+name, zip.Store, func(w io.Writer) error {
			src, err := os.Open(f)
			if err != nil {
				return err
			}
			defer src.Close()
			_, err = io.Copy(w, src)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("wacz: %w", err)
		}
	}
	resolveNotModified(entries)
	lines := make([]string, len(entries))
	for i, e := range entries {
		lines[i] = e.CDXJ(e.File)
	}
	sort.Strings(lines)
	if err := add("indexes/index.cdxj", zip.Deflate, func(w io.Writer) error {
		for _, l := range lines {
			if _, err := io.WriteString(w, l+"\n"); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("wacz: %w", err)
	}
	if err := add("pages/pages.jsonl", zip.Deflate, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(map[string]any{"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}); err != nil {
			return err
		}
		for _, p := range pages {
			line := map[string]any{"url": p.URL, "ts": p.Time.UTC().Format(time.RFC3339)}
			if p.Title != "" {
				line["title"] = p.Title
			}
			if err := enc.Encode(line); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("wacz: %w", err)
	}
	dp := map[string]any{
		"profile":      "data-package",
		"wacz_version": WACZVersion,
		"title":        opts.Title,
		"software":     opts.Software,
		"created":      created.UTC().Format(time.RFC3339),
		"resources":    resources,
	}
	if len(pages) > 0 {
		dp["mainPageURL"] = pages[0].URL
		dp["mainPageDate"] = pages[0].Time.UTC().Format(time.RFC3339)
	}
	dpBytes, err := json.MarshalIndent(dp, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("wacz: datapackage.json: %w", err)
	}
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: "datapackage.json", Method: zip.Deflate, Modified: created})
	if err == nil {
		_, err = fw.Write(dpBytes)
	}
	if err != nil {
		return nil, fmt.Errorf("wacz: datapackage.json: %w", err)
	}
	sum := sha256.Sum256(dpBytes)
	digest, _ := json.MarshalIndent(map[string]string{"path": "datapackage.json", "hash": "sha256:" + hex.EncodeToString(sum[:])}, "", "  ")
	fw, err = zw.CreateHeader(&zip.FileHeader{Name: "datapackage-digest.json", Method: zip.Deflate, Modified: created})
	if err == nil {
		_, err = fw.Write(digest)
	}
	if err != nil {
		return nil, fmt.Errorf("wacz: datapackage-digest.json: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("wacz: %w", err)
	}
	return errors.Join(idxErrs...), nil
}

func hexHash(h hash.Hash) string { return "sha256:" + hex.EncodeToString(h.Sum(nil)) }

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
