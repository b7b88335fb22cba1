//go:build unix

package storage

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// tryLockDir takes the exclusive lock Badger's read-write open takes (flock
// on the directory itself, badger's dir_unix.go) without waiting. ok is
// false when another process holds the store.
func tryLockDir(dir string) (unlock func(), ok bool, err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, false, fmt.Errorf("open store %s: %w", dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("open store %s: lock: %w", dir, err)
	}
	return func() { f.Close() }, true, nil
}
