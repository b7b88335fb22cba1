package workspace

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"promptbench/storage"
)

// atomicFile is a file written beside its destination and renamed over it
// on commit, so that a reader (git, an application reading the export
// file) sees the old file or the new one, never half of one. The temporary
// file is named .NAME.PID-RANDOM.tmp: one left by a killed process is
// removed by the next write to the same destination, and a running one's
// is left alone.
type atomicFile struct {
	*os.File
	path string
}

// createAtomic starts writing path. The new file keeps the old one's mode,
// or gets 0644: these are files shared through git, not private ones.
func createAtomic(path string) (*atomicFile, error) {
	dir, base := filepath.Dir(path), filepath.Base(path)
	removeStaleTemps(dir, base)
	name := filepath.Join(dir, fmt.Sprintf(".%s.%d-%08x.tmp", base, os.Getpid(), rand.Uint32()))
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	// The umask may have narrowed the mode.
	if err := f.Chmod(mode); err != nil {
		f.Close()
		os.Remove(name)
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return &atomicFile{File: f, path: path}, nil
}

// commit makes the written bytes durable and puts them in place.
func (a *atomicFile) commit() error {
	err := a.Sync()
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(a.Name(), a.path)
	}
	if err != nil {
		os.Remove(a.Name())
		return fmt.Errorf("write %s: %w", a.path, err)
	}
	if d, err := os.Open(filepath.Dir(a.path)); err == nil {
		_ = d.Sync() // the rename survives a power loss too
		d.Close()
	}
	return nil
}

// abort drops the temporary file; the destination is untouched.
func (a *atomicFile) abort() {
	a.Close()
	os.Remove(a.Name())
}

// WriteFileAtomic writes data to path through an atomicFile.
func WriteFileAtomic(path string, data []byte) error {
	return WriteAtomic(path, func(w io.Writer) error {
		if _, err := w.Write(data); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		return nil
	})
}

// WriteAtomic writes path through an atomicFile, whose content fill
// writes: an existing file is replaced whole, or, when fill fails, left
// as it was.
func WriteAtomic(path string, fill func(io.Writer) error) error {
	a, err := createAtomic(path)
	if err != nil {
		return err
	}
	if err := fill(a); err != nil {
		a.abort()
		return err
	}
	return a.commit()
}

// removeStaleTemps removes the temporary files of base that processes which
// no longer run left in dir.
func removeStaleTemps(dir, base string) {
	matches, _ := filepath.Glob(filepath.Join(dir, "."+globEscape(base)+".*.tmp"))
	for _, m := range matches {
		rest := strings.TrimPrefix(filepath.Base(m), "."+base+".")
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || storage.ProcessAlive(pid) {
			continue
		}
		os.Remove(m)
	}
}

func globEscape(s string) string {
	r := strings.NewReplacer(`*`, `\*`, `?`, `\?`, `[`, `\[`, `\`, `\\`)
	return r.Replace(s)
}
