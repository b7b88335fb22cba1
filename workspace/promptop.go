package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"promptbench/storage"
)

// A rename or delete of a prompt whose versions and log entries do not fit
// one transaction runs under a journal (one key) written first and deleted
// last. The moment that decides the outcome is one transaction that moves
// or deletes the prompt's record: before it the old name is whole, after
// it the new name (or nothing). A journal found by the next open is
// finished from wherever it stopped: a rename whose old record still
// exists is undone, one whose record moved is completed, and a delete is
// completed. Each step is idempotent, so a recovery interrupted in turn is
// simply done again.

type promptOp struct {
	Op   string `json:"op"`           // "rename" or "delete"
	Name string `json:"name"`         // the prompt renamed or deleted
	To   string `json:"to,omitempty"` // rename: the new name
}

const (
	opRename = "rename"
	opDelete = "delete"
	// opBatch bounds the deletes of one transaction.
	opBatch = 1000
)

func putPromptOp(tx *storage.Tx, op promptOp) error {
	b, err := json.Marshal(op)
	if err != nil {
		return err
	}
	return tx.PutPromptOp(b)
}

// recoverInterrupted finishes what a crash interrupted: an import (rolled
// back) and a rename or delete (finished or undone). Every read-write open
// calls it first.
func recoverInterrupted(st *storage.Store) error {
	if err := recoverImport(st); err != nil {
		return err
	}
	return recoverPromptOp(st)
}

func recoverPromptOp(st *storage.Store) error {
	var op promptOp
	var oldExists bool
	err := st.View(func(tx *storage.Tx) error {
		b, err := tx.GetPromptOp()
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, &op); err != nil {
			return fmt.Errorf("decode rename/delete journal: %w", err)
		}
		_, err = tx.GetPrompt(op.Name)
		oldExists = err == nil
		if errors.Is(err, storage.ErrNotFound) {
			err = nil
		}
		return err
	})
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case op.Op == opRename && oldExists:
		err = purgePrompt(st, op.To) // the copies; the old name is whole
	case op.Op == opRename, op.Op == opDelete:
		err = purgePrompt(st, op.Name)
	default:
		err = fmt.Errorf("unknown operation %q in the rename/delete journal", op.Op)
	}
	if err != nil {
		return fmt.Errorf("finish an interrupted %s of %s: %w", op.Op, op.Name, err)
	}
	return st.Update(func(tx *storage.Tx) error { return tx.DeletePromptOp() })
}

// purgePrompt deletes every version and log entry stored under name, then
// the run index keys listing those entries (a key without its entry is
// passed over, an entry without its key would be missed), a batch per
// transaction. The prompt record and tags are the caller's.
func purgePrompt(st *storage.Store, name string) error {
	for _, del := range []func(*storage.Tx) (int, error){
		func(tx *storage.Tx) (int, error) { return tx.DeleteVersionsAfter(name, 0, opBatch) },
		func(tx *storage.Tx) (int, error) { return tx.DeleteLogsUpTo(name, opBatch) },
		func(tx *storage.Tx) (int, error) { return tx.DeleteRunLogsOf(name, opBatch) },
	} {
		for {
			var n int
			err := st.Update(func(tx *storage.Tx) error {
				var err error
				n, err = del(tx)
				return err
			})
			if err != nil {
				return err
			}
			if n == 0 {
				break
			}
		}
	}
	return nil
}

// inChunks runs step for items 0…n-1, as many per transaction as fit
// txnBudget (step returns the bytes it wrote).
func inChunks(st *storage.Store, n int, step func(tx *storage.Tx, i int) (int, error)) error {
	for start := 0; start < n; {
		end := start
		err := st.Update(func(tx *storage.Tx) error {
			used := 0
			for end = start; end < n && used < txnBudget && end-start < opBatch; end++ {
				size, err := step(tx, end)
				if err != nil {
					return err
				}
				used += min(size, 64<<10) + 64
			}
			return nil
		})
		if err != nil {
			return err
		}
		start = end
	}
	return nil
}

// afterInterrupted hands back the read-only st, unless it holds the journal
// of an import, rename or delete a crash interrupted: then it closes st,
// finishes that through a read-write open and opens read-only again, so
// that no reader sees half of one.
func (ws *Workspace) afterInterrupted(ctx context.Context, st *heldStore) (*heldStore, error) {
	var pending bool
	err := st.View(func(tx *storage.Tx) error {
		_, err := tx.GetPromptOp()
		pending = err == nil
		if errors.Is(err, storage.ErrNotFound) {
			err = nil
		}
		return err
	})
	if err != nil {
		st.Close()
		return nil, err
	}
	if !pending {
		return ws.afterCrashedImport(ctx, st)
	}
	st.Close()
	if err := ws.update(ctx, func(*storage.Tx) error { return nil }); err != nil {
		return nil, err
	}
	return ws.open(ctx, ws.storeOptions(true))
}
