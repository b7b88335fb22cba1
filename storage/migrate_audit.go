package storage

import (
	"bytes"

	"github.com/dgraph-io/badger/v4"
)

// auditBatchBytes is how much one transaction of the audit migration
// writes: a read-write open's memtable takes about 300 KB at once.
const auditBatchBytes = 128 << 10

// indexAuditTimes is the migration to schema 2: it writes the time-ordered
// key of every audit event the store holds (audit_time.go), a batch of
// about auditBatchBytes at a time, each read by a transaction of its own
// that starts where the last one stopped and written by one more. Nothing
// is held from one batch to the next but the key to go on from, so memory
// does not grow with the trail, and no read holds on to the tables that
// compactions replace meanwhile. Rewriting a key writes the same bytes, so
// a run killed at any instant is simply run again by the next open.
func indexAuditTimes(db *badger.DB) error {
	b := &auditBatch{}
	from := []byte{kindAudit}
	for from != nil {
		var err error
		if from, err = b.read(db, from); err != nil {
			return err
		}
		if err := b.write(db); err != nil {
			return err
		}
	}
	return nil
}

// auditBatch is one batch of time-ordered keys and their values, in one
// buffer reused from batch to batch.
type auditBatch struct {
	buf     []byte
	entries []auditEntry
}

// auditEntry is where an entry's key and value sit in the buffer.
type auditEntry struct{ key, end int }

// read fills the batch with the time-ordered copies of the audit events
// from the key from on, and returns the key to go on from, nil after the
// last event.
func (b *auditBatch) read(db *badger.DB, from []byte) (next []byte, err error) {
	b.buf, b.entries = b.buf[:0], b.entries[:0]
	err = db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kindAudit}})
		defer it.Close()
		for it.Seek(from); it.Valid(); it.Next() {
			k := it.Item().Key()
			if len(b.buf) >= auditBatchBytes {
				next = bytes.Clone(k)
				return nil
			}
			if len(k) != auditKeyLen {
				continue // a stray key: doctor reports it
			}
			err := it.Item().Value(func(val []byte) error {
				action, at := auditFields(val)
				start := len(b.buf)
				b.buf = appendAuditTimeKey(b.buf, action, at, k)
				b.buf = append(b.buf, val...)
				b.entries = append(b.entries, auditEntry{key: start, end: len(b.buf) - len(val)})
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	return next, err
}

// write writes the batch in one transaction.
func (b *auditBatch) write(db *badger.DB) error {
	if len(b.entries) == 0 {
		return nil
	}
	return db.Update(func(txn *badger.Txn) error {
		for i, e := range b.entries {
			end := len(b.buf)
			if i+1 < len(b.entries) {
				end = b.entries[i+1].key
			}
			// Full slice expressions: Badger keeps the slices until the
			// commit, and must never see the next entry through them.
			if err := txn.Set(b.buf[e.key:e.end:e.end], b.buf[e.end:end:end]); err != nil {
				return err
			}
		}
		return nil
	})
}
