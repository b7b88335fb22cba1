package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestLogsAcrossVersions(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	c.ok("First {{x}}\n", "commit", "-m", "test", "p")
	c.ok("", "run", "p", "--var", "x=a", "--model", "echo/echo")
	c.ok("Second {{x}}\n", "commit", "-m", "test", "p")
	c.ok("", "run", "p", "--var", "x=b", "--model", "echo/echo")
	c.ok("", "run", "p", "--var", "x=c", "--model", "echo/echo")

	out := c.ok("", "logs", "p")
	mustContain(t, out, "VER", "p@1", "p@2", "Second c", "First a")
	if strings.Index(out, "Second c") > strings.Index(out, "Second b") || strings.Index(out, "Second b") > strings.Index(out, "First a") {
		t.Fatalf("not newest first across versions:\n%s", out)
	}
	if out := c.ok("", "logs", "p", "--version", "1"); strings.Contains(out, "Second") || !strings.Contains(out, "First a") {
		t.Fatalf("--version 1:\n%s", out)
	}
	mustContain(t, c.ok("", "logs", "p", "--errors"), "no calls of p match the filters")
	mustContain(t, c.ok("", "logs", "p", "--model", "openai/gpt-4o"), "no calls of p match")
	mustContain(t, c.ok("", "logs", "p", "--since", "1h", "--source", "cli"), "Second c")
	if out := c.ok("", "logs", "p", "--limit", "1"); !strings.Contains(out, "Second c") || strings.Contains(out, "Second b") || !strings.Contains(out, "older calls may match") {
		t.Fatalf("--limit 1:\n%s", out)
	}
	if r := c.run("", "logs", "p", "--since", "last week"); r.code != 2 || !strings.Contains(r.err, "--since") {
		t.Fatalf("bad --since: exit %d, %q", r.code, r.err)
	}
	if r := c.run("", "logs", "nope"); r.code != 2 {
		t.Fatalf("unknown prompt: exit %d", r.code)
	}

	var doc logsQueryJSON
	if err := json.Unmarshal([]byte(c.ok("", "logs", "p", "--json")), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Prompt != "p" || len(doc.Entries) != 3 || doc.Entries[0].Output != "Second c" || len(doc.Versions) != 2 || doc.Versions[1].Summary.Count != 2 {
		t.Fatalf("logs --json = %+v", doc)
	}
	// One version by ref, as before: its calls oldest first and its summary.
	one := c.ok("", "logs", "p@2")
	mustContain(t, one, "p@2: 2 calls")
	if strings.Index(one, "Second b") > strings.Index(one, "Second c") {
		t.Fatalf("logs REF order changed:\n%s", one)
	}
	var single logsJSON
	if err := json.Unmarshal([]byte(c.ok("", "logs", "p@1", "--json")), &single); err != nil || single.Version != 1 || len(single.Entries) != 1 {
		t.Fatalf("logs REF --json = %+v, %v", single, err)
	}
}
