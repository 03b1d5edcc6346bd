package pgtest

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestDB checks that two databases are distinct and empty, and that they are
// dropped when the test that made them ends.
func TestDB(t *testing.T) {
	ctx := context.Background()
	var names []string
	t.Run("make", func(t *testing.T) {
		a, b := DB(t), DB(t)
		if a == b {
			t.Fatalf("two calls gave the same database %s", a)
		}
		ca, err := pgx.Connect(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		defer ca.Close(ctx)
		if _, err := ca.Exec(ctx, "CREATE TABLE x (v int); INSERT INTO x VALUES (1)"); err != nil {
			t.Fatal(err)
		}
		cb, err := pgx.Connect(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		defer cb.Close(ctx)
		var n int
		if err := cb.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE tablename = 'x'").Scan(&n); err != nil || n != 0 {
			t.Fatalf("second database sees the first's table: n=%d err=%v", n, err)
		}
		for _, c := range []*pgx.Conn{ca, cb} {
			var name string
			if err := c.QueryRow(ctx, "SELECT current_database()").Scan(&name); err != nil {
				t.Fatal(err)
			}
			names = append(names, name)
		}
	})
	if t.Failed() || len(names) == 0 { // failed, or skipped without a server
		return
	}
	admin, err := pgx.Connect(ctx, os.Getenv(Env))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	var left int
	if err := admin.QueryRow(ctx, "SELECT count(*) FROM pg_database WHERE datname = ANY($1)", names).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Fatalf("%d of %v not dropped", left, names)
	}
}

// TestDBWithoutServer runs a child test without NEWSARCHIVE_PG: it skips, and
// with NEWSARCHIVE_REQUIRE_PG=1 it fails.
func TestDBWithoutServer(t *testing.T) {
	if os.Getenv("PGTEST_CHILD") == "1" {
		DB(t)
		t.Fatal("DB returned without a server")
	}
	for _, require := range []string{"", "1"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestDBWithoutServer$", "-test.v")
		cmd.Env = append(os.Environ(), "PGTEST_CHILD=1", Env+"=", RequireEnv+"="+require)
		out, err := cmd.CombinedOutput()
		if failed := err != nil; failed != (require == "1") {
			t.Errorf("%s=%q: failed=%v\n%s", RequireEnv, require, failed, out)
		}
		if !strings.Contains(string(out), "no PostgreSQL") {
			t.Errorf("%s=%q: no message:\n%s", RequireEnv, require, out)
		}
	}
}

func TestDBName(t *testing.T) {
	n := dbName("TestSomething/with spaces & ÜNICODE and a very long name that goes on and on")
	if len(n) > 63 || strings.Trim(n, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
		t.Fatalf("bad name %q (%d bytes)", n, len(n))
	}
}
