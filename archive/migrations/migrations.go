// Package migrations holds the archive's schema migrations for both
// backends in one place, embedded in the binary: sqlite/ for the SQLite
// archive file (package archive) and postgres/ for the PostgreSQL archive
// (package archive/pgarchive). Each file is NNNN_name.sql; each backend
// applies its files in version order, each once, recording it in its
// schema_migrations table (version, name). The two sequences are numbered
// independently.
package migrations

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

//go:embed sqlite/*.sql postgres/*.sql
var files embed.FS

// Migration is one schema file.
type Migration struct {
	Version int    // NNNN of the file name
	Name    string // the file name without ".sql", as schema_migrations records it
	SQL     string
}

// SQLite returns the SQLite archive's migrations in version order.
func SQLite() ([]Migration, error) { return List(files, "sqlite") }

// Postgres returns the PostgreSQL archive's migrations in version order.
func Postgres() ([]Migration, error) { return List(files, "postgres") }

// List reads the migrations of directory dir of fsys (every *.sql file),
// in version order; a file not named NNNN_name.sql, or two files of one
// version, is an error.
func List(fsys fs.FS, dir string) ([]Migration, error) {
	names, err := fs.Glob(fsys, dir+"/*.sql")
	if err != nil {
		return nil, fmt.Errorf("migrations %s: %w", dir, err)
	}
	ms := make([]Migration, 0, len(names))
	for _, n := range names {
		base := path.Base(n)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s/%s: name must be NNNN_name.sql", dir, base)
		}
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("migration %s/%s: %w", dir, base, err)
		}
		ms = append(ms, Migration{Version: v, Name: strings.TrimSuffix(base, ".sql"), SQL: string(b)})
	}
	slices.SortFunc(ms, func(a, b Migration) int { return a.Version - b.Version })
	for i := 1; i < len(ms); i++ {
		if ms[i].Version == ms[i-1].Version {
			return nil, fmt.Errorf("migrations %s: %s and %s have one version", dir, ms[i-1].Name, ms[i].Name)
		}
	}
	return ms, nil
}
