package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"promptbench/tui/termtext"
)

// stubPane stands in for a pane that is not built yet: it says what the
// pane will do and shows the selected prompt. Delete this file when the
// last pane embedding it is replaced.
type stubPane struct {
	c             *common
	what          string
	width, height int
}

func (p *stubPane) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch {
	case key.Matches(k, p.c.keys.Back):
		return goBack()
	case key.Matches(k, p.c.keys.Copy):
		ref := p.c.selected.ref()
		return copyText(ref, ref)
	}
	return nil
}

func (p *stubPane) View() string {
	st := p.c.styles.Base
	lines := []string{st.Muted.Render(p.what), ""}
	if s := p.c.selected; s.name != "" {
		lines = append(lines, st.Text.Render("Selected: ")+st.Accent.Render(termtext.Sanitize(s.ref())))
	} else {
		lines = append(lines, st.Muted.Render("No prompt selected."))
	}
	return strings.Join(lines, "\n")
}

func (p *stubPane) SetSize(w, h int) { p.width, p.height = w, h }
func (p *stubPane) Focus() tea.Cmd   { return nil }
func (p *stubPane) Blur()            {}
func (p *stubPane) Capturing() bool  { return false }
func (p *stubPane) ShortHelp() []key.Binding {
	return []key.Binding{p.c.keys.Copy, p.c.keys.Back}
}
func (p *stubPane) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }
