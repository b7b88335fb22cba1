package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// The import journal, kept apart from the layout in keys.go because only
// imports use it:
//
//	j <part:4>                     import journal, in parts
//
// An import too large for one transaction writes its journal first and
// deletes it last; a journal found later means an import stopped half-way,
// and the workspace rolls it back with the methods below.
const kindJournal = 'j'

// journalPartMax bounds one journal part, well under the largest value a
// transaction of this store accepts.
const journalPartMax = 256 << 10

func journalKey(part int) []byte {
	return binary.BigEndian.AppendUint32([]byte{kindJournal}, uint32(part))
}

// PutJournal stores part (0, 1, …) of the import journal. Parts larger than
// JournalPartMax are refused: split the journal.
func (tx *Tx) PutJournal(part int, val []byte) error {
	if part < 0 {
		return fmt.Errorf("storage: invalid journal part %d", part)
	}
	if len(val) > journalPartMax {
		return fmt.Errorf("storage: journal part %d is %d bytes, more than %d", part, len(val), journalPartMax)
	}
	return tx.set(journalKey(part), val, fmt.Sprintf("journal part %d", part))
}

// JournalPartMax is the largest journal part PutJournal accepts.
const JournalPartMax = journalPartMax

// HasJournal tells whether an import journal is present.
func (tx *Tx) HasJournal() (bool, error) {
	found := false
	err := tx.scan([]byte{kindJournal}, false, false, func(_, _ []byte) error {
		found = true
		return errStop
	})
	if err != nil && !errors.Is(err, errStop) {
		return false, err
	}
	return found, nil
}

// ScanJournal calls fn for each journal part in order.
func (tx *Tx) ScanJournal(fn func(part int, val []byte) error) error {
	return tx.scan([]byte{kindJournal}, true, false, func(rest, val []byte) error {
		if len(rest) != 4 {
			return fmt.Errorf("storage: malformed journal key")
		}
		return fn(int(binary.BigEndian.Uint32(rest)), val)
	})
}

// DeleteJournal deletes every journal part.
func (tx *Tx) DeleteJournal() error {
	return tx.deletePrefix([]byte{kindJournal}, "import journal")
}

// AuditMark returns the time key of the latest audit event (0 when there is
// none): every event appended later has a greater key, which is what
// DeleteAuditAfter undoes.
func (tx *Tx) AuditMark() (uint64, error) {
	var mark uint64
	err := tx.scan([]byte{kindAudit}, false, true, func(rest, _ []byte) error {
		mark = auditNanos(append([]byte{kindAudit}, rest...))
		return errStop
	})
	if err != nil && !errors.Is(err, errStop) {
		return 0, err
	}
	return mark, nil
}

// DeleteAuditAfter deletes up to limit audit events appended after mark and
// returns how many it deleted: call it until it returns 0. The audit trail
// is append-only; this is only for undoing an import that did not finish.
//
// Each event goes with its time-ordered copy (audit_time.go), whose key the
// event's value gives: leaving that copy behind would keep the undone event
// in exports and label histories, and a retried import would add it again.
func (tx *Tx) DeleteAuditAfter(mark uint64, limit int) (int, error) {
	var keys, copies [][]byte
	it := tx.iterator([]byte{kindAudit}, false)
	for it.Seek(auditKey(mark+1, 0)); it.Valid() && len(keys) < limit; it.Next() {
		k := bytes.Clone(it.Key())
		err := it.Value(func(val []byte) error {
			action, at := auditFields(val)
			copies = append(copies, auditTimeKey(action, at, k))
			return nil
		})
		if err != nil {
			it.Close()
			return 0, fmt.Errorf("read audit event: %w", cleanErr(err))
		}
		keys = append(keys, k)
	}
	it.Close()
	for i, k := range keys {
		if err := tx.del(k, "audit event"); err != nil {
			return 0, err
		}
		if err := tx.del(copies[i], "audit event"); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}

// DeleteVersionsAfter deletes up to limit versions of the prompt numbered
// above after and returns how many it deleted: call it until it returns 0.
func (tx *Tx) DeleteVersionsAfter(name string, after, limit int) (int, error) {
	p, err := simpleKey(kindVersion, "prompt name", name)
	if err != nil {
		return 0, err
	}
	p = append(p, sep)
	start := append(append([]byte(nil), p...), binary.BigEndian.AppendUint32(nil, uint32(max(after+1, 1)))...)
	keys := tx.keysFrom(p, start, limit)
	for _, k := range keys {
		if err := tx.del(k, "version of "+name); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}

// keysFrom returns up to limit keys under prefix from start on.
func (tx *Tx) keysFrom(prefix, start []byte, limit int) [][]byte {
	var keys [][]byte
	it := tx.iterator(prefix, false)
	defer it.Close()
	for it.Seek(start); it.Valid() && len(keys) < limit; it.Next() {
		keys = append(keys, bytes.Clone(it.Key()))
	}
	return keys
}

// DeleteRun deletes evaluation run id.
func (tx *Tx) DeleteRun(id string) error {
	k, err := simpleKey(kindRun, "run id", id)
	if err != nil {
		return err
	}
	return tx.del(k, "run "+id)
}

// BulkWriter writes many keys fast, for imports: Badger groups the writes
// into transactions of the largest size the store takes and commits them in
// the background, several in flight, each synced before the next is
// written (durable.go): a process killed or a machine stopped half-way
// leaves the first ones. There is no atomicity across the whole: callers
// keep a journal (above) for all-or-nothing. Other Updates of the Store
// wait until Flush or Cancel.
type BulkWriter struct {
	s  *Store
	wb *badger.WriteBatch
	// pending collects the writes of a pending-mode store, which Flush
	// appends to the pending log as one record.
	pending *writeSet
}

// NewBulkWriter starts a bulk write; end it with Flush or Cancel.
func (s *Store) NewBulkWriter() (*BulkWriter, error) {
	if s.readOnly {
		return nil, fmt.Errorf("bulk write to store %s: opened read-only: %w", s.dir, ErrReadOnlyTx)
	}
	s.writeMu.Lock()
	if s.closed.Load() {
		s.writeMu.Unlock()
		return nil, fmt.Errorf("bulk write to store %s: %w", s.dir, ErrClosed)
	}
	if s.pendingMode {
		return &BulkWriter{s: s, pending: newWriteSet(false)}, nil
	}
	return &BulkWriter{s: s, wb: s.db.NewWriteBatch()}, nil
}

func (b *BulkWriter) set(k, val []byte, what string) error {
	if b.pending != nil {
		return txnError("put", what, b.pending.add(write{key: k, val: append([]byte(nil), val...)}))
	}
	if err := guarded(func() error { return b.wb.Set(k, val) }); err != nil {
		return fmt.Errorf("put %s: %w", what, cleanErr(err))
	}
	return nil
}

// PutVersion is Tx.PutVersion in bulk.
func (b *BulkWriter) PutVersion(name string, number int, val []byte) error {
	k, err := versionKey(name, number)
	if err != nil {
		return err
	}
	return b.set(k, val, fmt.Sprintf("version %s@%d", name, number))
}

// PutPrompt is Tx.PutPrompt in bulk.
func (b *BulkWriter) PutPrompt(name string, val []byte) error {
	k, err := simpleKey(kindPrompt, "prompt name", name)
	if err != nil {
		return err
	}
	return b.set(k, val, "prompt "+name)
}

// PutTag is Tx.PutTag in bulk.
func (b *BulkWriter) PutTag(tag, name string) error {
	k, err := tagKey(tag, name)
	if err != nil {
		return err
	}
	return b.set(k, nil, "tag "+tag+" of "+name)
}

// PutLog is Tx.PutLog in bulk.
func (b *BulkWriter) PutLog(name string, number int, id string, val []byte) error {
	k, err := logKey(name, number, id)
	if err != nil {
		return err
	}
	return b.set(k, val, fmt.Sprintf("log %s of %s@%d", id, name, number))
}

// PutCache is Tx.PutCache in bulk.
func (b *BulkWriter) PutCache(key string, val []byte) error {
	k, err := simpleKey(kindCache, "cache key", key)
	if err != nil {
		return err
	}
	return b.set(k, val, "cached response")
}

// PutRun is Tx.PutRun in bulk.
func (b *BulkWriter) PutRun(id string, val []byte) error {
	k, err := simpleKey(kindRun, "run id", id)
	if err != nil {
		return err
	}
	return b.set(k, val, "run "+id)
}

// Flush waits until every write is durably committed and returns the first
// error.
func (b *BulkWriter) Flush() error {
	defer b.s.writeMu.Unlock()
	if b.pending != nil {
		if err := b.s.commitPending(b.pending); err != nil {
			return err
		}
		b.s.markChanged()
		return nil
	}
	// Every transaction Badger committed is synced (SyncWrites), each
	// before the next was written (durable.go).
	if err := guarded(b.wb.Flush); err != nil {
		return fmt.Errorf("bulk write to store %s: %w", b.s.dir, cleanErr(err))
	}
	b.s.durable(pointBulk)
	b.s.markChanged()
	return nil
}

// Cancel abandons the writes not yet committed.
func (b *BulkWriter) Cancel() {
	if b.wb != nil {
		b.wb.Cancel()
	}
	b.s.writeMu.Unlock()
}
