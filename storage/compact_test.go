package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// TestL0Bounded runs many short writing "commands", each with its own
// Open/Update/Close as the CLI does, and checks that level 0 stays bounded.
func TestL0Bounded(t *testing.T) {
	commits := 200
	if testing.Short() {
		commits = 40
	}
	dir := filepath.Join(t.TempDir(), "store")
	maxSeen, compactions := 0, 0
	var slowest time.Duration
	for i := range commits {
		start := time.Now()
		s, err := Open(context.Background(), Options{Dir: dir, Command: "test"})
		if err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		l0 := s.l0Tables()
		if l0 > maxL0Tables {
			t.Fatalf("commit %d: open left %d level-0 tables, want at most %d", i, l0, maxL0Tables)
		}
		if l0 < maxSeen {
			compactions++
			slowest = max(slowest, took)
		}
		maxSeen = l0
		err = s.Update(func(tx *Tx) error {
			name := fmt.Sprintf("p%03d", i)
			if err := tx.PutPrompt(name, []byte("prompt")); err != nil {
				return err
			}
			if err := tx.PutVersion(name, 1, []byte("version")); err != nil {
				return err
			}
			return tx.AppendAudit([]byte("commit " + name))
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	s := openT(t, Options{Dir: dir, ReadOnly: true})
	n := 0
	view(t, s, func(tx *Tx) error {
		return tx.ScanPrompts("", func(string, []byte) error { n++; return nil })
	})
	if n != commits {
		t.Errorf("found %d prompts after %d commits", n, commits)
	}
	t.Logf("%d commits: %d compactions on open, slowest such open %v; final level 0: %d tables",
		commits, compactions, slowest.Round(time.Millisecond), s.l0Tables())
}

func TestDeferredCompaction(t *testing.T) {
	dir := t.TempDir()
	opts := Options{Dir: dir, DeferCompaction: true}
	due := 0
	for i := 0; i < maxL0Tables+5; i++ {
		s, err := Open(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Update(func(tx *Tx) error { return tx.PutPrompt(fmt.Sprintf("p%d", i), []byte("x")) }); err != nil {
			t.Fatal(err)
		}
		if s.CompactionDue() {
			due++
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if due == 0 {
		t.Fatal("CompactionDue never said so while level 0 grew past the limit")
	}
	s, err := Open(context.Background(), Options{Dir: dir, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if l0 := s.l0Tables(); l0 <= maxL0Tables {
		t.Fatalf("deferring opens compacted anyway: %d level-0 tables", l0)
	}
	s.Close()
	if err := Compact(context.Background(), Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	s, err = Open(context.Background(), Options{Dir: dir, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if l0 := s.l0Tables(); l0 > 1 {
		t.Fatalf("after Compact: %d level-0 tables", l0)
	}
	n := 0
	if err := s.View(func(tx *Tx) error {
		return tx.ScanPrompts("", func(string, []byte) error { n++; return nil })
	}); err != nil || n != maxL0Tables+5 {
		t.Fatalf("after Compact: %d prompts, %v", n, err)
	}
}
