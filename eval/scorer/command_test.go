package scorer

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// script writes an executable shell script into dir.
func script(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
}

func cmdInputFor() Input {
	return Input{
		Case:    Case{ID: "t01", Vars: map[string]any{"customer": map[string]any{"name": "Ana"}}, Expected: "billing"},
		Variant: Variant{Prompt: "support/ticket-classifier", Version: 2, Hash: "abc123", Model: "echo/echo"},
		Output:  "billing", Latency: 1500 * time.Millisecond, TokensIn: 30, TokensOut: 2, CostUSD: 0.0002,
	}
}

func TestCmdScorerReadsTheCaseAndScores(t *testing.T) {
	dir := t.TempDir()
	// The program keeps what it read and answers with a score and reason.
	script(t, dir, "grade.sh", `cat > seen.json
echo "$1" > args.txt
echo '{"score": 0.8, "pass": true, "reason": "close enough"}'
`)
	s := mustNew(t, "cmd:./grade.sh --strict", Options{Dir: dir})
	r := score(t, s, cmdInputFor())
	if r.Value != 0.8 || r.Pass == nil || !*r.Pass || r.Reason != "close enough" {
		t.Errorf("result %+v", r)
	}
	seen, _ := os.ReadFile(filepath.Join(dir, "seen.json"))
	want := `{"case":{"id":"t01","vars":{"customer":{"name":"Ana"}},"expected":"billing"},` +
		`"variant":{"prompt":"support/ticket-classifier","version":2,"hash":"abc123","model":"echo/echo"},` +
		`"output":"billing","latency_ms":1500,"tokens_in":30,"tokens_out":2,"cost_usd":0.0002}`
	if string(seen) != want {
		t.Errorf("stdin was\n%s\nwant\n%s", seen, want)
	}
	if args, _ := os.ReadFile(filepath.Join(dir, "args.txt")); string(args) != "--strict\n" {
		t.Errorf("arguments: %q", args)
	}
}

func TestCmdScorerWithoutPass(t *testing.T) {
	dir := t.TempDir()
	script(t, dir, "n.sh", `cat >/dev/null; printf '\n {"score": 3} \n'`)
	r := score(t, mustNew(t, "cmd:./n.sh", Options{Dir: dir}), cmdInputFor())
	if r.Value != 3 || r.Pass != nil {
		t.Errorf("a score without pass is a number only: %+v", r)
	}
}

func TestCmdScorerErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, body string
		says       []string
	}{
		{"non-zero exit", "cat >/dev/null; echo 'loading' >&2; echo 'model file missing' >&2; exit 3", []string{"exited with status 3", ": model file missing"}},
		{"not JSON", "cat >/dev/null; echo 'score: 1'", []string{"not one JSON object"}},
		{"two objects", `cat >/dev/null; echo '{"score": 1}{"score": 2}'`, []string{"not one JSON object"}},
		{"no score", `cat >/dev/null; echo '{"pass": true}'`, []string{`no finite "score"`}},
		{"null score", `cat >/dev/null; echo '{"score": null}'`, []string{`no finite "score"`}},
		{"string score", `cat >/dev/null; echo '{"score": "1"}'`, []string{"not one JSON object"}},
		{"silent", "cat >/dev/null", []string{"not one JSON object"}},
		{"time out", "echo 'thinking' >&2; exec sleep 30", []string{"no answer within 300ms", ": thinking"}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			name := "s" + string(rune('a'+i)) + ".sh"
			script(t, dir, name, c.body)
			s := mustNew(t, "cmd:./"+name, Options{Dir: dir, CmdTimeout: 300 * time.Millisecond})
			r, err := s.Score(context.Background(), cmdInputFor())
			var se *Error
			if !errors.As(err, &se) || !IsScorerError(err) {
				t.Fatalf("got %+v, %v; want a scorer error, never a score", r, err)
			}
			for _, p := range c.says {
				if !strings.Contains(err.Error(), p) {
					t.Errorf("error %q does not say %q", err, p)
				}
			}
		})
	}
	t.Run("missing program", func(t *testing.T) {
		_, err := mustNew(t, "cmd:./nope.sh", Options{Dir: dir}).Score(context.Background(), cmdInputFor())
		if !IsScorerError(err) {
			t.Errorf("a missing program: %v", err)
		}
	})
}

func TestCmdScorerInterrupted(t *testing.T) {
	dir := t.TempDir()
	script(t, dir, "slow.sh", "exec sleep 30")
	s := mustNew(t, "cmd:./slow.sh", Options{Dir: dir})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(100 * time.Millisecond); cancel() }()
	_, err := s.Score(ctx, cmdInputFor())
	if !errors.Is(err, context.Canceled) || IsScorerError(err) {
		t.Errorf("an interrupted run is not a scorer error: %v", err)
	}
}

func TestCmdInputJSONFields(t *testing.T) {
	b, _ := json.Marshal(cmdInput{})
	for _, k := range []string{`"case"`, `"variant"`, `"output"`, `"latency_ms"`, `"tokens_in"`, `"tokens_out"`, `"cost_usd"`, `"id"`, `"vars"`, `"expected"`, `"prompt"`, `"version"`, `"hash"`, `"model"`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("stdin object lacks %s: %s", k, b)
		}
	}
}
