package storage

import (
	"bytes"
	"fmt"
	"testing"
)

func TestImportJournal(t *testing.T) {
	s := openT(t, Options{Dir: t.TempDir()})
	err := s.Update(func(tx *Tx) error {
		if has, err := tx.HasJournal(); err != nil || has {
			return fmt.Errorf("empty store has a journal: %v %v", has, err)
		}
		for i, part := range []string{"zero", "one", "two"} {
			if err := tx.PutJournal(i, []byte(part)); err != nil {
				return err
			}
		}
		return tx.PutJournal(3, make([]byte, JournalPartMax+1))
	})
	if err == nil {
		t.Fatal("an oversized journal part was accepted")
	}
	if err := s.Update(func(tx *Tx) error {
		for i, part := range []string{"zero", "one", "two"} {
			if err := tx.PutJournal(i, []byte(part)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := s.View(func(tx *Tx) error {
		if has, err := tx.HasJournal(); err != nil || !has {
			return fmt.Errorf("journal not found: %v", err)
		}
		return tx.ScanJournal(func(part int, val []byte) error {
			got = append(got, fmt.Sprintf("%d=%s", part, val))
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[0=zero 1=one 2=two]" {
		t.Fatalf("journal = %v", got)
	}
	if err := s.Update(func(tx *Tx) error { return tx.DeleteJournal() }); err != nil {
		t.Fatal(err)
	}
	_ = s.View(func(tx *Tx) error {
		if has, _ := tx.HasJournal(); has {
			t.Fatal("journal survived DeleteJournal")
		}
		return nil
	})
}

func TestUndoHelpers(t *testing.T) {
	s := openT(t, Options{Dir: t.TempDir()})
	var mark uint64
	err := s.Update(func(tx *Tx) error {
		for n := 1; n <= 5; n++ {
			if err := tx.PutVersion("p", n, []byte{byte(n)}); err != nil {
				return err
			}
		}
		if err := tx.PutVersion("p-2", 9, []byte{9}); err != nil {
			return err
		}
		if err := tx.AppendAudit([]byte("before")); err != nil {
			return err
		}
		var err error
		mark, err = tx.AuditMark()
		return err
	})
	if err != nil || mark == 0 {
		t.Fatalf("mark %d, %v", mark, err)
	}
	if err := s.Update(func(tx *Tx) error {
		for range 3 {
			if err := tx.AppendAudit([]byte("after")); err != nil {
				return err
			}
		}
		if err := tx.AppendAudit([]byte(`{"time":"2026-11-30T13:17:54.207146504Z","action":"label","prompt":"p"}`)); err != nil {
			return err
		}
		return tx.PutRun("r1", []byte("run"))
	}); err != nil {
		t.Fatal(err)
	}
	for {
		var n int
		if err := s.Update(func(tx *Tx) error {
			var err error
			n, err = tx.DeleteVersionsAfter("p", 2, 2)
			if err != nil {
				return err
			}
			m, err := tx.DeleteAuditAfter(mark, 2)
			n += m
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	if err := s.Update(func(tx *Tx) error { return tx.DeleteRun("r1") }); err != nil {
		t.Fatal(err)
	}
	_ = s.View(func(tx *Tx) error {
		var nums []int
		_ = tx.ScanVersions("p", func(n int, _ []byte) error { nums = append(nums, n); return nil })
		if fmt.Sprint(nums) != "[1 2]" {
			t.Errorf("versions of p = %v", nums)
		}
		if _, err := tx.GetVersion("p-2", 9); err != nil {
			t.Errorf("another prompt's version went too: %v", err)
		}
		var audit [][]byte
		_ = tx.ScanAudit(func(v []byte) error { audit = append(audit, v); return nil })
		if len(audit) != 1 || !bytes.Equal(audit[0], []byte("before")) {
			t.Errorf("audit = %q", audit)
		}
		// The time-ordered copies go with the events: exports and label
		// histories read those.
		var inTime [][]byte
		_ = tx.ScanAuditInTime(nil, func(v []byte) error { inTime = append(inTime, bytes.Clone(v)); return nil })
		if len(inTime) != 1 || !bytes.Equal(inTime[0], []byte("before")) {
			t.Errorf("audit in time order = %q", inTime)
		}
		if _, err := tx.GetRun("r1"); err == nil {
			t.Error("run survived DeleteRun")
		}
		return nil
	})
}

func TestBulkWriter(t *testing.T) {
	s := openT(t, Options{Dir: t.TempDir()})
	bw, err := s.NewBulkWriter()
	if err != nil {
		t.Fatal(err)
	}
	val := bytes.Repeat([]byte("x"), 400)
	for i := range 20_000 { // far more than one transaction takes
		name := fmt.Sprintf("p%05d", i)
		if err := bw.PutPrompt(name, val); err != nil {
			t.Fatal(err)
		}
		if err := bw.PutVersion(name, 1, val); err != nil {
			t.Fatal(err)
		}
		if err := bw.PutTag("purpose:x", name); err != nil {
			t.Fatal(err)
		}
	}
	if err := bw.PutLog("p00000", 1, "l1", val); err != nil {
		t.Fatal(err)
	}
	if err := bw.PutRun("r1", val); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	n := 0
	_ = s.View(func(tx *Tx) error {
		return tx.ScanTag("purpose:x", func(string) error { n++; return nil })
	})
	if n != 20_000 {
		t.Fatalf("%d tagged prompts after the bulk write", n)
	}
	// The store takes ordinary updates again.
	if err := s.Update(func(tx *Tx) error { return tx.PutPrompt("after", val) }); err != nil {
		t.Fatal(err)
	}
}
