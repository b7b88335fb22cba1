package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// What a process killed at any instant can leave in a store directory, and
// what Badger makes of it on the next open (issue: kill -9 of commits and
// imports):
//
//   - A memtable or value-log file created but not yet given its 20-byte
//     header (killed between create and bootstrap). Badger then fails every
//     open: a read-only one cannot grow the empty file ("truncate …:
//     invalid argument"), a read-write one reports the file as new ("Create
//     a new file") and only the open after it succeeds. Such a file holds no
//     data, so removing it loses nothing.
//   - The write-ahead file of a bulk open (a larger memtable) that was not
//     flushed. Replaying it into a memtable of the normal size overflows the
//     skiplist's arena, which Badger treats as a fatal assertion: the
//     process exits inside Badger. Opening with a memtable large enough for
//     the file replays it, and the close flushes it as usual.
//
// leftovers inspects the directory for both before every open: one ReadDir
// of a few dozen entries.

// headerSize is Badger's header of memtable and value-log files (keyID and
// IV, value.go vlogHeaderSize); a shorter file was never written to.
const headerSize = 20

// storeFiles is what an open needs to know about the directory's files.
type storeFiles struct {
	// empty lists memtable and value-log files without a header.
	empty []string
	// largestMemFile is the size of the largest memtable file: Badger
	// preallocates each to twice the memtable size it was created with.
	largestMemFile int64
	// smallTables counts the tables of less than smallTableSize: the
	// level-0 tables short commands leave, as far as a directory listing
	// can tell (compact.go).
	smallTables int
}

func inspectFiles(dir string) (storeFiles, error) {
	var sf storeFiles
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return sf, nil
		}
		return sf, fmt.Errorf("open store %s: %w", dir, err)
	}
	for _, e := range entries {
		name := e.Name()
		isMem := strings.HasSuffix(name, ".mem")
		isTable := strings.HasSuffix(name, ".sst")
		if !isMem && !isTable && !strings.HasSuffix(name, ".vlog") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed meanwhile by its owner
		}
		if isTable {
			if info.Size() < smallTableSize {
				sf.smallTables++
			}
			continue
		}
		if info.Size() < headerSize {
			sf.empty = append(sf.empty, name)
			continue
		}
		if isMem {
			sf.largestMemFile = max(sf.largestMemFile, info.Size())
		}
	}
	return sf, nil
}

// memTableSize is the memtable size an open must use so that Badger can
// replay every write-ahead file in the directory.
func (sf storeFiles) memTableSize(normal int64) int64 {
	return max(normal, (sf.largestMemFile+1)/2)
}

// removeEmptyFiles deletes header-less memtable and value-log files, but
// only while it holds the store's directory lock: a file is empty for an
// instant in the life of every file Badger creates, and the process
// creating it holds that lock. It reports whether it could take the lock;
// when it could not, another process has the store and Open waits for it as
// usual.
func removeEmptyFiles(dir string) (bool, error) {
	unlock, ok, err := tryLockDir(dir)
	if err != nil || !ok {
		return ok, err
	}
	defer unlock()
	// Look again under the lock: the files seen before may have been
	// completed by a process that had the store then.
	sf, err := inspectFiles(dir)
	if err != nil {
		return true, err
	}
	for _, name := range sf.empty {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			if isPermission(err) {
				return true, notWritable(dir, err)
			}
			return true, fmt.Errorf("open store %s: remove the empty file %s left by a killed process: %w", dir, name, err)
		}
	}
	if len(sf.empty) > 0 {
		if err := syncDir(dir); err != nil {
			return true, fmt.Errorf("open store %s: %w", dir, err)
		}
	}
	return true, nil
}

// syncDir makes removals and renames in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, fs.ErrInvalid) {
		return err
	}
	return nil
}
