package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// procIn runs promptbench as a child process in the folder dir.
func procIn(t *testing.T, dir, ws string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"--workspace", ws}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PROMPTBENCH_TEST_AS_CLI=1", "PROMPTBENCH_AUTHOR=proc", "NO_COLOR=1", "PROMPTBENCH_NO_BACKGROUND=1")
	out, err := cmd.CombinedOutput()
	return string(out), exitOf(err)
}

// demoWorkspace is `init --demo` in a temporary folder.
func demoWorkspace(t *testing.T) string {
	t.Helper()
	ws := filepath.Join(t.TempDir(), ".promptbench")
	if out, err := procCLI(t, ws, "", "init", "--demo"); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	return ws
}

// TestEvalSuiteFile runs the demo's suite file from another folder: its
// dataset resolves against the suite's folder, its thresholds gate the
// exit code, and flags override it.
func TestEvalSuiteFile(t *testing.T) {
	ws := demoWorkspace(t)
	suite := filepath.Join(ws, "evals", "support.yaml")
	elsewhere := t.TempDir()
	out, code := procIn(t, elsewhere, ws, "--eval", suite)
	if code != 0 {
		t.Fatalf("suite: exit %d\n%s", code, out)
	}
	mustContain(t, out, "tickets.jsonl · 15 rows · 2 variants", "support/ticket-classifier@1 · echo/echo", "support/ticket-classifier@2 · echo/echo",
		"regex:(?i)refund|invo", "Comparison, baseline → candidate", "is better.", "fail-under: every threshold met (4 checked)")

	// A flag replaces the suite's value: one threshold, missed.
	out, code = procIn(t, elsewhere, ws, "--eval", suite, "--fail-under", "regex:(?i)refund|invoice|charge=0.5")
	if code != 1 {
		t.Fatalf("--fail-under over the suite's: exit %d\n%s", code, out)
	}
	mustContain(t, out, "fail-under: 1 of 2 thresholds missed", "support/ticket-classifier@1 on regex:(?i)refund|invoice|charge:\n    pass rate 33.3% < 50.0%",
		"1 threshold(s) below --fail-under")
	out, code = procIn(t, elsewhere, ws, "eval", suite, "--prompt", "support/ticket-classifier@2", "--limit", "4")
	if code != 0 || !strings.Contains(out, "4 rows · 1 variant") || strings.Contains(out, "classifier@1") {
		t.Fatalf("--prompt and --limit over the suite's: exit %d\n%s", code, out)
	}

	// pass^k with --repeat: every repeat of a case must pass.
	out, code = procIn(t, elsewhere, ws, "--eval", suite, "--repeat", "3", "--fail-under", "pass^k=0.5")
	if code != 1 {
		t.Fatalf("pass^k: exit %d\n%s", code, out)
	}
	mustContain(t, out, "support/ticket-classifier@1 on regex:(?i)refund|invoice|charge:\n    pass^3 33.3% < 50.0%")
	if out, code = procIn(t, elsewhere, ws, "--eval", suite, "--repeat", "2", "--fail-under", "pass^k:icontains:billing=1"); code != 0 {
		t.Fatalf("pass^k met: exit %d\n%s", code, out)
	}

	// The run records the suite's values as flags.
	var runs []struct {
		Options map[string]string `json:"options"`
	}
	js, _ := procIn(t, elsewhere, ws, "runs", "--json")
	if err := json.Unmarshal([]byte(js), &runs); err != nil || len(runs) != 5 {
		t.Fatalf("runs: %v\n%s", err, js)
	}
	if got := runs[4].Options["fail_under"]; got != "icontains:billing=0.9\nregex:(?i)refund|invoice|charge=0.3" {
		t.Fatalf("recorded fail_under %q", got)
	}
	if got := runs[4].Options["suite"]; got != suite {
		t.Fatalf("recorded suite %q, want %q", got, suite)
	}
}

// TestEvalSuiteRefuses: a suite's mistakes are bad input (exit 2) naming
// the file, the line and the field; nothing is recorded.
func TestEvalSuiteRefuses(t *testing.T) {
	ws := demoWorkspace(t)
	dir := t.TempDir()
	suite := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	data := filepath.Join(ws, "datasets", "tickets.jsonl")
	for _, tt := range []struct {
		name, text string
		want       []string
	}{
		{"unknown field", "dataset: " + data + "\nprompts: [support/ticket-classifier@1]\nmodel: [echo/echo]\n", []string{"unknown.yaml:3:1: unknown field \"model\"", "models"}},
		{"threshold range", "dataset: " + data + "\nfail_under:\n  exact: 90\n", []string{"threshold range.yaml:3", "0 to 1"}},
		{"no dataset", "prompts: [support/ticket-classifier@1]\n", []string{"names no dataset"}},
		{"no prompts", "dataset: " + data + "\n", []string{"names no prompts", "prompts:"}},
		{"missing dataset", "dataset: nowhere.jsonl\nprompts: [support/ticket-classifier@1]\nmodels: [echo/echo]\n", []string{"nowhere.jsonl"}},
		{"threshold on no scorer", "dataset: " + data + "\nprompts: [support/ticket-classifier@1]\nmodels: [echo/echo]\nscorers: [icontains:billing]\nfail_under:\n  icontains:biling: 0.5\n",
			[]string{"fail_under icontains:biling=0.5 names a scorer no variant has", "icontains:billing"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			name := strings.Fields(tt.name)[0] + ".yaml"
			if tt.name == "threshold range" {
				name = tt.name + ".yaml"
			}
			out, code := procIn(t, dir, ws, "--eval", suite(name, tt.text))
			if code != 2 {
				t.Fatalf("exit %d, want 2\n%s", code, out)
			}
			mustContain(t, out, tt.want...)
		})
	}
	if out, _ := procIn(t, dir, ws, "runs", "--json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("refused suites recorded runs: %s", out)
	}
	// A cmd: scorer with a relative path runs from the suite's folder.
	if err := os.WriteFile(filepath.Join(dir, "grade.sh"), []byte("#!/bin/sh\ncat >/dev/null\necho '{\"score\": 1, \"pass\": true}'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := suite("graded.yaml", "dataset: "+data+"\nprompts: [support/ticket-classifier@1]\nmodels: [echo/echo]\nscorers: [cmd:./grade.sh]\nlimit: 2\nfail_under: 1\n")
	if out, code := procIn(t, t.TempDir(), ws, "--eval", s); code != 0 || !strings.Contains(out, "cmd:./grade.sh") {
		t.Fatalf("relative cmd scorer: exit %d\n%s", code, out)
	}
}
