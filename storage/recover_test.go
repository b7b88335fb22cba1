package storage

import (
	"context"
	"errors"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// storeWithSurvivor makes a closed store holding one committed version.
func storeWithSurvivor(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "store")
	s := openT(t, Options{Dir: dir})
	err := s.Update(func(tx *Tx) error {
		if err := tx.PutPrompt("survivor", []byte("committed before kill")); err != nil {
			return err
		}
		return tx.PutVersion("survivor", 1, []byte("v1"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// A process killed between creating a memtable or value-log file and
// writing its header leaves an empty file; every later open failed on it.
func TestOpenAfterKilledFileCreation(t *testing.T) {
	for _, name := range []string{"00007.mem", "000042.vlog", "000001.vlog"} {
		for _, readOnly := range []bool{true, false} {
			t.Run(name+" "+mode(readOnly), func(t *testing.T) {
				dir := storeWithSurvivor(t)
				path := filepath.Join(dir, name)
				if err := os.WriteFile(path, nil, 0o644); err != nil {
					t.Fatal(err)
				}
				checkSurvivor(t, openT(t, Options{Dir: dir, ReadOnly: readOnly}))
				if fi, err := os.Stat(path); err == nil && fi.Size() == 0 {
					t.Errorf("%s is still empty after the open", name)
				}
			})
		}
	}
}

// A file shorter than the header is as empty as one of 0 bytes.
func TestOpenAfterTornHeader(t *testing.T) {
	dir := storeWithSurvivor(t)
	if err := os.WriteFile(filepath.Join(dir, "00003.mem"), []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	checkSurvivor(t, openT(t, Options{Dir: dir, ReadOnly: true}))
}

// The empty file is left alone while another process holds the store: it
// may be the file that process is creating.
func TestEmptyFileOfALiveWriterIsKept(t *testing.T) {
	dir := storeWithSurvivor(t)
	h := startHelper(t, "", "hold", "STORAGE_DIR="+dir, "STORAGE_HOLD=1h")
	h.expect(t, "held")
	path := filepath.Join(dir, "00099.mem")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), Options{Dir: dir, ReadOnly: true, LockWait: -1})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("open while another process holds the store: %v, want ErrLocked", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the holder's file was touched: %v", err)
	}
}

// A bulk open (an import) writes through a larger memtable; killed before
// it flushed, its write-ahead file overflowed a normal open's memtable and
// Badger ended the process ("Arena too small", exit 1). An evaluation's
// batched open has a memtable of its own size, between the two.
func TestOpenAfterKilledBulkWriter(t *testing.T) {
	for name, env := range map[string][]string{
		"bulk":    {"STORAGE_BULK=1"},
		"batched": {"STORAGE_BULK=1", "STORAGE_BATCHED=1"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "store")
			h := startHelper(t, "", "bulk-hang", append(env, "STORAGE_DIR="+dir)...)
			h.expect(t, "committed")
			h.kill9(t)
			for _, readOnly := range []bool{true, false} {
				s := openT(t, Options{Dir: dir, ReadOnly: readOnly})
				view(t, s, func(tx *Tx) error {
					for i := range 100 {
						if v, err := tx.GetVersion("bulk", i+1); err != nil || len(v) != 50<<10 {
							t.Errorf("%s open: version %d = %d bytes, %v", mode(readOnly), i+1, len(v), err)
						}
					}
					return nil
				})
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestFatalInsideBadgerIsAnError(t *testing.T) {
	err := guarded(func() error {
		log.Fatalf("Arena too small, toWrite:%d", 10)
		return nil
	})
	var fe *FatalError
	if !errors.As(err, &fe) || !strings.Contains(fe.Msg, "Arena too small") {
		t.Fatalf("guarded log.Fatalf = %v, want a *FatalError", err)
	}
	if !strings.Contains(err.Error(), "promptbench doctor") {
		t.Errorf("message %q does not say what to do", err)
	}
}

func TestFatalOutsideAGuardExits3(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), "STORAGE_HELPER=1", "STORAGE_HELPER_MODE=fatal-outside", "STORAGE_DIR="+filepath.Join(t.TempDir(), "s"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != FatalExitCode {
		t.Fatalf("exit = %v, want %d", err, FatalExitCode)
	}
	got := stderr.String()
	if !strings.Contains(got, "badger invariant broken") || strings.Contains(got, "with detail") || !strings.Contains(got, "doctor") {
		t.Errorf("stderr = %q, want Badger's first line and what to do", got)
	}
}

// A process killed while Badger created the store's first manifest leaves
// LOCK and MANIFEST-REWRITE only; that is a store never created, not a
// foreign directory.
func TestOpenAfterKilledCreation(t *testing.T) {
	for _, rewrite := range []string{"", "0123456789abcdef"} {
		dir := filepath.Join(t.TempDir(), "store")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, data := range map[string]string{"LOCK": "12345\n", "MANIFEST-REWRITE": rewrite} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		s := openT(t, Options{Dir: dir})
		if err := s.Update(func(tx *Tx) error { return tx.PutPrompt("p", []byte("x")) }); err != nil {
			t.Fatal(err)
		}
	}
}
