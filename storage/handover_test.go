package storage

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestHandover is an evaluation that keeps the store open between its
// writes while a command in another process wants it: the command's wait
// shows as Wanted, the holder closes, and the holder's next open (with
// GiveWay) lets the command have the store first instead of taking it back.
func TestHandover(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	s := openT(t, Options{Dir: dir})
	if s.Wanted() {
		t.Fatal("Wanted with nobody waiting")
	}
	h := startHelper(t, "", "hold", "STORAGE_DIR="+dir, "STORAGE_HOLD=300ms", "STORAGE_LOCKWAIT=10s")
	deadline := time.Now().Add(10 * time.Second)
	for !s.Wanted() {
		if time.Now().After(deadline) {
			t.Fatal("the waiting process never showed as Wanted")
		}
		time.Sleep(time.Millisecond)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Reopened at once, as the next batch does: the waiter goes first,
	// so this open finds it holding the store and waits for its 300 ms.
	s2, err := Open(context.Background(), Options{Dir: dir, GiveWay: true, LockWait: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	h.expect(t, "held")
	if err := h.cmd.Wait(); err != nil {
		t.Fatalf("the waiting process: %v", err)
	}
	if s2.Wanted() {
		t.Fatal("the waiter's wait file outlived its open")
	}
}

// TestStaleWaitFiles: the wait file of a process killed while it waited,
// or whose pid a later process took, asks nobody to let go.
func TestStaleWaitFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	s := openT(t, Options{Dir: dir})
	write := func(pid int, age time.Duration) string {
		name := filepath.Join(dir, holdersDir, fmt.Sprintf("%d-0000beef%s", pid, waitSuffix))
		if err := os.WriteFile(name, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		at := time.Now().Add(-age)
		if err := os.Chtimes(name, at, at); err != nil {
			t.Fatal(err)
		}
		return name
	}
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	write(dead.Process.Pid, 0)
	if s.Wanted() {
		t.Fatal("a dead waiter's file counts")
	}
	// The parent of this test started after this file was written.
	old := write(os.Getppid(), 1000*time.Hour)
	if s.Wanted() {
		t.Fatal("a file older than the process holding its pid counts")
	}
	os.Remove(old)
	write(os.Getppid(), 0)
	if !s.Wanted() {
		t.Fatal("a live waiter's file does not count")
	}
}
