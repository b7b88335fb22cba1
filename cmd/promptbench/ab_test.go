package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"promptbench/workspace/ab"
	"promptbench/workspace/served"
)

// TestABFlow is the flow on the demo library: an experiment between
// two versions of support/reply, stable renders per user, 2,000 outcomes
// imported, the report's verdict, a stop promoting the winner, and an
// application reading the export file.
func TestABFlow(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init", "--demo")
	mustContain(t, c.ok("", "ab", "create", "reply-tone", "--prompt", "support/reply", "--variant", "production:90", "--variant", "3:10", "--key-hint", "user_id"),
		"created experiment reply-tone on support/reply: production (support/reply@2) 90%, 3 (support/reply@3) 10%")
	for _, bad := range [][]string{
		{"ab", "create", "x", "--prompt", "support/reply", "--variant", "production:90", "--variant", "3:20"},
		{"ab", "create", "x", "--prompt", "support/reply", "--variant", "production:90", "--variant", "9:10"},
		{"ab", "create", "x", "--prompt", "nope", "--variant", "production:90", "--variant", "3:10"},
		{"ab", "set-weights", "reply-tone", "--variant", "production:50"},
		{"ab", "set-weights", "nope", "--variant", "production:50", "--variant", "3:50"},
		{"ab", "stop", "reply-tone", "--promote"},
	} {
		if r := c.run("", bad...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", bad, r.code, r.err)
		}
	}
	if out := c.ok("", "ab", "list"); strings.Contains(out, "\nx ") {
		t.Fatalf("a refused create was stored:\n%s", out)
	}
	vars := []string{"--var", "company=Acme", "--var", "customer.name=Ann", "--var", "ticket=Where is my refund?"}
	for _, user := range []string{"user-1", "user-2", "alice@example.com", "user-1"} {
		var doc renderJSON
		out := c.ok("", append([]string{"render", "support/reply", "--experiment", "reply-tone", "--ab-key", user, "--json"}, vars...)...)
		if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Experiment == nil {
			t.Fatalf("render --json: %v\n%s", err, out)
		}
		want := "production"
		if ab.Bucket("reply-tone", user) >= 9000 {
			want = "3"
		}
		if doc.Experiment.Variant != want || doc.Experiment.Bucket != ab.Bucket("reply-tone", user) {
			t.Errorf("%s: variant %s bucket %d, want %s", user, doc.Experiment.Variant, doc.Experiment.Bucket, want)
		}
	}
	// 2,000 outcomes: variant 3 resolves more tickets.
	var b strings.Builder
	for i := range 2000 {
		key := fmt.Sprint("user-", i)
		rate := 0.6
		if ab.Bucket("reply-tone", key) >= 9000 {
			rate = 0.8
		}
		resolved := float64(i%100) < 100*rate
		fmt.Fprintf(&b, `{"key": %q, "metrics": {"resolved": %v}, "time": "2026-11-30T08:00:00Z"}`+"\n", key, resolved)
	}
	file := writeFile(t, "outcomes.jsonl", b.String())
	mustContain(t, c.ok("", "ab", "import", "reply-tone", file), "imported 2000 outcomes")
	badFile := writeFile(t, "bad.jsonl", `{"key": "user-1", "metrics": {"resolved": 1}}`+"\n"+`{"key": "user-2", "variant": "nope", "metrics": {"resolved": 1}}`+"\n")
	if r := c.run("", "ab", "import", "reply-tone", badFile); r.code != 2 || !strings.Contains(r.err, "bad.jsonl:2:") {
		t.Errorf("a bad line: exit %d: %s", r.code, r.err)
	}
	report := c.ok("", "ab", "report", "reply-tone")
	mustContain(t, report, "resolved (rate)", "3 vs production", "verdict: 3 is better on resolved", "two-proportion z")
	var rep struct {
		Metrics []struct {
			Comparisons []struct {
				Verdict struct{ Better string } `json:"verdict"`
			} `json:"comparisons"`
		} `json:"metrics"`
	}
	if err := json.Unmarshal([]byte(c.ok("", "ab", "report", "reply-tone", "--format", "json")), &rep); err != nil || rep.Metrics[0].Comparisons[0].Verdict.Better != "b" {
		t.Fatalf("report --format json: %v %+v", err, rep)
	}
	mustContain(t, c.ok("", "ab", "report", "reply-tone", "--format", "markdown"), "### Experiment `reply-tone`")
	mustContain(t, c.ok("", "ab", "stop", "reply-tone", "--winner", "3", "--promote"), "winner 3 (support/reply@3)", "support/reply@production moved from version 2 to 3")
	mustContain(t, c.ok("", "show", "support/reply@production"), "support/reply@3")

	// The application reads the export file and agrees.
	path := filepath.Join(t.TempDir(), "prompts.yaml")
	c.ok("", "export", "--out", path)
	lib, err := served.Open(path, served.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := lib.Render("support/reply", map[string]any{"company": "Acme", "customer": map[string]any{"name": "Ann"}, "ticket": "x"})
	if err != nil || r.Version != 3 {
		t.Fatalf("served production after the promote: %d, %v", r.Version, err)
	}
	if data, _ := os.ReadFile(path); !strings.Contains(string(data), "experiments:\n- name: reply-tone\n") {
		t.Error("the export file lacks the experiment")
	}
}
