package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"promptbench/workspace"
)

func TestCommitRefusesEmptyMessage(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	for _, args := range [][]string{{"commit", "p", "-m", ""}, {"commit", "p", "-m", "  "}, {"commit", "p"}} {
		r := c.run("Hi {{x}}\n", args...)
		if r.code != 2 || !strings.Contains(r.err, "pass -m") {
			t.Fatalf("%q: exit %d, %q", args, r.code, r.err)
		}
	}
	if r := c.run("", "show", "p"); r.code != 2 {
		t.Fatal("a refused commit made a version")
	}
}

// editorScript writes a shell script usable as $EDITOR that writes text
// above what the file holds (the commented help).
func editorScript(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "editor.sh")
	script := "#!/bin/sh\n{ printf '%s' '" + text + "'; cat \"$1\"; } > \"$1.new\" && mv \"$1.new\" \"$1\"\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCommitMessageFromEditor(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	c.interactive = true
	file := writeFile(t, "p.txt", "Hi {{x}}\n")
	c.env["EDITOR"] = editorScript(t, "Greet by name\n\n# not part of it\n")
	mustContain(t, c.ok("", "commit", "p", "--file", file), "committed p@1")
	var doc showJSON
	if err := json.Unmarshal([]byte(c.ok("", "show", "p", "--json")), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version.Message != "Greet by name" {
		t.Fatalf("message = %q", doc.Version.Message)
	}
	// Only comments: aborted, nothing committed.
	c.env["EDITOR"] = editorScript(t, "# just a comment\n")
	r := c.run("", "commit", "p", "--file", writeFile(t, "p2.txt", "Hello {{x}}\n"))
	if r.code != 2 || !strings.Contains(r.err, "aborted") {
		t.Fatalf("empty editor message: exit %d, %q", r.code, r.err)
	}
	// Content that cannot be committed never opens the editor.
	c.env["EDITOR"] = "false"
	r = c.run("", "commit", "p", "--file", file)
	if r.code != 2 || !strings.Contains(r.err, "already has this exact content") {
		t.Fatalf("unchanged content: exit %d, %q", r.code, r.err)
	}
	if got := c.ok("", "history", "p", "--json"); strings.Count(got, `"number"`) != 1 {
		t.Fatalf("aborted commits made versions:\n%s", got)
	}
}

func TestCommitConfigFlags(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	schema := writeFile(t, "person.schema.json", `{"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}`)
	c.ok("Who is {{x}}?\n", "commit", "p", "-m", "m", "--model", "openai/gpt-4o-mini", "--top-p", "0.9", "--stop", "END", "--stop", "\n\n", "--seed", "42", "--response-format", schema)
	var doc showJSON
	if err := json.Unmarshal([]byte(c.ok("", "show", "p", "--json")), &doc); err != nil {
		t.Fatal(err)
	}
	cfg := doc.Version.Config
	if cfg.TopP == nil || *cfg.TopP != 0.9 || len(cfg.Stop) != 2 || cfg.Stop[1] != "\n\n" || cfg.Seed == nil || *cfg.Seed != 42 {
		t.Fatalf("config = %+v", cfg)
	}
	if rf := cfg.ResponseFormat; rf == nil || rf.Type != "json_schema" || rf.Name != "person" || !strings.Contains(string(workspace.CanonicalJSON(rf.Schema)), `"required":["name"]`) {
		t.Fatalf("response_format = %+v", cfg.ResponseFormat)
	}
	c.ok("Who is {{x}} really?\n", "commit", "p", "-m", "m", "--response-format", "json_object")
	mustContain(t, c.ok("", "show", "p"), "json_object", "top_p: 0.9", "seed: 42")
	for _, bad := range []string{"json_schema", "nope.json"} {
		if r := c.run("x\n", "commit", "q", "-m", "m", "--response-format", bad); r.code != 2 || !strings.Contains(r.err, "--response-format") {
			t.Fatalf("--response-format %s: exit %d, %q", bad, r.code, r.err)
		}
	}
	if r := c.run("x\n", "commit", "q", "-m", "m", "--top-p", "3"); r.code != 2 || !strings.Contains(r.err, "top_p") {
		t.Fatalf("--top-p 3: exit %d, %q", r.code, r.err)
	}
}

func TestCommitDryRun(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	file := writeFile(t, "p.yaml", "model: openai/gpt-4o-mini\ntemperature: 0.3\nmessages:\n  - role: user\n    content: Hi {{name}}\n")
	c.ok("", "commit", "p", "-m", "first", "--file", file)
	out := c.ok("Hello {{name}}\n", "commit", "p", "--dry-run")
	mustContain(t, out, "would commit p@2 (", "model: openai/gpt-4o-mini", "temperature: 0.3", "-Hi {{name}}", "+Hello {{name}}", "nothing was committed")
	if got := c.ok("", "history", "p", "--json"); strings.Count(got, `"number"`) != 1 {
		t.Fatalf("--dry-run committed:\n%s", got)
	}
	var dry commitJSON
	if err := json.Unmarshal([]byte(c.ok("Hello {{name}}\n", "commit", "p", "--dry-run", "--json")), &dry); err != nil {
		t.Fatal(err)
	}
	var real commitJSON
	if err := json.Unmarshal([]byte(c.ok("Hello {{name}}\n", "commit", "p", "-m", "second", "--json")), &real); err != nil {
		t.Fatal(err)
	}
	if !dry.DryRun || dry.Version.Hash != real.Version.Hash || dry.Version.Number != 2 || real.Version.Config.Model != "openai/gpt-4o-mini" {
		t.Fatalf("dry run %+v differs from the commit %+v", dry.Version, real.Version)
	}
	mustContain(t, c.ok("x {{y}}\n", "commit", "new", "--dry-run"), "would commit new@1", "new is a new prompt")
}
