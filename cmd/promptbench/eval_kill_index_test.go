package main

import (
	"context"
	"testing"
	"time"

	"promptbench/eval/evalrun"
	"promptbench/workspace"
)

// TestEvalKillsKeepTheRunIndex kills an evaluation with SIGKILL again and
// again while it writes, resuming it each time: after every kill each
// entry of the run in its version's log is listed in the run's index (a
// report or a resume sees every recorded call), and the run ends with
// every case recorded once.
func TestEvalKillsKeepTheRunIndex(t *testing.T) {
	const rows, kills = 400, 6
	ws, data, srv := resumeFixture(t, rows, 2*time.Millisecond)
	args := []string{"eval", data, "--prompt", "support/ticket-classifier@1", "--model", "fake/m",
		"--scorer", "contains:billing", "--concurrency", "8", "--no-cache"}
	var run workspace.Run
	for k := range kills {
		cmd, _ := startCLI(t, ws, args...)
		waitRequests(t, srv, srv.Requests()+30+k*7)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		run, _ = onlyRun(t, ws)
		checkIndexed(t, ws, run)
		args = []string{"eval", "--resume", string(run.ID)}
	}
	if out, err := procCLI(t, ws, "", args...); err != nil {
		t.Fatalf("last resume: %v\n%s", err, out)
	}
	run, entries := onlyRun(t, ws)
	if run.Status != workspace.RunDone {
		t.Fatalf("run %s", run.Status)
	}
	checkIndexed(t, ws, run)
	checkComplete(t, entries, rows, 1)
}

// checkIndexed compares the run's entries found by scanning its version's
// log with those its index lists.
func checkIndexed(t *testing.T, dir string, run workspace.Run) {
	t.Helper()
	ctx := context.Background()
	ws, err := workspace.Open(dir, workspace.Options{Getenv: func(string) string { return "" }, LockWait: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	indexed := map[string]bool{}
	entries, err := evalrun.RunEntries(ctx, ws, run)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		indexed[e.ID] = true
	}
	scanned := 0
	v := run.Variants[0]
	q := workspace.LogQuery{Prompt: v.Prompt, Version: v.Version, Run: run.ID, Limit: 1000}
	for {
		page, err := ws.QueryLogs(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Entries {
			scanned++
			if !indexed[e.ID] {
				t.Fatalf("entry %s of case %s is in the log but not in the run's index", e.ID, e.Case)
			}
		}
		if page.Next == "" {
			break
		}
		q.Before = page.Next
	}
	if scanned != len(indexed) {
		t.Fatalf("the log holds %d entries of the run, its index %d", scanned, len(indexed))
	}
}
