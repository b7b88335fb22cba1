package suite

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"promptbench/eval/report"
	"promptbench/workspace"
)

func write(t *testing.T, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := write(t, dir, "evals/support.yaml", `# the support suite
description: ticket routing
dataset: ../data/tickets.jsonl
prompts: [support/ticket-classifier@production, support/ticket-classifier]
models: [echo/echo]
scorers:
  - icontains:billing
  - "regex:(?i)refund"
fail_under:
  all: 0.5
  icontains:billing: 0.9
  pass^k:icontains:billing: 0.7
concurrency: 4
judge: openai/gpt-4o-mini
repeat: 3
sample: 10
seed: 7
skip_invalid: true
cmd_timeout: 5s
`)
	s, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Dataset != filepath.Join(dir, "data", "tickets.jsonl") || s.Dir != filepath.Join(dir, "evals") {
		t.Fatalf("paths resolve against the suite's folder: %q in %q", s.Dataset, s.Dir)
	}
	if len(s.Prompts) != 2 || s.Models[0] != "echo/echo" || s.Scorers[1] != "regex:(?i)refund" || s.Concurrency != 4 ||
		s.Repeat != 3 || s.Sample != 10 || s.Seed != 7 || !s.SkipInvalid || s.CmdTimeout != 5*time.Second || s.Judge != "openai/gpt-4o-mini" {
		t.Fatalf("suite: %+v", s)
	}
	want := []report.Gate{{Min: 0.5}, {Scorer: "icontains:billing", Min: 0.9}, {Scorer: "icontains:billing", PassAllK: true, Min: 0.7}}
	if len(s.FailUnder) != len(want) {
		t.Fatalf("fail_under %+v", s.FailUnder)
	}
	for i := range want {
		if s.FailUnder[i] != want[i] {
			t.Fatalf("fail_under %+v, want %+v", s.FailUnder, want)
		}
	}
	if !s.Has("repeat") || s.Has("limit") || s.Has("no_cache") {
		t.Fatal("Has tells the fields the file sets")
	}
	one, err := Load(write(t, dir, "one.yml", "dataset: /abs/x.csv\nfail_under: 0.8\n"))
	if err != nil || one.Dataset != "/abs/x.csv" || len(one.FailUnder) != 1 || one.FailUnder[0] != (report.Gate{Min: 0.8}) {
		t.Fatalf("%+v %v", one, err)
	}
}

// TestLoadRefuses: every mistake names the file, the line and the field.
func TestLoadRefuses(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ name, text, want string }{
		{"unknown field", "dataset: x.jsonl\nprompts: [a]\nscorer: [exact]\n", "bad.yaml:3:1: unknown field \"scorer\"; a suite has description, dataset"},
		{"nested unknown", "dataset: x.jsonl\nfail_under:\n  all: 2\n", "bad.yaml:3: fail_under \"all: 2\": give a pass rate from 0 to 1"},
		{"threshold text", "fail_under:\n  exact: high\n", "bad.yaml:2: fail_under exact must be a number"},
		{"concurrency", "dataset: x.jsonl\n\nconcurrency: 0\n", "bad.yaml:3: concurrency is 0; it must be at least 1"},
		{"type", "prompts: support/x\n", "bad.yaml:1"},
		{"duration", "cmd_timeout: soon\n", "bad.yaml:1: cmd_timeout \"soon\" is not a duration"},
		{"empty item", "scorers: [exact, \"\"]\n", "bad.yaml:1: scorers item 2 is empty"},
		{"not a mapping", "- a\n- b\n", "bad.yaml:1:1"},
		{"empty", "# nothing\n", "a suite is a mapping"},
		{"pass^k no scorer", "fail_under:\n  \"pass^k:\": 0.5\n", "bad.yaml:2: fail_under"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(write(t, dir, "bad.yaml", tt.text))
			if err == nil || !errors.Is(err, workspace.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := Load(filepath.Join(dir, "none.yaml")); err == nil || !strings.Contains(err.Error(), "none.yaml") {
		t.Fatalf("missing file: %v", err)
	}
}

func TestIsSuite(t *testing.T) {
	dir := t.TempDir()
	for name, want := range map[string]bool{
		"a.yaml": true, "a.YML": true, "rows.jsonl": false, "rows.csv": false,
	} {
		if got := IsSuite(write(t, dir, name, "x")); got != want {
			t.Errorf("IsSuite(%s) = %v", name, got)
		}
	}
	if !IsSuite(write(t, dir, "suite.json", "\n  {\"dataset\": \"rows.jsonl\"}")) {
		t.Error("a .json object is a suite")
	}
	if IsSuite(write(t, dir, "rows.json", "[{\"a\": 1}]")) {
		t.Error("a .json array is a dataset")
	}
}
