// Package pgtest gives tests a PostgreSQL database of their own on the server
// that NEWSARCHIVE_PG names (.ci/pg.sh starts one and sets it).
//
// Without NEWSARCHIVE_PG a test that asks for a database is skipped with a
// message; with NEWSARCHIVE_REQUIRE_PG=1 (set by CI) it fails instead, so CI
// cannot go green by skipping the PostgreSQL tests.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsarchive/newsarchive/internal/citest"
)

// Env names the server: a postgres:// URL of a role that may create databases.
const Env = "NEWSARCHIVE_PG"

// RequireEnv, set to 1, makes a missing or unreachable server a failure.
const RequireEnv = "NEWSARCHIVE_REQUIRE_PG"

// DB creates an empty database for t, drops it when t ends, and returns its
// postgres:// URL. Each call gives a new database, so tests may run in
// parallel and never see each other's rows.
func DB(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(Env)
	if admin == "" {
		citest.Require(t, RequireEnv, "no PostgreSQL: set "+Env+" to a postgres:// URL (source .ci/pg.sh to start one)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		citest.Require(t, RequireEnv, fmt.Sprintf("PostgreSQL at %s unreachable: %v", Env, err))
	}
	defer conn.Close(context.Background())

	name := dbName(t.Name())
	// template0: never connected to, so concurrent creations do not collide
	// on "source database is being accessed by other users".
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
			return
		}
		defer conn.Close(context.Background())
		// FORCE: a pool the test forgot to close must not leave the database behind.
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("pgtest: %s: %v", Env, err)
	}
	u.Path = "/" + name
	return u.String()
}

// dbName makes a database name from a test name: lowercase letters, digits
// and underscores, short enough for PostgreSQL's 63-byte limit with a random
// suffix that keeps repeated and parallel runs apart.
func dbName(test string) string {
	var b strings.Builder
	b.WriteString("t_")
	for _, r := range strings.ToLower(test) {
		if b.Len() >= 40 {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	var suffix [6]byte
	_, _ = rand.Read(suffix[:]) // crypto/rand.Read never fails (Go 1.24+)
	b.WriteByte('_')
	b.WriteString(hex.EncodeToString(suffix[:]))
	return b.String()
}
