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
// access maps the file's page again; a read-only open never unmaps a
// table before it closes, so the ranges read from /proc/self/maps stay
// the tables' while this runs. It returns how many ranges it released.
func releaseTablePages(dir string) int { return releaseMappings(tableMappings(dir)) }

// madvPageout is Linux's MADV_PAGEOUT (5.4), which package syscall lacks.
const madvPageout = 21

// reclaimTablePages is releaseTablePages for a process whose tables may be
// unmapped while it runs (a compaction deletes the tables it merged): the
// addresses read from /proc/self/maps may by then hold other memory, which
// MADV_DONTNEED would zero if it is anonymous. MADV_PAGEOUT never loses
// data: it writes dirty file pages back before it frees them and leaves
// anonymous memory alone without swap (with swap, swaps it out). Unlike
// MADV_DONTNEED, it also drops the pages from the file cache, so a table
// read again is read from disk. An older kernel refuses the advice: the
// pages then stay, as they did before.
func reclaimTablePages(dir string) int { return adviseMappings(tableMappings(dir), madvPageout) }

// tableMapping is the address range a table file is mapped at.
type tableMapping struct{ lo, hi uintptr }

// tableMappings reads the ranges dir's table files are mapped at from
// /proc/self/maps, in address order, those of tables mapped next to each
// other joined.
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
		if n := len(out); n > 0 && out[n-1].hi == uintptr(lo) {
			// Mapped one after the other (most tables are): one range,
			// advised in one call. An export releases every few MB, and
			// a call per table cost it a fortieth of its time.
			out[n-1].hi = uintptr(hi)
			continue
		}
		out = append(out, tableMapping{uintptr(lo), uintptr(hi)})
	}
	return out
}

// releaseMappings releases the pages of the ranges (MADV_DONTNEED) and
// returns how many it released.
func releaseMappings(ms []tableMapping) int { return adviseMappings(ms, syscall.MADV_DONTNEED) }

// adviseMappings gives advice on every range and returns how many took it.
func adviseMappings(ms []tableMapping, advice uintptr) (released int) {
	for _, m := range ms {
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, m.lo, m.hi-m.lo, advice); errno == 0 {
			released++
		}
	}
	return released
}
