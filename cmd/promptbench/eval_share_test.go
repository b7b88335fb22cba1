package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"promptbench/eval/evalrun"
	"slices"
	"strings"
	"testing"
	"time"

	"promptbench/workspace"
)

// TestEvalLeavesStoreToOtherProcesses is a user committing and moving a
// label in another terminal while a long evaluation records its calls:
// each command succeeds with the default lock wait, and the evaluation
// still records every case exactly once.
func TestEvalLeavesStoreToOtherProcesses(t *testing.T) {
	const rows = 4000
	ws, data, srv := resumeFixture(t, rows, 10*time.Millisecond)
	start := time.Now()
	if got, err := procCLI(t, ws, "First {{x}}\n", "commit", "idle", "-m", "before the run"); err != nil {
		t.Fatalf("commit: %v\n%s", err, got)
	}
	alone := time.Since(start)
	cmd, out := startCLI(t, ws, "eval", data, "--prompt", "support/ticket-classifier@1", "--model", "fake/m",
		"--scorer", "contains:billing", "--concurrency", "8", "--no-cache")
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	finished := make(chan error, 1)
	go func() { finished <- cmd.Wait() }()
	waitRequests(t, srv, 100)

	var waits []time.Duration
	var err error
	for i := 0; ; i++ {
		select {
		case err = <-finished:
		default:
			start := time.Now()
			args := []string{"commit", "other", "-m", fmt.Sprintf("commit %d during the run", i)}
			if i%2 == 1 {
				args = []string{"label", fmt.Sprintf("other@%d", (i+1)/2), "staging"}
			}
			if got, err := procCLI(t, ws, fmt.Sprintf("Version %d of {{x}}\n", i), args...); err != nil {
				t.Fatalf("%v during the evaluation: %v\n%s", args, err, got)
			}
			waits = append(waits, time.Since(start))
			continue
		}
		break
	}
	if err != nil {
		t.Fatalf("eval: %v\n%s", err, out)
	}
	if len(waits) < 4 {
		t.Fatalf("only %d commands ran during the evaluation: the test tests little", len(waits))
	}
	run, entries := onlyRun(t, ws)
	if run.Status != workspace.RunDone {
		t.Fatalf("run %s", run.Status)
	}
	checkComplete(t, entries, rows, 1)
	slices.Sort(waits)
	t.Logf("%d commands during the run took %v (median) to %v (slowest), whole process; %v with no run", len(waits),
		waits[len(waits)/2].Round(time.Millisecond), waits[len(waits)-1].Round(time.Millisecond), alone.Round(time.Millisecond))
}

// TestEvalParallelShards starts two shards of one suite at the same time
// on one workspace, as two CI jobs sharing a runner would: both finish
// with the default lock wait, each records each of its cases once, and
// each shard's JSON record holds its cases with their outputs.
func TestEvalParallelShards(t *testing.T) {
	const rows = 3000
	ws, data, _ := resumeFixture(t, rows, 5*time.Millisecond)
	dir := t.TempDir()
	var cmds []*exec.Cmd
	var outs []*strings.Builder
	for i := 1; i <= 2; i++ {
		cmd, out := startCLI(t, ws, "eval", data, "--prompt", "support/ticket-classifier@1", "--model", "fake/m",
			"--scorer", "contains:billing", "--concurrency", "8", "--no-cache", "--shard", fmt.Sprintf("%d/2", i),
			"--format", "json", "--output", filepath.Join(dir, fmt.Sprintf("shard-%d.json", i)))
		t.Cleanup(func() { _ = cmd.Process.Kill() })
		cmds, outs = append(cmds, cmd), append(outs, out)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("shard %d/2: %v\n%s", i+1, err, outs[i])
		}
	}
	w, err := workspace.Open(ws, workspace.Options{Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	runs, err := w.Runs(context.Background())
	if err != nil || len(runs) != 2 {
		t.Fatalf("runs: %v %v", runs, err)
	}
	all := map[workspace.CaseID]string{}
	for _, run := range runs {
		if run.Status != workspace.RunDone {
			t.Fatalf("run %s (shard %s) is %s", run.ID, run.Options["shard"], run.Status)
		}
		entries, err := evalrun.RunEntries(context.Background(), w, run)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if other, ok := all[e.Case]; ok {
				t.Fatalf("case %s recorded twice: by shard %s and by shard %s", e.Case, other, run.Options["shard"])
			}
			all[e.Case] = run.Options["shard"]
		}
		checkComplete(t, entries, len(entries), 1)
	}
	if len(all) != rows {
		t.Fatalf("the shards recorded %d cases of %d", len(all), rows)
	}
	inRecords := 0
	for i := 1; i <= 2; i++ {
		var rec struct {
			Cases []struct{ Case, Output string }
		}
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("shard-%d.json", i)))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &rec); err != nil {
			t.Fatalf("shard-%d.json: %v", i, err)
		}
		for _, c := range rec.Cases {
			if c.Output != "billing" || all[workspace.CaseID(c.Case)] != fmt.Sprintf("%d/2", i) {
				t.Fatalf("shard-%d.json: case %s with output %q", i, c.Case, c.Output)
			}
		}
		inRecords += len(rec.Cases)
	}
	if inRecords != rows {
		t.Fatalf("the shard records hold %d cases of %d", inRecords, rows)
	}
}
