package main

import (
	"bytes"
	"strings"
	"testing"

	"promptbench/workspace"
)

// diffCLI is a workspace with prompt c at two versions that differ in a
// word, line endings, trailing spaces, a tab and the temperature.
func diffCLI(t *testing.T) *cli {
	t.Helper()
	c := newCLI(t)
	c.ok("", "init")
	c.ok("", "commit", "c", "-m", "one", "--file", writeFile(t, "v1.txt", "Tell me a joke about {{topic}}.\nKeep it short.\n\tIndented\nend"))
	c.ok("", "commit", "c", "-m", "two", "--temperature", "0.5", "--file", writeFile(t, "v2.txt", "Tell me a funny joke about {{topic}}.\r\nKeep it short.  \n    Indented\nend"))
	return c
}

func TestDiffShowsWhiteSpaceOnChangedLines(t *testing.T) {
	c := diffCLI(t)
	want := `--- c@1 messages[0] (user)
+++ c@2 messages[0] (user)
@@ -1,4 +1,4 @@
-Tell me a joke about {{topic}}.
-Keep it short.
-→   Indented
+Tell me a funny joke about {{topic}}.␍
+Keep it short.··
+    Indented
 end
--- c@1 config
+++ c@2 config
@@ -0,0 +1 @@
+temperature: 0.5
`
	if got := c.ok("", "diff", "c@1", "c@2"); got != want {
		t.Fatalf("diff c@1 c@2:\n%s\nwant\n%s", got, want)
	}
	if got := c.ok("", "diff", "c"); got != want {
		t.Fatalf("diff c (latest against its parent):\n%s", got)
	}
	if got := c.ok("", "diff", "c@1"); got != "c@1 is the first version; there is nothing to compare it with\n" {
		t.Fatalf("diff of a first version: %q", got)
	}
}

func TestDiffWordStatExitCode(t *testing.T) {
	c := diffCLI(t)
	words := c.ok("", "diff", "c", "--word")
	mustContain(t, words,
		"Tell me a {+funny·+}joke about {{topic}}.{+␍+}\n",
		"Keep it short.{+··+}\n",
		"[-→-]{+····+}Indented\n",
		"\nend\n",
		"{+temperature: 0.5+}\n")
	stat := c.ok("", "diff", "c", "--stat")
	if want := " messages[0] (user) | +3 -3\n config             | +1 -0\n 2 of 2 parts changed, 4 lines added, 3 lines removed\n"; stat != want {
		t.Fatalf("--stat:\n%q\nwant\n%q", stat, want)
	}
	if r := c.run("", "diff", "c", "--exit-code", "--stat"); r.code != 1 || r.err != "" || r.out != stat {
		t.Fatalf("--exit-code with differences: exit %d, stderr %q, stdout %q", r.code, r.err, r.out)
	}
	if r := c.run("", "diff", "c@2", "c", "--exit-code"); r.code != 0 || r.out != "no differences\n" {
		t.Fatalf("--exit-code without differences: exit %d, stdout %q", r.code, r.out)
	}
	for _, args := range [][]string{{"diff"}, {"diff", "a", "b", "c"}} {
		if r := c.run("", args...); r.code != 2 || !strings.Contains(r.err, "diff takes 1 or 2 refs") {
			t.Fatalf("%v: exit %d, stderr %q", args, r.code, r.err)
		}
	}
}

func TestDiffFinalNewlineAndCRLFOnly(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	c.ok("", "commit", "-m", "test", "p", "--file", writeFile(t, "p.yaml", "messages:\n  - role: user\n    content: \"a\\nb\"\n"))
	c.ok("", "commit", "-m", "test", "p", "--file", writeFile(t, "p2.yaml", "messages:\n  - role: user\n    content: \"a\\nb\\n\"\n"))
	mustContain(t, c.ok("", "diff", "p"), " a\n-b\n\\ No newline at end\n+b\n")
	c.ok("", "commit", "-m", "test", "p", "--file", writeFile(t, "p3.yaml", "messages:\n  - role: user\n    content: \"a\\r\\nb\\r\\n\"\n"))
	mustContain(t, c.ok("", "diff", "p"), "-a\n-b\n+a␍\n+b␍\n")
}

// TestDiffOnATerminal: stored text is sanitised; markers stay.
func TestDiffOnATerminal(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	c.ok("", "commit", "-m", "test", "p", "--file", writeFile(t, "a.txt", "same\x1b[2J\nold\x1b]0;title\x07 line"))
	c.ok("", "commit", "-m", "test", "p", "--file", writeFile(t, "b.txt", "same\x1b[2J\nnew\tline\r\n"))
	c.terminal = true
	got := c.ok("", "diff", "p")
	if strings.ContainsRune(got, 0x1b) || strings.ContainsRune(got, 0x07) || strings.Contains(got, "title") {
		t.Fatalf("escape sequences reached the terminal: %q", got)
	}
	mustContain(t, got, " same\n-old line\n+new→line␍\n")
	mustContain(t, c.ok("", "diff", "p", "--word"), "[-old·-]{+new→+}line{+␍+}")
}

// TestDiffColour checks the coloured form: the same markers, styled, and
// no tab left for lipgloss to widen.
func TestDiffColour(t *testing.T) {
	a := workspace.Version{Prompt: "p", Number: 1, Messages: []workspace.Message{{Role: "user", Content: "x\ty\n"}}}
	b := workspace.Version{Prompt: "p", Number: 2, Messages: []workspace.Message{{Role: "user", Content: "x    y\r\n"}}}
	var out bytes.Buffer
	diffView{w: &out, st: newStyles(), color: true, terminal: true}.lines(workspace.Diff(a, b))
	got := out.String()
	if !strings.Contains(got, "\x1b[") || strings.ContainsRune(got, '\t') {
		t.Fatalf("coloured diff: %q", got)
	}
	mustContain(t, got, "→", "␍")
}
