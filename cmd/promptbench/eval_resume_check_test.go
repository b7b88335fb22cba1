package main

import (
	"os"
	"strings"
	"testing"
	"time"

	"promptbench/workspace"
)

// TestEvalResumeRefusesOtherOptions interrupts a run with Ctrl-C (SIGINT)
// and tries to resume it with options other than the run had: each is
// refused (exit 2) naming what differs, and nothing runs; the resume with
// the run's own options finishes it.
func TestEvalResumeRefusesOtherOptions(t *testing.T) {
	const rows = 80
	ws, data, srv := resumeFixture(t, rows, 20*time.Millisecond)
	cmd, out := startCLI(t, ws, "eval", data, "--prompt", "support/ticket-classifier@1", "--model", "fake/m", "--scorer", "contains:billing",
		"--concurrency", "2", "--limit", "60", "--seed", "3")
	waitRequests(t, srv, 10)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if code := exitOf(cmd.Wait()); code != 3 {
		t.Fatalf("Ctrl-C: exit %d\n%s", code, out)
	}
	run, _ := onlyRun(t, ws)
	if run.Status != workspace.RunInterrupted {
		t.Fatalf("status %s\n%s", run.Status, out)
	}
	mustContain(t, out.String(), "interrupted; finished cases are kept", "promptbench eval --resume "+string(run.ID))
	id := string(run.ID)
	calls := srv.Requests()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--limit", "50"}, "--limit 50 (the run had 60)"},
		{[]string{"--seed", "4"}, "--seed 4 (the run had 3)"},
		{[]string{"--sample", "10"}, "--sample 10 (the run had none)"},
		{[]string{"--shard", "1/2"}, "--shard 1/2 (the run had none)"},
		{[]string{"--repeat", "2"}, "--repeat 2 (the run had 1)"},
		{[]string{"--scorer", "exact"}, "--scorer exact (the run had contains:billing)"},
		{[]string{"--prompt", "support/ticket-classifier@2", "--model", "fake/m"}, "ran support/ticket-classifier@1 with fake/m; this command has support/ticket-classifier@2"},
		{[]string{"--limit", "50", "--seed", "4"}, "--limit 50 (the run had 60), --seed 4 (the run had 3)"},
	} {
		got, err := procCLI(t, ws, "", append([]string{"eval", "--resume", id}, tt.args...)...)
		if exitOf(err) != 2 || !strings.Contains(got, tt.want) {
			t.Fatalf("resume %v: exit %d, want 2 and %q\n%s", tt.args, exitOf(err), tt.want, got)
		}
	}
	// The dataset's content changed since the run started.
	orig, _ := os.ReadFile(data)
	if err := os.WriteFile(data, append(orig, `{"id": "new", "ticket": "late row", "expected": "billing"}`+"\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := procCLI(t, ws, "", "eval", "--resume", id)
	if exitOf(err) != 2 || !strings.Contains(got, "changed since run "+id+" started") {
		t.Fatalf("changed dataset: exit %d\n%s", exitOf(err), got)
	}
	if err := os.WriteFile(data, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	if srv.Requests() != calls {
		t.Fatalf("refused resumes made %d calls", srv.Requests()-calls)
	}

	if got, err := procCLI(t, ws, "", "eval", "--resume", id, "--limit", "60", "--seed", "3"); err != nil {
		t.Fatalf("resume with the run's own options: %v\n%s", err, got)
	}
	run, after := onlyRun(t, ws)
	if run.Status != workspace.RunDone {
		t.Fatalf("status %s", run.Status)
	}
	checkComplete(t, after, 60, 1)
}
