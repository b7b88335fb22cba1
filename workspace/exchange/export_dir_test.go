package exchange

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"promptbench/storage"
)

// A folder export refused part-way (a key-looking word in a prompt made
// after others changed) changes no file and leaves no temporary file:
// the changed files are put in place only once all are made.
func TestExportDirRefusedChangesNoFile(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "a-first", text("fine"))
	leaky := mustCommit(t, ws, "z-last", text("Call the API please")).Version
	dir := t.TempDir()
	if err := ExportDir(ctx, ws, dir, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(dir, "a-first.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	mustCommit(t, ws, "a-first", text("finer"))
	leaky.Messages[0].Content = "Call the API with key sk-abcdefghijklmnopqrstuvwx please"
	_, err = ws.BulkWrite(ctx, func(st *storage.Store) error {
		b, err := json.Marshal(leaky)
		if err != nil {
			return err
		}
		return st.Update(func(tx *storage.Tx) error { return tx.PutVersion(leaky.Prompt, leaky.Number, b) })
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := ExportDir(ctx, ws, dir, ExportOptions{}); err == nil {
		t.Fatal("the export of a key-looking word was not refused")
	}
	if after, err := os.ReadFile(filepath.Join(dir, "a-first.yaml")); err != nil || string(after) != string(before) {
		t.Errorf("a-first.yaml changed by a refused export (%v):\n%s", err, after)
	}
	if temps, _ := filepath.Glob(filepath.Join(dir, ".*")); len(temps) > 0 {
		t.Errorf("temporary files left: %v", temps)
	}
	// The audit records the export held in a temporary file are gone too.
	if temps, _ := filepath.Glob(filepath.Join(ws.Dir, "*.tmp")); len(temps) > 0 {
		t.Errorf("temporary files left in the workspace: %v", temps)
	}
}
