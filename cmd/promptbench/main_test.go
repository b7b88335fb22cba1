package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"promptbench/storage"
)

// cli runs promptbench in-process against one workspace directory.
type cli struct {
	t   *testing.T
	dir string
	env map[string]string
	// terminal makes stdout count as a terminal (sanitised text).
	terminal bool
	// interactive makes stdin and stdout count as a terminal (commit
	// opens $EDITOR without -m).
	interactive bool
}

func newCLI(t *testing.T) *cli {
	t.Helper()
	dir := filepath.Join(t.TempDir(), ".promptbench")
	return &cli{t: t, dir: dir, env: map[string]string{"PROMPTBENCH_AUTHOR": "alice", "NO_COLOR": "1"}}
}

type result struct {
	code     int
	out, err string
}

func (c *cli) run(stdin string, args ...string) result {
	c.t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string { return c.env[k] }
	full := append([]string{"--workspace", c.dir, "--lock-wait", "300ms"}, args...)
	a := newApp(streams{In: strings.NewReader(stdin), Out: &out, Err: &errOut}, getenv, nil)
	a.terminal = c.terminal
	a.interactive = c.interactive
	code := a.execute(context.Background(), full)
	return result{code, out.String(), errOut.String()}
}

func (c *cli) ok(stdin string, args ...string) string {
	c.t.Helper()
	r := c.run(stdin, args...)
	if r.code != 0 {
		c.t.Fatalf("promptbench %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.out, r.err)
	}
	return r.out
}

func writeFile(t *testing.T, name, data string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func mustContain(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Fatalf("output lacks %q:\n%s", w, got)
		}
	}
}

// TestIssueSequence is the sequence a user runs on a fresh workspace.
func TestIssueSequence(t *testing.T) {
	c := newCLI(t)
	mustContain(t, c.ok("", "init"), "Created workspace")
	mustContain(t, c.ok("", "init"), "already exists")
	v1 := writeFile(t, "v1.txt", "Tell me a joke about {{topic}}.\n")
	mustContain(t, c.ok("", "commit", "comedian", "-m", "initial version", "--tag", "purpose:humor", "--file", v1), "committed comedian@1", "by alice")
	if got := c.ok("", "render", "comedian", "--var", "topic=cats"); got != "Tell me a joke about cats.\n" {
		t.Fatalf("render = %q", got)
	}
	mustContain(t, c.ok("Tell a short joke about {{topic}} for {{audience}}.\n", "commit", "comedian", "-m", "shorter, with audience"), "committed comedian@2")
	hist := c.ok("", "history", "comedian")
	mustContain(t, hist, "comedian@2", "comedian@1", "shorter, with audience", "initial version", "alice")
	if strings.Index(hist, "comedian@2") > strings.Index(hist, "comedian@1") {
		t.Fatalf("history is not newest first:\n%s", hist)
	}
	mustContain(t, c.ok("", "diff", "comedian@1", "comedian@2"),
		"--- comedian@1 messages[0] (user)", "-Tell me a joke about {{topic}}.", "+Tell a short joke about {{topic}} for {{audience}}.")
	mustContain(t, c.ok("", "label", "comedian@1", "production"), "comedian@production → version 1")
	if got := c.ok("", "render", "comedian@production", "--var", "topic=dogs"); got != "Tell me a joke about dogs.\n" {
		t.Fatalf("render @production = %q", got)
	}
	list := c.ok("", "list", "--tag", "purpose:humor")
	mustContain(t, list, "comedian", "production@1", "purpose:humor")
	if strings.Contains(list, "\x1b[") {
		t.Fatalf("NO_COLOR output has escape codes: %q", list)
	}
	mustContain(t, c.ok("", "show", "comedian@production"), "comedian@1", "production", "Tell me a joke about {{topic}}.")
	mustContain(t, c.ok("", "list", "--json"), `"name": "comedian"`, `"latest": 2`)
}

func TestExitCodesAndMessages(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	c.ok("Hello {{name}}\n", "commit", "-m", "test", "greet")
	bad := writeFile(t, "bad.yaml", "messages:\n  - role: user\n    content: hi\n  - rol: system\n")
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"unknown prompt", "", []string{"show", "nope"}, 2, `no prompt named "nope"`},
		{"unknown version", "", []string{"show", "greet@7"}, 2, "versions 1 to 1"},
		{"unknown label", "", []string{"render", "greet@staging"}, 2, `no label "staging"`},
		{"malformed name", "x", []string{"commit", "-m", "test", "Bad Name"}, 2, "prompt name"},
		{"malformed tag", "x", []string{"commit", "-m", "test", "greet2", "--tag", "a:b:c"}, 2, "tag"},
		{"yaml unknown field with line", "", []string{"commit", "-m", "test", "greet", "--file", bad}, 2, "bad.yaml:4:"},
		{"unclosed tag", "Hi {{name\n", []string{"commit", "-m", "test", "greet"}, 2, "stdin: line 1, column 4: unclosed tag"},
		{"unknown include", "{{> ghost}}\n", []string{"commit", "-m", "test", "greet"}, 2, "ghost"},
		{"identical content", "Hello {{name}}\n", []string{"commit", "-m", "test", "greet"}, 2, "already has this exact content"},
		{"missing variable", "", []string{"render", "greet"}, 2, "missing variables: name"},
		{"bad --var", "", []string{"render", "greet", "--var", "novalue"}, 2, "write name=text"},
		{"unknown flag", "", []string{"list", "--frob"}, 2, "unknown flag"},
		{"unknown command", "", []string{"frobnicate"}, 2, "unknown command"},
		{"missing argument", "", []string{"show"}, 2, "show takes 1 argument, got 0: promptbench show REF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run(tt.stdin, tt.args...)
			if r.code != tt.code || !strings.Contains(r.err, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", r.code, r.err, tt.code, tt.want)
			}
			if strings.Contains(r.err, "goroutine ") || strings.Contains(r.err, "panic") {
				t.Fatalf("stack trace in error output: %s", r.err)
			}
		})
	}
	hist := c.ok("", "history", "greet", "--json")
	if strings.Count(hist, `"number"`) != 1 {
		t.Fatalf("refused commits changed the store:\n%s", hist)
	}
}

func TestNotAWorkspace(t *testing.T) {
	c := newCLI(t)
	c.dir = t.TempDir() // exists, but holds no workspace
	r := c.run("", "list")
	if r.code != 2 || !strings.Contains(r.err, "is not a promptbench workspace") || !strings.Contains(r.err, "init`") {
		t.Fatalf("exit %d, stderr %q", r.code, r.err)
	}
}

func TestCommitKeepsModelConfigForTextVersions(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	file := writeFile(t, "p.yaml", "model: openai/gpt-4o-mini\ntemperature: 0.3\nmessages:\n  - role: user\n    content: Hi {{name}}\n")
	c.ok("", "commit", "-m", "test", "greet", "--file", file)
	c.ok("Hello {{name}}\n", "commit", "greet", "-m", "wording")
	show := c.ok("", "show", "greet")
	mustContain(t, show, "model: openai/gpt-4o-mini", "temperature: 0.3", "Hello {{name}}")
	c.ok("Hey {{name}}\n", "commit", "-m", "test", "greet", "--model", "openai/gpt-4o", "--temperature", "0")
	mustContain(t, c.ok("", "show", "greet"), "model: openai/gpt-4o\n", "temperature: 0\n")
}

func TestLockedWorkspace(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	st, err := storage.Open(context.Background(), storage.Options{Dir: filepath.Join(c.dir, "store"), Command: "promptbench tui"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	start := time.Now()
	r := c.run("x", "commit", "-m", "test", "p")
	if r.code != 2 || !strings.Contains(r.err, fmt.Sprintf("pid %d", os.Getpid())) || !strings.Contains(r.err, "promptbench tui") {
		t.Fatalf("exit %d, stderr %q", r.code, r.err)
	}
	if waited := time.Since(start); waited < 250*time.Millisecond {
		t.Fatalf("gave up after %v without waiting for the lock", waited)
	}
}

func TestMaintainCompacts(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	c.ok("x\n", "commit", "-m", "test", "p")
	c.ok("", "maintain")
	mustContain(t, c.ok("", "show", "p"), "p@1")
}

func TestWorkspaceFlagAcceptsProjectFolder(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	c.ok("x\n", "commit", "-m", "test", "p")
	c.dir = filepath.Dir(c.dir) // the folder holding .promptbench/
	mustContain(t, c.ok("", "list"), "p")
	mustContain(t, c.ok("", "init"), "already exists")
}

func TestTagCommand(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	c.ok("x\n", "commit", "-m", "test", "p", "--tag", "purpose:support")
	mustContain(t, c.ok("", "tag", "p", "--add", "tone:formal", "--remove", "purpose:support"), "p: tags tone:formal")
	mustContain(t, c.ok("", "list", "--tag", "tone:formal"), "p")
	if r := c.run("", "tag", "p"); r.code != 2 {
		t.Fatalf("tag without changes: exit %d", r.code)
	}
	if got := c.ok("", "history", "p", "--json"); strings.Count(got, `"number"`) != 1 {
		t.Fatal("tag made a new version")
	}
}
