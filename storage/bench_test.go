package storage

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// fillStore writes n prompts of about 150 bytes, each tagged team:core and
// one of five purpose tags, and closes the store: what a CLI command finds.
func fillStore(b *testing.B, dir string, n int) {
	b.Helper()
	s := openT(b, Options{Dir: dir})
	purposes := []string{"support", "classification", "summarization", "extraction", "generation"}
	val := bytes.Repeat([]byte("x"), 150)
	for start := 0; start < n; start += 1000 {
		update(b, s, func(tx *Tx) error {
			for i := start; i < min(start+1000, n); i++ {
				name := fmt.Sprintf("team/prompt-%05d", i)
				if err := tx.PutPrompt(name, val); err != nil {
					return err
				}
				if err := tx.PutTag("team:core", name); err != nil {
					return err
				}
				if err := tx.PutTag("purpose:"+purposes[i%len(purposes)], name); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkOpenCloseReadOnly(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "store")
	fillStore(b, dir, 10000)
	for b.Loop() {
		s, err := Open(context.Background(), Options{Dir: dir, ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenCloseReadWrite(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "store")
	fillStore(b, dir, 10000)
	for b.Loop() {
		s, err := Open(context.Background(), Options{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenUpdateClose is a whole writing command minus process start:
// open, commit three keys durably, close. It includes the level-0 policy's
// compaction every few commits.
func BenchmarkOpenUpdateClose(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "store")
	fillStore(b, dir, 10000)
	i := 0
	for b.Loop() {
		s, err := Open(context.Background(), Options{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Update(threeKeys(i)); err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// threeKeys is a commit: the prompt, its new version and an audit event.
func threeKeys(i int) func(*Tx) error {
	return func(tx *Tx) error {
		name := fmt.Sprintf("bench/p%d", i%100)
		if err := tx.PutPrompt(name, bytes.Repeat([]byte("p"), 150)); err != nil {
			return err
		}
		if err := tx.PutVersion(name, i+1, bytes.Repeat([]byte("v"), 600)); err != nil {
			return err
		}
		return tx.AppendAudit([]byte(`{"op":"commit"}`))
	}
}

// BenchmarkDurableUpdate compares the ways to make a commit durable: the
// store's SyncWrites, db.Sync after an unsynced commit, and no sync at all
// (not durable; the baseline).
func BenchmarkDurableUpdate(b *testing.B) {
	for _, mode := range []string{"SyncWrites", "Sync-after-commit", "no-sync"} {
		b.Run(mode, func(b *testing.B) {
			dir := filepath.Join(b.TempDir(), "store")
			if err := openT(b, Options{Dir: dir}).Close(); err != nil {
				b.Fatal(err)
			}
			db, err := badger.Open(badgerOptions(dir, false, singleWrites, nil).WithSyncWrites(mode == "SyncWrites"))
			if err != nil {
				b.Fatal(err)
			}
			s := &Store{db: db, dir: dir}
			defer s.Close()
			i := 0
			for b.Loop() {
				if err := s.Update(threeKeys(i)); err != nil {
					b.Fatal(err)
				}
				if mode == "Sync-after-commit" {
					if err := db.Sync(); err != nil {
						b.Fatal(err)
					}
				}
				i++
			}
		})
	}
}

func BenchmarkScanTag(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "store")
	fillStore(b, dir, 10000)
	s := openT(b, Options{Dir: dir, ReadOnly: true})
	for _, tc := range []struct {
		tag  string
		want int
	}{{"team:core", 10000}, {"purpose:support", 2000}} {
		b.Run(tc.tag, func(b *testing.B) {
			for b.Loop() {
				n := 0
				err := s.View(func(tx *Tx) error {
					return tx.ScanTag(tc.tag, func(string) error { n++; return nil })
				})
				if err != nil || n != tc.want {
					b.Fatalf("%d names, %v; want %d", n, err, tc.want)
				}
			}
		})
	}
}

func BenchmarkScanPrompts(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "store")
	fillStore(b, dir, 10000)
	s := openT(b, Options{Dir: dir, ReadOnly: true})
	for b.Loop() {
		n := 0
		err := s.View(func(tx *Tx) error {
			return tx.ScanPrompts("", func(_ string, val []byte) error { n += len(val); return nil })
		})
		if err != nil || n != 150*10000 {
			b.Fatalf("%d bytes, %v", n, err)
		}
	}
}

// BenchmarkCompactL0 measures what the level-0 policy costs the open that
// triggers it: a store of 10,000 prompts, then maxL0Tables+1 small commits
// each in its own process-like Open/Close.
func BenchmarkCompactL0(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "store")
	fillStore(b, dir, 10000)
	var total time.Duration
	n := 0
	for b.Loop() {
		b.StopTimer()
		for i := 0; i <= maxL0Tables; i++ {
			db, err := badger.Open(badgerOptions(dir, false, singleWrites, nil))
			if err != nil {
				b.Fatal(err)
			}
			s := &Store{db: db, dir: dir}
			if err := s.Update(threeKeys(i)); err != nil {
				b.Fatal(err)
			}
			if err := s.Close(); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		start := time.Now()
		s, err := Open(context.Background(), Options{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		n++
		if l0 := s.l0Tables(); l0 > maxL0Tables {
			b.Fatalf("%d level-0 tables after open", l0)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(n), "ms/compacting-open")
}
