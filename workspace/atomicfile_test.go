package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// A process killed while it rewrote the export file leaves its temporary
// file beside it (git shows it as untracked); the next write removes it,
// but never the temporary file of a process still running.
func TestAtomicWriteRemovesTempsOfKilledProcesses(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "prompts.yaml")
	dead := filepath.Join(dir, ".prompts.yaml.999999999-00000000.tmp")
	live := filepath.Join(dir, fmt.Sprintf(".prompts.yaml.%d-00000000.tmp", os.Getpid()))
	other := filepath.Join(dir, ".other.yaml.999999999-00000000.tmp")
	for _, f := range []string{dead, live, other} {
		if err := os.WriteFile(f, []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteFileAtomic(path, []byte("whole\n")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "whole\n" {
		t.Errorf("file = %q", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("the killed process's temporary file is still there")
	}
	for _, f := range []string{live, other} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(f), err)
		}
	}
}
