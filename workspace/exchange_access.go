package workspace

import (
	"context"
	"fmt"

	"promptbench/storage"
)

// The few ways in to the store that export and import (package exchange)
// need beyond the domain's own operations. They keep the store's rules:
// this process's turn, recovery of an interrupted change before any write,
// and no reader ever seeing half an import.

// ViewStore runs fn in a read-only transaction, as every read here does.
func (ws *Workspace) ViewStore(ctx context.Context, fn func(*storage.Tx) error) error {
	return ws.view(ctx, fn)
}

// BulkWrite opens the store read-write for a large change (an import):
// after rolling back whatever a crash interrupted, fn gets the store, which
// it writes through JournaledWrite. It reports whether the store is due for
// compaction once closed: the caller runs Changed first (the export file),
// then StartCompactionIfDue, so that the two do not queue on the store.
func (ws *Workspace) BulkWrite(ctx context.Context, fn func(*storage.Store) error) (due bool, err error) {
	opts := ws.storeOptions(false)
	opts.Bulk = true
	st, err := ws.open(ctx, opts)
	if err != nil {
		return false, err
	}
	defer st.Close()
	if err := recoverInterrupted(st.Store); err != nil {
		return false, err
	}
	if err := fn(st.Store); err != nil {
		return false, err
	}
	due = st.CompactionDue()
	if err := st.Close(); err != nil {
		return false, fmt.Errorf("close store of %s: %w", ws.Dir, err)
	}
	return due, nil
}

// StartCompactionIfDue hands the store to Options.Maintain after a write
// that left it due for compaction.
func (ws *Workspace) StartCompactionIfDue(due bool) { ws.maintainIf(due) }
