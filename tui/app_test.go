package tui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"promptbench/workspace"
)

func TestFramesEveryPaneAndNumbersThem(t *testing.T) {
	d := newDriver(t, demoWorkspace(t), 100, 30)
	d.mustShow("1 Library", "2 Prompt", "3 History", "4 Editor", "5 Compare", "6 Logs", "12 prompts", "purpose")
	for i, line := range strings.Split(d.screen(), "\n") {
		if w := len([]rune(line)); w > 100 {
			t.Fatalf("line %d is %d cells wide: %q", i, w, line)
		}
	}
	if n := strings.Count(d.screen(), "\n") + 1; n != 30 {
		t.Fatalf("frame is %d lines high, want 30", n)
	}
}

func TestResizeDownToMinimumAndBelow(t *testing.T) {
	d := newDriver(t, demoWorkspace(t), 100, 30)
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.mustShow("1 Library", "purpose")
	if n := strings.Count(d.screen(), "\n") + 1; n != 24 {
		t.Fatalf("frame at 80×24 is %d lines high", n)
	}
	d.send(tea.WindowSizeMsg{Width: 79, Height: 24})
	d.mustShow("Terminal too small", "at least 80×24", "this one is 79×24")
	d.send(tea.WindowSizeMsg{Width: 120, Height: 23})
	d.mustShow("Terminal too small", "120×23")
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.mustNotShow("too small")
	d.mustShow("1 Library")
}

func TestNumbersAndTabMoveFocus(t *testing.T) {
	d := newDriver(t, demoWorkspace(t), 100, 30)
	d.typeKeys("3")
	if d.m.focus != paneHistory || d.m.main != paneHistory {
		t.Fatalf("3 focused %v showing %v", d.m.focus, d.m.main)
	}
	d.mustShow("3 History", "Select a prompt in the Library")
	d.press(tea.KeyTab)
	if d.m.focus != paneEditor {
		t.Fatalf("tab after 3 focused %v", d.m.focus)
	}
	d.press(tea.KeyTab, tea.ModShift)
	d.press(tea.KeyTab, tea.ModShift)
	if d.m.focus != panePrompt {
		t.Fatalf("shift+tab twice focused %v", d.m.focus)
	}
	d.press(tea.KeyEsc)
	if d.m.focus != paneLibrary {
		t.Fatalf("esc focused %v, want the Library", d.m.focus)
	}
}

func TestZoomGivesTheFocusedPaneTheScreen(t *testing.T) {
	d := newDriver(t, demoWorkspace(t), 100, 30)
	d.typeKeys("2z")
	d.mustNotShow("1 Library─")
	d.mustShow("2 Prompt─")
	d.press(tea.KeyEsc)
	d.mustShow("1 Library─", "2 Prompt─")
}

func TestQuitKey(t *testing.T) {
	d := newDriver(t, demoWorkspace(t), 100, 30)
	d.typeKeys("q")
	if !d.quit {
		t.Fatal("q did not quit")
	}
}

func TestHelpShowsFocusedAndGlobalKeys(t *testing.T) {
	d := newDriver(t, demoWorkspace(t), 100, 30)
	d.typeKeys("?")
	d.mustShow("filter", "sort name/recent", "next pane", "zoom", "quit", "page down")
	if n := strings.Count(d.screen(), "\n") + 1; n != 30 {
		t.Fatalf("frame with full help is %d lines high", n)
	}
	d.typeKeys("?")
	d.mustNotShow("page down")
}

// commitElsewhere commits through a second handle on the workspace, as
// another promptbench process would.
func commitElsewhere(t *testing.T, dir, name, text string, tags ...string) {
	t.Helper()
	ws, err := workspace.Open(dir, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := workspace.ParseTags(tags)
	if err != nil {
		t.Fatal(err)
	}
	d := workspace.Draft{Messages: []workspace.Message{{Role: workspace.RoleUser, Content: text}}, Tags: parsed, Message: "from elsewhere"}
	if _, err := ws.Commit(context.Background(), name, d); err != nil {
		t.Fatal(err)
	}
}
