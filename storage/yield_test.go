package storage

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func needLockHolders(t *testing.T, dir string) {
	t.Helper()
	if _, ok := lockHolders(dir); !ok {
		t.Skip("this system cannot tell which process holds a lock")
	}
}

// commitMany runs n short writing "commands", each leaving a level-0 table.
func commitMany(t *testing.T, dir string, from, n int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		s := openT(t, Options{Dir: dir, DeferCompaction: true})
		update(t, s, func(tx *Tx) error {
			name := fmt.Sprintf("p%04d", i)
			if err := tx.PutPrompt(name, []byte("prompt")); err != nil {
				return err
			}
			if err := tx.PutVersion(name, 1, []byte("version")); err != nil {
				return err
			}
			return tx.AppendAudit([]byte("commit " + name))
		})
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func countPrompts(t *testing.T, s *Store) int {
	t.Helper()
	n := 0
	view(t, s, func(tx *Tx) error {
		return tx.ScanPrompts("", func(string, []byte) error { n++; return nil })
	})
	return n
}

// exitSignal is the signal that ended a waited-for helper, or 0.
func exitSignal(h *helper) syscall.Signal {
	_ = h.cmd.Wait()
	if ws, ok := h.cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return ws.Signal()
	}
	return 0
}

// TestMaintenanceYields: a command that finds the store held by the
// background maintenance gets it, well within its lock wait, whether the
// maintenance stops when asked or has to be killed; any other holder is
// waited for and never signalled.
func TestMaintenanceYields(t *testing.T) {
	for _, stubborn := range []bool{false, true} {
		t.Run(fmt.Sprintf("stubborn=%v", stubborn), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "store")
			needLockHolders(t, filepath.Dir(dir))
			commitMany(t, dir, 0, 3)
			mode := "maintain-hold"
			if stubborn {
				mode = "maintain-stubborn"
			}
			h := startHelper(t, "", mode, "STORAGE_DIR="+dir)
			h.expect(t, "held")
			opts := Options{Dir: dir, LockWait: time.Minute}
			if !stubborn {
				// A maintenance that stops when asked needs to be
				// scheduled to do so; on a loaded machine 60 ms may
				// pass first, and it would be killed, which is what
				// the stubborn case checks.
				opts.yieldGrace = 30 * time.Second
			}
			s, err := Open(context.Background(), opts)
			if err != nil {
				t.Fatalf("Open while the maintenance held the store: %v", err)
			}
			defer s.Close()
			if n := countPrompts(t, s); n != 3 {
				t.Errorf("%d prompts after the maintenance yielded, want 3", n)
			}
			got := exitSignal(h)
			if stubborn && got != syscall.SIGKILL {
				t.Errorf("a maintenance ignoring SIGTERM ended with signal %v, want SIGKILL", got)
			}
			if !stubborn && got != 0 {
				t.Errorf("a maintenance that stops when asked ended with signal %v, want a clean exit", got)
			}
		})
	}
	t.Run("other holders are waited for", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "store")
		commitMany(t, dir, 0, 1)
		h := startHelper(t, "", "hold", "STORAGE_DIR="+dir, "STORAGE_HOLD=1h")
		h.expect(t, "held")
		_, err := Open(context.Background(), Options{Dir: dir, LockWait: 200 * time.Millisecond})
		if !errors.Is(err, ErrLocked) {
			t.Fatalf("Open of a store a command holds: %v, want ErrLocked", err)
		}
		if !alive(h.cmd.Process.Pid) {
			t.Fatal("the command holding the store was stopped")
		}
	})
}

// TestCompactKilledAnywhere kills the maintenance at random instants of its
// work; every open after it finds every commit, and a last uninterrupted
// run still brings level 0 down.
func TestCompactKilledAnywhere(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	rounds := 8
	if testing.Short() {
		rounds = 3
	}
	total := 0
	for r := range rounds {
		commitMany(t, dir, total, maxL0Tables)
		total += maxL0Tables
		h := startHelper(t, "", "compact", "STORAGE_DIR="+dir)
		h.expect(t, "started")
		time.Sleep(time.Duration(rand.N(150)) * time.Millisecond)
		h.kill9(t)
		s, err := Open(context.Background(), Options{Dir: dir, DeferCompaction: true})
		if err != nil {
			t.Fatalf("round %d: open after the maintenance was killed: %v", r, err)
		}
		if n := countPrompts(t, s); n != total {
			t.Fatalf("round %d: %d prompts after the maintenance was killed, want %d", r, n, total)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := Compact(context.Background(), Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	s := openT(t, Options{Dir: dir, ReadOnly: true})
	if l0 := s.l0Tables(); l0 != 0 {
		t.Errorf("after an uninterrupted Compact: %d level-0 tables", l0)
	}
	if n := countPrompts(t, s); n != total {
		t.Errorf("%d prompts, want %d", n, total)
	}
}

// TestLevel0FallbackAfterAKill: a read-only command finds a store that a
// killed writer left with level 0 past the limit; the read-write open that
// repairs it merges level 0 first, and the command reads every commit.
func TestLevel0FallbackAfterAKill(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	commitMany(t, dir, 0, maxL0Tables+2)
	commitThenKill(t, dir)
	s := openT(t, Options{Dir: dir, ReadOnly: true})
	checkSurvivor(t, s)
	if n := countPrompts(t, s); n != maxL0Tables+3 {
		t.Errorf("%d prompts, want %d", n, maxL0Tables+3)
	}
	if l0 := s.l0Tables(); l0 > maxL0Tables {
		t.Errorf("%d level-0 tables after the repairing open", l0)
	}
}
