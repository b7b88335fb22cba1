package tui

import (
	"context"
	"os"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"promptbench/workspace"
)

// settle removes the workspace when the test ends, retrying while Cmds
// the program started before it quit still read the store or write a
// draft (the program does not wait for them).
func settle(t *testing.T, w *watched) {
	t.Helper()
	dir := w.c.store.(*workspace.Workspace).Dir
	t.Cleanup(func() {
		for range 200 {
			if os.RemoveAll(dir) == nil {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

// selectIn selects prompt name's latest version in a running program.
func selectIn(t *testing.T, tm *teatest.TestModel, w *watched, name string) {
	t.Helper()
	pr, _, err := w.c.store.Show(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	tm.Send(selection{name: pr.Name, number: pr.Latest, hash: pr.LatestHash})
}

func TestGoldenHistory(t *testing.T) {
	tm, w := startProgram(t)
	settle(t, w)
	selectIn(t, tm, w, "support/reply")
	keys(tm, "3")
	w.waitFor(t, "support/reply · 3 versions", "diff v2 → v3 · lines", "+temperature: 0.2")
	golden.RequireEqual(t, finalFrame(t, tm))
}

func TestGoldenEditor(t *testing.T) {
	tm, w := startProgram(t)
	settle(t, w)
	selectIn(t, tm, w, "support/reply")
	keys(tm, "4")
	w.waitFor(t, "editing v3 · unchanged")
	keys(tm, "jjj")
	press(tm, tea.KeyEnter)
	for range 3 {
		press(tm, tea.KeyBackspace)
	}
	keys(tm, "2.5")
	press(tm, tea.KeyEsc)
	w.waitFor(t, "✗ temperature 2.5 is outside 0..2", "draft saved now")
	golden.RequireEqual(t, finalFrame(t, tm))
}
