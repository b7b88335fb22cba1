package tui

import (
	"strconv"

	tea "charm.land/bubbletea/v2"
)

// promptSelectedMsg says which prompt version is selected; the root
// records it in common.selected and passes it to every pane.
type promptSelectedMsg struct {
	name   string
	number int    // version number; 0: none (the library is empty)
	hash   string // full content hash of that version
}

// selection is the selected prompt version, as the last
// promptSelectedMsg said.
type selection = promptSelectedMsg

// ref is how the CLI names the selected version: name@N.
func (s selection) ref() string {
	if s.name == "" || s.number == 0 {
		return s.name
	}
	return s.name + "@" + strconv.Itoa(s.number)
}

// workspaceChangedMsg says the store changed (here or in another process):
// panes reload what they show.
type workspaceChangedMsg struct{}

// themeChangedMsg says common.styles was rebuilt.
type themeChangedMsg struct{}

// changeTickMsg asks the root to look at the workspace's change mark.
type changeTickMsg struct{}

// changeMarkMsg carries the change mark just read.
type changeMarkMsg struct{ mark string }

// focusMsg asks the root to focus a pane.
type focusMsg struct{ id paneID }

// backMsg is esc that the focused pane had no use for.
type backMsg struct{}

func focusPane(id paneID) tea.Cmd { return func() tea.Msg { return focusMsg{id: id} } }

func goBack() tea.Cmd { return func() tea.Msg { return backMsg{} } }

// selectPrompt broadcasts a selection through the root.
func selectPrompt(s selection) tea.Cmd { return func() tea.Msg { return s } }
