// Package citest holds the one rule for tests that need something the machine
// may lack (a browser, wget, a fixture file, a server): they skip with a
// message on a developer's machine and fail under CI, which provides all of
// it, so CI cannot go green by skipping.
package citest

import (
	"os"
	"testing"
)

// Env is the variable .ci/run sets: under it, missing prerequisites fail.
const Env = "NEWSARCHIVE_CI"

// SkipOrFail skips the test with msg, or fails it when NEWSARCHIVE_CI is set.
func SkipOrFail(t testing.TB, msg string) {
	t.Helper()
	Require(t, Env, msg)
}

// Require skips the test with msg, or fails it when the environment variable
// env is set to a non-empty value other than "0".
func Require(t testing.TB, env, msg string) {
	t.Helper()
	if v := os.Getenv(env); v != "" && v != "0" {
		t.Fatalf("%s (%s=%s: CI provides it, so it must be here)", msg, env, v)
	}
	t.Skip(msg)
}
