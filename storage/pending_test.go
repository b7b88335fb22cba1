package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// pendingFileSize is the length of the store's pending log, -1 without one.
func pendingFileSize(t *testing.T, dir string) int64 {
	t.Helper()
	fi, err := os.Stat(filepath.Join(dir, pendingFile))
	if errors.Is(err, os.ErrNotExist) {
		return -1
	}
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func mustUpdate(t *testing.T, s *Store, fn func(*Tx) error) {
	t.Helper()
	if err := s.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func closeT(t *testing.T, s *Store) {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func promptNames(t *testing.T, s *Store) []string {
	t.Helper()
	var names []string
	err := s.View(func(tx *Tx) error {
		return tx.ScanPrompts("", func(name string, _ []byte) error { names = append(names, name); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func TestPendingWritesAreSeenByEveryOpenAndFolded(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	rw := openT(t, Options{Dir: dir})
	mustUpdate(t, rw, func(tx *Tx) error {
		for _, n := range []string{"a", "c", "e"} {
			if err := tx.PutPrompt(n, []byte("badger "+n)); err != nil {
				return err
			}
		}
		return tx.AppendAudit([]byte("first"))
	})
	closeT(t, rw)

	pw := openT(t, Options{Dir: dir, Pending: true})
	mustUpdate(t, pw, func(tx *Tx) error {
		if err := tx.PutPrompt("b", []byte("pending b")); err != nil {
			return err
		}
		if err := tx.PutPrompt("c", []byte("pending c")); err != nil {
			return err
		}
		if err := tx.DeletePrompt("e"); err != nil {
			return err
		}
		// Read-your-writes inside the transaction.
		if v, err := tx.GetPrompt("b"); err != nil || string(v) != "pending b" {
			return fmt.Errorf("own write: %q, %v", v, err)
		}
		if _, err := tx.GetPrompt("e"); !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("own delete: %v", err)
		}
		return tx.AppendAudit([]byte("second"))
	})
	if got := promptNames(t, pw); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("the writer scans %v", got)
	}
	closeT(t, pw)
	if pendingFileSize(t, dir) <= 0 {
		t.Fatal("no pending log written")
	}

	check := func(s *Store, when string) {
		t.Helper()
		if got := promptNames(t, s); !slices.Equal(got, []string{"a", "b", "c"}) {
			t.Fatalf("%s: prompts %v, want [a b c]", when, got)
		}
		var latest string
		err := s.View(func(tx *Tx) error {
			v, err := tx.GetPrompt("c")
			if err != nil || string(v) != "pending c" {
				return fmt.Errorf("c = %q, %v", v, err)
			}
			return tx.ScanAuditReverse(1, func(val []byte) error { latest = string(val); return nil })
		})
		if err != nil || latest != "second" {
			t.Fatalf("%s: %v, latest audit %q", when, err, latest)
		}
	}
	ro := openT(t, Options{Dir: dir, ReadOnly: true})
	check(ro, "read-only open")
	closeT(t, ro)

	rw = openT(t, Options{Dir: dir})
	if n := pendingFileSize(t, dir); n != 0 {
		t.Fatalf("a read-write open left %d bytes pending", n)
	}
	check(rw, "after the fold")
	closeT(t, rw)
	ro = openT(t, Options{Dir: dir, ReadOnly: true})
	check(ro, "read-only open after the fold")
}

// The overlay must read as if every write had gone to Badger: scans in
// both directions, from a start key, through VersionReader, inside the
// writing transaction and after it.
func TestPendingReadsMatchAModel(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	rng := rand.New(rand.NewPCG(1, 2))
	model := map[string]string{}
	names := func() string { return fmt.Sprintf("p%02d", rng.IntN(30)) }
	randomWrites := func(tx *Tx, n int) error {
		for range n {
			name := names()
			k, err := versionKey(name, 1+rng.IntN(4))
			if err != nil {
				return err
			}
			if rng.IntN(3) == 0 {
				delete(model, string(k))
				if err := tx.del(k, "v"); err != nil {
					return err
				}
				continue
			}
			v := fmt.Sprintf("val-%d", rng.Int())
			model[string(k)] = v
			if err := tx.set(k, []byte(v), "v"); err != nil {
				return err
			}
		}
		return nil
	}
	compare := func(tx *Tx, when string) {
		t.Helper()
		var want []string
		for k := range model {
			want = append(want, k)
		}
		slices.Sort(want)
		var got []string
		err := tx.scan([]byte{kindVersion}, true, false, func(rest, val []byte) error {
			k := string(append([]byte{kindVersion}, rest...))
			if model[k] != string(val) {
				return fmt.Errorf("%q = %q, want %q", k, val, model[k])
			}
			got = append(got, k)
			return nil
		})
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("%s: forward scan %v (%v), want %v", when, got, err, want)
		}
		got = got[:0]
		if err := tx.scan([]byte{kindVersion}, false, true, func(rest, _ []byte) error {
			got = append(got, string(append([]byte{kindVersion}, rest...)))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		slices.Reverse(got)
		if !slices.Equal(got, want) {
			t.Fatalf("%s: reverse scan %v, want %v", when, got, want)
		}
		for range 5 {
			name := names()
			var wantV []string
			for _, k := range want {
				if bytes.HasPrefix([]byte(k), append([]byte{kindVersion}, append([]byte(name), sep)...)) {
					wantV = append(wantV, model[k])
				}
			}
			var gotV []string
			r := tx.VersionReader()
			err := r.Versions(name, func(_ int, val []byte) error { gotV = append(gotV, string(val)); return nil })
			r.Close()
			if err != nil || !slices.Equal(gotV, wantV) {
				t.Fatalf("%s: versions of %s %v (%v), want %v", when, name, gotV, err, wantV)
			}
			p, _ := simpleKey(kindVersion, "prompt name", name)
			p = append(p, sep)
			start := append(bytes.Clone(p), 0, 0, 0, 2)
			var wantK []string
			for _, k := range want {
				if bytes.HasPrefix([]byte(k), p) && k >= string(start) {
					wantK = append(wantK, k)
				}
			}
			var gotK []string
			for _, k := range tx.keysFrom(p, start, 100) {
				gotK = append(gotK, string(k))
			}
			if !slices.Equal(gotK, wantK) {
				t.Fatalf("%s: keys of %s from 2: %q, want %q", when, name, gotK, wantK)
			}
		}
	}

	rw := openT(t, Options{Dir: dir})
	mustUpdate(t, rw, func(tx *Tx) error { return randomWrites(tx, 60) })
	closeT(t, rw)
	for round := range 6 {
		pw := openT(t, Options{Dir: dir, Pending: true})
		for range 3 {
			mustUpdate(t, pw, func(tx *Tx) error {
				if err := randomWrites(tx, 15); err != nil {
					return err
				}
				compare(tx, fmt.Sprintf("round %d, inside the transaction", round))
				return nil
			})
		}
		closeT(t, pw)
		ro := openT(t, Options{Dir: dir, ReadOnly: true})
		if err := ro.View(func(tx *Tx) error { compare(tx, fmt.Sprintf("round %d, read-only", round)); return nil }); err != nil {
			t.Fatal(err)
		}
		closeT(t, ro)
		if round%3 == 2 {
			closeT(t, openT(t, Options{Dir: dir})) // a fold
		}
	}
}

func TestPendingTornTailIsIgnoredThenCut(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	closeT(t, openT(t, Options{Dir: dir}))
	pw := openT(t, Options{Dir: dir, Pending: true})
	mustUpdate(t, pw, func(tx *Tx) error { return tx.PutPrompt("one", []byte("1")) })
	closeT(t, pw)
	// What a writer killed in the middle of its append leaves.
	rec := encodeRecord(nil, []write{{key: []byte("pnever"), val: []byte("x")}})
	f, err := os.OpenFile(filepath.Join(dir, pendingFile), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(rec[:len(rec)-3])
	f.Close()

	ro := openT(t, Options{Dir: dir, ReadOnly: true})
	if got := promptNames(t, ro); !slices.Equal(got, []string{"one"}) {
		t.Fatalf("read %v past a torn record", got)
	}
	closeT(t, ro)
	pw = openT(t, Options{Dir: dir, Pending: true})
	mustUpdate(t, pw, func(tx *Tx) error { return tx.PutPrompt("two", []byte("2")) })
	closeT(t, pw)
	data, err := os.ReadFile(filepath.Join(dir, pendingFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, records, end := parsePending(data); records != 2 || end != len(data) {
		t.Fatalf("log of %d bytes holds %d whole records ending at %d", len(data), records, end)
	}
	ro = openT(t, Options{Dir: dir, ReadOnly: true})
	if got := promptNames(t, ro); !slices.Equal(got, []string{"one", "two"}) {
		t.Fatalf("prompts %v", got)
	}
}

func TestPendingLogPastItsLimitIsFoldedByTheNextWriter(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	closeT(t, openT(t, Options{Dir: dir}))
	writeLog := func(records int) {
		var log []byte
		for i := range records {
			log = encodeRecord(log, []write{{key: fmt.Appendf(nil, "pp%04d", i), val: []byte("v")}})
		}
		if err := os.WriteFile(filepath.Join(dir, pendingFile), log, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// With background maintenance, the soft limit only makes it due.
	writeLog(pendingSoftRecords)
	pw := openT(t, Options{Dir: dir, Pending: true, DeferCompaction: true})
	if n := pendingFileSize(t, dir); n <= 0 {
		t.Fatal("a log under its hard limit was folded by a writer")
	}
	if !pw.CompactionDue() {
		t.Fatal("a log past its soft limit does not make the store due for maintenance")
	}
	closeT(t, pw)
	// Without, the writer folds it; past the hard limit, any writer does.
	for _, deferred := range []bool{false, true} {
		if deferred {
			writeLog(pendingHardRecords)
		}
		pw = openT(t, Options{Dir: dir, Pending: true, DeferCompaction: deferred})
		if n := pendingFileSize(t, dir); n != 0 {
			t.Fatalf("deferred %v: %d bytes still pending after the open", deferred, n)
		}
		if got, want := len(promptNames(t, pw)), pendingSoftRecords; !deferred && got != want {
			t.Fatalf("%d prompts, want %d", got, want)
		}
		if got, want := len(promptNames(t, pw)), pendingHardRecords; deferred && got != want {
			t.Fatalf("%d prompts, want %d", got, want)
		}
		closeT(t, pw)
	}
}

func TestPendingWritersTakeTurnsAndReadersDoNotWait(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	closeT(t, openT(t, Options{Dir: dir}))
	pw := openT(t, Options{Dir: dir, Pending: true})
	mustUpdate(t, pw, func(tx *Tx) error { return tx.PutPrompt("held", []byte("1")) })

	_, err := Open(context.Background(), Options{Dir: dir, Pending: true, LockWait: -1})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second writer: %v, want ErrLocked", err)
	}
	_, err = Open(context.Background(), Options{Dir: dir, LockWait: -1})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("read-write open: %v, want ErrLocked", err)
	}
	ro := openT(t, Options{Dir: dir, ReadOnly: true, LockWait: -1})
	if got := promptNames(t, ro); !slices.Equal(got, []string{"held"}) {
		t.Fatalf("a reader beside the writer sees %v", got)
	}
}

func TestPendingCommitSurvivesKill9(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	closeT(t, openT(t, Options{Dir: dir}))
	h := startHelper(t, "", "commit-hang", "STORAGE_DIR="+dir, "STORAGE_PENDING=1")
	h.expect(t, "committed")
	h.kill9(t)
	ro := openT(t, Options{Dir: dir, ReadOnly: true})
	if got := promptNames(t, ro); !slices.Equal(got, []string{"survivor"}) {
		t.Fatalf("after kill -9 the store holds %v", got)
	}
}

func TestPendingBulkWriterAppendsOneRecordOnFlush(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	closeT(t, openT(t, Options{Dir: dir}))
	pw := openT(t, Options{Dir: dir, Pending: true})
	bw, err := pw.NewBulkWriter()
	if err != nil {
		t.Fatal(err)
	}
	if err := bw.PutLog("p", 1, "cancelled", []byte("x")); err != nil {
		t.Fatal(err)
	}
	bw.Cancel()
	if bw, err = pw.NewBulkWriter(); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b"} {
		if err := bw.PutLog("p", 1, id, []byte("log "+id)); err != nil {
			t.Fatal(err)
		}
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	closeT(t, pw)
	ro := openT(t, Options{Dir: dir, ReadOnly: true})
	var ids []string
	err = ro.View(func(tx *Tx) error {
		return tx.ScanLogs("p", 1, func(_ int, id string, _ []byte) error { ids = append(ids, id); return nil })
	})
	if err != nil || !slices.Equal(ids, []string{"a", "b"}) {
		t.Fatalf("logs %v, %v; want [a b]", ids, err)
	}
}
