package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"promptbench/eval/fakeopenai"
	"promptbench/eval/report"
)

// demoCLI is a workspace with the demo library and its datasets.
func demoCLI(t *testing.T) (*cli, string) {
	t.Helper()
	c := newCLI(t)
	c.ok("", "init", "--demo")
	return c, filepath.Join(c.dir, "datasets")
}

// TestEvalTwoVersionsOffline is the user's first evaluation: two versions
// of a demo prompt over its dataset, the offline echo model, two scorers;
// the table compares them, the run is listed, and `report` prints it again.
func TestEvalTwoVersionsOffline(t *testing.T) {
	c, data := demoCLI(t)
	args := []string{"--eval", filepath.Join(data, "tickets.jsonl"), "--prompt", "support/ticket-classifier@1",
		"--prompt", "support/ticket-classifier@2", "--model", "echo/echo", "--scorer", "contains:refund", "--scorer", "icontains:ticket"}
	r := c.run("", args...)
	if r.code != 0 {
		t.Fatalf("eval: exit %d\n%s\n%s", r.code, r.out, r.err)
	}
	mustContain(t, r.out, "support/ticket-classifier@1", "support/ticket-classifier@2", "contains:refund",
		"26.7%", "[10.9, 52.0]", "Comparison, baseline → candidate", "exact McNemar", "is better.")
	for _, line := range strings.Split(r.out, "\n") {
		if n := len([]rune(line)); n > report.Width {
			t.Errorf("line of %d columns: %q", n, line)
		}
	}
	if strings.Contains(r.err, "Comparison") || strings.Contains(r.out, "calls ·") && strings.Contains(r.out, "/s ·") {
		t.Fatalf("progress and report mixed:\nout %s\nerr %s", r.out, r.err)
	}

	var runs []struct {
		ID     string `json:"id"`
		Status string `json:"status"`
		Counts struct{ Calls, Errors int }
	}
	if err := json.Unmarshal([]byte(c.ok("", "runs", "--json")), &runs); err != nil || len(runs) != 1 {
		t.Fatalf("runs --json: %v %v", runs, err)
	}
	if runs[0].Status != "done" || runs[0].Counts.Calls != 30 {
		t.Fatalf("run record: %+v", runs[0])
	}
	mustContain(t, c.ok("", "runs"), runs[0].ID, "done", "tickets.jsonl")
	if again := c.ok("", "report", runs[0].ID); again != r.out {
		t.Fatalf("report differs from the run's own:\n%s\n---\n%s", again, r.out)
	}

	// The JSON report carries the comparison fields the issue names.
	js := c.ok("", append(args, "--format", "json")...)
	var rep map[string]any
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatal(err)
	}
	comps := rep["comparisons"].([]any)
	if len(comps) != 2 {
		t.Fatalf("comparisons: %v", comps)
	}
	comp := comps[0].(map[string]any)
	for _, k := range []string{"scorer", "a", "b", "score_type", "n", "mean_a", "mean_b", "diff", "mcnemar", "sign_test", "permutation", "verdict"} {
		if _, ok := comp[k]; !ok {
			t.Errorf("comparison lacks %q: %v", k, comp)
		}
	}
	for _, k := range []string{"b_only", "a_only", "p_exact", "chi2_cc", "p_chi2_cc"} {
		if _, ok := comp["mcnemar"].(map[string]any)[k]; !ok {
			t.Errorf("mcnemar lacks %q", k)
		}
	}
	id := rep["run"].(string)
	out := filepath.Join(t.TempDir(), "again.json")
	c.ok("", "report", id, "--format", "json", "--output", out)
	if b, _ := os.ReadFile(out); string(b) != js {
		t.Fatalf("report --format json differs from the run's own")
	}
	for _, f := range []struct{ format, want string }{
		{"markdown", "| support/ticket-classifier@2 | echo/echo | `contains:refund` | 100.0% |"},
		{"junit", `<testsuite name="support/ticket-classifier@1 · echo/echo" tests="15" failures="11" errors="0">`},
		{"csv", "support/ticket-classifier@1,t01,0,,"},
		{"jsonl", `"variant":"support/ticket-classifier@1","prompt":"support/ticket-classifier","version":1,"model":"echo/echo","case":"t01"`},
		{"github", "### promptbench evaluation"},
		{"html", `<h2>Outputs side by side</h2>`},
	} {
		first := c.ok("", append(args, "--format", f.format)...)
		mustContain(t, first, f.want)
		var list []map[string]any
		_ = json.Unmarshal([]byte(c.ok("", "runs", "--json")), &list)
		if got := c.ok("", "report", list[0]["id"].(string), "--format", f.format); got != first {
			t.Fatalf("report --format %s differs from the run's own:\n%s\n---\n%s", f.format, got, first)
		}
	}
}

// TestEvalOtherDemoDatasets runs the other demo datasets against their
// prompts with each version's default scorers.
func TestEvalOtherDemoDatasets(t *testing.T) {
	c, data := demoCLI(t)
	for _, tt := range []struct{ file, prompt string }{
		{"jokes.csv", "fun/joke"},
		{"articles.jsonl", "summarize/article"},
	} {
		r := c.run("", "eval", filepath.Join(data, tt.file), "--prompt", tt.prompt+"@1", "--prompt", tt.prompt+"@2", "--model", "echo/echo")
		if r.code != 0 {
			t.Fatalf("%s: exit %d\n%s\n%s", tt.file, r.code, r.out, r.err)
		}
		mustContain(t, r.out, tt.prompt+"@1", tt.prompt+"@2")
	}
}

func TestEvalRefusesBadInput(t *testing.T) {
	c, data := demoCLI(t)
	tickets := filepath.Join(data, "tickets.jsonl")
	missing := writeFile(t, "rows.jsonl", `{"id": "ok", "ticket": "hi", "expected": "bug"}`+"\n"+`{"id": "r2", "text": "no ticket"}`+"\n")
	notJSON := writeFile(t, "bad.jsonl", `{"ticket": "hi"}`+"\n{oops\n")
	for _, tt := range []struct {
		name string
		args []string
		want []string
	}{
		{"missing variable", []string{"--eval", missing, "--prompt", "support/ticket-classifier@1", "--model", "echo/echo"}, []string{"rows.jsonl", "line 2 (id r2)", "needs ticket", "--skip-invalid"}},
		{"not JSON", []string{"--eval", notJSON, "--prompt", "support/ticket-classifier@1", "--model", "echo/echo"}, []string{"bad.jsonl:2"}},
		{"unknown scorer", []string{"--eval", tickets, "--prompt", "support/ticket-classifier@1", "--model", "echo/echo", "--scorer", "nope:1"}, []string{"nope"}},
		{"bad regex", []string{"--eval", tickets, "--prompt", "support/ticket-classifier@1", "--model", "echo/echo", "--scorer", "regex:(["}, []string{"regex"}},
		{"unknown prompt", []string{"--eval", tickets, "--prompt", "no/such", "--model", "echo/echo"}, []string{"no/such"}},
		{"no prompt", []string{"--eval", tickets}, []string{"--prompt"}},
		{"bad model", []string{"--eval", tickets, "--prompt", "support/ticket-classifier@1", "--model", "nobody/x"}, []string{"nobody"}},
		{"fail-under range", []string{"--eval", tickets, "--prompt", "support/ticket-classifier@1", "--fail-under", "90"}, []string{"0 to 1"}},
		{"unknown run", []string{"eval", "--resume", "20200101-000000-abcd"}, []string{"20200101-000000-abcd"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run("", tt.args...)
			if r.code != 2 {
				t.Fatalf("exit %d, want 2\n%s\n%s", r.code, r.out, r.err)
			}
			mustContain(t, r.err, tt.want...)
		})
	}
	if got := strings.TrimSpace(c.ok("", "runs", "--json")); got != "[]" {
		t.Fatalf("refused runs were recorded: %s", got)
	}
	r := c.run("", "--eval", missing, "--prompt", "support/ticket-classifier@1", "--model", "echo/echo", "--skip-invalid")
	if r.code != 0 {
		t.Fatalf("--skip-invalid: exit %d\n%s", r.code, r.err)
	}
	mustContain(t, r.out, "1 row(s) skipped (--skip-invalid)", "line 2 (id r2)", "1 row · 1 variant")
}

// TestEvalExitCodes execs the binary: a missed threshold is 1 and says
// which, a provider that fails every call is 3.
func TestEvalExitCodes(t *testing.T) {
	ws := filepath.Join(t.TempDir(), ".promptbench")
	if out, err := procCLI(t, ws, "", "init", "--demo"); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	tickets := filepath.Join(ws, "datasets", "tickets.jsonl")
	base := []string{"--eval", tickets, "--prompt", "support/ticket-classifier@1", "--model", "echo/echo", "--scorer", "contains:refund"}
	out, err := procCLI(t, ws, "", append(base, "--fail-under", "0.5")...)
	if code := exitOf(err); code != 1 {
		t.Fatalf("--fail-under 0.5: exit %d\n%s", code, out)
	}
	mustContain(t, out, "fail-under 0.50: missed by", "support/ticket-classifier@1 on contains:refund (26.7%)", "below --fail-under")
	if out, err := procCLI(t, ws, "", append(base, "--fail-under", "0.2")...); err != nil {
		t.Fatalf("--fail-under 0.2: %v\n%s", err, out)
	}

	srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Status: 401, ErrorMessage: "bad key"}
	})
	defer srv.Close()
	cfg := "providers:\n  - name: fake\n    kind: openai\n    base_url: " + srv.BaseURL() + "\n"
	if err := os.WriteFile(filepath.Join(ws, "config.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = procCLI(t, ws, "", "--eval", tickets, "--prompt", "support/ticket-classifier@1", "--model", "fake/m", "--limit", "3")
	if code := exitOf(err); code != 3 {
		t.Fatalf("failing provider: exit %d\n%s", code, out)
	}
	mustContain(t, out, "every call failed", "3 errors")
}

func exitOf(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// TestEvalDryRun estimates without calling or recording; after a run, the
// same evaluation expects every call from the cache.
func TestEvalDryRun(t *testing.T) {
	c, data := demoCLI(t)
	args := []string{"eval", filepath.Join(data, "tickets.jsonl"), "--prompt", "support/ticket-classifier@1", "--dry-run"}
	out := c.ok("", args...)
	mustContain(t, out, "15 rows · 1 variant; nothing called", "support/ticket-classifier@1 · openai/gpt-4o-mini", "CACHED")
	if got := strings.TrimSpace(c.ok("", "runs", "--json")); got != "[]" {
		t.Fatalf("a dry run recorded a run: %s", got)
	}
	c.ok("", "eval", filepath.Join(data, "tickets.jsonl"), "--prompt", "support/ticket-classifier@1", "--model", "echo/echo")
	out = c.ok("", "eval", filepath.Join(data, "tickets.jsonl"), "--prompt", "support/ticket-classifier@1", "--model", "echo/echo", "--dry-run")
	if !strings.Contains(out, "      15       15 ") {
		t.Fatalf("after a run every call should be cached:\n%s", out)
	}
}
