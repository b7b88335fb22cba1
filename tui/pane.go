package tui

// How a pane fits in
//
// The root model (app.go) holds each pane as a typed field and owns focus,
// layout, the status line and the global keys. A pane is a pointer whose
// Update mutates it in place and returns at most one Cmd.
//
//   - Size: layout.go computes every rectangle on tea.WindowSizeMsg and calls
//     SetSize with the pane's inner size (inside its frame). Panes never read
//     the terminal size; re-wrap only when the width changed.
//   - Keys: the root sends tea.KeyPressMsg only to the focused pane. While
//     Capturing() is true (a text input has focus) every key but ctrl+c goes
//     to the pane; otherwise the global keys (q, ?, tab, 1–6, z) win and the
//     rest reach the pane. Keys are key.Binding values matched with
//     key.Matches; shared ones (enter, esc, y, /, movement) are in
//     common.keys.
//   - Mouse: clicks and wheel reach the pane under the pointer with X and Y
//     made relative to the pane's inner top-left corner.
//   - The selection: the Library broadcasts promptSelectedMsg{name, number,
//     hash} when the selected prompt changes (and again when a change from
//     elsewhere gave it a new latest version). The root keeps it in
//     common.selected and passes the message to every pane; a pane that
//     shows something of the selected prompt loads it then. Any pane may
//     select a version the same way (History choosing version 3 sends
//     promptSelectedMsg{name, 3, hash}).
//   - The store: every read or write is a tea.Cmd built by the pane that
//     calls common.store with common.ctx and returns one message carrying
//     the result and the error, e.g.
//
//     func loadHistory(c *common, name string) tea.Cmd {
//     	st, ctx := c.store, c.ctx
//     	return func() tea.Msg {
//     		p, vs, err := st.History(ctx, name)
//     		return historyLoadedMsg{name: name, prompt: p, versions: vs, err: err}
//     	}
//     }
//
//     A Cmd captures values and never writes the pane's fields; the pane
//     checks on arrival that the message still matches what it shows (the
//     name) and drops stale ones. Errors go to the status line by returning
//     reportErr("load history", err). Add the methods a pane needs to the
//     Store interface in common.go: *workspace.Workspace already has them.
//   - Messages the root does not know (every pane's async results) are
//     passed to all panes; each picks out its own types and ignores the
//     rest, so a new pane needs no change to the root's Update.
//   - workspaceChangedMsg arrives when another process (or this one)
//     changed the store: reload what you show if it may have changed.
//   - themeChangedMsg arrives after common.styles changed: re-push styles
//     into bubbles components and drop caches of rendered text.
//   - A pane that has nothing to undo on esc returns goBack(): the root
//     leaves zoom or returns focus to the Library. focusPane(id) asks the
//     root to focus another pane (the Library does on enter).
//   - Helpers: report(text) puts a note in the status line, copyText(what,
//     text) copies (OSC 52) and says so, common.tick is tea.Tick (tests
//     replace it), common.md renders markdown with caching, common.ago and
//     common.age word times with the injected clock.

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// pane is one of the numbered panes.
type pane interface {
	Update(msg tea.Msg) tea.Cmd
	// View draws the pane's inside, exactly its size: the root draws the
	// frame and title around it.
	View() string
	SetSize(width, height int)
	Focus() tea.Cmd
	Blur()
	// Capturing tells whether a text input has focus, so that letter keys
	// are typed instead of acting globally.
	Capturing() bool
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
}

// paneID numbers the panes as the keys 1–6 do (minus one).
type paneID int

const (
	paneLibrary paneID = iota
	panePrompt
	paneHistory
	paneEditor
	paneCompare
	paneLogs
	paneCount
)

// title is the pane's name in its frame and the tab bar.
func (id paneID) title() string {
	switch id {
	case paneLibrary:
		return "Library"
	case panePrompt:
		return "Prompt"
	case paneHistory:
		return "History"
	case paneEditor:
		return "Editor"
	case paneCompare:
		return "Compare"
	case paneLogs:
		return "Logs"
	}
	return ""
}
