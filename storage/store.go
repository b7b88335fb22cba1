// Package storage owns promptbench's Badger store: opening and closing it with
// options sized for a desktop tool, the key layout, transactions, the schema
// version with its migrations, and backups.
//
// No process keeps the store open longer than an operation needs (DESIGN.md,
// Storage): Badger admits one read-write process per directory, so a command
// opens, runs one transaction and closes, and a process that finds the store
// locked waits a few seconds before it reports who holds it.
//
// Values are opaque bytes encoded by the caller; keys are this package's
// secret and no Badger type appears in its API.
package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// DefaultLockWait is how long Open retries a locked store when
// Options.LockWait is zero: long enough for another command's transaction,
// short enough that a user waiting on a stuck process is told soon.
const DefaultLockWait = 5 * time.Second

var (
	// ErrNotFound is returned by the Get methods when the key is absent.
	ErrNotFound = errors.New("not found")
	// ErrNotExist is returned by a read-only Open when Dir holds no store.
	ErrNotExist = errors.New("no store")
	// ErrReadOnlyTx is returned by a write inside View or on a read-only Store.
	ErrReadOnlyTx = errors.New("write in a read-only transaction")
	// ErrLocked matches a *LockedError with errors.Is.
	ErrLocked = errors.New("store is locked")
	// ErrNotWritable is returned by a read-write Open of a directory this
	// process may not write to.
	ErrNotWritable = errors.New("store directory is not writable")
	// ErrNotStore is returned when Dir exists but is not a promptbench store.
	ErrNotStore = errors.New("not a promptbench store")
	// ErrClosed is returned by transactions on a closed Store.
	ErrClosed = errors.New("store is closed")
	// ErrNewerSchema is returned when the store was written by a newer
	// promptbench whose layout this binary does not know.
	ErrNewerSchema = errors.New("store written by a newer promptbench")
)

// Options says which store to open and how.
type Options struct {
	// Dir is the store directory (e.g. <workspace>/store); a read-write Open
	// creates it when absent.
	Dir string
	// ReadOnly opens the store shared with other readers; writes fail with
	// ErrReadOnlyTx.
	ReadOnly bool
	// LockWait is how long Open retries a store locked by another process,
	// with jittered backoff: zero means DefaultLockWait, negative means one
	// attempt only.
	LockWait time.Duration
	// Command names this process (e.g. "promptbench commit") in the lock
	// messages other processes print while it holds the store; empty means
	// the program's name.
	Command string
	// Logger receives Badger's own warnings and errors; nil discards them.
	Logger *slog.Logger
	// DeferCompaction leaves level-0 compaction to a later Compact (run by
	// a background process, as git runs gc --auto) instead of paying for
	// it in this open: see CompactionDue. Only a store far past the limit
	// is still compacted on open.
	DeferCompaction bool
	// Bulk opens the store for a large load: a larger memtable and no
	// compaction while it is open. Each commit is synced all the same,
	// before the next is written (durable.go), so that Update and
	// BulkWriter.Flush return once all they wrote, and all written before,
	// is on disk.
	Bulk bool
	// GiveWay lets processes already waiting for the store open it
	// first (for up to a couple of seconds, and never longer than
	// LockWait): a process that opens the store again and again, such as
	// an evaluation writing its batches or reading a large run, would
	// otherwise take it back before them (handover.go).
	GiveWay bool
	// Pending opens a store for a few small writes: Badger is opened
	// read-only and each Update appends its writes to the pending log,
	// synced, which later read-write opens fold into Badger (pending.go).
	// Much cheaper than a read-write open; readers see the writes all the
	// same. Ignored with ReadOnly or Bulk.
	Pending bool
	// Batched, with Bulk, sizes the store for bulk writes that come one
	// after another, each a batch of a few MB at most, while the store
	// stays open between them (an evaluation's log entries). With
	// DeferCompaction, such an open leaves level 0 as it finds it, however
	// many tables it holds, for the background maintenance after the
	// run: merging them in the middle of the run made a 200,000-row
	// evaluation peak at 178 MB instead of 97 (the merge maps every table
	// it reads and writes).
	Batched bool

	// yields marks the background maintenance in its lock info: an Open
	// that finds it holding the store asks it to stop (yield.go).
	yields bool
	// l0Step makes Close merge level 0 into the base level, one bounded
	// compaction step, with no compactors running before it.
	l0Step bool
	// compactors makes Badger's compactors take any level-0 table, for
	// the maintenance's second open.
	compactors bool
	// announced is the lock info a yielding open wrote before its first
	// attempt.
	announced string
	// upgrade opens the store to run the bulk part of the migrations to
	// this binary's schema; upgraded opens it after that, to run the rest
	// and write the schema version (open.go, upgrade).
	upgrade, upgraded bool
	// reached, when set, is called at each durable point (durable.go):
	// where this package is about to report writes as on disk. Tests
	// look at the disk there.
	reached func(point string)
	// yieldGrace, when set, replaces yieldGrace for this open: tests
	// that check a maintenance stops cleanly give it time a loaded
	// machine may need.
	yieldGrace time.Duration
	// tune, when set, changes Badger's options of a read-write open:
	// tests make memtables small to make them rotate.
	tune func(badger.Options) badger.Options
}

// Store is an open store. It is safe for concurrent use; close it as soon as
// the operation is done so that other processes can open it.
type Store struct {
	db       *badger.DB
	dir      string
	readOnly bool
	holder   string // this process's lock-info file, removed on Close

	deferCompaction bool
	bulk            bool // a larger memtable; no compactors run
	// syncWrites is Badger's SyncWrites: each commit is synced before the
	// next is written. Only the upgrade's bulk open goes without
	// (commitDurably).
	syncWrites bool
	// stopRelease ends a bulk open's releaseWritten, which closes
	// released once it has.
	stopRelease, released chan struct{}

	// pending is the pending log this store holds locked: its writes go
	// there when pendingMode is set, and a read-write store folded it
	// into Badger when it opened.
	pending     *pendingLog
	pendingMode bool
	// upgrade and upgraded are the Options of the same names.
	upgrade, upgraded bool
	// reached is the Options field of that name.
	reached func(point string)
	// over is the pending writes reads lay over Badger's snapshot.
	over atomic.Pointer[overlay]

	writeMu   sync.Mutex // serialises Update (see there)
	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

// Open opens the store in opts.Dir, waiting up to opts.LockWait while another
// process holds it. A read-write open creates the store, runs pending schema
// migrations and compacts level-0 tables when too many piled up; a read-only
// open of a store that needs any of that (or a repair after a crash) first
// does it through a short read-write open.
func Open(ctx context.Context, opts Options) (*Store, error) {
	return open(ctx, opts, currentLayout())
}

func open(ctx context.Context, opts Options, lay layout) (s *Store, err error) {
	if opts.Dir == "" {
		return nil, errors.New("open store: no directory given")
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", opts.Dir, err)
	}
	opts.Dir = dir
	if opts.LockWait == 0 {
		opts.LockWait = DefaultLockWait
	}
	if opts.Command == "" {
		opts.Command = filepath.Base(os.Args[0])
	}
	if err := checkDir(dir, opts.ReadOnly); err != nil {
		return nil, err
	}

	if opts.yields {
		// Named before Badger takes the lock, so that a process finding
		// the store busy during this open knows it may ask us to stop.
		opts.announced = announceYielder(dir, opts.Command)
		defer func() {
			if s == nil {
				removeHolder(opts.announced)
			}
		}()
	}
	if opts.GiveWay && opts.LockWait > 0 {
		giveWay(ctx, dir, min(giveWayMax, opts.LockWait))
	}
	w := newWaiter(opts.LockWait)
	y := newYielder(dir, opts.yieldGrace)
	prepared := false
	waitFile := ""
	defer func() { removeHolder(waitFile) }()
	mode := modeWrite
	switch {
	case opts.ReadOnly:
		mode = modeRead
	case opts.Pending && !opts.Bulk && !opts.l0Step && !opts.yields && !opts.compactors && pendingSupported:
		mode = modePending
	}
	for {
		s, err := openOnce(opts, lay, mode)
		if err == nil && s.l0Overdue() && !opts.l0Step && !opts.yields && !(opts.Batched && opts.DeferCompaction) {
			// Background compaction did not run: merge level 0 now, in
			// one bounded step (a Close with l0Step), then open again.
			if err := s.Close(); err != nil {
				return nil, err
			}
			step := opts
			step.l0Step = true
			s, err = openOnce(step, lay, modeWrite)
			if err == nil {
				if err := s.Close(); err != nil {
					return nil, err
				}
				continue
			}
		}
		if err == nil {
			return s, nil
		}
		if errors.Is(err, errStepped) {
			continue
		}
		var nw *needsWriterError
		if mode != modeWrite && errors.As(err, &nw) && !prepared {
			// A read-only open cannot replay a crashed writer's log or
			// migrate, nor a pending one create a store or fold a long
			// pending log: a brief read-write open does it, then we retry.
			if werr := checkWritable(dir); werr != nil {
				return nil, fmt.Errorf("%w; the store needs it because %s", werr, nw.reason)
			}
			rw, rerr := openOnce(opts, lay, modeWrite)
			if rerr == nil {
				if cerr := rw.Close(); cerr != nil {
					return nil, cerr
				}
			}
			if rerr == nil || errors.Is(rerr, errStepped) {
				prepared = true
				continue
			}
			err = rerr
		}
		if !errors.Is(err, errBusy) {
			return nil, err
		}
		if waitFile == "" && !opts.yields {
			// Tell a holder that keeps the store open between its
			// writes that we want it (handover.go).
			waitFile = announceWait(dir)
		}
		if !opts.yields && y.nudge() {
			// The background maintenance holds the store and was asked
			// to stop: look again soon.
			w.soon()
		}
		if werr := w.wait(ctx); werr != nil {
			if errors.Is(werr, errWaitedEnough) {
				holders, unnamed := findHolders(dir)
				return nil, &LockedError{Dir: dir, Holders: holders, Unnamed: unnamed, Waited: w.waited()}
			}
			return nil, fmt.Errorf("open store %s: %w", dir, werr)
		}
	}
}

// Close closes the store and releases it for other processes, after a
// running Update has committed. Calling it again does nothing. Views must
// have returned.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		// Let a running Update finish its commit first.
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
		s.closed.Store(true)
		if s.stopRelease != nil {
			close(s.stopRelease)
			<-s.released
		}
		if err := guarded(s.db.Close); err != nil {
			s.closeErr = fmt.Errorf("close store %s: %w", s.dir, cleanErr(err))
		}
		s.pending.close()
		removeHolder(s.holder)
	})
	return s.closeErr
}

// View runs fn in a read-only transaction that sees one consistent snapshot.
func (s *Store) View(fn func(*Tx) error) error {
	if s.closed.Load() {
		return fmt.Errorf("view store %s: %w", s.dir, ErrClosed)
	}
	return guarded(func() error {
		txn := s.db.NewTransaction(false)
		defer txn.Discard()
		tx := &Tx{txn: txn, over: s.over.Load()}
		if s.readOnly {
			tx.tables = s.dir
		}
		return fn(tx)
	})
}

// Update runs fn in a read-write transaction and commits it durably: when
// Update returns nil the change is on disk, after everything written before
// it, and survives kill -9 and power loss (durable.go); when fn returns an
// error nothing is written.
//
// Updates of one Store run one at a time. Badger admits a single writing
// process, so the only transactions that could conflict are this process's
// own: serialising them means a read-modify-write never fails with a
// conflict nor needs a retry (under load, retries kept losing to a busy
// writer). The durable sync, not fn, is the cost, so little is lost.
func (s *Store) Update(fn func(*Tx) error) error {
	if s.readOnly {
		return fmt.Errorf("update store %s: opened read-only: %w", s.dir, ErrReadOnlyTx)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.closed.Load() {
		return fmt.Errorf("update store %s: %w", s.dir, ErrClosed)
	}
	if s.pendingMode {
		return guarded(func() error { return s.updatePending(fn) })
	}
	return guarded(func() error { return s.update(fn) })
}

func (s *Store) update(fn func(*Tx) error) error {
	txn := s.db.NewTransaction(true)
	defer txn.Discard()
	if err := fn(&Tx{txn: txn, writable: true}); err != nil {
		return err
	}
	if err := s.commitDurably(txn); err != nil {
		return fmt.Errorf("update store %s: commit: %w", s.dir, cleanErr(err))
	}
	s.durable(pointUpdate)
	s.markChanged()
	return nil
}

// Backup writes every live key of the store to w in Badger's backup format,
// from one consistent snapshot.
func (s *Store) Backup(w io.Writer) error {
	if s.closed.Load() {
		return fmt.Errorf("backup store %s: %w", s.dir, ErrClosed)
	}
	if s.over.Load() != nil && len(s.over.Load().writes) > 0 {
		return fmt.Errorf("backup store %s: it has pending writes: open it read-write first, which folds them in", s.dir)
	}
	if err := guarded(func() error { _, err := s.db.Backup(w, 0); return err }); err != nil {
		return fmt.Errorf("backup store %s: %w", s.dir, cleanErr(err))
	}
	return nil
}
