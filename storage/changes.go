package storage

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// changeFile, in the store directory, is rewritten after every committed
// write. A long-lived process (the terminal UI) reads it to notice a change
// made by another process without opening the store: a stat and a read of a
// few bytes instead of a read-only open per tick. It is a hint, not data:
// a process killed between its commit and this write leaves the old mark
// until the next write.
const changeFile = "CHANGED"

// ChangeMark returns the store's change mark: equal marks mean no write
// committed in between (see changeFile). A store never written returns "".
func ChangeMark(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, changeFile))
	if err != nil {
		return ""
	}
	return string(b)
}

// markChanged writes a new change mark; failing to is not worth failing a
// committed write for.
func (s *Store) markChanged() {
	mark := fmt.Sprintf("%d %d\n", time.Now().UnixNano(), os.Getpid())
	_ = os.WriteFile(filepath.Join(s.dir, changeFile), []byte(mark), 0o644)
}
