package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeHook writes an executable shell script beside the workspace.
func writeHook(t *testing.T, c *cli, name, script string) string {
	t.Helper()
	path := filepath.Join(filepath.Dir(c.dir), name)
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestHooks: hooks get one JSON event per change on stdin; a failing or
// slow hook is reported and the change stays; a hook that is not
// executable is refused before anything is stored.
func TestHooks(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	events := filepath.Join(filepath.Dir(c.dir), "events.jsonl")
	writeHook(t, c, "log.sh", "cat >> "+events+"; echo >> "+events+"\n")
	writeHook(t, c, "fail.sh", "echo something broke >&2; exit 4\n")
	writeHook(t, c, "slow.sh", "sleep 30\n")
	c.protect(`protected_labels: [production]
hooks:
  - command: ./log.sh
  - command: ./fail.sh
    events: [label]
  - command: ./slow.sh
    events: [review]
    timeout: 200ms
`)
	c.as("alice", "Hello {{name}}\n", "commit", "greet", "-m", "first")
	r := c.as("alice", "", "label", "greet@1", "staging")
	mustExit(t, r, 0, "hook ./fail.sh (label event): exit status 4: something broke; the change itself is saved")
	mustContain(t, c.ok("", "show", "greet@staging"), "greet@1")
	r = c.as("alice", "", "review", "request", "greet@1", "production")
	mustExit(t, r, 0, "hook ./slow.sh (review event): still running after 200ms, the hook's time limit: stopped")
	id := strings.TrimSuffix(strings.Fields(r.out)[1], ":")
	c.as("bob", "", "review", "approve", id, "-m", "fine")
	c.as("alice", "", "label", "greet@1", "production")
	file := filepath.Join(t.TempDir(), "x.yaml")
	c.ok("", "export", "--out", file)
	other := newCLI(t)
	other.ok("", "init")
	other.ok("Other {{x}}\n", "commit", "other", "-m", "o")
	other.ok("", "export", "--out", file)
	c.ok("", "import", file)

	data, err := os.ReadFile(events)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	var label map[string]any
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("hook input %q: %v", line, err)
		}
		got = append(got, ev["event"].(string)+":"+ev["action"].(string))
		if ev["label"] == "production" {
			label = ev
		}
	}
	if want := "commit:commit,label:label,review:review-request,review:approve,label:label,import:import"; strings.Join(got, ",") != want {
		t.Fatalf("hook events %s\nwant %s", strings.Join(got, ","), want)
	}
	if label["author"] != "alice" || label["review"] != id || label["before"] != nil || label["after"].(map[string]any)["version"] != 1.0 {
		t.Fatalf("label event: %v", label)
	}

	// Not executable: refused, naming the hook, before anything is stored.
	if err := os.Chmod(filepath.Join(filepath.Dir(c.dir), "fail.sh"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustExit(t, c.run("Bye\n", "commit", "bye", "-m", "x"), 2, "hooks[1]: command ./fail.sh is not executable; make it so with chmod +x")
	os.Chmod(filepath.Join(filepath.Dir(c.dir), "fail.sh"), 0o755)
	if strings.Contains(c.ok("", "list"), "bye") {
		t.Fatal("a refused commit was stored")
	}
}
