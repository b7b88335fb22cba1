package workspace

import (
	"context"

	"promptbench/storage"
)

// batchSize bounds the commits in one transaction: Badger refuses
// transactions larger than a fraction of its memtable.
const batchSize = 100

// Batch commits many versions through one open store, a transaction per
// batchSize commits. Each transaction is atomic, the whole batch is not:
// it serves bulk loads such as benchmark fixtures, where a half-done load is
// simply redone.
type Batch struct {
	ws      *Workspace
	store   *storage.Store
	pending []pendingCommit
	author  string
}

// Batch opens the store once and hands fn a Batch; pending commits are
// flushed when fn returns without error.
func (ws *Workspace) Batch(ctx context.Context, fn func(*Batch) error) error {
	st, err := ws.open(ctx, ws.storeOptions(false))
	if err != nil {
		return err
	}
	if err := recoverInterrupted(st.Store); err != nil {
		st.Close()
		return err
	}
	b := &Batch{ws: ws, store: st.Store, author: ws.opts.Author()}
	if err := fn(b); err != nil {
		st.Close()
		return err
	}
	if err := b.flush(); err != nil {
		st.Close()
		return err
	}
	return st.Close()
}

// Commit queues a commit, checked like Workspace.Commit.
func (b *Batch) Commit(name string, d Draft) error {
	pc, err := b.ws.prepareCommit(name, d)
	if err != nil {
		return err
	}
	b.pending = append(b.pending, pc)
	if len(b.pending) >= batchSize {
		return b.flush()
	}
	return nil
}

func (b *Batch) flush() error {
	if len(b.pending) == 0 {
		return nil
	}
	now := b.ws.opts.Now().UTC()
	err := b.store.Update(func(tx *storage.Tx) error {
		for _, pc := range b.pending {
			if _, err := pc.apply(tx, b.author, now); err != nil {
				return err
			}
		}
		return nil
	})
	b.pending = b.pending[:0]
	return err
}
