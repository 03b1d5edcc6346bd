//go:build !unix

package main

// lockArchive is a no-op where advisory file locks are not available.
func lockArchive(string) (func(), error) { return func() {}, nil }
