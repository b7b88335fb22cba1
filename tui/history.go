package tui

// historyPane is the History pane. Until it is built it is a stub that
// shows the selected prompt; replace this file with the real pane.
type historyPane struct{ stubPane }

var _ pane = (*historyPane)(nil)

func newHistoryPane(c *common) *historyPane {
	return &historyPane{stubPane{c: c, what: "Versions newest first with message, author and age; the diff of any two; promote and roll back labels."}}
}
