package storage

import (
	"crypto/rand"
	"fmt"
	"path/filepath"
	"testing"
)

// An evaluation's batches may leave more level-0 tables than any open is
// otherwise allowed to (the store stays open while they come): its open
// after a handover leaves them for the background maintenance instead of
// merging them in the middle of the run, and writes go on past Badger's
// usual stall. The next ordinary writer still merges them.
func TestBatchedOpenLeavesLevel0(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 50 tables of 300 KB")
	}
	dir := filepath.Join(t.TempDir(), "store")
	batched := Options{Dir: dir, DeferCompaction: true, Bulk: true, Batched: true}
	value := make([]byte, 3<<10)
	for i := range hardL0Limit + 2 {
		s := openT(t, batched)
		if n := s.l0Tables(); n != i {
			t.Fatalf("open %d found %d level-0 tables, want %d (none merged)", i, n, i)
		}
		bw, err := s.NewBulkWriter()
		if err != nil {
			t.Fatal(err)
		}
		for j := range 100 {
			// Random bytes: the table is as large as what went in,
			// larger than the small tables short commands leave.
			_, _ = rand.Read(value)
			if err := bw.PutCache(fmt.Sprintf("k%03d-%03d", i, j), value); err != nil {
				t.Fatal(err)
			}
		}
		if err := bw.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	s := openT(t, Options{Dir: dir, DeferCompaction: true})
	defer s.Close()
	if n := s.l0Tables(); n > hardL0Limit {
		t.Errorf("an ordinary writer left %d level-0 tables, want at most %d", n, hardL0Limit)
	}
	view(t, s, func(tx *Tx) error {
		for i := range hardL0Limit + 2 {
			if _, err := tx.GetCache(fmt.Sprintf("k%03d-099", i)); err != nil {
				t.Errorf("batch %d: %v", i, err)
			}
		}
		return nil
	})
}
