package storage

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// oldStore writes a store of schema 1 holding n audit events of about 300
// bytes under their append keys only, as binaries before the time-ordered
// keys left it.
func oldStore(t *testing.T, n int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "store")
	old := openSchema1(t, dir)
	wb := old.db.NewWriteBatch()
	for j := range n {
		val := auditValue(auditBase.Add(time.Duration(j%5000)*time.Second), fmt.Sprintf("x%06d %s", j, strings.Repeat("·", 70)))
		if err := wb.Set(auditKey(uint64(1_000+j), uint32(j)), val); err != nil {
			t.Fatal(err)
		}
	}
	if err := wb.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// goMemory is what the Go runtime holds from the system, as a memory limit
// counts it.
func goMemory() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64() - s[1].Value.Uint64())
}

// The upgrade of a large trail holds the process's memory to what it used
// before plus a bounded headroom, even in a process whose collector is set
// to let garbage pile up (list runs with GOGC 1000): before, the heap grew
// by the garbage of the whole upgrade, some 230 MB for 113,000 events.
func TestUpgradeMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a store of 40,000 audit events")
	}
	const n = 40_000 // about 15 MB of events
	dir := oldStore(t, n)
	defer debug.SetGCPercent(debug.SetGCPercent(1000))
	runtime.GC()
	before := goMemory()
	var peak int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			peak = max(peak, goMemory())
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})
	s, err := Open(context.Background(), Options{Dir: dir, ReadOnly: true})
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	count := 0
	view(t, s, func(tx *Tx) error {
		return tx.ScanAuditInTime(nil, func([]byte) error { count++; return nil })
	})
	if count != n {
		t.Fatalf("%d events in time order after the upgrade, want %d", count, n)
	}
	grew := peak - before
	t.Logf("the upgrade of %d events grew the Go runtime's memory by %d MB (from %d MB)", n, grew>>20, before>>20)
	// The headroom, and as much again for what the collector lets pass
	// before it catches up.
	if limit := int64(2 * upgradeHeadroom); grew > limit {
		t.Errorf("the upgrade grew the Go runtime's memory by %d MB, more than %d MB", grew>>20, limit>>20)
	}
}

// An open that runs no compactors (an import's, the maintenance's level-0
// step) upgrades an older store all the same, in an open of its own.
func TestUpgradeFromEveryOpen(t *testing.T) {
	for _, tc := range []struct {
		name string
		open func(dir string) error
	}{
		{"bulk", func(dir string) error {
			s, err := Open(context.Background(), Options{Dir: dir, Bulk: true})
			if err == nil {
				err = s.Close()
			}
			return err
		}},
		{"pending", func(dir string) error {
			s, err := Open(context.Background(), Options{Dir: dir, Pending: true})
			if err == nil {
				err = s.Close()
			}
			return err
		}},
		{"maintenance", func(dir string) error { return Compact(context.Background(), Options{Dir: dir}) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const n = 2_000
			dir := oldStore(t, n)
			if err := tc.open(dir); err != nil {
				t.Fatal(err)
			}
			s := openT(t, Options{Dir: dir, ReadOnly: true})
			if v := schemaOf(t, s); v != schemaVersion {
				t.Errorf("schema %d, want %d", v, schemaVersion)
			}
			count := 0
			view(t, s, func(tx *Tx) error {
				return tx.ScanAuditInTime(nil, func([]byte) error { count++; return nil })
			})
			if count != n {
				t.Errorf("%d events in time order, want %d", count, n)
			}
		})
	}
}

// An upgrade that stopped after some batches (a process killed there)
// goes on from the last batch it wrote: the next run writes the copies of
// the other events, once each, and none of those already written again.
func TestUpgradeGoesOnFromItsProgress(t *testing.T) {
	const n = 5_000 // some 6 batches
	dir := oldStore(t, n)
	s := openSchema1(t, dir)
	defer s.Close()
	// The first three batches, as a killed run left them.
	b := &auditBatch{}
	from := []byte{kindAudit}
	for range 3 {
		next, err := b.read(s.db, from)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.write(s.db, next); err != nil {
			t.Fatal(err)
		}
		from = next
	}
	before := copyVersions(t, s)
	if len(before) == 0 || len(before) >= n {
		t.Fatalf("%d copies after three batches of %d events", len(before), n)
	}
	if err := indexAuditTimes(s.db); err != nil {
		t.Fatal(err)
	}
	after := copyVersions(t, s)
	if len(after) != n {
		t.Errorf("%d copies after the second run, want %d", len(after), n)
	}
	for k, v := range before {
		if after[k] != v {
			t.Fatalf("copy %q written again by the second run", k)
		}
	}
	// A run after the last batch has nothing left to do.
	if err := indexAuditTimes(s.db); err != nil {
		t.Fatal(err)
	}
	if again := copyVersions(t, s); !maps.Equal(again, after) {
		t.Errorf("a run after a finished one wrote copies again")
	}
}

// copyVersions is the Badger version of each time-ordered copy: a copy
// written again gets a newer one.
func copyVersions(t *testing.T, s *Store) map[string]uint64 {
	t.Helper()
	out := map[string]uint64{}
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kindAuditTime}})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			out[string(it.Item().Key())] = it.Item().Version()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
