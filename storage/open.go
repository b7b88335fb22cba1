package storage

import (
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// openMode is how one attempt opens the store.
type openMode int

const (
	modeWrite   openMode = iota // Badger read-write; folds the pending log
	modeRead                    // Badger read-only
	modePending                 // Badger read-only, writes to the pending log
)

// openOnce makes one attempt to open the store; errBusy means another
// process holds it.
func openOnce(opts Options, lay layout, mode openMode) (s *Store, err error) {
	readOnly := mode == modeRead
	if mode == modePending && !storeExists(opts.Dir) {
		return nil, &needsWriterError{dir: opts.Dir, reason: "it is new"}
	}
	files, err := inspectFiles(opts.Dir)
	if err != nil {
		return nil, err
	}
	if len(files.empty) > 0 {
		// A process was killed while creating a file (recover.go).
		if readOnly {
			if werr := checkWritable(opts.Dir); werr != nil {
				return nil, fmt.Errorf("%w; the store needs it to remove %s, an empty file a killed process left", werr, files.empty[0])
			}
		}
		locked, err := removeEmptyFiles(opts.Dir)
		if err != nil {
			return nil, err
		}
		if !locked {
			return nil, fmt.Errorf("open store %s: %w", opts.Dir, errBusy)
		}
	}
	// The fallback: level 0 looks past the limit (background compaction
	// did not run), so this open only merges it, in one bounded step when
	// it closes, and Open opens again.
	stepOnly := mode == modeWrite && !opts.l0Step && !opts.yields && !opts.upgrade && files.smallTables > l0Limit(opts.DeferCompaction)
	if stepOnly {
		opts.l0Step = true
	}
	var pending *pendingLog
	if mode != modeRead && pendingSupported {
		// Taken before Badger's lock, and let go if that is busy: no
		// process waits for one lock while holding the other.
		if pending, err = lockPending(opts.Dir); err != nil {
			return nil, err
		}
		defer func() {
			if s == nil {
				pending.close()
			}
		}()
	}
	badgerReadOnly := mode != modeWrite
	bopts := badgerOptions(opts.Dir, badgerReadOnly, loadOf(opts), opts.Logger)
	bopts = bopts.WithMemTableSize(files.memTableSize(bopts.MemTableSize))
	if opts.l0Step && !badgerReadOnly {
		bopts = bopts.WithNumCompactors(0).WithCompactL0OnClose(true)
	}
	if opts.compactors && !badgerReadOnly {
		bopts = bopts.WithNumLevelZeroTables(1)
	}
	if opts.tune != nil && !badgerReadOnly {
		bopts = opts.tune(bopts)
	}
	var db *badger.DB
	err = guarded(func() (err error) {
		db, err = badger.Open(bopts)
		return err
	})
	if err != nil {
		err = classifyOpenError(opts.Dir, badgerReadOnly, err)
		// Probe only after a failure: a clear "not writable" beats
		// whatever Badger tripped over first, and a working open pays
		// nothing for the check.
		if !readOnly && !errors.Is(err, errBusy) {
			if werr := checkWritable(opts.Dir); werr != nil {
				return nil, werr
			}
		}
		return nil, err
	}
	s = &Store{db: db, dir: opts.Dir, readOnly: readOnly, deferCompaction: opts.DeferCompaction, bulk: opts.Bulk && !readOnly,
		pending: pending, pendingMode: mode == modePending, upgrade: opts.upgrade, upgraded: opts.upgraded, reached: opts.reached, syncWrites: bopts.SyncWrites}
	// Announce ourselves before slow work (compaction, migration) so that a
	// process waiting for us can name us.
	s.holder = opts.announced
	if s.holder == "" {
		s.holder = writeHolder(opts.Dir, Holder{Command: opts.Command, ReadOnly: readOnly})
	}
	if err := guarded(func() error { return s.prepare(lay, mode) }); err != nil {
		_ = s.Close()
		if errors.Is(err, errUpgrade) {
			return nil, upgrade(opts, lay)
		}
		return nil, err
	}
	if stepOnly {
		if err := s.Close(); err != nil {
			return nil, err
		}
		return nil, errStepped
	}
	if mode != modeWrite && releaseSupported && s.l0Tables() > maxL0Tables {
		// Badger's open read the index of every table; after a long
		// evaluation there may be a hundred level-0 tables, 20 MB of
		// indexes this process would keep resident while it reads a
		// few keys (releaseTablePages: no table is unmapped before
		// Close in such an open).
		releaseTablePages(s.dir)
	}
	if s.bulk && releaseSupported {
		s.stopRelease, s.released = make(chan struct{}), make(chan struct{})
		go releaseWritten(s.dir, s.stopRelease, s.released)
	}
	return s, nil
}

// prepare brings a freshly opened store into shape: the pending writes
// laid over it or folded into it, then the schema check or migration.
func (s *Store) prepare(lay layout, mode openMode) error {
	switch mode {
	case modeRead:
		over, err := readPending(s.dir)
		if err != nil {
			return err
		}
		s.over.Store(over)
		return s.checkSchema(lay)
	case modePending:
		if err := s.loadPending(); err != nil {
			return err
		}
		return s.checkSchema(lay)
	}
	if err := s.foldPending(); err != nil {
		return err
	}
	return s.migrate(lay)
}

// errUpgrade ends an attempt that found the store in need of a schema
// migration that rewrites more than one transaction holds.
var errUpgrade = errors.New("store needs an upgrade")

// upgradeReclaimEvery is how often the upgrade drops its table pages from
// resident memory (upgrade).
const upgradeReclaimEvery = 250 * time.Millisecond

// upgrade runs the migrations an older store needs in opens of their own,
// whatever the open that found it needed them (a bulk open or the
// maintenance's level-0 step runs no compactors, and its level 0 would
// grow with the store). The first, sized for rewriting a large part of the
// store (upgradeLoad), runs the bulk part unsynced; its Close writes every
// memtable out, synced. Only then does an ordinary open run the rest and
// write the schema version: a process killed, or a machine stopped, before
// that leaves the old version, and the next open runs the upgrade again,
// from where the last one stopped (indexAuditTimes).
// It returns errStepped when it is done, and the caller opens the store
// again.
func upgrade(opts Options, lay layout) error {
	bulk := opts
	bulk.upgrade, bulk.l0Step, bulk.compactors, bulk.Bulk = true, false, false, false
	if opts.yields {
		// Still the maintenance, which gives way to users.
		bulk.announced = announceYielder(opts.Dir, opts.Command)
	}
	// Its compactions read and write tables through memory maps, whose
	// pages would stay counted in resident memory: 500,000 events kept
	// about 90 MB of them. Dropped every 50 ms (reclaimWhileCompacting)
	// they stayed under 35 MB, but the upgrade took some 40% more CPU
	// time, reading some back from disk; every 250 ms, under 45 MB for
	// 5-10% more.
	stopReclaim := reclaimEvery(opts.Dir, upgradeReclaimEvery)
	err := openClose(bulk, lay, limitUpgradeMemory)
	stopReclaim()
	if err != nil {
		if opts.yields {
			removeHolder(bulk.announced)
		}
		return err
	}
	rest := opts
	rest.upgraded, rest.Bulk = true, false
	if err := openClose(rest, lay, nil); err != nil && !errors.Is(err, errStepped) {
		return err
	}
	return errStepped
}

// openClose opens the store read-write and closes it, under the memory
// limit limit sets while it is open when limit is not nil.
func openClose(opts Options, lay layout, limit func() (restore func())) error {
	if limit != nil {
		defer limit()()
	}
	s, err := openOnce(opts, lay, modeWrite)
	if err != nil {
		return err
	}
	return s.Close()
}
