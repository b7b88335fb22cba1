package workspace

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"promptbench/storage"
)

// Every operation opens the store, does its transaction and closes it, so
// that other processes can use the workspace between operations (DESIGN.md,
// Storage). Inside one process, operations take turns: goroutines of a
// long-lived process (the terminal UI, an evaluation) would otherwise meet
// at the store's file lock, which only polls, and the unluckiest waited
// most of a second behind its own siblings.

// heldStore is an open store that holds this process's turn until Close.
type heldStore struct {
	*storage.Store
	once    sync.Once
	release func()
	bulk    bool // opened for a bulk writer's batches (lease.go)
}

// maxAge is how long the store may be held open between operations
// (lease.go).
func (h *heldStore) maxAge() time.Duration {
	if h.bulk {
		return bulkLeaseMax
	}
	return leaseMax
}

// Close closes the store and gives the turn to the next operation. Calling
// it again does nothing.
func (h *heldStore) Close() error {
	err := h.Store.Close()
	h.once.Do(h.release)
	return err
}

// open waits for this process's turn, then opens the store. A store a
// bulk writer holds open between its writes (lease.go) is closed first.
func (ws *Workspace) open(ctx context.Context, o storage.Options) (*heldStore, error) {
	ws.lease.waiting.Add(1)
	ws.closeLease()
	select {
	case ws.turn <- struct{}{}:
		ws.lease.waiting.Add(-1)
	case <-ctx.Done():
		ws.lease.waiting.Add(-1)
		return nil, ctx.Err()
	}
	st, err := storage.Open(ctx, o)
	if err != nil {
		<-ws.turn
		return nil, fmt.Errorf("open store of %s: %w", ws.Dir, err)
	}
	return &heldStore{Store: st, release: func() { <-ws.turn }, bulk: o.Bulk && o.Batched}, nil
}

// view runs fn in a read-only transaction of a store opened read-only for
// just this call, or of the store a bulk writer holds open between its
// writes (lease.go), which it leaves open.
func (ws *Workspace) view(ctx context.Context, fn func(*storage.Tx) error) error {
	if st, opened := ws.takeLease(ctx); st != nil {
		err := st.View(fn)
		ws.keepLease(st, opened)
		return err
	}
	st, err := ws.open(ctx, ws.storeOptions(true))
	if errors.Is(err, storage.ErrNotExist) {
		// A workspace whose store was never written (config.yaml checked
		// into git, say) gets an empty one, then reads as usual.
		if err := ws.update(ctx, func(*storage.Tx) error { return nil }); err != nil {
			return err
		}
		st, err = ws.open(ctx, ws.storeOptions(true))
	}
	if err != nil {
		return err
	}
	if st, err = ws.afterInterrupted(ctx, st); err != nil {
		return err
	}
	defer st.Close()
	return st.View(fn)
}

// update runs fn in one durable read-write transaction, then starts
// background compaction when the store is due for it.
func (ws *Workspace) update(ctx context.Context, fn func(*storage.Tx) error) error {
	due, err := ws.write(ctx, fn)
	ws.maintainIf(due)
	return err
}

// write is update without the compaction, for changes that rewrite the
// export file first: started before that export, the compaction would
// hold the store while the export waits for it.
//
// One transaction is small (the store refuses a larger one), so it goes to
// the store's pending log (storage.Options.Pending): the store is opened
// as cheaply as for a read.
func (ws *Workspace) write(ctx context.Context, fn func(*storage.Tx) error) (due bool, err error) {
	opts := ws.storeOptions(false)
	opts.Pending = true
	return ws.withStore(ctx, opts, func(st *storage.Store) error { return st.Update(fn) })
}

// withWriter opens the store read-write for fn, after rolling back an
// import a crash interrupted, and reports whether the store is due for
// compaction once closed. A store an evaluation holds open between its
// writes (lease.go) serves instead, and stays held.
func (ws *Workspace) withWriter(ctx context.Context, fn func(*storage.Store) error) (due bool, err error) {
	return ws.withStore(ctx, ws.storeOptions(false), fn)
}

func (ws *Workspace) withStore(ctx context.Context, opts storage.Options, fn func(*storage.Store) error) (due bool, err error) {
	if st, opened := ws.takeLease(ctx); st != nil {
		// A store held open between an evaluation's batches: its Update
		// syncs each commit like any writer's.
		if err := fn(st.Store); err != nil {
			st.Close()
			ws.returnLease()
			return false, err
		}
		ws.keepLease(st, opened)
		return false, nil
	}
	st, err := ws.open(ctx, opts)
	if err != nil {
		return false, err
	}
	if err := recoverInterrupted(st.Store); err != nil {
		st.Close()
		return false, err
	}
	if err := fn(st.Store); err != nil {
		st.Close()
		return false, err
	}
	due = st.CompactionDue()
	if err := st.Close(); err != nil {
		return false, fmt.Errorf("close store of %s: %w", ws.Dir, err)
	}
	return due, nil
}

func (ws *Workspace) maintainIf(due bool) {
	if due && ws.opts.Maintain != nil {
		ws.opts.Maintain(ws.Dir)
	}
}
