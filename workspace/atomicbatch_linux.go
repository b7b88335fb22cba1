package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// syncWritten makes the written files durable with one sync of their
// filesystem (syncfs), whatever their number. The files of a batch share
// a folder tree on one filesystem, except across a mount point inside it:
// then each is synced.
func syncWritten(files []batchFile) error {
	var dev uint64
	seen := map[string]bool{}
	for i, f := range files {
		dir := filepath.Dir(f.temp)
		if seen[dir] {
			continue
		}
		seen[dir] = true
		fi, err := os.Stat(dir)
		if err != nil {
			return fmt.Errorf("write %s: %w", f.path, err)
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok || i > 0 && uint64(st.Dev) != dev {
			return syncEach(files)
		}
		dev = uint64(st.Dev)
	}
	d, err := os.Open(files[0].temp)
	if err != nil {
		return fmt.Errorf("write %s: %w", files[0].path, err)
	}
	defer d.Close()
	if err := unix.Syncfs(int(d.Fd())); err != nil {
		return fmt.Errorf("write %s: sync: %w", files[0].path, err)
	}
	return nil
}
