package migrations

import (
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// TestEmbedded: both backends' files are embedded, in version order, with
// the versions and names schema_migrations records.
func TestEmbedded(t *testing.T) {
	for _, c := range []struct {
		name  string
		list  func() ([]Migration, error)
		first string
	}{
		{"sqlite", SQLite, "0001_init"},
		{"postgres", Postgres, "0001_fleet"},
	} {
		ms, err := c.list()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(ms) < 5 || ms[0].Name != c.first || ms[0].Version != 1 {
			t.Fatalf("%s: %d migrations, first %+v; want %s first", c.name, len(ms), ms[0].Name, c.first)
		}
		for i, m := range ms {
			if i > 0 && m.Version <= ms[i-1].Version {
				t.Errorf("%s: %s after %s", c.name, m.Name, ms[i-1].Name)
			}
			if strings.TrimSpace(m.SQL) == "" {
				t.Errorf("%s: %s is empty", c.name, m.Name)
			}
		}
	}
}

// TestList: order is by version, not by name; bad names and two files of
// one version are refused.
func TestList(t *testing.T) {
	sql := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	ms, err := List(fstest.MapFS{
		"d/0010_ten.sql": sql("ten"), "d/0002_two.sql": sql("two"), "d/9_nine.sql": sql("nine"),
		"d/README.md": sql("not a migration"),
	}, "d")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.Name+"="+m.SQL)
	}
	if strings.Join(got, " ") != "0002_two=two 9_nine=nine 0010_ten=ten" {
		t.Errorf("order %v", got)
	}
	for _, bad := range []fstest.MapFS{
		{"d/init.sql": sql("x")},
		{"d/0001_a.sql": sql("a"), "d/1_b.sql": sql("b")},
		{"d/0000_zero.sql": sql("z")},
	} {
		if ms, err := List(bad, "d"); err == nil {
			t.Errorf("%v listed as %+v, want an error", bad, ms)
		}
	}
}

// TestNoStrayFiles: a schema file left where migrations used to live (this
// directory's top, archive/pgarchive/migrations) would be embedded by no
// one and never applied.
func TestNoStrayFiles(t *testing.T) {
	for _, pattern := range []string{"*.sql", "../pgarchive/migrations/*.sql"} {
		stray, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		if len(stray) > 0 {
			t.Errorf("schema files outside sqlite/ and postgres/, never applied: %v", stray)
		}
	}
}
