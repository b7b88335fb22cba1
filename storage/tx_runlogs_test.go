package storage

import "testing"

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
