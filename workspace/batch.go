package workspace

import (
	"context"

	"promptbench/storage"
)

// batchSize bounds the operations in one transaction: Badger refuses
// transactions larger than a fraction of its memtable.
const batchSize = 100

// Batch commits many versions, and moves labels, through one open store, a
// transaction per batchSize operations. Each transaction is atomic, the
// whole batch is not: it serves bulk loads such as benchmark fixtures,
// where a half-done load is simply redone. Each operation reads the clock
// when it is queued and is audited as a command doing it alone would be.
type Batch struct {
	ws      *Workspace
	store   *storage.Store
	pending []func(*storage.Tx) error
	author  string
}

// Batch opens the store once and hands fn a Batch; pending operations are
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
	now := b.ws.opts.Now().UTC()
	return b.queue(func(tx *storage.Tx) error {
		_, err := pc.apply(tx, b.author, now)
		return err
	})
}

// Label queues a move of label to ref (SetLabel without its hooks); a
// protected label is refused as SetLabel refuses it without a review.
func (b *Batch) Label(ref, label string) error {
	r, err := ParseRef(ref)
	if err != nil {
		return err
	}
	if err := ValidateLabel(label); err != nil {
		return err
	}
	now := b.ws.opts.Now().UTC()
	return b.queue(func(tx *storage.Tx) error {
		p, v, err := resolveRef(tx, r)
		if err != nil {
			return err
		}
		_, err = b.ws.moveLabel(tx, p, v, label, b.author, now, false)
		return err
	})
}

func (b *Batch) queue(op func(*storage.Tx) error) error {
	b.pending = append(b.pending, op)
	if len(b.pending) >= batchSize {
		return b.flush()
	}
	return nil
}

func (b *Batch) flush() error {
	if len(b.pending) == 0 {
		return nil
	}
	err := b.store.Update(func(tx *storage.Tx) error {
		for _, op := range b.pending {
			if err := op(tx); err != nil {
				return err
			}
		}
		return nil
	})
	b.pending = b.pending[:0]
	return err
}
