//go:build unix

package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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

// pendingSupported says whether writes may go to the pending log: it needs
// the flock lockPending takes.
const pendingSupported = true

// lockPending opens the store's pending log and takes its exclusive lock
// without waiting: errBusy when another writer holds it. A log it creates
// is made durable in the directory at once.
func lockPending(dir string) (*pendingLog, error) {
	path := filepath.Join(dir, pendingFile)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	created := false
	if errors.Is(err, fs.ErrNotExist) {
		f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		created = true
	}
	if err != nil {
		if isPermission(err) {
			return nil, notWritable(dir, err)
		}
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("open store %s: %w", dir, errBusy)
		}
		return nil, fmt.Errorf("open store %s: lock pending log: %w", dir, err)
	}
	if created {
		if err := syncDir(dir); err != nil {
			f.Close()
			return nil, fmt.Errorf("open store %s: %w", dir, err)
		}
	}
	return &pendingLog{f: f, path: path}, nil
}
