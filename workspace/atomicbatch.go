package workspace

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"promptbench/storage"
)

// AtomicBatch replaces many files, each whole: a reader, or a process
// killed at any instant, sees every file old or new, never half of one.
// Unlike one atomicFile per file, which syncs each file and its folder,
// a batch writes every temporary file first, makes them durable together
// (one sync of the filesystem where the system has one), then renames
// them and syncs each folder touched once: an export folder of ten
// thousand prompts paid ten thousand syncs. Nothing is in place before
// Commit; Abort leaves every file as it was.
type AtomicBatch struct {
	pending []batchFile
	dirs    map[string]bool // folders whose entries change: synced on commit
	swept   map[string]bool // folders whose killed processes' temporaries were removed

	// syncEachFile makes Commit sync the written files one by one, as
	// it does where the system has no sync of a whole filesystem: the
	// tests run that path on Linux too.
	syncEachFile bool
}

type batchFile struct{ temp, path string }

// Write writes data beside path, to be put in place by Commit. Missing
// folders are made.
func (b *AtomicBatch) Write(path string, data []byte) error {
	if b.dirs == nil {
		b.dirs, b.swept = map[string]bool{}, map[string]bool{}
	}
	dir, base := filepath.Dir(path), filepath.Base(path)
	if err := b.makeDir(dir); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if !b.swept[dir] {
		b.swept[dir] = true
		removeDeadTemps(dir)
	}
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	temp := filepath.Join(dir, fmt.Sprintf(".%s.%d-%08x.tmp", base, os.Getpid(), rand.Uint32()))
	f, err := os.OpenFile(temp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	b.pending = append(b.pending, batchFile{temp: temp, path: path})
	err = f.Chmod(mode) // the umask may have narrowed the mode
	if err == nil {
		_, err = f.Write(data)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	b.dirs[dir] = true
	return nil
}

// makeDir makes dir and its missing parents; the parent of each folder
// made is synced on commit, so that the folder survives a power loss.
func (b *AtomicBatch) makeDir(dir string) error {
	if b.swept[dir] {
		return nil
	}
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	parent := filepath.Dir(dir)
	if parent != dir {
		if err := b.makeDir(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !os.IsExist(err) {
		return err
	}
	b.dirs[parent] = true
	return nil
}

// Commit makes the written files durable, then puts them in place. A
// failure before the first rename leaves every file as it was.
func (b *AtomicBatch) Commit() error {
	if len(b.pending) == 0 {
		return nil
	}
	sync := syncWritten
	if b.syncEachFile {
		sync = syncEach
	}
	if err := sync(b.pending); err != nil {
		b.Abort()
		return err
	}
	for i, f := range b.pending {
		if err := os.Rename(f.temp, f.path); err != nil {
			b.pending = b.pending[i:]
			b.Abort()
			return fmt.Errorf("write %s: %w", f.path, err)
		}
	}
	b.pending = nil
	for _, dir := range slices.Sorted(maps.Keys(b.dirs)) {
		if d, err := os.Open(dir); err == nil {
			_ = d.Sync() // the renames survive a power loss too
			d.Close()
		}
	}
	return nil
}

// Abort removes the temporary files not yet put in place.
func (b *AtomicBatch) Abort() {
	for _, f := range b.pending {
		os.Remove(f.temp)
	}
	b.pending = nil
}

// syncEach makes each written file durable, one sync per file: where the
// system has no sync of a whole filesystem.
func syncEach(files []batchFile) error {
	for _, bf := range files {
		f, err := os.OpenFile(bf.temp, os.O_RDWR, 0)
		if err != nil {
			return fmt.Errorf("write %s: %w", bf.path, err)
		}
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", bf.path, err)
		}
	}
	return nil
}

// removeDeadTemps removes from dir the temporary files (.NAME.PID-RANDOM.tmp)
// that processes which no longer run left there.
func removeDeadTemps(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".tmp") || e.IsDir() {
			continue
		}
		rest := strings.TrimSuffix(name, ".tmp")
		dot := strings.LastIndexByte(rest, '.')
		pidText, random, ok := strings.Cut(rest[dot+1:], "-")
		pid, err := strconv.Atoi(pidText)
		if dot <= 0 || !ok || len(random) != 8 || err != nil || storage.ProcessAlive(pid) {
			continue
		}
		os.Remove(filepath.Join(dir, name))
	}
}
