package tui

import (
	"context"
	"errors"
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
	d.mustShow("╭─3 History─") // in the main area, framed
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
	d.mustShow("filter", "sort: name/recent", "next pane", "zoom", "quit", "page down")
	if n := strings.Count(d.screen(), "\n") + 1; n != 30 {
		t.Fatalf("frame with full help is %d lines high", n)
	}
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.mustShow("filter", "next pane", "zoom", "quit", "page down")
	if n := strings.Count(d.screen(), "\n") + 1; n != 24 {
		t.Fatalf("frame at 80×24 with full help is %d lines high", n)
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

// failingStore fails listings while broken is set, as a store another
// process holds would.
type failingStore struct {
	*workspace.Workspace
	broken *bool
}

func (s failingStore) List(ctx context.Context, f workspace.Filter) ([]workspace.Prompt, error) {
	if *s.broken {
		return nil, errors.New("store is broken\nsecond line with the details")
	}
	return s.Workspace.List(ctx, f)
}

func TestErrorsGoToTheStatusLineAndBangShowsThemInFull(t *testing.T) {
	broken := true
	d := newDriver(t, failingStore{demoWorkspace(t), &broken}, 100, 30)
	d.mustShow("load the library: store is broken …", "1 Library", "Could not load the library.")
	d.mustNotShow("second line")
	d.typeKeys("!")
	d.mustShow("second line with the details")
	if n := strings.Count(d.screen(), "\n") + 1; n != 30 {
		t.Fatalf("frame with the full error is %d lines high", n)
	}
	d.typeKeys("!")
	d.mustNotShow("second line")
	// While the error is open, ? shows the help in its place and esc
	// closes it, on any pane.
	d.typeKeys("!?")
	d.mustShow("next theme")
	d.mustNotShow("second line")
	d.typeKeys("?!")
	d.mustShow("second line", "! or esc hides it")
	d.press(tea.KeyEscape)
	d.mustNotShow("second line")
	d.send(clearStatusMsg{seq: d.m.status.seq})
	d.mustNotShow("store is broken")
	broken = false
	d.send(libraryRetryMsg{}) // the retry timer fired
	d.mustShow("12 prompts")
}

func TestYCopiesTheSelection(t *testing.T) {
	d := newDriver(t, demoWorkspace(t), 100, 30)
	d.typeKeys("/joke")
	d.press(tea.KeyEnter)
	d.typeKeys("y")
	if d.clipboard != "fun/joke" {
		t.Fatalf("y in the Library copied %q", d.clipboard)
	}
	d.mustShow("copied fun/joke")
	d.typeKeys("2y")
	if !strings.HasPrefix(d.clipboard, "system:\n") && !strings.HasPrefix(d.clipboard, "user:\n") {
		t.Fatalf("y in the Prompt pane copied %q", d.clipboard)
	}
	d.typeKeys("Y")
	if !strings.HasPrefix(d.clipboard, "fun/joke@") {
		t.Fatalf("Y copied %q", d.clipboard)
	}
}

func TestMouseFocusesSelectsAndScrolls(t *testing.T) {
	d := newDriver(t, demoWorkspace(t), 100, 30)
	// The Library's frame starts at row 1, its rows under the header line
	// at row 3: row 3 + 11 is "support" under purpose.
	d.send(tea.MouseClickMsg{X: 5, Y: 3 + 11, Button: tea.MouseLeft})
	if !strings.Contains(d.cursorLine(), "support") {
		t.Fatalf("click put the cursor on %q", d.cursorLine())
	}
	d.send(tea.MouseClickMsg{X: 5, Y: 3 + 11, Button: tea.MouseLeft}) // again: opens it
	d.mustShow("support/")
	d.send(tea.MouseClickMsg{X: 60, Y: 10, Button: tea.MouseLeft})
	if d.m.focus != panePrompt {
		t.Fatalf("click in the main area focused %v", d.m.focus)
	}
	d.send(tea.MouseClickMsg{X: 58, Y: 0, Button: tea.MouseLeft}) // the "5 Compare" tab
	if d.m.focus != paneCompare {
		t.Fatalf("click on the tab bar focused %v", d.m.focus)
	}
	d.send(tea.MouseWheelMsg{X: 5, Y: 10, Button: tea.MouseWheelDown}) // 3 rows down
	if !strings.Contains(d.cursorLine(), "style") {
		t.Fatalf("wheel put the cursor on %q", d.cursorLine())
	}
}

func TestThemeKeyCyclesThemes(t *testing.T) {
	d := newDriver(t, demoWorkspace(t), 100, 30)
	d.typeKeys("/reply")
	d.press(tea.KeyEnter)
	d.typeKeys("T")
	d.mustShow("theme: high-contrast", "support/reply @3")
	if d.m.c.styles.Name != "high-contrast" {
		t.Fatalf("styles are %s", d.m.c.styles.Name)
	}
	d.typeKeys("TT")
	d.mustShow("theme: auto (dark)")
	d.typeKeys("T")
	d.mustShow("theme: dark")
}

// While a field takes the keys, the help line offers only what acts: the
// pane's keys and ctrl+c, not q or the pane numbers.
func TestHelpWhileTypingLeavesOutGlobalLetterKeys(t *testing.T) {
	d := newDriver(t, demoWorkspace(t), 100, 30)
	d.mustShow("q quit")
	d.typeKeys("/")
	d.mustNotShow("q quit", "1-6 go to pane")
	d.mustShow("ctrl+c quit")
}
