package tui

import (
	"context"
	"testing"

	tea "charm.land/bubbletea/v2"

	"promptbench/workspace"
)

// openHistory selects prompt name's latest version and focuses History.
func openHistory(t *testing.T, d *driver, ws *workspace.Workspace, name string) {
	t.Helper()
	pr, _, err := ws.Show(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	d.send(selection{name: pr.Name, number: pr.Latest, hash: pr.LatestHash})
	d.typeKeys("3")
}

func TestHistoryListsVersionsAndDiffsTwo(t *testing.T) {
	ws := demoWorkspace(t)
	d := newDriver(t, ws, 100, 30)
	openHistory(t, d, ws, "support/reply")
	d.mustShow("support/reply · 3 versions", "v3", "carol", "State refund timing", "staging", "production",
		"diff v2 → v3", "-temperature: 0.3", "+temperature: 0.2")
	// Mark v3 and v1: the diff compares them, older first.
	d.press(tea.KeySpace)
	d.typeKeys("jj")
	d.press(tea.KeySpace)
	d.mustShow("diff v1 → v3 · lines", "● v3", "● v1", "+Customer: {{customer.name}}", "-temperature: 0.3")
	d.typeKeys("w")
	d.mustShow("diff v1 → v3 · words", "{+Customer: {{customer.name}}↵+}")
	// esc clears the marks before it leaves the pane.
	d.press(tea.KeyEsc)
	d.mustNotShow("● v")
	d.mustShow("first version: nothing to compare")
}

func labelAt(t *testing.T, ws *workspace.Workspace, name, label string) int {
	t.Helper()
	pr, _, err := ws.Show(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return pr.Labels[label]
}

func TestHistoryPromoteAsksThenMovesTheLabel(t *testing.T) {
	ws := demoWorkspace(t)
	d := newDriver(t, ws, 100, 30)
	openHistory(t, d, ws, "support/reply")
	d.typeKeys("p")
	d.mustShow("Promote v3 to which label?", "label: production")
	d.typeKeys("q1") // typed into the label name, not acted on
	if d.quit || d.m.focus != paneHistory {
		t.Fatal("q or 1 acted globally while a label name was typed")
	}
	for range 2 {
		d.press(tea.KeyBackspace)
	}
	d.press(tea.KeyEnter)
	d.mustShow("Move support/reply production: v2 → v3?", "y move it")
	if n := labelAt(t, ws, "support/reply", "production"); n != 2 {
		t.Fatalf("production moved to %d before the confirmation", n)
	}
	d.typeKeys("n")
	d.mustShow("nothing moved")
	d.typeKeys("p")
	d.press(tea.KeyEnter)
	d.typeKeys("y")
	if n := labelAt(t, ws, "support/reply", "production"); n != 3 {
		t.Fatalf("production points at %d after the move, want 3", n)
	}
	d.mustShow("support/reply production: v2 → v3")

	// Roll it back: the label pointed at v2 before.
	d.typeKeys("r")
	d.mustShow("Roll a label back", "production: v3 → v2")
	d.press(tea.KeyEnter)
	d.mustShow("Move support/reply production: v3 → v2?")
	d.typeKeys("y")
	if n := labelAt(t, ws, "support/reply", "production"); n != 2 {
		t.Fatalf("production points at %d after the rollback, want 2", n)
	}
}

func TestHistoryEnterShowsTheVersionInPrompt(t *testing.T) {
	ws := demoWorkspace(t)
	d := newDriver(t, ws, 100, 30)
	openHistory(t, d, ws, "support/reply")
	d.typeKeys("j")
	d.press(tea.KeyEnter)
	if d.m.focus != panePrompt || d.m.c.selected.number != 2 {
		t.Fatalf("enter on v2: focus %v, selected %+v", d.m.focus, d.m.c.selected)
	}
	d.mustShow("support/reply @2")
}

func TestHistoryFollowsAVersionCommittedSince(t *testing.T) {
	ws := demoWorkspace(t)
	d := newDriver(t, ws, 100, 30)
	openHistory(t, d, ws, "support/reply")
	d.typeKeys("jj") // cursor on v1
	commitElsewhere(t, ws.Dir, "support/reply", "Newer")
	pr, _, err := ws.Show(context.Background(), "support/reply")
	if err != nil {
		t.Fatal(err)
	}
	d.send(selection{name: pr.Name, number: pr.Latest, hash: pr.LatestHash})
	if v, _ := d.m.history.current(); v.Number != 4 {
		t.Fatalf("cursor on v%d after v4 was selected", v.Number)
	}
}
