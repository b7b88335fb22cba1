package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// moveTo presses j until the cursor row contains text.
func (d *driver) moveTo(text string) {
	d.t.Helper()
	for range 60 {
		if strings.Contains(d.cursorLine(), text) {
			return
		}
		d.typeKeys("j")
	}
	d.t.Fatalf("no row %q reached:\n%s", text, d.screen())
}

func TestSelectByTag(t *testing.T) {
	d := newDriver(t, demoWorkspace(t), 100, 30)
	d.mustNotShow("reply") // values start closed
	d.moveTo("support")
	if !strings.Contains(d.cursorLine(), "support") || !strings.Contains(d.cursorLine(), "2") {
		t.Fatalf("support row without its count: %q", d.cursorLine())
	}
	d.press(tea.KeyEnter) // opens the value
	d.mustShow("support/", "reply", "style")
	d.moveTo("reply")
	d.press(tea.KeyEnter)
	if d.m.focus != panePrompt {
		t.Fatalf("enter on a prompt focused %v", d.m.focus)
	}
	if got := d.m.c.selected.ref(); got != "support/reply@3" {
		t.Fatalf("selected %q", got)
	}
	d.mustShow("support/reply @3 (latest)", "SYSTEM", "USER", "{{company}}", "{{> support/style}}", "production")
}

func TestFilterRanksMatchesAndEnterKeepsIt(t *testing.T) {
	d := newDriver(t, demoWorkspace(t), 100, 30)
	d.typeKeys("/joke")
	if !d.m.library.Capturing() {
		t.Fatal("filter input does not capture keys")
	}
	d.mustShow("/ joke", "fun/joke")
	d.mustNotShow("support/reply", "▾ purpose")
	d.press(tea.KeyEnter)
	if d.m.library.Capturing() {
		t.Fatal("enter left the filter capturing")
	}
	d.mustShow("/ joke · ", "found")
	if got := d.m.c.selected.name; got != "fun/joke" {
		t.Fatalf("selected %q after the filter", got)
	}
	d.press(tea.KeyEsc) // clears the applied filter
	d.mustShow("▾ purpose")
	d.mustNotShow("/ joke")
	if !strings.Contains(d.cursorLine(), "joke") {
		t.Fatalf("the tree does not show the selected prompt under the cursor: %q", d.cursorLine())
	}
}

func TestFilterSearchesDescriptionsAndTags(t *testing.T) {
	d := newDriver(t, demoWorkspace(t), 100, 30)
	d.typeKeys("/ticket")
	d.mustShow("support/reply")
	d.press(tea.KeyEsc)
	d.typeKeys("/humor")
	d.mustShow("fun/joke")
}

func TestQDoesNotQuitWhileFiltering(t *testing.T) {
	d := newDriver(t, demoWorkspace(t), 100, 30)
	d.typeKeys("/q")
	if d.quit {
		t.Fatal("q quit while typing in the filter")
	}
	d.mustShow("/ q")
	d.typeKeys("1?z") // numbers, help and zoom are typed too
	if d.m.zoomed || d.m.help.ShowAll {
		t.Fatal("global keys acted while typing")
	}
	d.press(tea.KeyEsc)
	d.typeKeys("q")
	if !d.quit {
		t.Fatal("q did not quit after the filter closed")
	}
}

func TestSortByRecency(t *testing.T) {
	d := newDriver(t, demoWorkspace(t), 100, 30)
	d.typeKeys("s")
	d.mustShow("recent first")
	d.typeKeys("s")
	d.mustShow("by name")
}

func TestCommitFromAnotherProcessAppears(t *testing.T) {
	ws := demoWorkspace(t)
	d := newDriver(t, ws, 100, 30)
	d.moveTo("support")
	d.press(tea.KeyEnter)
	d.moveTo("reply")
	commitElsewhere(t, ws.Dir, "support/reply", "Hello {{customer}}, newer text.")
	commitElsewhere(t, ws.Dir, "brand-new", "Fresh.", "purpose:support")
	d.send(changeTickMsg{})
	d.mustShow("13 prompts", "brand-new")
	if got := d.m.c.selected.ref(); got != "support/reply@4" {
		t.Fatalf("selection did not follow the new version: %q", got)
	}
	d.mustShow("support/reply @4", "from elsewhere")
	d.send(changeTickMsg{}) // unchanged: nothing reloads, nothing breaks
	d.mustShow("13 prompts")
}

func TestFilterRanksNameMatchesFirst(t *testing.T) {
	d := newDriver(t, demoWorkspace(t), 100, 30)
	d.typeKeys("/sup")
	if !strings.Contains(d.cursorLine(), "support/") {
		t.Fatalf("first match for sup is %q", d.cursorLine())
	}
}

func TestFilterSaysWhereAMatchOutsideTheNameIs(t *testing.T) {
	d := newDriver(t, demoWorkspace(t), 100, 30)
	d.typeKeys("/humor")
	d.mustShow("fun/joke ·purpose:humor")
	d.press(tea.KeyEsc)
	d.typeKeys("/invoice")
	d.mustNotShow("·description") // the name holds it
}

func TestScrolledTreeNamesItsPlace(t *testing.T) {
	ws := demoWorkspace(t)
	for i := range 30 {
		commitElsewhere(t, ws.Dir, fmt.Sprintf("support/extra-%02d", i), "Extra.", "purpose:support")
	}
	d := newDriver(t, ws, 100, 30)
	d.moveTo("support")
	d.press(tea.KeyEnter)
	d.moveTo("extra-25")
	d.mustShow("↑ purpose › support › support/")
}

func TestPasteGoesToTheFilterOnly(t *testing.T) {
	d := newDriver(t, demoWorkspace(t), 100, 30)
	d.send(tea.PasteMsg{Content: "joke"}) // not filtering: nothing happens
	d.mustShow("12 prompts")
	d.typeKeys("/")
	d.send(tea.PasteMsg{Content: "joke"})
	d.mustShow("/ joke", "fun/joke")
	d.press(tea.KeyDown)
	d.press(tea.KeyUp)
	if !d.m.library.Capturing() {
		t.Fatal("arrows ended the filter")
	}
}
