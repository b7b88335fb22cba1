package tui

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"promptbench/workspace"
)

// treeText draws rows as "depth label (count)" lines, prompts by name.
func treeText(rows []row, prompts []workspace.Prompt) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Repeat("  ", r.depth))
		if r.kind == rowPrompt {
			b.WriteString(r.label + " =" + prompts[r.prompt].Name)
		} else {
			b.WriteString(r.label + " (" + strconv.Itoa(r.count) + ")")
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func TestBuildTree(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	prompts := []workspace.Prompt{ // name order, as the store lists them
		{Name: "notes", Updated: day(5)},
		{Name: "support/reply", Tags: []string{"purpose:support", "tone:friendly"}, Updated: day(1)},
		{Name: "support/style", Tags: []string{"purpose:support"}, Updated: day(3)},
		{Name: "triage", Tags: []string{"purpose:classification", "purpose:support"}, Updated: day(2)},
		{Name: "wip", Tags: []string{"tag:beta"}, Updated: day(4)},
	}
	cases := []struct {
		name  string
		open  map[string]bool
		order sortOrder
		want  string
	}{
		{"values start closed", map[string]bool{}, byName, `
purpose (3)
  classification (1)
  support (3)
tag (1)
  beta (1)
tone (1)
  friendly (1)
untagged (1)
  notes =notes
`},
		{"a value opened: folders grouped, loose prompts after", map[string]bool{"purpose:support": true}, byName, `
purpose (3)
  classification (1)
  support (3)
    support/ (2)
      reply =support/reply
      style =support/style
    triage =triage
tag (1)
  beta (1)
tone (1)
  friendly (1)
untagged (1)
  notes =notes
`},
		{"recent first", map[string]bool{"purpose:support": true, "purpose": true}, byRecency, `
purpose (3)
  classification (1)
  support (3)
    support/ (2)
      style =support/style
      reply =support/reply
    triage =triage
tag (1)
  beta (1)
tone (1)
  friendly (1)
untagged (1)
  notes =notes
`},
		{"closed facet and folder", map[string]bool{"purpose:support": true, "purpose:support/support/": false, "tone": false, "\x00untagged": false}, byName, `
purpose (3)
  classification (1)
  support (3)
    support/ (2)
    triage =triage
tag (1)
  beta (1)
tone (1)
untagged (1)
`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := treeText(buildTree(prompts, c.open, c.order), prompts)
			if want := strings.TrimPrefix(c.want, "\n"); got != want {
				t.Fatalf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}
