package main

// export --output: the file appears whole or not at all.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// outputFile is an export being written to a temporary file beside its
// target, renamed over the target only once complete and synced: a failed
// export never replaces an earlier file and leaves no temporary behind.
type outputFile struct {
	*os.File
	target string // the regular file to replace (symlinks resolved)
	done   bool
}

// createOutput checks that path may receive an export and opens a
// temporary file beside it. A directory, device, FIFO or socket (or a
// symlink to one) is refused without touching it; a symlink to a regular
// file (or to a path that does not exist yet) is written through, so the
// link stays a link.
func createOutput(path string) (*outputFile, error) {
	target := path
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		resolved, err := filepath.EvalSymlinks(path)
		if err != nil {
			return nil, fmt.Errorf("--output %s: symlink to a missing file: %w", path, err)
		}
		target = resolved
	}
	mode := fs.FileMode(0o644)
	fi, err := os.Stat(target)
	switch {
	case err == nil && fi.IsDir():
		return nil, fmt.Errorf("--output %s: is a directory", path)
	case err == nil && !fi.Mode().IsRegular():
		return nil, fmt.Errorf("--output %s: not a regular file (%s); use --output - to write to stdout", path, fileKind(fi.Mode()))
	case err == nil:
		mode = fi.Mode().Perm()
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("--output %s: %w", path, err)
	}
	f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("--output %s: %w", path, err)
	}
	if err := f.Chmod(mode); err != nil {
		_ = f.Close()
		_ = os.Remove(f.Name())
		return nil, fmt.Errorf("--output %s: %w", path, err)
	}
	return &outputFile{File: f, target: target}, nil
}

// fileKind names the type of a file that is neither regular nor a directory.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "FIFO"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "device"
	case m&fs.ModeSocket != 0:
		return "socket"
	}
	return m.Type().String()
}

// Commit syncs the temporary file and renames it over the target.
func (o *outputFile) Commit() error {
	o.done = true
	name := o.Name()
	err := o.Sync()
	if cerr := o.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(name, o.target)
	}
	if err != nil {
		_ = os.Remove(name)
		return fmt.Errorf("write %s: %w", o.target, err)
	}
	// The rename is durable once the directory is synced.
	if d, err := os.Open(filepath.Dir(o.target)); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// Abort removes the temporary file; after Commit it does nothing.
func (o *outputFile) Abort() {
	if o.done {
		return
	}
	o.done = true
	_ = o.Close()
	_ = os.Remove(o.Name())
}
