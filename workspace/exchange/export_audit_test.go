package exchange

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"promptbench/storage"
	"promptbench/workspace"
)

// The audit section streams from the store's time-ordered audit keys. It
// must write what sorting the whole trail wrote: events an import brought
// in (written after ours, with earlier times), events of one instant
// (a batch's, two libraries'), in stores written before those keys
// existed too.

// auditedLibrary is a library whose trail is out of time order in the
// store and has many events of one instant, from two authors.
func auditedLibrary(t *testing.T) *workspace.Workspace {
	t.Helper()
	ctx := context.Background()
	other := newTestWorkspaceAs(t, "bob")
	for i := range 6 {
		mustCommit(t, other, fmt.Sprintf("shared/p-%d", i%4), text(fmt.Sprintf("bob's text %d", i)))
	}
	if _, err := other.SetLabel(ctx, "shared/p-1", "production"); err != nil {
		t.Fatal(err)
	}
	file := exportString(t, other, ExportOptions{})

	// A clock that stands still at one of bob's instants: all of alice's
	// events are of one instant (as a generated library's are), one of
	// them bob's too.
	dir := filepath.Join(t.TempDir(), workspace.DirName)
	stopped := time.Date(2026, 11, 1, 12, 3, 0, 0, time.UTC)
	ws, _, err := workspace.Init(ctx, dir, workspace.Options{Getenv: func(string) string { return "" },
		Now: func() time.Time { return stopped }, Author: func() string { return "alice" }})
	if err != nil {
		t.Fatal(err)
	}
	err = ws.Batch(ctx, func(b *workspace.Batch) error {
		for i, name := range []string{"mine/q-b", "mine/q-a", "mine/q-c", "mine/q-a"} {
			if err := b.Commit(name, text(fmt.Sprintf("batch text %d for %s", i, name))); err != nil {
				return err
			}
		}
		return b.Label("mine/q-a@1", "staging")
	})
	if err != nil {
		t.Fatal(err)
	}
	mustCommit(t, ws, "mine/r", text("one"))
	mustImport(t, ws, file, ImportOptions{})
	mustCommit(t, ws, "mine/r", text("two"))
	if _, err := ws.SetLabel(ctx, "mine/r", "production"); err != nil {
		t.Fatal(err)
	}
	return ws
}

// downgradeToSchema1 makes ws's store what a binary before the audit
// trail's time-ordered keys (schema 1) left: no such keys, schema 1.
func downgradeToSchema1(t *testing.T, ws *workspace.Workspace) {
	t.Helper()
	db, err := badger.Open(badger.DefaultOptions(filepath.Join(ws.Dir, "store")).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("A")})
		var keys [][]byte
		for it.Rewind(); it.Valid(); it.Next() {
			keys = append(keys, it.Item().KeyCopy(nil))
		}
		it.Close()
		if len(keys) == 0 {
			return fmt.Errorf("the store has no time-ordered audit keys")
		}
		for _, k := range keys {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return txn.Set([]byte("mschema"), binary.BigEndian.AppendUint32(nil, 1))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestExportAuditSectionOrder(t *testing.T) {
	ws := auditedLibrary(t)
	// The store holds the trail out of time order: the test is worth
	// something only then.
	var written []string
	err := ws.ViewStore(context.Background(), func(tx *storage.Tx) error {
		return tx.ScanAudit(func(b []byte) error {
			written = append(written, string(b[:len(`{"time":"2026-11-01T12:00:00Z"`)]))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	inOrder := true
	for i := 1; i < len(written); i++ {
		inOrder = inOrder && written[i-1] <= written[i]
	}
	if inOrder {
		t.Fatalf("the library's trail is in time order as written: %q", written)
	}

	partial := ExportOptions{Prompts: []string{"shared/p-1", "mine/r"}}
	want, wantPartial := referenceExport(t, ws, ExportOptions{}), referenceExport(t, ws, partial)
	audit := want[strings.Index(want, "\naudit:\n"):]
	if !strings.Contains(audit, "author: bob") || !strings.Contains(audit, "author: alice") || !strings.Contains(audit, "label: production") {
		t.Fatalf("the audit section lacks the events of one author or the label moves:\n%s", audit)
	}
	check := func(when string) {
		t.Helper()
		if got := exportString(t, ws, ExportOptions{}); got != want {
			t.Errorf("%s: export differs from the former export at byte %d of %d:\n%s", when, firstDiff(got, want), len(want), got[strings.Index(got, "\naudit:\n"):])
		}
		if got := exportString(t, ws, partial); got != wantPartial {
			t.Errorf("%s: export of %q differs from the former export at byte %d of %d", when, partial.Prompts, firstDiff(got, wantPartial), len(wantPartial))
		}
		path := filepath.Join(t.TempDir(), "lib.yaml")
		if err := ExportTo(context.Background(), ws, path, ExportOptions{}); err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, []byte(want)) {
			t.Errorf("%s: ExportTo differs from the former export at byte %d (%v)", when, firstDiff(string(b), want), err)
		}
	}
	check("new store")
	downgradeToSchema1(t, ws)
	check("store written before the time-ordered audit keys")
}
