package workspace

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const batchChildEnv = "PROMPTBENCH_BATCH_CHILD_DIR"

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
	for r := 0; ; r++ {
		var b AtomicBatch
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
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for k := range 8 {
		cmd := exec.Command(exe, "-test.run=^TestAtomicBatchChild$")
		cmd.Env = append(os.Environ(), batchChildEnv+"="+dir)
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
	var b AtomicBatch
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
