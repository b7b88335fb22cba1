package workspace

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	batchChildEnv     = "PROMPTBENCH_BATCH_CHILD_DIR"
	batchChildEachEnv = "PROMPTBENCH_BATCH_CHILD_SYNC_EACH"
)

// forEachSync runs test with each way Commit makes the written files
// durable: one sync of their filesystem (Linux), and a sync of each file
// (systems without one), which runs on Linux only in tests.
func forEachSync(t *testing.T, test func(t *testing.T, each bool)) {
	t.Run("one sync of the filesystem", func(t *testing.T) { test(t, false) })
	t.Run("each file synced", func(t *testing.T) { test(t, true) })
}

// batchContent is file i's content in round r: long enough that a half
// written file would show.
func batchContent(i, r int) string {
	return strings.Repeat(fmt.Sprintf("file %d round %d\n", i, r), 200)
}

// TestAtomicBatchChild rewrites a folder of files in rounds until killed;
// it runs only as the child of TestAtomicBatchKilled.
func TestAtomicBatchChild(t *testing.T) {
	dir := os.Getenv(batchChildEnv)
	if dir == "" {
		t.Skip("runs as a child process")
	}
	each := os.Getenv(batchChildEachEnv) == "true"
	for r := 0; ; r++ {
		b := AtomicBatch{syncEachFile: each}
		for i := range 300 {
			if err := b.Write(filepath.Join(dir, fmt.Sprintf("d%d/f%03d.yaml", i%3, i)), []byte(batchContent(i, r))); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.Commit(); err != nil {
			t.Fatal(err)
		}
	}
}

// A process killed (kill -9) at any instant while it rewrites a folder
// through a batch leaves every file whole: one round's content or
// another's. The temporary files it leaves are removed by the next batch
// writing to their folders.
func TestAtomicBatchKilled(t *testing.T) {
	forEachSync(t, testAtomicBatchKilled)
}

func testAtomicBatchKilled(t *testing.T, each bool) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for k := range 8 {
		cmd := exec.Command(exe, "-test.run=^TestAtomicBatchChild$")
		cmd.Env = append(os.Environ(), batchChildEnv+"="+dir, batchChildEachEnv+"="+strconv.FormatBool(each))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(100+k*37) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		for i := range 300 {
			b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("d%d/f%03d.yaml", i%3, i)))
			if os.IsNotExist(err) {
				continue // no round put in place yet
			}
			var r int
			if _, err := fmt.Sscanf(string(b), "file %d round %d\n", new(int), &r); err != nil || string(b) != batchContent(i, r) {
				t.Fatalf("kill %d: file %d is not whole: %d bytes", k, i, len(b))
			}
		}
	}
	b := AtomicBatch{syncEachFile: each}
	for i := range 3 {
		if err := b.Write(filepath.Join(dir, fmt.Sprintf("d%d/f%03d.yaml", i, i)), []byte("last\n")); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	temps, _ := filepath.Glob(filepath.Join(dir, "d*", ".*.tmp"))
	if len(temps) > 0 {
		t.Errorf("temporary files left: %d, e.g. %s", len(temps), temps[0])
	}
}

// Commit puts every written file in place, new folders made, a replaced
// file keeping its mode; Abort, and a batch never committed, leave every
// file as it was and no temporary file.
func TestAtomicBatchCommitAndAbort(t *testing.T) {
	forEachSync(t, func(t *testing.T, each bool) {
		dir := t.TempDir()
		kept := filepath.Join(dir, "kept.yaml")
		if err := os.WriteFile(kept, []byte("old\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		fresh := filepath.Join(dir, "new", "deeper", "fresh.yaml")

		b := AtomicBatch{syncEachFile: each}
		for path, data := range map[string]string{kept: "aborted\n", fresh: "aborted\n"} {
			if err := b.Write(path, []byte(data)); err != nil {
				t.Fatal(err)
			}
		}
		b.Abort()
		if got, _ := os.ReadFile(kept); string(got) != "old\n" {
			t.Errorf("an aborted batch changed kept.yaml: %q", got)
		}
		if _, err := os.Stat(fresh); !os.IsNotExist(err) {
			t.Errorf("an aborted batch put fresh.yaml in place (%v)", err)
		}

		b = AtomicBatch{syncEachFile: each}
		for path, data := range map[string]string{kept: "new\n", fresh: "fresh\n"} {
			if err := b.Write(path, []byte(data)); err != nil {
				t.Fatal(err)
			}
		}
		if got, _ := os.ReadFile(kept); string(got) != "old\n" {
			t.Errorf("kept.yaml changed before the commit: %q", got)
		}
		if err := b.Commit(); err != nil {
			t.Fatal(err)
		}
		for path, want := range map[string]string{kept: "new\n", fresh: "fresh\n"} {
			if got, err := os.ReadFile(path); err != nil || string(got) != want {
				t.Errorf("%s: %q (%v), want %q", path, got, err, want)
			}
		}
		if fi, err := os.Stat(kept); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("kept.yaml lost its mode: %v (%v)", fi.Mode(), err)
		}
		var temps []string
		filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(path, ".tmp") {
				temps = append(temps, path)
			}
			return nil
		})
		if len(temps) > 0 {
			t.Errorf("temporary files left: %v", temps)
		}
	})
}
