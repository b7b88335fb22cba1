package tui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"promptbench/workspace"
)

// openEditor selects prompt name's latest version and focuses the Editor.
func openEditor(t *testing.T, d *driver, ws *workspace.Workspace, name string) {
	t.Helper()
	pr, _, err := ws.Show(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	d.send(selection{name: pr.Name, number: pr.Latest, hash: pr.LatestHash})
	d.typeKeys("4")
	d.mustShow(name+" · editing v", "── messages")
}

func ctrlS(d *driver) { d.press('s', tea.ModCtrl) }

// flushDraft fires the pending save, as the timer would once typing
// paused.
func flushDraft(d *driver) {
	d.send(draftSaveTickMsg{name: d.m.editor.sel.name, seq: d.m.editor.editSeq})
}

func TestEditorEditAndCommit(t *testing.T) {
	ws := demoWorkspace(t)
	d := newDriver(t, ws, 100, 30)
	openEditor(t, d, ws, "support/reply")
	d.press(tea.KeyEnter) // edit the system message
	if !d.m.editor.Capturing() {
		t.Fatal("editing a message does not capture keys")
	}
	d.press(tea.KeyEnd, tea.ModCtrl)
	d.typeKeys(" Reply in q1 paragraph.")
	if d.quit || d.m.focus != paneEditor {
		t.Fatal("q or 1 acted globally while a message was edited")
	}
	d.press(tea.KeyEsc)
	d.mustShow("editing v3 · edited")
	ctrlS(d)
	d.mustShow("Commit support/reply as a new version", "message:")
	d.press(tea.KeyEnter)
	d.mustShow("a commit needs a message")
	d.typeKeys("Ask for one paragraph")
	d.press(tea.KeyEnter)
	_, v, err := ws.Show(context.Background(), "support/reply")
	if err != nil {
		t.Fatal(err)
	}
	if v.Number != 4 || v.Message != "Ask for one paragraph" || !strings.HasSuffix(v.Messages[0].Content, " Reply in q1 paragraph.") {
		t.Fatalf("latest is v%d %q: %q", v.Number, v.Message, v.Messages[0].Content)
	}
	d.mustShow("committed support/reply@4", "editing v4 · unchanged")
	if sel := d.m.c.selected; sel.number != 4 {
		t.Fatalf("selection after the commit: %+v", sel)
	}
	if _, err := ws.LoadDraft("support/reply"); !errors.Is(err, workspace.ErrNotFound) {
		t.Fatalf("the draft outlived its commit: %v", err)
	}
}

func TestEditorRefusesUnchangedCommit(t *testing.T) {
	ws := demoWorkspace(t)
	d := newDriver(t, ws, 100, 30)
	openEditor(t, d, ws, "support/reply")
	ctrlS(d)
	d.mustShow("nothing to commit: the form is the same as support/reply@3")
	d.mustNotShow("message:")
}

func TestEditorShowsFieldErrorsInline(t *testing.T) {
	ws := demoWorkspace(t)
	d := newDriver(t, ws, 100, 30)
	openEditor(t, d, ws, "support/reply")
	d.typeKeys("jjj") // past both messages to temperature
	d.press(tea.KeyEnter)
	for range 3 {
		d.press(tea.KeyBackspace)
	}
	d.typeKeys("2.5")
	d.mustShow("✗ temperature 2.5 is outside 0..2")
	for range 3 {
		d.press(tea.KeyBackspace)
	}
	d.typeKeys("x")
	d.mustShow(`✗ "x" is not a number`)
	d.press(tea.KeyEsc)
	ctrlS(d)
	d.mustShow("not committed: fix the fields marked ✗ first")
}

func TestQuitWithUncommittedEditsAsks(t *testing.T) {
	ws := demoWorkspace(t)
	d := newDriver(t, ws, 100, 30)
	openEditor(t, d, ws, "support/reply")
	d.typeKeys("a")
	d.typeKeys("Thanks!")
	d.press(tea.KeyEsc)
	d.typeKeys("1q") // quit from the Library
	if d.quit {
		t.Fatal("quit without asking about the edits")
	}
	d.mustShow("Quit with uncommitted edits to support/reply?")
	d.typeKeys("n")
	if d.quit {
		t.Fatal("n quit")
	}
	d.typeKeys("q")
	d.typeKeys("y")
	if !d.quit {
		t.Fatal("y did not quit")
	}
	dr, err := ws.LoadDraft("support/reply")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(dr.Messages); n != 3 || dr.Messages[1].Content != "Thanks!" || dr.Messages[1].Role != "user" {
		t.Fatalf("draft on disk: %+v", dr.Messages)
	}
}

func TestDraftIsOfferedAfterARestart(t *testing.T) {
	ws := demoWorkspace(t)
	d := newDriver(t, ws, 100, 30)
	openEditor(t, d, ws, "support/reply")
	d.typeKeys("jjjjjjjjj") // tags, the last field
	d.press(tea.KeyEnter)
	d.typeKeys(" lang:en")
	flushDraft(d)
	d.mustShow("draft saved now")

	// A new UI on the same workspace, as after a crash.
	d2 := newDriver(t, ws, 100, 30)
	d2.mustShow("uncommitted draft of support/reply on disk")
	openEditor(t, d2, ws, "support/reply")
	d2.mustShow("A draft of this prompt is on disk (from v3", "r restore it · d discard it")
	d2.typeKeys("r")
	d2.mustShow("draft restored", "lang:en", "editing v3 · edited")
	if !d2.m.editor.Dirty() {
		t.Fatal("a restored draft is not dirty")
	}
}

func TestDiscardedDraftIsNotOfferedAgain(t *testing.T) {
	ws := demoWorkspace(t)
	d := newDriver(t, ws, 100, 30)
	openEditor(t, d, ws, "support/reply")
	d.press(tea.KeyEnter)
	d.typeKeys("!")
	flushDraft(d)
	d2 := newDriver(t, ws, 100, 30)
	openEditor(t, d2, ws, "support/reply")
	d2.typeKeys("d")
	if _, err := ws.LoadDraft("support/reply"); !errors.Is(err, workspace.ErrNotFound) {
		t.Fatalf("discarded draft still on disk: %v", err)
	}
	d2.mustNotShow("A draft of this prompt")
}

func TestEditorReordersAndChangesRoles(t *testing.T) {
	ws := demoWorkspace(t)
	d := newDriver(t, ws, 100, 30)
	openEditor(t, d, ws, "support/reply")
	d.typeKeys("J") // system below user
	d.typeKeys("r") // system → user
	form, _ := d.m.editor.form.draft(d.m.editor.base)
	if form.Messages[0].Role != "user" || form.Messages[1].Role != "user" || !strings.HasPrefix(form.Messages[1].Content, "You are") {
		t.Fatalf("messages after J and r: %+v", form.Messages)
	}
	d.typeKeys("x")
	form, _ = d.m.editor.form.draft(d.m.editor.base)
	if len(form.Messages) != 1 || !strings.HasPrefix(form.Messages[0].Content, "Customer") {
		t.Fatalf("messages after x: %+v", form.Messages)
	}
	d.typeKeys("x")
	d.mustShow("a version needs at least one message")
}

func TestEditorDescriptionOnlyChangeMakesNoVersion(t *testing.T) {
	ws := demoWorkspace(t)
	d := newDriver(t, ws, 100, 30)
	openEditor(t, d, ws, "support/reply")
	d.typeKeys("jjjjjjjjj") // description
	d.press(tea.KeyEnter)
	d.typeKeys(", in English")
	d.press(tea.KeyEsc)
	ctrlS(d)
	d.typeKeys("Say the language")
	d.press(tea.KeyEnter)
	d.mustShow("description and tags saved (same content: no new version)")
	pr, _, err := ws.Show(context.Background(), "support/reply")
	if err != nil {
		t.Fatal(err)
	}
	if pr.Latest != 3 || pr.Description != "Replies to a customer support ticket, in English" {
		t.Fatalf("latest v%d, description %q", pr.Latest, pr.Description)
	}
}

func TestEditorCommitRemovesTagsTakenOut(t *testing.T) {
	ws := demoWorkspace(t)
	d := newDriver(t, ws, 100, 30)
	openEditor(t, d, ws, "support/reply")
	d.press(tea.KeyEnter)
	d.typeKeys("Hi. ")
	d.press(tea.KeyTab) // on to the user message, then the fields
	for range 9 {
		d.press(tea.KeyTab)
	}
	for range len("tone:friendly") {
		d.press(tea.KeyBackspace)
	}
	d.typeKeys("tone:formal")
	d.press(tea.KeyEsc)
	ctrlS(d)
	d.typeKeys("Formal tone")
	d.press(tea.KeyEnter)
	pr, v, err := ws.Show(context.Background(), "support/reply")
	if err != nil {
		t.Fatal(err)
	}
	if v.Number != 4 || strings.Join(pr.Tags, " ") != "audience:consumer purpose:support tone:formal" {
		t.Fatalf("v%d tags %v", v.Number, pr.Tags)
	}
}

func TestCtrlCTwiceQuitsKeepingTheDraft(t *testing.T) {
	ws := demoWorkspace(t)
	d := newDriver(t, ws, 100, 30)
	openEditor(t, d, ws, "support/reply")
	d.press(tea.KeyEnter)
	d.typeKeys("Hello ")
	d.press('c', tea.ModCtrl)
	if d.quit {
		t.Fatal("ctrl+c quit without asking about the edits")
	}
	d.mustShow("Quit with uncommitted edits")
	d.press('c', tea.ModCtrl)
	if !d.quit {
		t.Fatal("a second ctrl+c did not quit")
	}
	if _, err := ws.LoadDraft("support/reply"); err != nil {
		t.Fatalf("no draft after quitting: %v", err)
	}
}

func TestEditorClickFocusesThenEdits(t *testing.T) {
	ws := demoWorkspace(t)
	d := newDriver(t, ws, 100, 30)
	openEditor(t, d, ws, "support/reply")
	y := -1
	for i, line := range strings.Split(d.screen(), "\n") {
		if strings.Contains(line, "max_tokens  400") {
			y = i
		}
	}
	click := tea.MouseClickMsg{X: 60, Y: y, Button: tea.MouseLeft}
	d.send(click)
	if f := d.m.editor.slotField(d.m.editor.slot); f != fieldMaxTokens || d.m.editor.editing {
		t.Fatalf("click focused %v (editing %v)", f, d.m.editor.editing)
	}
	d.send(click)
	if !d.m.editor.editing {
		t.Fatal("a second click did not start editing")
	}
}

func TestEditorShowsWhyACommitFailed(t *testing.T) {
	ws := demoWorkspace(t)
	d := newDriver(t, ws, 100, 30)
	openEditor(t, d, ws, "support/reply")
	d.press(tea.KeyEnter)
	d.typeKeys("{{> nope/missing}} ")
	d.press(tea.KeyEsc)
	ctrlS(d)
	d.typeKeys("Include a missing prompt")
	d.press(tea.KeyEnter)
	d.mustShow("✗ not committed:", "nope/missing")
	if _, v, _ := ws.Show(context.Background(), "support/reply"); v.Number != 3 {
		t.Fatalf("a refused commit made v%d", v.Number)
	}
	if !d.m.editor.Dirty() {
		t.Fatal("the edits were dropped after a refused commit")
	}
}

func TestEnterEndsAOneLineField(t *testing.T) {
	ws := demoWorkspace(t)
	d := newDriver(t, ws, 100, 30)
	openEditor(t, d, ws, "support/reply")
	d.typeKeys("jj") // model
	d.press(tea.KeyEnter)
	d.press(tea.KeyEnter)
	if d.m.editor.editing {
		t.Fatal("enter in the model field kept editing")
	}
	d.typeKeys("k") // moves, not typed
	if d.m.editor.slotMessage(d.m.editor.slot) != 1 {
		t.Fatal("k after enter did not move up")
	}
}

func TestDraftOfAnOlderVersionSaysSo(t *testing.T) {
	ws := demoWorkspace(t)
	d := newDriver(t, ws, 100, 30)
	openEditor(t, d, ws, "support/reply")
	d.press(tea.KeyEnter)
	d.typeKeys("Mine. ")
	flushDraft(d)
	commitElsewhere(t, ws.Dir, "support/reply", "Theirs")
	d2 := newDriver(t, ws, 100, 30)
	openEditor(t, d2, ws, "support/reply")
	d2.mustShow("A draft of this prompt is on disk (from v3", "This is v4: its changes since are not in the draft.")
}

func TestUnreadableDraftDoesNotBlockEditing(t *testing.T) {
	ws := demoWorkspace(t)
	if err := os.MkdirAll(filepath.Dir(ws.DraftPath("support/reply")), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ws.DraftPath("support/reply"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, ws, 100, 30)
	openEditor(t, d, ws, "support/reply")
	d.mustShow("editing v3 · unchanged", "the draft of support/reply (editing replaces it)")
}
