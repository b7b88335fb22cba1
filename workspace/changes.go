package workspace

import (
	"path/filepath"

	"promptbench/storage"
)

// ChangeMark is a cheap mark of the workspace's last committed change: a
// long-lived process compares it every second or two and reloads what it
// shows only when it moved, which is how the terminal UI notices a commit
// made in another terminal. It reads a few bytes and never opens the store.
func (ws *Workspace) ChangeMark() string {
	return storage.ChangeMark(filepath.Join(ws.Dir, storeName))
}
