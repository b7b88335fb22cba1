package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"promptbench/storage"
)

// TestReportOfImportedRun: a run exported with its logs and imported into
// another workspace is reported there as where it ran (the import lists
// its entries in the run's index).
func TestReportOfImportedRun(t *testing.T) {
	a, data := demoCLI(t)
	a.ok("", "eval", filepath.Join(data, "tickets.jsonl"), "--prompt", "support/ticket-classifier@1",
		"--prompt", "support/ticket-classifier@2", "--model", "echo/echo", "--scorer", "contains:refund")
	var runs []struct{ ID string }
	if err := json.Unmarshal([]byte(a.ok("", "runs", "--json")), &runs); err != nil || len(runs) != 1 {
		t.Fatalf("runs: %v %v", runs, err)
	}
	want := a.ok("", "report", runs[0].ID, "--format", "json")
	file := filepath.Join(t.TempDir(), "with-logs.yaml")
	a.ok("", "export", "--with-logs", "--out", file)

	b := newCLI(t)
	b.ok("", "init")
	b.ok("", "import", file)
	if got := b.ok("", "report", runs[0].ID, "--format", "json"); got != want {
		t.Fatalf("the imported run reports otherwise:\n%s\n---\n%s", got, want)
	}
	mustContain(t, b.ok("", "report", runs[0].ID, "--format", "csv"), "support/ticket-classifier@1,t01,0,,")
}

// runIndexKeys counts the keys of the run index, by prompt.
func runIndexKeys(t *testing.T, ws string) map[string]int {
	t.Helper()
	st, err := storage.Open(context.Background(), storage.Options{Dir: filepath.Join(ws, "store"), Command: "test", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n := map[string]int{}
	err = st.View(func(tx *storage.Tx) error {
		return tx.ScanRunLogIndex(func(_, name string, _ int, _ string) error { n[name]++; return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRunIndexFollowsMvAndRm is a run's life as a user sees it: the run
// reports the same after its prompt is renamed and after it is deleted,
// and doctor finds nothing left behind at any point (the run's index keys
// move and go with the prompt's log entries).
func TestRunIndexFollowsMvAndRm(t *testing.T) {
	c, data := demoCLI(t)
	c.ok("", "eval", filepath.Join(data, "tickets.jsonl"), "--prompt", "support/ticket-classifier@1",
		"--model", "echo/echo", "--scorer", "contains:refund")
	var runs []struct{ ID string }
	if err := json.Unmarshal([]byte(c.ok("", "runs", "--json")), &runs); err != nil || len(runs) != 1 {
		t.Fatalf("runs: %v %v", runs, err)
	}
	run := runs[0].ID
	want := c.ok("", "report", run, "--format", "json")
	mustContain(t, c.ok("", "doctor"), "(15 run index entries)", "healthy")

	c.ok("", "mv", "support/ticket-classifier", "support/triage")
	if got := c.ok("", "report", run, "--format", "json"); got != want {
		t.Fatalf("report after mv:\n%s\n---\n%s", got, want)
	}
	mustContain(t, c.ok("", "doctor"), "(15 run index entries)", "healthy")
	if keys := runIndexKeys(t, c.dir); keys["support/triage"] != 15 || len(keys) != 1 {
		t.Fatalf("run index after mv: %v", keys)
	}

	c.ok("", "rm", "--force", "support/triage")
	if got := c.ok("", "report", run, "--format", "json"); got != want {
		t.Fatalf("report after rm:\n%s\n---\n%s", got, want)
	}
	mustContain(t, c.ok("", "doctor"), "(0 run index entries)", "healthy")
	if keys := runIndexKeys(t, c.dir); len(keys) != 0 {
		t.Fatalf("run index after rm: %v", keys)
	}
}
