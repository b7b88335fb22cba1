package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"promptbench/eval/evalrun"
	"promptbench/eval/fakeopenai"
	"promptbench/workspace"
)

// resumeFixture is a demo workspace whose provider "fake" answers after a
// delay, and a dataset of n ticket rows.
func resumeFixture(t *testing.T, n int, delay time.Duration) (ws, data string, srv *fakeopenai.Server) {
	t.Helper()
	ws = filepath.Join(t.TempDir(), ".promptbench")
	if out, err := procCLI(t, ws, "", "init", "--demo"); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	srv = fakeopenai.NewUnrecorded(func(int, *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Delay: delay, Content: "billing"}
	})
	t.Cleanup(srv.Close)
	cfg := "providers:\n  - name: fake\n    kind: openai\n    base_url: " + srv.BaseURL() + "\n"
	if err := os.WriteFile(filepath.Join(ws, "config.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"id": "c%03d", "ticket": "ticket number %d", "expected": "billing"}`+"\n", i, i)
	}
	data = writeFile(t, "many.jsonl", b.String())
	return ws, data, srv
}

// startCLI starts promptbench as a child process.
func startCLI(t *testing.T, ws string, args ...string) (*exec.Cmd, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"--workspace", ws}, args...)...)
	cmd.Env = append(os.Environ(), "PROMPTBENCH_TEST_AS_CLI=1", "PROMPTBENCH_AUTHOR=proc", "NO_COLOR=1", "PROMPTBENCH_NO_BACKGROUND=1")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &out
}

// waitRequests waits until the server has answered at least n requests.
func waitRequests(t *testing.T, srv *fakeopenai.Server, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for srv.Requests() < n {
		if time.Now().After(deadline) {
			t.Fatalf("the server saw %d requests, waited for %d", srv.Requests(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// onlyRun opens the workspace and returns its one run and its entries.
func onlyRun(t *testing.T, dir string) (workspace.Run, []workspace.LogEntry) {
	t.Helper()
	ws, err := workspace.Open(dir, workspace.Options{Getenv: func(string) string { return "" }, LockWait: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	runs, err := ws.Runs(context.Background())
	if err != nil || len(runs) != 1 {
		t.Fatalf("runs: %v %v", runs, err)
	}
	entries, err := evalrun.RunEntries(context.Background(), ws, runs[0])
	if err != nil {
		t.Fatal(err)
	}
	return runs[0], entries
}

// checkComplete: every case × variant has exactly one finished entry, scored.
func checkComplete(t *testing.T, entries []workspace.LogEntry, cases, variants int) {
	t.Helper()
	seen := map[string]int{}
	for _, e := range entries {
		if e.Cancelled {
			continue
		}
		k := fmt.Sprintf("%s@%d/%s/%d", e.Prompt, e.Version, e.Case, e.Repeat)
		seen[k]++
		if len(e.Scores) == 0 {
			t.Errorf("entry %s of case %s has no score", e.ID, e.Case)
		}
	}
	if len(seen) != cases*variants {
		t.Errorf("%d case × variant pairs have a finished entry, want %d", len(seen), cases*variants)
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("%s has %d finished entries, want 1", k, n)
		}
	}
}

// TestEvalKillAndResume kills the evaluation with SIGKILL mid-run, then
// resumes it: the resume runs only what is missing and every case ends
// with exactly one finished, scored entry per variant.
func TestEvalKillAndResume(t *testing.T) {
	const rows = 150
	ws, data, srv := resumeFixture(t, rows, 10*time.Millisecond)
	args := []string{"eval", data, "--prompt", "support/ticket-classifier@1", "--prompt", "support/ticket-classifier@2",
		"--model", "fake/m", "--scorer", "contains:billing", "--concurrency", "4", "--no-cache"}
	cmd, out := startCLI(t, ws, args...)
	waitRequests(t, srv, 2*rows/2)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	run, before := onlyRun(t, ws)
	if run.Status != workspace.RunRunning {
		t.Fatalf("killed run is %s\n%s", run.Status, out)
	}
	kept := 0
	for _, e := range before {
		if !e.Cancelled {
			kept++
		}
	}
	if kept == 0 || kept >= 2*rows {
		t.Fatalf("%d entries survived the kill; the test wants some, not all", kept)
	}
	calls := srv.Requests()
	res, err := procCLI(t, ws, "", "eval", "--resume", string(run.ID))
	if err != nil {
		t.Fatalf("resume: %v\n%s", err, res)
	}
	if made := srv.Requests() - calls; made != 2*rows-kept {
		t.Errorf("resume made %d calls; %d were missing", made, 2*rows-kept)
	}
	run, after := onlyRun(t, ws)
	if run.Status != workspace.RunDone || run.Counts.Calls != 2*rows {
		t.Fatalf("resumed run: %s, %d calls", run.Status, run.Counts.Calls)
	}
	checkComplete(t, after, rows, 2)

	again, err := procCLI(t, ws, "", "eval", "--resume", string(run.ID))
	if exitOf(err) != 2 || !strings.Contains(again, "is done") {
		t.Fatalf("resume of a done run: exit %d\n%s", exitOf(err), again)
	}
}

// TestEvalInterruptAndResume stops a run with SIGTERM: the calls in flight
// are cancelled, finished ones kept, the run is interrupted and the
// message says how to resume; a resume with other variants is refused.
func TestEvalInterruptAndResume(t *testing.T) {
	const rows = 100
	ws, data, srv := resumeFixture(t, rows, 20*time.Millisecond)
	args := []string{"eval", data, "--prompt", "support/ticket-classifier@1", "--model", "fake/m", "--scorer", "contains:billing", "--concurrency", "4"}
	cmd, out := startCLI(t, ws, args...)
	waitRequests(t, srv, rows/3)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if code := exitOf(err); code != 3 {
		t.Fatalf("interrupted run: exit %d\n%s", code, out)
	}
	run, _ := onlyRun(t, ws)
	mustContain(t, out.String(), "interrupted", "promptbench eval --resume "+string(run.ID))
	if run.Status != workspace.RunInterrupted {
		t.Fatalf("status %s", run.Status)
	}
	other, err := procCLI(t, ws, "", "eval", "--resume", string(run.ID), "--prompt", "support/ticket-classifier@2", "--model", "fake/m")
	if exitOf(err) != 2 {
		t.Fatalf("resume with other variants: exit %d\n%s", exitOf(err), other)
	}
	if res, err := procCLI(t, ws, "", "eval", "--resume", string(run.ID)); err != nil {
		t.Fatalf("resume: %v\n%s", err, res)
	}
	run, after := onlyRun(t, ws)
	if run.Status != workspace.RunDone {
		t.Fatalf("status %s", run.Status)
	}
	checkComplete(t, after, rows, 1)
}
