package workspace

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// A bulk writer that writes again and again (an evaluation's log entries,
// a batch every few hundred milliseconds) would spend most of its time
// opening and closing the store, and leave a small level-0 table per
// write. Between two such writes the store may stay open, held for this
// process: for at most leaseIdle after a write and leaseMax in all
// (bulkLeaseMax for a bulk writer's batches), and never once another
// process waits for it (storage's Wanted, looked at every leasePoll), so
// that a commit or the terminal UI in another terminal gets the store
// within a moment. This process's reads go through it; any other
// operation closes it first.
//
// A bulk writer's batches keep the store far longer: closing it every
// second cost a 100,000-row evaluation a hundred opens, and each close a
// level-0 table. A process that waits says so (its wait file), so
// bulkLeaseMax is only a backstop for one that could not.
const (
	leaseIdle    = 200 * time.Millisecond
	leaseMax     = time.Second
	bulkLeaseMax = 10 * time.Second
	leasePoll    = 5 * time.Millisecond
)

// writeLease is the store a bulk writer keeps open between its writes.
type writeLease struct {
	mu     sync.Mutex
	st     *heldStore
	opened time.Time
	timer  *time.Timer
	// lent is open while an operation of this process uses the held
	// store, and closed when the store is back or closed. The next
	// operation waits for it rather than open the store itself, which
	// would close the held one first: an evaluation's cache read that
	// came during a batch's write did so, and each such close left a
	// level-0 table (a hundred in a 100,000-row run, and the store
	// merging them in the middle of the run).
	lent chan struct{}
	// waiting counts this process's operations waiting for their turn:
	// a write then closes the store instead of keeping it.
	waiting atomic.Int32
	// ending is set once the writer's last operations have begun
	// (LastOperations): the store is then kept between them however
	// long the writer works in between (an evaluation reading its
	// results back), unless another process waits for it, rather than
	// closed after leaseIdle and opened again for the run record.
	ending bool
}

// holdKey marks a context whose AddLogs may keep the store open for the
// next one (HoldStore).
type holdKey struct{}

// HoldStore returns a context for AddLogs calls that follow each other:
// the store may stay open between them (for a moment: other processes get
// their turn). ReleaseStore closes it.
func HoldStore(ctx context.Context) context.Context {
	return context.WithValue(ctx, holdKey{}, true)
}

func holding(ctx context.Context) bool {
	v, _ := ctx.Value(holdKey{}).(bool)
	return v
}

// lastKey marks a context of a bulk writer's last operations.
type lastKey struct{}

// LastOperations returns a context for the operations that end a bulk
// write (an evaluation's last batch, the reads of its report and its run
// record's last write): they use the store held open whatever its age,
// instead of closing it and opening it again, as they take a moment
// (another process waiting for the store still goes first).
func LastOperations(ctx context.Context) context.Context {
	return context.WithValue(ctx, lastKey{}, true)
}

func last(ctx context.Context) bool {
	v, _ := ctx.Value(lastKey{}).(bool)
	return v
}

// takeLease returns the held store and when it was opened, when one is
// open and young enough (any age for a writer's last operations, unless
// another process waits for the store); otherwise it closes any and
// returns nil. While another operation uses the held store, it waits for
// it to come back. A store it returns is lent until keepLease or
// returnLease.
func (ws *Workspace) takeLease(ctx context.Context) (*heldStore, time.Time) {
	l := &ws.lease
	l.mu.Lock()
	for l.lent != nil {
		back := l.lent
		l.mu.Unlock()
		<-back // a write or read of one batch: a moment
		l.mu.Lock()
	}
	st, opened := l.st, l.opened
	l.st = nil
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
	young := st != nil && (time.Since(opened) < st.maxAge() || last(ctx) && !st.Wanted())
	if young {
		l.lent = make(chan struct{})
	}
	if last(ctx) {
		l.ending = true
	} else if st != nil && !young {
		l.ending = false
	}
	l.mu.Unlock()
	if st == nil {
		return nil, time.Time{}
	}
	if young {
		return st, opened
	}
	ws.closeHeld(st)
	return nil, time.Time{}
}

// returnLease ends the loan of the held store without keeping it: the
// caller closed it.
func (ws *Workspace) returnLease() {
	l := &ws.lease
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lent != nil {
		close(l.lent)
		l.lent = nil
	}
}

// keepLease keeps st open for the next write, for at most leaseIdle,
// unless another operation of this process or another process waits for
// the store.
func (ws *Workspace) keepLease(st *heldStore, opened time.Time) {
	l := &ws.lease
	l.mu.Lock()
	if l.lent != nil {
		close(l.lent)
		l.lent = nil
	}
	if l.waiting.Load() > 0 || st.Wanted() {
		l.mu.Unlock()
		ws.closeHeld(st)
		return
	}
	defer l.mu.Unlock()
	l.st, l.opened = st, opened
	idle := time.Now().Add(leaseIdle)
	var check func()
	check = func() {
		l.mu.Lock()
		if l.st != st {
			l.mu.Unlock()
			return
		}
		if (l.ending || time.Now().Before(idle)) && !st.Wanted() {
			l.timer = time.AfterFunc(leasePoll, check)
			l.mu.Unlock()
			return
		}
		l.st, l.timer = nil, nil
		l.mu.Unlock()
		ws.closeHeld(st)
	}
	l.timer = time.AfterFunc(leasePoll, check)
}

// ReleaseStore closes a store held open between writes (HoldStore), and
// starts the background compaction if the writes made it due.
func (ws *Workspace) ReleaseStore() {
	ws.closeLease()
	ws.lease.mu.Lock()
	ws.lease.ending = false
	ws.lease.mu.Unlock()
}

// closeLease closes a store held open between writes, for an operation
// that opens the store itself.
func (ws *Workspace) closeLease() {
	if st, _ := ws.takeLease(context.Background()); st != nil {
		ws.close(st, true)
		ws.returnLease()
	}
}

// closeHeld closes a held store before its writer is done.
func (ws *Workspace) closeHeld(st *heldStore) { ws.close(st, false) }

// close closes a held store and starts the background compaction when
// the writes made it due, unless a bulk writer's batches are still to
// come (done false): the compaction would take the store the moment this
// process lets go and hold up its next batch for as long as it merges
// (seconds, by then). It starts after the last batch (ReleaseStore).
func (ws *Workspace) close(st *heldStore, done bool) {
	due := st.CompactionDue() && (done || !st.bulk)
	if st.Close() == nil {
		ws.maintainIf(due)
	}
}

// KeepStoreForWrite opens the store for a small write to come (the pending
// log, storage.Options.Pending) and keeps it for this process's next
// operations, as a bulk writer keeps its store between writes: for at most
// leaseIdle after each operation and leaseMax in all. A command that reads
// and writes a moment later (a run with the offline echo provider) then
// opens the store once instead of twice. Meanwhile other writers wait, and
// readers do not.
func (ws *Workspace) KeepStoreForWrite(ctx context.Context) error {
	opts := ws.storeOptions(false)
	opts.Pending = true
	st, err := ws.open(ctx, opts)
	if err != nil {
		return err
	}
	if err := recoverInterrupted(st.Store); err != nil {
		st.Close()
		return err
	}
	ws.keepLease(st, time.Now())
	return nil
}
