package tui

// editorStore is what the Editor pane needs of the workspace: drafts
// kept on disk and the commit of one.
type editorStore interface{}

// editorPane is the Editor pane. Until it is built it is a stub that
// shows the selected prompt; replace this file with the real pane.
type editorPane struct{ stubPane }

var _ pane = (*editorPane)(nil)

func newEditorPane(c *common) *editorPane {
	return &editorPane{stubPane{c: c, what: "Edit messages, model config, tags and description, or in $EDITOR; commit with a message."}}
}
