package tui

import (
	tea "charm.land/bubbletea/v2"
)

// paneAt is the pane drawn at a cell, if any.
func (m *Model) paneAt(x, y int) (paneID, bool) {
	if m.layout.tooSmall {
		return 0, false
	}
	if m.zoomed {
		return m.focus, m.layout.library.contains(x, y)
	}
	switch {
	case m.layout.library.contains(x, y):
		return paneLibrary, true
	case m.layout.main.contains(x, y):
		return m.main, true
	}
	return 0, false
}

// click focuses the pane clicked (or the tab) and passes the click on
// with coordinates inside the pane.
func (m *Model) click(msg tea.MouseClickMsg) tea.Cmd {
	if msg.Button != tea.MouseLeft {
		return nil
	}
	for id := range paneCount {
		if m.layout.tab[id].contains(msg.X, msg.Y) {
			return m.setFocus(id)
		}
	}
	id, ok := m.paneAt(msg.X, msg.Y)
	if !ok {
		return nil
	}
	focus := m.setFocus(id)
	in := m.rectOf(id).inner()
	msg.X, msg.Y = msg.X-in.x, msg.Y-in.y
	return tea.Batch(focus, m.pane(id).Update(msg))
}

// wheel scrolls the pane under the pointer, focused or not.
func (m *Model) wheel(msg tea.MouseWheelMsg) tea.Cmd {
	id, ok := m.paneAt(msg.X, msg.Y)
	if !ok {
		return nil
	}
	in := m.rectOf(id).inner()
	msg.X, msg.Y = msg.X-in.x, msg.Y-in.y
	return m.pane(id).Update(msg)
}
