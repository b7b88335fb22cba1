//go:build linux

package storage

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	"golang.org/x/sys/unix"
)

// These tests check what a power cut would keep at each point where the
// store reports writes as on disk (durable.go), as close to a real cut as
// a test can: the pages of Badger's write-ahead and value-log files that
// are written but not yet on disk are what a power cut loses, and Linux
// counts them for each file (cachestat(2)). Badger's flusher is stopped
// (level 0 is full and no compactor runs), so that the memtables that fill
// stay in memory with their logs, as they do for a while in a real import;
// memtables and value-log files are made small so that a few MB fill
// several. What these tests do not prove is said in durable.go.

// stalledOptions makes memtables and value-log files fill after 1 MB and
// keeps the filled memtables from being written out as tables while the
// store is open: the store already has a level-0 table, and one is the
// limit. Its Close still writes them out.
func stalledOptions(o badger.Options) badger.Options {
	return o.WithMemTableSize(1 << 20).WithValueLogFileSize(1 << 20).
		WithNumCompactors(0).WithNumLevelZeroTables(0).WithNumLevelZeroTablesStall(1)
}

// durabilityWatch records, at each durable point, the store's log files
// that hold writes not yet on disk.
type durabilityWatch struct {
	t   *testing.T
	dir string

	mu     sync.Mutex
	points []string
	bad    []string
}

func newDurabilityWatch(t *testing.T, dir string) *durabilityWatch {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "probe")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var st unix.Cachestat_t
	if err := unix.Cachestat(uint(f.Fd()), &unix.CachestatRange{}, &st, 0); errors.Is(err, unix.ENOSYS) {
		t.Skip("no cachestat(2): Linux 6.5 or later needed")
	}
	return &durabilityWatch{t: t, dir: dir}
}

// reached is the store's hook (Options.reached).
func (w *durabilityWatch) reached(point string) {
	dirty := dirtyLogFiles(w.t, w.dir).dirty
	w.mu.Lock()
	defer w.mu.Unlock()
	w.points = append(w.points, point)
	if len(dirty) > 0 {
		w.bad = append(w.bad, fmt.Sprintf("%s reported durable while these logs held writes not on disk: %s", point, strings.Join(dirty, ", ")))
	}
}

// watchOrder checks, until stop is called, that only the newest
// write-ahead log and the newest value-log file ever hold writes not on
// disk: an older one with unsynced writes would let a later commit reach
// the disk before an earlier one.
func (w *durabilityWatch) watchOrder() (stop func()) {
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			for _, f := range dirtyLogFiles(w.t, w.dir).older() {
				w.mu.Lock()
				w.bad = append(w.bad, "while writing: "+f+" held writes not on disk behind a newer log")
				w.mu.Unlock()
			}
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	return func() { close(done); <-stopped }
}

// check fails the test with what was wrong, and checks that the points
// were reached.
func (w *durabilityWatch) check(points ...string) {
	w.t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	slices.Sort(w.bad)
	for _, b := range slices.Compact(w.bad) {
		w.t.Error(b)
	}
	for _, p := range points {
		if !slices.Contains(w.points, p) {
			w.t.Errorf("durable point %q never reached (reached: %v)", p, w.points)
		}
	}
}

// logFiles is what dirtyLogFiles found in a store: its logs holding
// writes not yet on disk, and the newest log of each kind.
type logFiles struct {
	dirty  []string // "name (size KB)", in name order
	newest map[string]string
}

// dirtyLogFiles lists dir's write-ahead logs (*.mem) and value-log files
// (*.vlog) and finds those that hold pages written but not yet on disk
// (dirty, or being written back) as the kernel counts them for the file
// (cachestat(2), Linux 6.5), whoever wrote them. The page holding a
// file's last byte is left out: Badger shrinks a log it is done with
// right after syncing it, which zeroes the rest of that page and so marks
// it dirty without changing a byte of the log; a log still being written
// is far longer than what it holds, and that page is never written.
// Badger numbers both kinds in order, with fixed widths.
func dirtyLogFiles(t *testing.T, dir string) logFiles {
	lf := logFiles{newest: map[string]string{}}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Errorf("list store: %v", err)
		return lf
	}
	page := int64(os.Getpagesize())
	for _, e := range ents {
		name := e.Name()
		ext := filepath.Ext(name)
		if ext != ".mem" && ext != ".vlog" {
			continue
		}
		lf.newest[ext] = max(lf.newest[ext], name)
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			continue // written out as a table and deleted meanwhile
		}
		fi, err := f.Stat()
		var st unix.Cachestat_t
		if err == nil && fi.Size() > page {
			err = unix.Cachestat(uint(f.Fd()), &unix.CachestatRange{Off: 0, Len: uint64((fi.Size() - 1) / page * page)}, &st, 0)
		}
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if n := st.Dirty + st.Writeback; n > 0 {
			lf.dirty = append(lf.dirty, fmt.Sprintf("%s (%d KB)", name, n*uint64(page)>>10))
		}
	}
	return lf
}

// older returns the dirty logs that are not the newest of their kind.
func (lf logFiles) older() []string {
	var out []string
	for _, d := range lf.dirty {
		name, _, _ := strings.Cut(d, " ")
		if name != lf.newest[filepath.Ext(name)] {
			out = append(out, d)
		}
	}
	return out
}

// newStalledStore creates a store with one level-0 table (its schema
// version), then opens it with opts, its flusher stalled.
func newStalledStore(t *testing.T, opts Options, w *durabilityWatch) *Store {
	t.Helper()
	s := openT(t, Options{Dir: opts.Dir})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	opts.tune, opts.reached = stalledOptions, w.reached
	return openT(t, opts)
}

// randomValue is n random bytes: nothing compresses.
func randomValue(n int) []byte {
	v := make([]byte, n)
	_, _ = rand.Read(v)
	return v
}

// An import (a bulk open): the journal, then versions across several
// memtables and value-log files through the bulk writer, then the
// journal's deletion. Each is on disk when reported, and nothing written
// after waits on disk for something written before it. The store then
// holds it all after it closes.
func TestBulkWritesAreOnDiskWhenReported(t *testing.T) {
	for _, batched := range []bool{false, true} {
		t.Run(fmt.Sprintf("batched=%v", batched), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "store")
			w := newDurabilityWatch(t, dir)
			s := newStalledStore(t, Options{Dir: dir, Bulk: true, Batched: batched, DeferCompaction: true}, w)
			defer s.Close()
			if n := s.l0Tables(); n != 1 {
				t.Fatalf("the store has %d level-0 tables, want 1", n)
			}
			update(t, s, func(tx *Tx) error { return tx.PutJournal(0, []byte("import under way")) })
			stop := w.watchOrder()
			want := map[int][]byte{}
			// 2.2 MB in the memtables, 1.2 MB in the value log: two of
			// each fill. (A third filled memtable would wait for the
			// stalled flusher for good.)
			for batch := range 2 {
				bw, err := s.NewBulkWriter()
				if err != nil {
					t.Fatal(err)
				}
				for i := range 280 {
					n := batch*1000 + i
					size := 4 << 10
					if i%40 == 0 {
						size = 100 << 10 // to the value log
					}
					want[n] = randomValue(size)
					if err := bw.PutVersion("big", n+1, want[n]); err != nil {
						t.Fatal(err)
					}
				}
				if err := bw.Flush(); err != nil {
					t.Fatal(err)
				}
			}
			update(t, s, func(tx *Tx) error { return tx.DeleteJournal() })
			stop()
			w.check(pointUpdate, pointBulk)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s = openT(t, Options{Dir: dir, ReadOnly: true})
			view(t, s, func(tx *Tx) error {
				for n, v := range want {
					got, err := tx.GetVersion("big", n+1)
					if err != nil || string(got) != string(v) {
						t.Fatalf("version %d: %d bytes, %v", n+1, len(got), err)
					}
				}
				return nil
			})
		})
	}
}

// A read-write open folds the pending log into Badger, across several
// memtables, before it empties the log: the writes are on disk first. So
// does the upgrade's open, whose commits Badger does not sync.
func TestPendingFoldIsOnDiskBeforeTheLogEmpties(t *testing.T) {
	for _, open := range []Options{{Bulk: true, DeferCompaction: true}, {upgrade: true}} {
		t.Run(fmt.Sprintf("upgrade=%v", open.upgrade), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "store")
			w := newDurabilityWatch(t, dir)
			s := openT(t, Options{Dir: dir})
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			// 2.4 MB pending, in 12 commits of 50 versions of 4 KB.
			for c := range 12 {
				p := openT(t, Options{Dir: dir, Pending: true, DeferCompaction: true, reached: w.reached})
				update(t, p, func(tx *Tx) error {
					for i := range 50 {
						if err := tx.PutVersion("pending", c*50+i+1, randomValue(4<<10)); err != nil {
							return err
						}
					}
					return nil
				})
				if err := p.Close(); err != nil {
					t.Fatal(err)
				}
			}
			// The store has one level-0 table (its schema version), so
			// the flusher stalls.
			open.Dir, open.tune, open.reached = dir, stalledOptions, w.reached
			s = openT(t, open)
			defer s.Close()
			w.check(pointLog, pointFold)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s = openT(t, Options{Dir: dir, ReadOnly: true})
			view(t, s, func(tx *Tx) error {
				n := 0
				err := tx.ScanVersions("pending", func(int, []byte) error { n++; return nil })
				if n != 600 {
					t.Fatalf("%d versions folded, want 600 (%v)", n, err)
				}
				return err
			})
		})
	}
}

// The schema version a bulk open writes into a new store is on disk
// when the open returns.
func TestNewStoreSchemaIsOnDiskWhenOpened(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	w := newDurabilityWatch(t, dir)
	s, err := Open(context.Background(), Options{Dir: dir, Bulk: true, reached: w.reached})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	w.check(pointSchema)
}
