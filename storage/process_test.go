package storage

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// commitThenKill has a child commit durably and get SIGKILLed before it
// closes the store.
func commitThenKill(t *testing.T, dir string) {
	t.Helper()
	h := startHelper(t, "", "commit-hang", "STORAGE_DIR="+dir)
	h.expect(t, "committed")
	h.kill9(t)
}

func checkSurvivor(t *testing.T, s *Store) {
	t.Helper()
	view(t, s, func(tx *Tx) error {
		if v, err := tx.GetPrompt("survivor"); err != nil || string(v) != "committed before kill" {
			t.Errorf("prompt committed before kill -9 = %q, %v", v, err)
		}
		if v, err := tx.GetVersion("survivor", 1); err != nil || string(v) != "v1" {
			t.Errorf("version committed before kill -9 = %q, %v", v, err)
		}
		return nil
	})
}

func TestKilledWriter(t *testing.T) {
	t.Run("read-write open finds the commit", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "store")
		commitThenKill(t, dir)
		checkSurvivor(t, openT(t, Options{Dir: dir}))
	})
	t.Run("read-only open repairs and finds the commit", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "store")
		commitThenKill(t, dir)
		// The trap this guards against: Badger alone refuses.
		db, err := badger.Open(badgerOptions(dir, true, singleWrites, nil))
		if err == nil {
			db.Close()
			t.Log("Badger opened the killed writer's store read-only by itself")
		} else if !isTruncateMessage(err.Error()) {
			t.Logf("Badger's own read-only open: %v", err)
		}
		s := openT(t, Options{Dir: dir, ReadOnly: true})
		checkSurvivor(t, s)
		if holders := readHolders(dir); len(holders) != 1 || holders[0].PID == 0 || !holders[0].ReadOnly {
			t.Errorf("holders = %+v, want only this reader (the killed one is dead)", holders)
		}
	})
}

func TestLockWait(t *testing.T) {
	for _, tc := range []struct{ holder, waiter bool }{{false, false}, {false, true}, {true, false}} {
		name := fmt.Sprintf("%s waits for %s", mode(tc.waiter), mode(tc.holder))
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "store")
			s := openT(t, Options{Dir: dir})
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			h := startHelper(t, "", "hold", "STORAGE_DIR="+dir, "STORAGE_HOLD=1s", "STORAGE_READONLY="+flag(tc.holder))
			h.expect(t, "held")
			start := time.Now()
			s, err := Open(context.Background(), Options{Dir: dir, ReadOnly: tc.waiter, LockWait: 10 * time.Second})
			if err != nil {
				t.Fatalf("Open while a %s held the store for 1s: %v", mode(tc.holder), err)
			}
			defer s.Close()
			t.Logf("waited %v", time.Since(start).Round(time.Millisecond))
		})
	}
	t.Run("readers share", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "store")
		if err := openT(t, Options{Dir: dir}).Close(); err != nil {
			t.Fatal(err)
		}
		h := startHelper(t, "", "hold", "STORAGE_DIR="+dir, "STORAGE_HOLD=1h", "STORAGE_READONLY=1")
		h.expect(t, "held")
		openT(t, Options{Dir: dir, ReadOnly: true, LockWait: -1})
	})
}

func TestLockedError(t *testing.T) {
	for _, holderRO := range []bool{false, true} {
		t.Run("held by a "+mode(holderRO), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "store")
			if err := openT(t, Options{Dir: dir}).Close(); err != nil {
				t.Fatal(err)
			}
			h := startHelper(t, "", "hold", "STORAGE_DIR="+dir, "STORAGE_HOLD=1h", "STORAGE_READONLY="+flag(holderRO))
			h.expect(t, "held")
			start := time.Now()
			_, err := Open(context.Background(), Options{Dir: dir, LockWait: 500 * time.Millisecond})
			elapsed := time.Since(start)
			var le *LockedError
			if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
				t.Fatalf("got %v, want a LockedError", err)
			}
			if len(le.Holders) != 1 || le.Holders[0].PID != h.cmd.Process.Pid || le.Holders[0].Command != helperCommand {
				t.Errorf("holders = %+v, want pid %d (%s)", le.Holders, h.cmd.Process.Pid, helperCommand)
			}
			want := fmt.Sprintf("store %s is in use by pid %d (%s", dir, h.cmd.Process.Pid, helperCommand)
			msg := err.Error()
			// Under load the wait may overrun by a retry; the text must not be
			// asserted to the millisecond.
			if !strings.HasPrefix(msg, want) || !strings.Contains(msg, "; waited ") || !strings.HasSuffix(msg, ". Wait for it to finish, or close the other promptbench.") {
				t.Errorf("message %q, want it to start %q and tell what to do", msg, want)
			}
			if strings.Contains(msg, "\n") || strings.Contains(msg, "goroutine") || strings.Contains(msg, "Badger") {
				t.Errorf("message leaks Badger's detail: %q", msg)
			}
			if le.Waited < 500*time.Millisecond {
				t.Errorf("gave up after %v, before LockWait", le.Waited)
			}
			t.Logf("after %v: %s", elapsed.Round(time.Millisecond), msg)
		})
	}
	t.Run("cancelled", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "store")
		if err := openT(t, Options{Dir: dir}).Close(); err != nil {
			t.Fatal(err)
		}
		h := startHelper(t, "", "hold", "STORAGE_DIR="+dir, "STORAGE_HOLD=1h")
		h.expect(t, "held")
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := Open(ctx, Options{Dir: dir})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("got %v, want the context's error", err)
		}
	})
}

func TestLockedErrorText(t *testing.T) {
	y, m, d := time.Now().Date()
	since := time.Date(y, m, d, 12, 1, 3, 0, time.Local)
	for _, tc := range []struct {
		name string
		err  LockedError
		want string
	}{
		{"unknown holder", LockedError{Dir: "/x", Waited: 5 * time.Second, Unnamed: "it left no lock info"},
			"store /x is in use by another process (it left no lock info); waited 5s. Wait for it to finish, or close the other promptbench."},
		{"short wait", LockedError{Dir: "/x", Waited: 31400 * time.Microsecond, Holders: []Holder{{PID: 7, Command: "promptbench tag"}}},
			"store /x is in use by pid 7 (promptbench tag); waited 31ms. Wait for it to finish, or close the other promptbench."},
		{"writer", LockedError{Dir: "/x", Waited: 5 * time.Second, Holders: []Holder{{PID: 4242, Command: "promptbench commit", Since: since}}},
			"store /x is in use by pid 4242 (promptbench commit, since 12:01:03); waited 5s. Wait for it to finish, or close the other promptbench."},
		{"readers", LockedError{Dir: "/x", Waited: 5049 * time.Millisecond, Holders: []Holder{{PID: 1, ReadOnly: true}, {PID: 2, Command: "promptbench", ReadOnly: true}}},
			"store /x is in use by pid 1 (unknown command, reading), pid 2 (promptbench, reading); waited 5s. Wait for it to finish, or close the other promptbench."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// A process in the middle of its open holds the lock before it writes its
// lock info; the message still names it (pid, command, start time).
func TestLockedErrorNamesAHolderWithoutLockInfo(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the kernel's list of locks is read on Linux only")
	}
	dir := filepath.Join(t.TempDir(), "store")
	if err := openT(t, Options{Dir: dir}).Close(); err != nil {
		t.Fatal(err)
	}
	h := startHelper(t, "", "hold-badger", "STORAGE_DIR="+dir)
	h.expect(t, "held")
	_, err := Open(context.Background(), Options{Dir: dir, ReadOnly: true, LockWait: 30 * time.Millisecond})
	var le *LockedError
	if !errors.As(err, &le) {
		t.Fatalf("got %v, want a LockedError", err)
	}
	if len(le.Holders) != 1 || le.Holders[0].PID != h.cmd.Process.Pid || le.Holders[0].ReadOnly {
		t.Fatalf("holders = %+v, want the writer pid %d", le.Holders, h.cmd.Process.Pid)
	}
	got := le.Holders[0]
	if !strings.Contains(got.Command, filepath.Base(os.Args[0])) || time.Since(got.Since) > time.Minute || time.Since(got.Since) < 0 {
		t.Errorf("holder = %+v, want its command line and a start time just now", got)
	}
	if le.Waited < 30*time.Millisecond || !strings.Contains(err.Error(), "waited ") || strings.Contains(err.Error(), "waited 0s") {
		t.Errorf("waited %v: %s", le.Waited, err)
	}
	t.Log(err)
}

func mode(readOnly bool) string {
	if readOnly {
		return "reader"
	}
	return "writer"
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
