package storage

import (
	"bytes"
	"errors"

	"github.com/dgraph-io/badger/v4"
)

// auditBatchBytes and auditBatchEvents bound one transaction of the audit
// migration: Badger refuses one of more than 15% of the memtable (about
// 300 KB at 2 MB) or of more than 3,276 keys at that size. Each batch is
// synced: at 128 KB the syncs made the upgrade of 113,000 events take a
// quarter more CPU time, at 256 KB as much as before it synced at all.
const (
	auditBatchBytes  = 256 << 10
	auditBatchEvents = 2_000
)

// auditUpgradeKey records how far the audit migration got: the append key
// of the first event it has not copied yet, or auditUpgradeDone once every
// event has its copy. Each batch writes it in the transaction that writes
// the batch's copies, so the two are on disk together or not at all, and
// the schema version's transaction deletes it (schema.go).
var auditUpgradeKey = []byte{kindMeta, 'u', 'p', 'g', 'r', 'a', 'd', 'e', '-', 'a', 'u', 'd', 'i', 't'}

// auditUpgradeDone is the progress of a migration that copied every event:
// the first key past the append keys.
var auditUpgradeDone = []byte{kindAudit + 1}

// indexAuditTimes is the migration to schema 2: it writes the time-ordered
// key of every audit event the store holds (audit_time.go), a batch of
// about auditBatchBytes at a time, each read by a transaction of its own
// that starts where the last one stopped and written by one more, with the
// key to go on from (auditUpgradeKey). Nothing is held from one batch to
// the next but that key, so memory does not grow with the trail, and no
// read holds on to the tables that compactions replace meanwhile.
//
// A run killed at any instant leaves the batches it wrote and, with the
// last of them, where to go on: the next open starts there, and copies no
// event twice and none never. The open runs unsynced (upgradeLoad), but
// each batch is synced before the next is written: the checkpoint of a
// later batch must never outlive, in a power cut, the copies of an earlier
// one still in a memtable the open had already set aside unsynced. Events
// an older promptbench appends to a store whose upgrade it interrupted
// come after every key the upgrade read, so they are copied too.
func indexAuditTimes(db *badger.DB) error {
	from, err := auditUpgradeFrom(db)
	if err != nil || bytes.Equal(from, auditUpgradeDone) {
		return err
	}
	b := &auditBatch{}
	for from != nil {
		next, err := b.read(db, from)
		if err != nil {
			return err
		}
		if err := b.write(db, next); err != nil {
			return err
		}
		if err := db.Sync(); err != nil {
			return err
		}
		from = next
	}
	return nil
}

// auditUpgradeFrom is the append key the audit migration goes on from:
// the first when no earlier run recorded its progress.
func auditUpgradeFrom(db *badger.DB) (from []byte, err error) {
	err = db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(auditUpgradeKey)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		from, err = item.ValueCopy(nil)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(from) == 0 || from[0] != kindAudit && !bytes.Equal(from, auditUpgradeDone) {
		return []byte{kindAudit}, nil // none recorded (or not ours): from the start
	}
	return from, nil
}

// dropAuditUpgrade is the migration's part in the schema version's
// transaction: the progress it recorded is of no use after it.
func dropAuditUpgrade(txn *badger.Txn) error { return txn.Delete(auditUpgradeKey) }

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
			// A copy's key is the value's action and 26 bytes more.
			room := auditBatchBytes - len(b.buf) - 2*int(it.Item().ValueSize()) - 26
			if len(b.entries) > 0 && (room < 0 || len(b.entries) == auditBatchEvents) {
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

// write writes the batch in one transaction, with next, the key the
// migration goes on from (nil when the batch holds the last event).
func (b *auditBatch) write(db *badger.DB, next []byte) error {
	if next == nil {
		next = auditUpgradeDone
	}
	return db.Update(func(txn *badger.Txn) error {
		if err := txn.Set(auditUpgradeKey, next); err != nil {
			return err
		}
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
