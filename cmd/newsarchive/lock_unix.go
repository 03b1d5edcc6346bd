//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockArchive takes an exclusive advisory lock beside the archive file, so that
// two crawls never write one archive at once (the second would resume the
// first's run). The lock is released by unlock, or by the kernel when the
// process dies, also on kill -9.
func lockArchive(db string) (unlock func(), err error) {
	f, err := os.OpenFile(db+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock archive: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another crawl is writing to %s; wait for it or use another --db", db)
		}
		return nil, fmt.Errorf("lock archive: %w", err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
