package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuditTravelsWithTheExportFile: alice's changes reach bob through the
// export file with their own authors and times; importing again adds
// nothing; the filters narrow the trail.
func TestAuditTravelsWithTheExportFile(t *testing.T) {
	a := newCLI(t)
	a.ok("", "init")
	a.ok("Hello {{name}}\n", "commit", "greet", "-m", "first greeting")
	a.ok("Hi {{name}}\n", "commit", "greet", "-m", "shorter")
	a.ok("", "label", "greet@2", "production")
	a.ok("", "tag", "greet", "--add", "purpose:support")
	file := filepath.Join(t.TempDir(), "prompts.yaml")
	a.ok("", "export", "--out", file)

	b := newCLI(t)
	b.env["PROMPTBENCH_AUTHOR"] = "bob"
	b.ok("", "init")
	mustContain(t, b.ok("", "import", file), "2 new versions")
	mustContain(t, b.ok("", "import", file), "nothing to import")
	out := b.ok("", "audit", "--prompt", "greet")
	mustContain(t, out, "alice", "commit", "greet@1", "first greeting", "greet@2", "production -> 2", "tag", "bob", "import")
	var events []struct {
		Author, Action, Prompt, Label string
		Version                       int
	}
	if err := json.Unmarshal([]byte(b.ok("", "audit", "--author", "ALI", "--json")), &events); err != nil {
		t.Fatal(err)
	}
	actions := []string{}
	for _, ev := range events {
		if ev.Author != "alice" {
			t.Fatalf("--author ALI gave %+v", ev)
		}
		actions = append(actions, ev.Action)
	}
	if got := strings.Join(actions, ","); got != "commit,commit,label,tag" {
		t.Fatalf("alice's events in bob's library: %s; want each once, oldest first", got)
	}
	if out := b.ok("", "audit", "--since", "2999-01-01", "--json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("--since in the future: %s", out)
	}
	if r := b.run("", "audit", "--since", "last tuesday"); r.code != 2 || !strings.Contains(r.err, "--since") {
		t.Fatalf("bad --since: exit %d %q", r.code, r.err)
	}
	// bob's export carries alice's events, not bob's import.
	mine := b.ok("", "export")
	if strings.Contains(mine, "action: import") || !strings.Contains(mine, "author: alice\n  action: tag\n") {
		t.Fatalf("bob's export audit section:\n%s", mine[strings.Index(mine, "audit:"):])
	}
}
