package tui

// comparePane is the Compare pane. Until it is built it is a stub that
// shows the selected prompt; replace this file with the real pane.
type comparePane struct{ stubPane }

var _ pane = (*comparePane)(nil)

func newComparePane(c *common) *comparePane {
	return &comparePane{stubPane{c: c, what: "Run 2–4 variants side by side on the same variables, streaming; score each output."}}
}
