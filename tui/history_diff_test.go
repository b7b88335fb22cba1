package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"promptbench/themes"
	"promptbench/workspace"
)

func TestRenderDiff(t *testing.T) {
	pal, err := themes.Lookup("dark", true)
	if err != nil {
		t.Fatal(err)
	}
	st := newDiffStyles(themes.New(pal, true))
	version := func(n int, text string, temp float64) workspace.Version {
		return workspace.Version{Prompt: "p", Number: n, Messages: []workspace.Message{{Role: "user", Content: text}},
			Config: workspace.ModelConfig{Model: "echo/echo", Temperature: &temp}}
	}
	tests := []struct {
		name  string
		a, b  workspace.Version
		words bool
		want  []string
	}{
		{"a changed line and config", version(1, "Hello {{name}}\nBye", 0.2), version(2, "Hello {{user.name}}\nBye", 0.3), false, []string{
			"messages[0] (user) +1 -1",
			"@@ -1,2 +1,2 @@",
			"-Hello {{name}}",
			"+Hello {{user.name}}",
			" Bye",
			"",
			"config +1 -1",
			"@@ -1,2 +1,2 @@",
			" model: echo/echo",
			"-temperature: 0.2",
			"+temperature: 0.3",
		}},
		{"white space made visible", version(1, "a\tb  \r\nc", 0.2), version(2, "a b\nc", 0.2), false, []string{
			"messages[0] (user) +1 -1",
			"@@ -1,2 +1,2 @@",
			"-a→  b··␍",
			"+a b",
			" c",
		}},
		{"word mode", version(1, "Hello {{name}}, bye", 0.2), version(2, "Hello {{user.name}}, bye ", 0.2), true, []string{
			"messages[0] (user) +1 -1",
			"@@ -1 +1 @@",
			"Hello {{{+user.+}name}}, bye{+·+}",
		}},
		{"no differences", version(1, "same", 0.2), version(2, "same", 0.2), false, []string{
			"No differences in messages or model config.",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows := renderDiff(workspace.Diff(tc.a, tc.b), tc.words, st, 60)
			got := ansi.Strip(strings.Join(rows, "\n"))
			if want := strings.Join(tc.want, "\n"); got != want {
				t.Fatalf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func TestRenderDiffWrapsLongLines(t *testing.T) {
	pal, _ := themes.Lookup("dark", true)
	st := newDiffStyles(themes.New(pal, true))
	a := workspace.Version{Prompt: "p", Number: 1, Messages: []workspace.Message{{Role: "user", Content: "short"}}}
	b := workspace.Version{Prompt: "p", Number: 2, Messages: []workspace.Message{{Role: "user", Content: strings.Repeat("word ", 30)}}}
	for _, row := range renderDiff(workspace.Diff(a, b), false, st, 40) {
		if w := ansi.StringWidth(row); w > 40 {
			t.Fatalf("row %q is %d wide", ansi.Strip(row), w)
		}
	}
}
