//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockArchive takes an exclusive advisory lock (flock) on the archive file
// itself, so that two crawls never write one archive at once (the second would
// resume the first's run). The lock belongs to the file, not to its name: a
// symlink, a hard link or a renamed path to the same archive meets the same
// lock. A missing archive is created empty (SQLite treats an empty file as a
// new database). The lock is released by unlock, or by the kernel when the
// process dies, also on kill -9.
//
// flock and SQLite's own fcntl locks are independent on Linux and the BSDs.
// One caution: closing any descriptor of a file drops this process's fcntl
// locks on it, SQLite's included, so unlock must run after the store is
// closed (callers defer it first, so it runs last).
func lockArchive(db string) (unlock func(), err error) {
	f, err := os.OpenFile(db, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock archive: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another crawl is writing to %s (maybe under another name or link); wait for it or use another --db", db)
		}
		return nil, fmt.Errorf("lock archive: %w", err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
