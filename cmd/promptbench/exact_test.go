package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"promptbench/eval/fakeopenai"
)

// procOut runs the test binary as promptbench with stdout going to out (a
// pipe when it is a buffer, a file when it is an *os.File) and returns
// stderr; it fails the test on a non-zero exit.
func procOut(t *testing.T, ws string, out any, args ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"--workspace", ws}, args...)...)
	cmd.Env = append(os.Environ(), "PROMPTBENCH_TEST_AS_CLI=1", "PROMPTBENCH_AUTHOR=proc", "PROMPTBENCH_NO_BACKGROUND=1")
	switch w := out.(type) {
	case *bytes.Buffer:
		cmd.Stdout = w
	case *os.File:
		cmd.Stdout = w
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("promptbench %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stderr.String()
}

// pipeOut runs promptbench with stdout a pipe and returns what it wrote.
func pipeOut(t *testing.T, ws string, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	procOut(t, ws, &out, args...)
	return out.String()
}

// TestOutputToPipesIsExact is `promptbench render … > file` and `| other`:
// the stored and rendered bytes come out unchanged, with whatever tabs,
// CRLF, escape sequences, NUL bytes and invalid UTF-8 they hold.
func TestOutputToPipesIsExact(t *testing.T) {
	ws := filepath.Join(t.TempDir(), ".promptbench")
	pipeOut(t, ws, "init")
	template := "Col\tumn\r\nvalue: {{v}}|{{n}}\r\n"
	pipeOut(t, ws, "commit", "p", "-m", "first", "--file", writeFile(t, "p.txt", template))
	v := "x\x1b[31mred\x1b]52;c;SGVsbG8=\x07\ty\r\nz\xff\x9b"
	vars := writeFile(t, "vars.json", `{"n": "a\u0000b\u0007c"}`)
	want := "Col\tumn\r\nvalue: " + v + "|a\x00b\x07c\r\n"

	if got := pipeOut(t, ws, "render", "p", "--var", "v="+v, "--vars", vars); got != want {
		t.Fatalf("render to a pipe:\n got %q\nwant %q", got, want)
	}
	file, err := os.Create(filepath.Join(t.TempDir(), "out.txt"))
	if err != nil {
		t.Fatal(err)
	}
	procOut(t, ws, file, "render", "p", "--var", "v="+v, "--vars", vars)
	file.Close()
	if got, _ := os.ReadFile(file.Name()); string(got) != want {
		t.Fatalf("render to a file:\n got %q\nwant %q", got, want)
	}
	if got := pipeOut(t, ws, "show", "p"); !strings.HasSuffix(got, "[user]\n"+template) {
		t.Fatalf("show to a pipe does not end with the exact message:\n%q", got)
	}
	for _, stream := range []string{"never", "always"} {
		if got := pipeOut(t, ws, "run", "p", "--model", "echo/echo", "--no-cache", "--stream", stream, "--var", "v="+v, "--vars", vars); got != want {
			t.Fatalf("run --stream %s to a pipe:\n got %q\nwant %q", stream, got, want)
		}
	}

	// Text without a final newline gets one, and only that.
	pipeOut(t, ws, "commit", "-m", "test", "q", "--file", writeFile(t, "q.txt", "no newline\t{{v}}"))
	if got := pipeOut(t, ws, "render", "q", "--var", "v=\x1b[0m"); got != "no newline\t\x1b[0m\n" {
		t.Fatalf("render without a final newline: %q", got)
	}
	if got := pipeOut(t, ws, "run", "q", "--model", "echo/echo", "--var", "v=\x1b[0m"); got != "no newline\t\x1b[0m\n" {
		t.Fatalf("run without a final newline: %q", got)
	}
}

// TestTerminalOutputIsSanitised is the same text on a terminal: no escape
// sequence reaches it, tabs are spaces, line endings plain newlines.
func TestTerminalOutputIsSanitised(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	c.ok("", "commit", "-m", "test", "p", "--file", writeFile(t, "p.txt", "Col\tumn\r\nvalue: {{v}}\r\n"))
	c.terminal = true
	v := "x\x1b[31mred\x1b]52;c;SGVsbG8=\x07\ty\r\nz\xff"
	if got, want := c.ok("", "render", "p", "--var", "v="+v), "Col umn\nvalue: xred y\nz\ufffd\n"; got != want {
		t.Fatalf("render on a terminal:\n got %q\nwant %q", got, want)
	}
	if got := c.ok("", "show", "p"); !strings.HasSuffix(got, "[user]\nCol umn\nvalue: {{v}}\n") {
		t.Fatalf("show on a terminal:\n%q", got)
	}
}

// TestStreamedEscapeSequencesAcrossChunks streams answers whose escape
// sequences are split between chunks (the server sends one word per
// chunk) to a terminal: none of their payload may show.
func TestStreamedEscapeSequencesAcrossChunks(t *testing.T) {
	answer := "ok \x1b]52;c;SGVs bG8=\x07clip \x1b]0;my title\x1b\\title \x1b]8;;http://x y\x1b\\link\x1b]8;;\x1b\\ \x1b[3 1mdone\r\n"
	srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply { return fakeopenai.Reply{Content: answer} })
	defer srv.Close()
	if len(fakeopenai.Words(answer)) < 5 {
		t.Fatal("the answer should arrive in several chunks")
	}
	c := newCLI(t)
	c.ok("", "init")
	c.withProvider(t, srv.BaseURL())
	c.ok("Hi\n", "commit", "-m", "test", "p", "--model", "fake/gpt-test")
	c.terminal = true
	if got, want := c.ok("", "run", "p", "--stream", "always"), "ok clip title link done\n"; got != want {
		t.Fatalf("terminal got %q, want %q", got, want)
	}
	c.terminal = false
	if got := c.ok("", "run", "p", "--stream", "always", "--no-cache"); got != answer {
		t.Fatalf("pipe got %q, want the exact answer", got)
	}
}

// TestIndentedInclude: a standalone include on an indented line indents
// every line of the included prompt and keeps its line structure.
func TestIndentedInclude(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	c.ok("Be kind.\n\tQuote the {{product}} manual.\nBe brief.\n", "commit", "-m", "test", "style")
	c.ok("", "label", "style@1", "production")
	c.ok("", "commit", "-m", "test", "reply", "--file", writeFile(t, "r.txt", "Rules:\r\n  {{> style}}\r\nTicket: {{ticket}}\r\n"))
	got := c.ok("", "render", "reply", "--var", "product=Acme", "--var", "ticket=line 1\nline 2")
	want := "Rules:\r\n  Be kind.\n  \tQuote the Acme manual.\n  Be brief.\r\nTicket: line 1\nline 2\r\n"
	if got != want {
		t.Fatalf("render:\n got %q\nwant %q", got, want)
	}
}

// TestBareCommandShowsHelp: `promptbench` alone without a terminal (a
// pipe, CI) prints the help and succeeds instead of opening the terminal
// UI; --demo without a terminal says it needs one.
func TestBareCommandShowsHelp(t *testing.T) {
	c := newCLI(t)
	r := c.run("")
	if r.code != 0 || r.err != "" {
		t.Fatalf("promptbench: exit %d, stderr %q", r.code, r.err)
	}
	mustContain(t, r.out, "Usage:", "promptbench [command]", "render", "diff")
	if r := c.run("", "--demo"); r.code != 2 || !strings.Contains(r.err, "needs a terminal") {
		t.Fatalf("--demo: exit %d, stderr %q", r.code, r.err)
	}
}
