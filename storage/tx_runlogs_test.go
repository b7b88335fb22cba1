package storage

import (
	"fmt"
	"slices"
	"testing"
)

// TestDeleteRunLogsOf: a prompt's keys go from every run's index, and the
// keys of prompts and runs whose names extend theirs stay.
func TestDeleteRunLogsOf(t *testing.T) {
	s := newStore(t)
	update(t, s, func(tx *Tx) error {
		for _, run := range []string{"r", "r-x", "s"} {
			for _, p := range []string{"p", "p-b", "q"} {
				for i, id := range []string{"id1", "id2", "id3"} {
					if err := tx.PutRunLog(run, p, 1+i%2, id); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	left := func() map[string]int {
		n := map[string]int{}
		view(t, s, func(tx *Tx) error {
			return tx.ScanRunLogIndex(func(run, name string, number int, id string) error {
				n[run+" "+name]++
				return nil
			})
		})
		return n
	}
	for {
		var n int
		update(t, s, func(tx *Tx) (err error) { n, err = tx.DeleteRunLogsOf("p", 2); return err })
		if n == 0 {
			break
		}
	}
	got := left()
	for _, run := range []string{"r", "r-x", "s"} {
		if got[run+" p"] != 0 || got[run+" p-b"] != 3 || got[run+" q"] != 3 {
			t.Fatalf("run index after deleting p's keys: %v", got)
		}
	}
	view(t, s, func(tx *Tx) error {
		if has, err := tx.HasRunLog("r", "p-b", 2, "id2"); !has || err != nil {
			t.Errorf("HasRunLog of a key that is there: %v, %v", has, err)
		}
		if has, err := tx.HasRunLog("r", "p", 1, "id1"); has || err != nil {
			t.Errorf("HasRunLog of a deleted key: %v, %v", has, err)
		}
		return nil
	})
	update(t, s, func(tx *Tx) error { return tx.DeleteRunLog("s", "q", 1, "id1") })
	if got := left(); got["s q"] != 2 {
		t.Fatalf("after DeleteRunLog: %v", got)
	}
}

// TestScanRunLogs: a run's entries come in id order a chunk at a time,
// from where the last chunk stopped, past other runs' entries (a few
// between two of the run's, and a long stretch), other versions' and
// prompts', and an index key whose entry is gone.
func TestScanRunLogs(t *testing.T) {
	s := newStore(t)
	var want []string
	update(t, s, func(tx *Tx) error {
		for i := range 300 {
			id := fmt.Sprintf("%06d", i)
			run := "other"
			if i%3 == 0 && (i < 100 || i > 250) {
				run = "r"
			}
			if err := tx.PutLog("p", 1, id, []byte("entry "+id)); err != nil {
				return err
			}
			if err := tx.PutLog("p", 2, id, []byte("v2")); err != nil {
				return err
			}
			if err := tx.PutLog("p-b", 1, id, []byte("p-b")); err != nil {
				return err
			}
			if err := tx.PutRunLog(run, "p", 1, id); err != nil {
				return err
			}
			if run == "r" {
				want = append(want, "entry "+id)
			}
		}
		// Listed, but its entry was removed.
		return tx.PutRunLog("r", "p", 1, "000500")
	})
	for _, limit := range []int{1, 7, 1000} {
		var got []string
		after, chunks := "", 0
		for {
			var n int
			view(t, s, func(tx *Tx) (err error) {
				after, n, err = tx.ScanRunLogs("r", "p", 1, after, limit, func(id string, val []byte) error {
					if string(val) != "entry "+id {
						t.Errorf("entry %s: %q", id, val)
					}
					got = append(got, string(val))
					return nil
				})
				return err
			})
			chunks++
			if n < limit {
				break
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("limit %d: %d entries %v…, want %d", limit, len(got), got[:min(5, len(got))], len(want))
		}
		if wantChunks := (len(want)+1)/limit + 1; chunks != wantChunks {
			t.Fatalf("limit %d: %d chunks, want %d", limit, chunks, wantChunks)
		}
	}
}
