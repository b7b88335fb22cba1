package storage

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

func TestOpenMissing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	t.Run("read-only returns ErrNotExist", func(t *testing.T) {
		_, err := Open(context.Background(), Options{Dir: dir, ReadOnly: true})
		if !errors.Is(err, ErrNotExist) {
			t.Fatalf("got %v, want ErrNotExist", err)
		}
		if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("a read-only open created %s", dir)
		}
	})
	t.Run("read-only of an empty directory returns ErrNotExist", func(t *testing.T) {
		empty := t.TempDir()
		if _, err := Open(context.Background(), Options{Dir: empty, ReadOnly: true}); !errors.Is(err, ErrNotExist) {
			t.Fatalf("got %v, want ErrNotExist", err)
		}
	})
	t.Run("read-write creates it", func(t *testing.T) {
		s := openT(t, Options{Dir: dir})
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		r := openT(t, Options{Dir: dir, ReadOnly: true})
		if err := r.Update(func(*Tx) error { return nil }); !errors.Is(err, ErrReadOnlyTx) {
			t.Errorf("Update on a read-only store = %v, want ErrReadOnlyTx", err)
		}
	})
}

func TestOpenNotAStore(t *testing.T) {
	for _, ro := range []bool{false, true} {
		t.Run(map[bool]string{false: "read-write", true: "read-only"}[ro], func(t *testing.T) {
			t.Run("foreign files", func(t *testing.T) {
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
					t.Fatal(err)
				}
				_, err := Open(context.Background(), Options{Dir: dir, ReadOnly: ro})
				if !errors.Is(err, ErrNotStore) || !strings.Contains(err.Error(), "notes.txt") {
					t.Fatalf("got %v, want ErrNotStore naming notes.txt", err)
				}
			})
			t.Run("a file", func(t *testing.T) {
				file := filepath.Join(t.TempDir(), "store")
				if err := os.WriteFile(file, nil, 0o644); err != nil {
					t.Fatal(err)
				}
				_, err := Open(context.Background(), Options{Dir: file, ReadOnly: ro})
				if !errors.Is(err, ErrNotStore) || !strings.Contains(err.Error(), "not a directory") {
					t.Fatalf("got %v, want ErrNotStore saying it is not a directory", err)
				}
			})
		})
	}
}

func TestOpenNotWritable(t *testing.T) {
	t.Run("error text", func(t *testing.T) {
		err := notWritable("/x", &fs.PathError{Op: "open", Path: "/x/f", Err: syscall.EROFS})
		if !errors.Is(err, ErrNotWritable) || !strings.Contains(err.Error(), "/x is not writable (read-only file system)") {
			t.Errorf("got %v", err)
		}
	})

	base := t.TempDir()
	dir := filepath.Join(base, "store")
	s := openT(t, Options{Dir: dir})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })

	if os.Geteuid() != 0 {
		_, err := Open(context.Background(), Options{Dir: dir})
		if !errors.Is(err, ErrNotWritable) {
			t.Fatalf("got %v, want ErrNotWritable", err)
		}
		return
	}
	// Root ignores permissions, so a child running as nobody tries instead.
	out := runAsNobody(t, base, "STORAGE_DIR="+dir)
	if !strings.Contains(out, "error: store directory "+dir+" is not writable (permission denied)") {
		t.Fatalf("child said %q, want the not-writable error", out)
	}
}

// runAsNobody runs the helper's "open" mode as user nobody from a copy of
// the test binary it can execute, and returns its first line.
func runAsNobody(t *testing.T, base string, env ...string) string {
	t.Helper()
	for _, d := range []string{base, filepath.Dir(base)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(base, "storage.test")
	if _, err := os.Stat(bin); err != nil {
		self, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		copyFile(t, self, bin)
	}
	cmd := exec.Command(bin, "-test.run=^$")
	cmd.Env = append(os.Environ(), "STORAGE_HELPER=1", "STORAGE_HELPER_MODE=open", "STORAGE_LOCKWAIT=-1s")
	cmd.Env = append(cmd.Env, env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Skipf("cannot run a child as nobody: %v", err)
	}
	line, _, _ := strings.Cut(string(out), "\n")
	return line
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestApparentSize guards the small options: with Badger's defaults a store
// of a few keys looks like 2 GiB to du --apparent-size and to copies.
func TestApparentSize(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	s := openT(t, Options{Dir: dir})
	update(t, s, func(tx *Tx) error {
		return tx.PutPrompt("p", bytes.Repeat([]byte("x"), 4096))
	})
	const limit = 64 << 20
	if size := dirSize(t, dir); size > limit {
		t.Errorf("open store's files add up to %d MiB, want at most %d", size>>20, limit>>20)
	} else {
		t.Logf("apparent size while open: %.1f MiB", float64(size)/(1<<20))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if size := dirSize(t, dir); size > limit {
		t.Errorf("closed store's files add up to %d MiB, want at most %d", size>>20, limit>>20)
	} else {
		t.Logf("apparent size after close: %.1f MiB", float64(size)/(1<<20))
	}
}

func dirSize(t *testing.T, dir string) int64 {
	t.Helper()
	var total int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		total += fi.Size()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

func TestBackup(t *testing.T) {
	s := newStore(t)
	update(t, s, func(tx *Tx) error {
		if err := tx.PutPrompt("p", []byte("prompt")); err != nil {
			return err
		}
		return tx.PutVersion("p", 1, []byte("v1"))
	})
	var buf bytes.Buffer
	if err := s.Backup(&buf); err != nil {
		t.Fatal(err)
	}
	// The backup loads into a fresh Badger and reads back through Tx.
	db, err := badger.Open(badger.DefaultOptions("").WithInMemory(true).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Load(&buf, 16); err != nil {
		t.Fatal(err)
	}
	restored := &Store{db: db, dir: "memory"}
	view(t, restored, func(tx *Tx) error {
		if v, err := tx.GetVersion("p", 1); err != nil || string(v) != "v1" {
			t.Errorf("restored p@1 = %q, %v", v, err)
		}
		return nil
	})
}
