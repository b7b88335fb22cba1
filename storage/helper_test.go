package storage

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Whole-process tests re-execute this test binary with STORAGE_HELPER=1:
// Badger's locks are per process, and kill -9 needs a process to kill.
func TestMain(m *testing.M) {
	TrapFatalLogs(os.Stderr)
	if os.Getenv("STORAGE_HELPER") == "1" {
		os.Exit(runHelper(os.Getenv("STORAGE_HELPER_MODE")))
	}
	os.Exit(m.Run())
}

const helperCommand = "storage-test helper"

// runHelper is the child's side. It reports on stdout, one line per step,
// so that the parent can wait for "held" or "committed".
func runHelper(mode string) int {
	if mode == "hold-badger" {
		// Holds the store as a process in the middle of its open does:
		// locked, no lock info written yet.
		db, err := badger.Open(badgerOptions(os.Getenv("STORAGE_DIR"), false, singleWrites, nil))
		if err != nil {
			fmt.Println("error:", err)
			return 1
		}
		fmt.Println("held")
		time.Sleep(time.Hour)
		_ = db.Close()
		return 0
	}
	switch mode {
	case "compact":
		fmt.Println("started")
		if err := Compact(context.Background(), Options{Dir: os.Getenv("STORAGE_DIR"), Command: helperCommand}); err != nil {
			fmt.Println("error:", err)
			return 1
		}
		fmt.Println("compacted")
		return 0
	case "maintain-hold", "maintain-stubborn":
		return holdAsMaintenance(mode == "maintain-stubborn")
	}
	hold, _ := time.ParseDuration(os.Getenv("STORAGE_HOLD"))
	wait, _ := time.ParseDuration(os.Getenv("STORAGE_LOCKWAIT"))
	opts := Options{
		Dir:      os.Getenv("STORAGE_DIR"),
		ReadOnly: os.Getenv("STORAGE_READONLY") == "1",
		LockWait: wait,
		Command:  helperCommand,
		Bulk:     os.Getenv("STORAGE_BULK") == "1",
		Pending:  os.Getenv("STORAGE_PENDING") == "1",
		Batched:  os.Getenv("STORAGE_BATCHED") == "1",
	}
	s, err := Open(context.Background(), opts)
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	switch mode {
	case "commit-hang":
		err := s.Update(func(tx *Tx) error {
			if err := tx.PutPrompt("survivor", []byte("committed before kill")); err != nil {
				return err
			}
			if err := tx.PutVersion("survivor", 1, []byte("v1")); err != nil {
				return err
			}
			return tx.AppendAudit([]byte("commit survivor"))
		})
		if err != nil {
			fmt.Println("error:", err)
			return 1
		}
		fmt.Println("committed")
		time.Sleep(time.Hour) // until the parent kills us
	case "bulk-hang":
		// More than a normal memtable holds, synced but never flushed.
		for i := range 100 {
			err := s.Update(func(tx *Tx) error {
				return tx.PutVersion("bulk", i+1, bytes.Repeat([]byte{'x'}, 50<<10))
			})
			if err != nil {
				fmt.Println("error:", err)
				return 1
			}
		}
		fmt.Println("committed")
		time.Sleep(time.Hour)
	case "fatal-outside":
		fmt.Println("ok")
		log.Fatalf("badger invariant broken\nwith detail")
	case "hold":
		fmt.Println("held")
		time.Sleep(hold)
	case "open":
		fmt.Println("ok")
	default:
		fmt.Println("error: unknown mode", mode)
		return 2
	}
	if err := s.Close(); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	return 0
}

// helper is a running child process.
type helper struct {
	cmd *exec.Cmd
	out *bufio.Reader
}

// startHelper starts the test binary in the given mode with extra
// environment (KEY=value) and returns once it is running.
func startHelper(t *testing.T, bin, mode string, env ...string) *helper {
	t.Helper()
	if bin == "" {
		var err error
		if bin, err = os.Executable(); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "-test.run=^$")
	cmd.Env = append(os.Environ(), "STORAGE_HELPER=1", "STORAGE_HELPER_MODE="+mode)
	cmd.Env = append(cmd.Env, env...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	h := &helper{cmd: cmd, out: bufio.NewReader(stdout)}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return h
}

// line reads the child's next report.
func (h *helper) line(t *testing.T) string {
	t.Helper()
	l, err := h.out.ReadString('\n')
	if err != nil {
		t.Fatalf("helper %d: read: %v (got %q)", h.cmd.Process.Pid, err, l)
	}
	return strings.TrimSpace(l)
}

// expect reads the child's next report and fails unless it is want.
func (h *helper) expect(t *testing.T, want string) {
	t.Helper()
	if got := h.line(t); got != want {
		t.Fatalf("helper said %q, want %q", got, want)
	}
}

// kill9 kills the child the hard way and reaps it.
func (h *helper) kill9(t *testing.T) {
	t.Helper()
	if err := h.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = h.cmd.Wait()
}

// openT opens a store for a test and closes it at the end.
func openT(t testing.TB, opts Options) *Store {
	t.Helper()
	s, err := Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("Open(%+v): %v", opts, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// holdAsMaintenance holds the store as the background maintenance does,
// until SIGTERM (then it closes the store and exits 0) or, stubborn, until
// it is killed.
func holdAsMaintenance(stubborn bool) int {
	ctx := context.Background()
	if stubborn {
		signal.Ignore(syscall.SIGTERM)
	} else {
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(ctx, syscall.SIGTERM)
		defer stop()
	}
	s, err := Open(ctx, Options{Dir: os.Getenv("STORAGE_DIR"), Command: "promptbench maintain", yields: true})
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("held")
	<-ctx.Done()
	if err := s.Close(); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	return 0
}
