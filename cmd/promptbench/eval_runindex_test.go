package main

import (
	"encoding/json"
	"path/filepath"
	"testing"
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
