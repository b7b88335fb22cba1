package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dgraph-io/badger/v4"
)

// storeExists tells whether dir holds a store Badger created.
func storeExists(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "MANIFEST"))
	return err == nil
}

// loadPending reads the pending log a pending-mode store holds. A log past
// its limit is folded first, by a read-write open: the hard limit when the
// background maintenance folds it (Options.DeferCompaction), else the soft
// one.
func (s *Store) loadPending() error {
	over, err := s.pending.load()
	if err != nil {
		return fmt.Errorf("open store %s: read pending writes: %w", s.dir, err)
	}
	records, size := pendingHardRecords, int64(pendingHardBytes)
	if !s.deferCompaction {
		records, size = pendingSoftRecords, pendingSoftBytes
	}
	if over.records >= records || over.bytes >= size {
		return &needsWriterError{dir: s.dir, reason: "its pending writes are past their limit"}
	}
	s.over.Store(over)
	return nil
}

// foldPending writes the pending log's writes into Badger, durably, then
// empties the log: the read-write open's first step, before a migration
// or any other write. Killed half-way, the log is still whole and the next
// fold writes the same again.
func (s *Store) foldPending() error {
	if s.pending == nil {
		return nil
	}
	over, err := s.pending.load()
	if err != nil {
		return fmt.Errorf("open store %s: read pending writes: %w", s.dir, err)
	}
	if over.records == 0 {
		if s.pending.torn {
			return s.pending.truncate(0)
		}
		return nil
	}
	txn := s.db.NewTransaction(true)
	defer func() { txn.Discard() }()
	for _, w := range over.writes {
		apply := func() error {
			if w.del {
				return txn.Delete(w.key)
			}
			return txn.Set(w.key, w.val)
		}
		err := apply()
		if errors.Is(err, badger.ErrTxnTooBig) {
			// Several commits: the log stays until the last is on disk.
			if err := s.commitDurably(txn); err != nil {
				return fmt.Errorf("open store %s: fold pending writes: %w", s.dir, cleanErr(err))
			}
			txn = s.db.NewTransaction(true)
			err = apply()
		}
		if err != nil {
			return fmt.Errorf("open store %s: fold pending writes: %w", s.dir, cleanErr(err))
		}
	}
	// Every commit is on disk before the log that also holds it goes.
	if err := s.commitDurably(txn); err != nil {
		return fmt.Errorf("open store %s: fold pending writes: %w", s.dir, cleanErr(err))
	}
	s.durable(pointFold)
	return s.pending.truncate(0)
}

// updatePending is Update for a pending-mode store: fn reads Badger's
// snapshot with the pending writes laid over it, and its writes become one
// record of the pending log.
func (s *Store) updatePending(fn func(*Tx) error) error {
	txn := s.db.NewTransaction(false)
	defer txn.Discard()
	tx := &Tx{txn: txn, writable: true, over: s.over.Load(), pending: newWriteSet(true)}
	if err := fn(tx); err != nil {
		return err
	}
	if err := s.commitPending(tx.pending); err != nil {
		return err
	}
	s.markChanged()
	return nil
}

// commitPending appends a transaction's writes to the pending log, synced,
// and lays them over the store's later reads.
func (s *Store) commitPending(ws *writeSet) error {
	if len(ws.list) == 0 {
		return nil
	}
	rec := encodeRecord(nil, ws.list)
	if err := s.pending.appendRecord(rec); err != nil {
		return fmt.Errorf("update store %s: %w", s.dir, err)
	}
	s.over.Store(s.over.Load().with(ws.list, len(rec)))
	s.durable(pointLog)
	return nil
}

// pendingDue tells whether the pending log has grown enough for the
// background maintenance to fold it.
func (s *Store) pendingDue() bool {
	over := s.over.Load()
	return s.pendingMode && over != nil && (over.records >= pendingSoftRecords || over.bytes >= pendingSoftBytes)
}
