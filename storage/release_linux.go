package storage

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// releaseSupported: bulk opens release their table pages
// (releaseWritten).
const releaseSupported = true

// releaseTablePages advises the kernel that the mappings of dir's table
// files are not needed (madvise MADV_DONTNEED): their pages leave this
// process's resident set. The maps are shared and read-only, so the next
// access maps the file's page again. It returns how many mappings it
// released.
func releaseTablePages(dir string) int { return releaseMappings(tableMappings(dir)) }

// tableMapping is the address range a table file is mapped at.
type tableMapping struct{ lo, hi uintptr }

// tableMappings reads the ranges dir's table files are mapped at from
// /proc/self/maps. A read-only open maps every table when it opens and
// unmaps none before it closes, so they stay the tables' until then.
func tableMappings(dir string) []tableMapping {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []tableMapping
	prefix := filepath.Clean(dir) + string(filepath.Separator)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// start-end perms offset dev inode path: the path starts at
		// the line's first slash.
		line := sc.Text()
		at := strings.IndexByte(line, '/')
		if at < 0 {
			continue
		}
		path := line[at:]
		if !strings.HasPrefix(path, prefix) || !strings.HasSuffix(path, ".sst") || strings.ContainsRune(path[len(prefix):], filepath.Separator) {
			continue
		}
		rng, _, _ := strings.Cut(line, " ")
		start, end, ok := strings.Cut(rng, "-")
		if !ok {
			continue
		}
		lo, err1 := strconv.ParseUint(start, 16, 64)
		hi, err2 := strconv.ParseUint(end, 16, 64)
		if err1 != nil || err2 != nil || hi <= lo {
			continue
		}
		out = append(out, tableMapping{uintptr(lo), uintptr(hi)})
	}
	return out
}

// releaseMappings releases the pages of the ranges and returns how many
// it released.
func releaseMappings(ms []tableMapping) (released int) {
	for _, m := range ms {
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, m.lo, m.hi-m.lo, syscall.MADV_DONTNEED); errno == 0 {
			released++
		}
	}
	return released
}
