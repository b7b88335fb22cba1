package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"promptbench/storage"
)

// TestRollbackTakesRunIndexKeys: an import killed after writing a run's
// log entries is rolled back by the next writer with the run index keys
// it wrote before them, so that doctor finds none left behind.
func TestRollbackTakesRunIndexKeys(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "p", text("Hi {{name}}"))
	plant(t, ws, func(tx *storage.Tx) error {
		mark, err := tx.AuditMark()
		if err != nil {
			return err
		}
		j := Journal{Mark: mark, Logs: []JournalLog{{Prompt: "p", Version: 1, ID: "imported-1", Run: "r-imported"}}, Runs: []string{"r-imported"}}
		b, _ := json.Marshal(j)
		r, _ := json.Marshal(Run{ID: "r-imported", Status: RunDone, LogIndex: true})
		return errors.Join(tx.PutJournal(0, b), tx.PutRunLog("r-imported", "p", 1, "imported-1"),
			tx.PutLog("p", 1, "imported-1", logJSON("p", 1, "imported-1", "eval:r-imported")), tx.PutRun("r-imported", r))
	})
	if err := ws.update(ctx, func(*storage.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if n := runIndexKeysOf(t, ws, "p"); n != 0 {
		t.Fatalf("%d run index keys left by the rolled-back import", n)
	}
	if rep := doctor(t, ws, false); len(rep.Problems) != 0 {
		t.Fatalf("doctor after the rollback: %q", names(rep.Problems))
	}
}
