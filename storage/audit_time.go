package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// The audit trail in time order. Audit events are keyed by the store's
// clock (append order), but readers want them by the time each event
// carries, and events an import brings in come after ours whatever their
// time: sorting the whole trail in memory cost an export of a large
// library ~150 MB. So every event is written twice in one transaction:
// under its append key, and under a key that sorts by the event's own
// time, then by the append key (the order a stable sort of the trail by
// time gives). The value is the same bytes, so a reader of the trail in
// time order streams it.
//
//	A <seconds:8, sign flipped> <nanos:4> <append key's nanos:8> <random:4>
//
// The event's time is its value's "time" field: audit values are JSON
// objects (workspace.AuditEvent) whose time orders the trail.
const kindAuditTime = 'A'

const auditTimeKeyLen = 1 + 12 + auditKeyLen - 1

// auditTimeKey is the time-ordered key of the event at appendKey.
func auditTimeKey(at time.Time, appendKey []byte) []byte {
	k := make([]byte, 0, auditTimeKeyLen)
	k = append(k, kindAuditTime)
	k = binary.BigEndian.AppendUint64(k, uint64(at.Unix())^(1<<63))
	k = binary.BigEndian.AppendUint32(k, uint32(at.Nanosecond()))
	return append(k, appendKey[1:]...)
}

// auditTime reads the time an audit value carries.
func auditTime(val []byte) (time.Time, error) {
	// json.Marshal of an event starts with its time: parse it in place.
	const lead = `{"time":"`
	if bytes.HasPrefix(val, []byte(lead)) {
		rest := val[len(lead):]
		if end := bytes.IndexByte(rest, '"'); end > 0 {
			if t, err := time.Parse(time.RFC3339Nano, string(rest[:end])); err == nil {
				return t, nil
			}
		}
	}
	var ev struct {
		Time time.Time `json:"time"`
	}
	if err := json.Unmarshal(val, &ev); err != nil {
		return time.Time{}, fmt.Errorf("audit event without a readable time: %w", err)
	}
	return ev.Time, nil
}

// ScanAuditInTime calls fn for each audit event in the order of the times
// the events carry, events of the same time in the order they were
// appended. val is valid only during the call.
func (tx *Tx) ScanAuditInTime(fn func(val []byte) error) error {
	it := tx.txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kindAuditTime}, PrefetchValues: true, PrefetchSize: 64})
	defer it.Close()
	var val []byte
	for it.Rewind(); it.Valid(); it.Next() {
		var err error
		if val, err = it.Item().ValueCopy(val[:0]); err != nil {
			return fmt.Errorf("scan audit trail: %w", cleanErr(err))
		}
		if err := fn(val); err != nil {
			return err
		}
	}
	return nil
}

// indexAuditTimes is the migration to schema 2: it writes the time-ordered
// key of every audit event the store holds, in batches (a large trail does
// not fit one transaction). Rewriting a key writes the same bytes, so an
// interrupted run is simply run again by the next open.
func indexAuditTimes(db *badger.DB) error {
	wb := db.NewWriteBatch()
	defer wb.Cancel()
	err := db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kindAudit}, PrefetchValues: true, PrefetchSize: 64})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().KeyCopy(nil)
			if len(k) != auditKeyLen {
				continue // a stray key: doctor reports it
			}
			val, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			// An event without a readable time goes first: readers of
			// the trail fail on it as they did before the index.
			at, _ := auditTime(val)
			if err := wb.Set(auditTimeKey(at, k), val); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return wb.Flush()
}
