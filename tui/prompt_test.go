package tui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/x/ansi"

	"promptbench/themes"
	"promptbench/tui/markdown"
	"promptbench/workspace"
)

func TestMarkdownMarksVariablesIncludesAndComments(t *testing.T) {
	pal, _ := themes.Lookup("dark", true)
	st := themes.New(pal, true)
	com := &common{styles: st, md: markdown.New(16)}
	cases := []struct {
		name, text, want string
	}{
		{"variable", "Dear {{customer.name}},", st.Prompt.Variable.Render("{{customer.name}}")},
		{"include", "Rules: {{> support/style}}", st.Prompt.Include.Render("{{> support/style}}")},
		{"comment", "{{! internal note }}", st.Base.Muted.Render("{{! internal note }}")},
		{"section", "{{#short}}Be brief.{{/short}}", st.Prompt.Variable.Render("{{#short}}")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := renderPrompt(com, c.text, 60)
			if !strings.Contains(out, c.want) {
				t.Fatalf("render(%q) lacks %q:\n%q", c.text, c.want, out)
			}
		})
	}
	t.Run("inside a code block", func(t *testing.T) {
		out := renderPrompt(com, "```diff\n{{diff}}\n```", 60)
		if strings.ContainsAny(out, "\ue000\ue001") || !strings.Contains(stripped(out), "{{diff}}") {
			t.Fatalf("code block: %q", out)
		}
	})
	t.Run("lines kept as written", func(t *testing.T) {
		out := stripped(renderPrompt(com, "first line\nsecond line", 60))
		if !strings.Contains(out, "first line\nsecond line") {
			t.Fatalf("lines joined: %q", out)
		}
	})
}

func TestPromptPaneSanitisesStoredText(t *testing.T) {
	ws := demoWorkspace(t)
	desc := "Looks \x1b[2J harmless"
	d := workspace.Draft{
		Messages:    []workspace.Message{{Role: workspace.RoleUser, Content: "Hi\x1b]0;evil title\x07 {{name}}\x1b[31m red"}},
		Description: &desc,
		Message:     "sneaky\x1b]52;c;Zm9v\x07",
	}
	if _, err := ws.Commit(context.Background(), "sneaky", d); err != nil {
		t.Fatal(err)
	}
	dr := newDriver(t, ws, 100, 30)
	dr.typeKeys("/sneaky")
	dr.press(tea.KeyEnter)
	dr.press(tea.KeyEnter)
	dr.mustShow("sneaky @1", "Looks  harmless", "Hi {{name}} red")
	frame := dr.m.render()
	for _, bad := range []string{"\x1b]0;", "\x1b]52;", "\x1b[2J", "evil title"} {
		if strings.Contains(frame, bad) {
			t.Fatalf("frame carries %q from stored text", bad)
		}
	}
}

func stripped(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		b.WriteString(strings.TrimRight(ansi.Strip(line), " "))
		b.WriteByte('\n')
	}
	return b.String()
}
