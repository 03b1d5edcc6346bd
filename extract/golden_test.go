package extract

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/newsarchive/newsarchive/internal/citest"
)

var update = flag.Bool("update", false, "rewrite the golden records in testdata/golden")

const (
	fixtureDir = "../testdata/site/blogs/tesmanian-blog"
	goldenDir  = "../testdata/golden/tesmanian"
	fixtureURL = "https://www.tesmanian.com/blogs/tesmanian-blog/"
)

// fixturePages returns the article fixtures' handles, sorted.
func fixturePages(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(fixtureDir, "*.html"))
	if err != nil {
		tb.Fatal(err)
	}
	var handles []string
	for _, f := range files {
		handles = append(handles, strings.TrimSuffix(filepath.Base(f), ".html"))
	}
	sort.Strings(handles)
	return handles
}

func readFixture(tb testing.TB, handle string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, handle+".html"))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func defaultExtractor(tb testing.TB) *Extractor {
	tb.Helper()
	e, err := Default()
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// TestGolden compares every fixture article's record with its golden file,
// field by field. Run `go test ./extract -update` to rewrite the goldens.
func TestGolden(t *testing.T) {
	e := defaultExtractor(t)
	handles := fixturePages(t)
	if len(handles) == 0 {
		citest.SkipOrFail(t, "no fixture articles yet")
	}
	for _, h := range handles {
		t.Run(h, func(t *testing.T) {
			got, err := e.Extract(fixtureURL+h, nil, readFixture(t, h))
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(goldenDir, h+".json")
			if *update {
				data, err := json.MarshalIndent(got, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				if err := os.MkdirAll(goldenDir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("no golden record (run go test ./extract -update): %v", err)
			}
			var want Article
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&want); err != nil {
				t.Fatalf("golden %s: %v", path, err)
			}
			for _, d := range diffArticles(&want, got) {
				t.Error(d)
			}
		})
	}
}

// diffArticles lists the fields that differ, by JSON name, with both values.
func diffArticles(want, got *Article) []string {
	var out []string
	wv, gv := reflect.ValueOf(want).Elem(), reflect.ValueOf(got).Elem()
	typ := wv.Type()
	for i := 0; i < typ.NumField(); i++ {
		name := strings.Split(typ.Field(i).Tag.Get("json"), ",")[0]
		w, g := wv.Field(i).Interface(), gv.Field(i).Interface()
		if equalField(w, g) {
			continue
		}
		wj, _ := json.Marshal(w)
		gj, _ := json.Marshal(g)
		out = append(out, fmt.Sprintf("field %s:\n  want %s\n  got  %s", name, wj, gj))
	}
	return out
}

// equalField treats nil and empty slices and maps as equal.
func equalField(a, b any) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	switch va.Kind() {
	case reflect.Slice, reflect.Map:
		if va.Len() == 0 && vb.Len() == 0 {
			return true
		}
	}
	return reflect.DeepEqual(a, b)
}
