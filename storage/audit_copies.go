package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"
)

// The audit trail's two indexes, for the self-check: every event under its
// append key, and its copy under the time-ordered key its value gives
// (audit_time.go). They agree unless something broke one without the
// other: an import rolled back by a binary that deleted the events and not
// their copies (the copies kept the undone changes in exports), or a
// schema 2 migration cut short on a store an older binary then wrote to.
// The methods below let doctor find and mend such disagreements one event
// or copy at a time.

// AuditRef names an audit event by its append key: the store's clock when
// it was appended, in Unix nanoseconds, and the random bits that keep two
// processes' events apart.
type AuditRef struct {
	Nanos  uint64
	Random uint32
}

func (r AuditRef) key() []byte { return auditKey(r.Nanos, r.Random) }

// String is the append time, for messages.
func (r AuditRef) String() string {
	return time.Unix(0, int64(r.Nanos)).UTC().Format(time.RFC3339Nano)
}

// auditRefOf reads an append key without its kind byte: the end of a
// time-ordered key too.
func auditRefOf(b []byte) AuditRef {
	return AuditRef{Nanos: binary.BigEndian.Uint64(b[:8]), Random: binary.BigEndian.Uint32(b[8:12])}
}

// AuditCopy is one time-ordered key: the event it copies, and the key
// itself, which its action and time do not name when the copy is stale.
type AuditCopy struct {
	Event AuditRef
	key   []byte
}

// Holds tells whether c is the key an event whose value is val keeps its
// copy under.
func (c AuditCopy) Holds(val []byte) bool {
	action, at := auditFields(val)
	return bytes.Equal(c.key, auditTimeKey(action, at, c.Event.key()))
}

// ScanAuditEvents calls fn for each audit event, oldest first, with its
// append key.
func (tx *Tx) ScanAuditEvents(fn func(ref AuditRef, val []byte) error) error {
	return tx.scan([]byte{kindAudit}, true, false, func(rest, val []byte) error {
		if len(rest) != auditKeyLen-1 {
			return nil // a stray key
		}
		return fn(auditRefOf(rest), val)
	})
}

// ScanAuditCopies calls fn for each time-ordered copy, in key order. val
// is valid only during the call: a check reads every copy once and keeps
// none of them.
func (tx *Tx) ScanAuditCopies(fn func(c AuditCopy, val []byte) error) error {
	prefix := []byte{kindAuditTime}
	it := tx.iterator(prefix, false)
	defer it.Close()
	for it.Seek(prefix); it.Valid(); it.Next() {
		k := it.Key()
		if keyShapeError(k) != "" {
			continue // a stray key
		}
		c := AuditCopy{Event: auditRefOf(k[len(k)-(auditKeyLen-1):]), key: bytes.Clone(k)}
		var fnErr error
		err := it.Value(func(val []byte) error {
			fnErr = fn(c, val)
			return fnErr
		})
		if fnErr != nil {
			return fnErr
		}
		if err != nil {
			return fmt.Errorf("scan audit copies: %w", cleanErr(err))
		}
	}
	return nil
}

// GetAuditEvent returns the event ref names, or an error matching
// ErrNotFound.
func (tx *Tx) GetAuditEvent(ref AuditRef) ([]byte, error) {
	return tx.get(ref.key(), "audit event "+ref.String())
}

// GetAuditCopy returns the copy the event ref, whose value is val, keeps
// in time order, or an error matching ErrNotFound.
func (tx *Tx) GetAuditCopy(ref AuditRef, val []byte) ([]byte, error) {
	action, at := auditFields(val)
	return tx.get(auditTimeKey(action, at, ref.key()), "time-ordered copy of audit event "+ref.String())
}

// PutAuditCopy writes the time-ordered copy of the event ref, whose value
// is val, as AppendAudit does.
func (tx *Tx) PutAuditCopy(ref AuditRef, val []byte) error {
	action, at := auditFields(val)
	return tx.set(auditTimeKey(action, at, ref.key()), val, "time-ordered copy of audit event "+ref.String())
}

// DeleteAuditCopy deletes one time-ordered copy; its event, if any, stays.
func (tx *Tx) DeleteAuditCopy(c AuditCopy) error {
	if keyShapeError(c.key) != "" || c.key[0] != kindAuditTime {
		return fmt.Errorf("storage: %q is not a time-ordered audit key", c.key)
	}
	return tx.del(c.key, "time-ordered copy of audit event "+c.Event.String())
}
