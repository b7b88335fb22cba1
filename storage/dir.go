package storage

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// checkDir rejects what Badger would mishandle or report obscurely: a missing
// store opened read-only, a file or a foreign directory in place of the store,
// and a directory a read-write open could not write to.
func checkDir(dir string, readOnly bool) error {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if readOnly {
			return fmt.Errorf("open store %s: %w", dir, ErrNotExist)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			if isPermission(err) {
				return notWritable(dir, err)
			}
			return fmt.Errorf("create store %s: %w", dir, err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("open store %s: %w", dir, err)
	case !fi.IsDir():
		return fmt.Errorf("open store %s: it is a file, not a directory: %w", dir, ErrNotStore)
	}

	_, err = os.Stat(filepath.Join(dir, "MANIFEST"))
	switch {
	case err == nil:
	case errors.Is(err, fs.ErrNotExist):
		foreign, err := foreignEntry(dir)
		if err != nil {
			return fmt.Errorf("open store %s: %w", dir, err)
		}
		if foreign != "" {
			return fmt.Errorf("open store %s: the directory holds other files (%s); use an empty or new directory: %w", dir, foreign, ErrNotStore)
		}
		if readOnly {
			return fmt.Errorf("open store %s: %w", dir, ErrNotExist)
		}
	default:
		return fmt.Errorf("open store %s: %w", dir, err)
	}
	return nil
}

// foreignEntry names one entry of dir that neither Badger nor this package
// would have created, or "" when there is none: a store whose creation was
// interrupted may hold Badger's files without a MANIFEST yet.
func foreignEntry(dir string) (string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return "", err
	}
	defer f.Close()
	for {
		// Batches keep a huge foreign directory from being listed in full.
		entries, err := f.ReadDir(64)
		for _, e := range entries {
			if !isStoreFile(e.Name()) {
				return e.Name(), nil
			}
		}
		if errors.Is(err, io.EOF) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
	}
}

func isStoreFile(name string) bool {
	switch name {
	case "LOCK", "KEYREGISTRY", "DISCARD", "MANIFEST-REWRITE", holdersDir, changeFile, pendingFile:
		return true
	}
	for _, ext := range []string{".vlog", ".mem", ".sst"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return strings.HasPrefix(name, probePrefix)
}

const probePrefix = ".write-probe-"

// checkWritable creates and removes a file in dir: the only test that agrees
// with the kernel about ACLs, read-only mounts and root.
func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, probePrefix+"*")
	if err != nil {
		if isPermission(err) {
			return notWritable(dir, err)
		}
		return fmt.Errorf("open store %s: %w", dir, err)
	}
	name := f.Name()
	f.Close()
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("open store %s: %w", dir, err)
	}
	return nil
}

func isPermission(err error) bool {
	return errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EROFS)
}

func notWritable(dir string, cause error) error {
	reason := "permission denied"
	if errors.Is(cause, syscall.EROFS) || strings.Contains(cause.Error(), "read-only file system") {
		reason = "read-only file system"
	}
	return &notWritableError{dir: dir, reason: reason}
}

// notWritableError says what a user can do, not which syscall failed.
type notWritableError struct {
	dir    string
	reason string
}

func (e *notWritableError) Error() string {
	return fmt.Sprintf("store directory %s is not writable (%s): fix its permissions, or use a command that only reads", e.dir, e.reason)
}

func (e *notWritableError) Is(target error) bool { return target == ErrNotWritable }
