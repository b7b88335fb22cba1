package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestInitKeepsStoreOutOfGit: in a repository, git ignores the store and
// tracks config.yaml; a workspace made before init wrote .gitignore gets
// it from the next init.
func TestInitKeepsStoreOutOfGit(t *testing.T) {
	c := newCLI(t)
	repo := filepath.Dir(c.dir)
	c.ok("", "init")
	c.ok("x\n", "commit", "-m", "test", "p")
	if _, err := exec.LookPath("git"); err == nil {
		if out, err := exec.Command("git", "-C", repo, "init", "-q").CombinedOutput(); err != nil {
			t.Fatalf("git init: %v\n%s", err, out)
		}
		out, _ := exec.Command("git", "-C", repo, "status", "--porcelain", "--untracked-files=all").Output()
		if strings.Contains(string(out), "store/") || !strings.Contains(string(out), ".promptbench/config.yaml") || !strings.Contains(string(out), ".promptbench/.gitignore") {
			t.Fatalf("git status:\n%s", out)
		}
	}
	ignore := filepath.Join(c.dir, ".gitignore")
	if err := os.Remove(ignore); err != nil {
		t.Fatal(err)
	}
	mustContain(t, c.ok("", "init"), "added .gitignore")
	if data, err := os.ReadFile(ignore); err != nil || !strings.Contains(string(data), "/store/") {
		t.Fatalf(".gitignore: %q, %v", data, err)
	}
	mustContain(t, c.ok("", "init"), "nothing changed")
}
