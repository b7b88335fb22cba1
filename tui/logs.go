package tui

// logsPane is the Logs pane. Until it is built it is a stub that
// shows the selected prompt; replace this file with the real pane.
type logsPane struct{ stubPane }

var _ pane = (*logsPane)(nil)

func newLogsPane(c *common) *logsPane {
	return &logsPane{stubPane{c: c, what: "The version's log entries and summary; open one; add or change a score."}}
}
