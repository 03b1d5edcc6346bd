package warc

import (
	"archive/zip"
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
)

// WACZCheck is what was checked in a WACZ package (WACZ 1.1.1 §4–§6):
// the digests that datapackage.json gives for its resources, the digest of
// datapackage.json in datapackage-digest.json, and the pages listed.
type WACZCheck struct {
	WARCs       int `json:"warcs"`        // archive/*.warc* files read
	Resources   int `json:"resources"`    // resources listed in datapackage.json
	DigestsOK   int `json:"digests_ok"`   // of those, whose size and SHA-256 match
	PagesListed int `json:"pages_listed"` // entries of pages/pages.jsonl
	// Problems lists what did not check out: a missing or unreadable
	// datapackage.json, a resource missing or with another digest.
	Problems []string `json:"problems,omitempty"`
}

// openWACZ lists the WARC files of the WACZ package f and checks its
// datapackage.json. A package without archive/ WARCs is an error.
func openWACZ(abs string, f *os.File, size int64) (*WACZCheck, []part, error) {
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return nil, nil, fmt.Errorf("not a WACZ package: %w", err)
	}
	check := &WACZCheck{}
	entries := map[string]*zip.File{}
	var parts []part
	for _, zf := range zr.File {
		entries[zf.Name] = zf
		if !strings.HasPrefix(zf.Name, "archive/") || !strings.Contains(path.Base(zf.Name), ".warc") {
			continue
		}
		name := zf.Name
		parts = append(parts, part{name: name, open: func() (*io.SectionReader, io.Closer, error) {
			return openZipEntry(abs, name)
		}})
	}
	check.WARCs = len(parts)
	check.checkDatapackage(entries)
	if zf := entries["pages/pages.jsonl"]; zf != nil {
		check.PagesListed = countPages(zf)
	}
	if len(parts) == 0 {
		return check, nil, errors.New("WACZ package without WARC files under archive/")
	}
	return check, parts, nil
}

// openZipEntry opens the entry name of the zip file at abs as a section of
// the file when it is stored (WACZ 1.1.1 §5 asks for stored WARCs, so that
// replay can read them by range), or spooled to a temporary file when it is
// deflated.
func openZipEntry(abs, name string) (*io.SectionReader, io.Closer, error) {
	f, err := os.Open(abs)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	for _, zf := range zr.File {
		if zf.Name != name {
			continue
		}
		if zf.Method == zip.Store {
			off, err := zf.DataOffset()
			if err != nil {
				f.Close()
				return nil, nil, err
			}
			return io.NewSectionReader(f, off, int64(zf.CompressedSize64)), f, nil
		}
		defer f.Close()
		rc, err := zf.Open()
		if err != nil {
			return nil, nil, err
		}
		defer rc.Close()
		tmp, err := os.CreateTemp("", "newsarchive-wacz-*.warc")
		if err != nil {
			return nil, nil, err
		}
		os.Remove(tmp.Name()) // unlinked: gone when closed
		n, err := io.Copy(tmp, rc)
		if err != nil && n == 0 {
			tmp.Close()
			return nil, nil, err
		}
		// A deflated entry cut short keeps what inflated.
		return io.NewSectionReader(tmp, 0, n), tmp, nil
	}
	f.Close()
	return nil, nil, fmt.Errorf("no entry %s", name)
}

// datapackage is the part of datapackage.json checked: WACZ 1.1.1 puts
// "hash": "sha256:…" and "bytes" on each resource; WACZ 1.0 wrote them
// under "stats" with the algorithm in "hashing".
type datapackage struct {
	Resources []struct {
		Path    string `json:"path"`
		Hash    string `json:"hash"`
		Bytes   *int64 `json:"bytes"`
		Hashing string `json:"hashing"`
		Stats   *struct {
			Hash  string `json:"hash"`
			Bytes *int64 `json:"bytes"`
		} `json:"stats"`
	} `json:"resources"`
}

func (c *WACZCheck) problem(format string, a ...any) {
	c.Problems = append(c.Problems, fmt.Sprintf(format, a...))
}

func (c *WACZCheck) checkDatapackage(entries map[string]*zip.File) {
	zf := entries["datapackage.json"]
	if zf == nil {
		c.problem("datapackage.json missing")
		return
	}
	raw, err := readEntry(zf, 16<<20)
	if err != nil {
		c.problem("datapackage.json: %v", err)
		return
	}
	var dp datapackage
	if err := json.Unmarshal(raw, &dp); err != nil {
		c.problem("datapackage.json: %v", err)
		return
	}
	if dz := entries["datapackage-digest.json"]; dz != nil {
		var dd struct {
			Hash string `json:"hash"`
		}
		if b, err := readEntry(dz, 1<<20); err == nil && json.Unmarshal(b, &dd) == nil && dd.Hash != "" {
			sum := sha256.Sum256(raw)
			if !strings.EqualFold(strings.TrimPrefix(dd.Hash, "sha256:"), hex.EncodeToString(sum[:])) {
				c.problem("datapackage-digest.json: datapackage.json has another SHA-256")
			}
		}
	}
	for _, res := range dp.Resources {
		c.Resources++
		want, algo, size := res.Hash, "sha256", res.Bytes
		if res.Stats != nil {
			want, size = res.Stats.Hash, res.Stats.Bytes
		}
		if a, h, ok := strings.Cut(want, ":"); ok {
			algo, want = strings.ToLower(a), h
		} else if res.Hashing != "" {
			algo = strings.ToLower(res.Hashing)
		}
		zf := entries[res.Path]
		switch {
		case zf == nil:
			c.problem("%s: listed in datapackage.json, not in the package", res.Path)
			continue
		case algo != "sha256":
			c.problem("%s: digest algorithm %q not checked", res.Path, algo)
			continue
		}
		got, n, err := sha256Entry(zf)
		switch {
		case err != nil:
			c.problem("%s: %v", res.Path, err)
		case size != nil && *size != n:
			c.problem("%s: %d bytes, datapackage.json says %d", res.Path, n, *size)
		case !strings.EqualFold(got, want):
			c.problem("%s: SHA-256 %s, datapackage.json says %s", res.Path, got, want)
		default:
			c.DigestsOK++
		}
	}
}

func readEntry(zf *zip.File, limit int64) ([]byte, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, cut, err := readCapped(rc, limit)
	if cut {
		return nil, errors.New("too large")
	}
	return b, err
}

func sha256Entry(zf *zip.File) (string, int64, error) {
	rc, err := zf.Open()
	if err != nil {
		return "", 0, err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	return hex.EncodeToString(h.Sum(nil)), n, err
}

// countPages counts the pages of a pages.jsonl: lines with a "url" (the
// first line is a header naming the format).
func countPages(zf *zip.File) int {
	rc, err := zf.Open()
	if err != nil {
		return 0
	}
	defer rc.Close()
	sc := bufio.NewScanner(rc)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	n := 0
	for sc.Scan() {
		var p struct {
			URL string `json:"url"`
		}
		if json.Unmarshal(sc.Bytes(), &p) == nil && p.URL != "" {
			n++
		}
	}
	return n
}
