package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// ErrTxnTooBig is returned by a write that would make the transaction larger
// than the store accepts in one commit (about ten thousand keys or a megabyte
// here): split the work into several Updates.
var ErrTxnTooBig = errors.New("transaction too big")

// Tx is one transaction, valid only inside the function given to View or
// Update. Values passed to and returned from its methods belong to the caller.
type Tx struct {
	txn      *badger.Txn
	writable bool
	// lastAudit is the time key of the latest audit event this transaction
	// knows, so that several appends need one lookup.
	lastAudit uint64
	// over is the store's pending writes, laid over txn's snapshot
	// (pending.go); nil when none are pending.
	over *overlay
	// pending collects this transaction's writes when they go to the
	// pending log; nil when they go to txn.
	pending *writeSet
	// tables is the store's directory in a read-only open, whose table
	// files stay mapped until it closes (ReleaseTablePages), and mapped
	// the ranges they are mapped at, once read.
	tables string
	mapped []tableMapping
}

// pendingWrite returns the write pending for k, this transaction's first.
func (tx *Tx) pendingWrite(k []byte) (write, bool) {
	if tx.pending != nil {
		if w, ok := tx.pending.find(k); ok {
			return w, true
		}
	}
	return tx.over.find(k)
}

func (tx *Tx) get(k []byte, what string) ([]byte, error) {
	if w, ok := tx.pendingWrite(k); ok {
		if w.del {
			return nil, fmt.Errorf("%s: %w", what, ErrNotFound)
		}
		return append([]byte(nil), w.val...), nil
	}
	item, err := tx.txn.Get(k)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", what, cleanErr(err))
	}
	val, err := item.ValueCopy(nil)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", what, cleanErr(err))
	}
	return val, nil
}

// has tells whether k is in the store, reading no value.
func (tx *Tx) has(k []byte) (bool, error) {
	if w, ok := tx.pendingWrite(k); ok {
		return !w.del, nil
	}
	_, err := tx.txn.Get(k)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, cleanErr(err)
	}
	return true, nil
}

func (tx *Tx) set(k, val []byte, what string) error {
	if !tx.writable {
		return fmt.Errorf("put %s: %w", what, ErrReadOnlyTx)
	}
	if tx.pending != nil {
		return txnError("put", what, tx.pending.add(write{key: bytes.Clone(k), val: append([]byte(nil), val...)}))
	}
	return txnError("put", what, tx.txn.Set(k, val))
}

func (tx *Tx) del(k []byte, what string) error {
	if !tx.writable {
		return fmt.Errorf("delete %s: %w", what, ErrReadOnlyTx)
	}
	if tx.pending != nil {
		return txnError("delete", what, tx.pending.add(write{key: bytes.Clone(k), del: true}))
	}
	return txnError("delete", what, tx.txn.Delete(k))
}

func txnError(op, what string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, badger.ErrTxnTooBig):
		return fmt.Errorf("%s %s: %w", op, what, ErrTxnTooBig)
	}
	return fmt.Errorf("%s %s: %w", op, what, cleanErr(err))
}

// scan calls fn for each key under prefix in key order (newest first when
// reverse), with the key's remainder after the prefix. Values are read one at
// a time, and not at all unless values is set, so memory stays flat however
// large the store.
func (tx *Tx) scan(prefix []byte, values, reverse bool, fn func(rest, val []byte) error) error {
	it := tx.iterator(prefix, reverse)
	defer it.Close()
	start := prefix
	if reverse {
		// The greatest key under prefix that any kind here can have.
		start = append(bytes.Clone(prefix), bytes.Repeat([]byte{0xff}, 16)...)
	}
	for it.Seek(start); it.Valid(); it.Next() {
		var val []byte
		if values {
			var err error
			if val, err = it.ValueCopy(); err != nil {
				return fmt.Errorf("scan: %w", cleanErr(err))
			}
		}
		if err := fn(it.Key()[len(prefix):], val); err != nil {
			return err
		}
	}
	return nil
}

// deletePrefix deletes every key under prefix.
func (tx *Tx) deletePrefix(prefix []byte, what string) error {
	if !tx.writable {
		return fmt.Errorf("delete %s: %w", what, ErrReadOnlyTx)
	}
	var keys [][]byte
	err := tx.scan(prefix, false, false, func(rest, _ []byte) error {
		keys = append(keys, append(bytes.Clone(prefix), rest...))
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := tx.del(k, what); err != nil {
			return err
		}
	}
	return nil
}

// GetPrompt returns the prompt's value, or an error matching ErrNotFound.
func (tx *Tx) GetPrompt(name string) ([]byte, error) {
	k, err := simpleKey(kindPrompt, "prompt name", name)
	if err != nil {
		return nil, err
	}
	return tx.get(k, "prompt "+name)
}

// PutPrompt stores the prompt's value.
func (tx *Tx) PutPrompt(name string, val []byte) error {
	k, err := simpleKey(kindPrompt, "prompt name", name)
	if err != nil {
		return err
	}
	return tx.set(k, val, "prompt "+name)
}

// DeletePrompt deletes the prompt's value; its versions, tags and logs stay
// until deleted with their own methods.
func (tx *Tx) DeletePrompt(name string) error {
	k, err := simpleKey(kindPrompt, "prompt name", name)
	if err != nil {
		return err
	}
	return tx.del(k, "prompt "+name)
}

// ScanPrompts calls fn for each prompt whose name starts with prefix ("" for
// all), in name order. An error from fn stops the scan and is returned.
func (tx *Tx) ScanPrompts(prefix string, fn func(name string, val []byte) error) error {
	return tx.scan(key(kindPrompt, []byte(prefix)), true, false, func(rest, val []byte) error {
		return fn(prefix+string(rest), val)
	})
}

// ScanPromptsBorrowed calls fn for every prompt in name order, as
// ScanPrompts does, with the name and record as the store holds them: both
// are valid only until fn returns, and fn must not change them. A listing
// copies all of them into one buffer, where ScanPrompts allocates a name
// and a record per prompt.
func (tx *Tx) ScanPromptsBorrowed(fn func(name, val []byte) error) error {
	prefix := key(kindPrompt, nil)
	it := tx.iterator(prefix, false)
	defer it.Close()
	for it.Seek(prefix); it.Valid(); it.Next() {
		name := it.Key()[len(prefix):]
		var fnErr error
		err := it.Value(func(val []byte) error {
			fnErr = fn(name, val)
			return fnErr
		})
		if fnErr != nil {
			return fnErr
		}
		if err != nil {
			return fmt.Errorf("scan: %w", cleanErr(err))
		}
	}
	return nil
}

// GetVersion returns version number of the prompt, or an error matching
// ErrNotFound.
func (tx *Tx) GetVersion(name string, number int) ([]byte, error) {
	k, err := versionKey(name, number)
	if err != nil {
		return nil, err
	}
	return tx.get(k, fmt.Sprintf("version %s@%d", name, number))
}

// PutVersion stores version number (1, 2, …) of the prompt.
func (tx *Tx) PutVersion(name string, number int, val []byte) error {
	k, err := versionKey(name, number)
	if err != nil {
		return err
	}
	return tx.set(k, val, fmt.Sprintf("version %s@%d", name, number))
}

// ScanVersions calls fn for each version of the prompt in ascending number.
func (tx *Tx) ScanVersions(name string, fn func(number int, val []byte) error) error {
	p, err := simpleKey(kindVersion, "prompt name", name)
	if err != nil {
		return err
	}
	p = append(p, sep)
	return tx.scan(p, true, false, func(rest, val []byte) error {
		if len(rest) != 4 {
			return nil // a stray key (ScanStrayKeys): not a version
		}
		return fn(int(binary.BigEndian.Uint32(rest)), val)
	})
}

// DeleteVersions deletes every version of the prompt.
func (tx *Tx) DeleteVersions(name string) error {
	p, err := simpleKey(kindVersion, "prompt name", name)
	if err != nil {
		return err
	}
	return tx.deletePrefix(append(p, sep), "versions of "+name)
}

// PutTag records that the prompt carries tag (e.g. "purpose:support") in the
// index ScanTag reads.
func (tx *Tx) PutTag(tag, name string) error {
	k, err := tagKey(tag, name)
	if err != nil {
		return err
	}
	return tx.set(k, nil, "tag "+tag+" of "+name)
}

// DeleteTag removes the prompt from tag's index.
func (tx *Tx) DeleteTag(tag, name string) error {
	k, err := tagKey(tag, name)
	if err != nil {
		return err
	}
	return tx.del(k, "tag "+tag+" of "+name)
}

// ScanTag calls fn with the name of each prompt carrying tag, in name order.
// It reads keys only, so listing by tag decodes no prompt.
func (tx *Tx) ScanTag(tag string, fn func(name string) error) error {
	t, err := namePart("tag", tag)
	if err != nil {
		return err
	}
	return tx.scan(key(kindTag, t), false, false, func(rest, _ []byte) error {
		return fn(string(rest))
	})
}

// AppendAudit appends an event to the audit trail. Events keep their append
// order across processes: the key is the wall clock in nanoseconds, forced
// past the latest event's when the clock stands still or went back. The
// same transaction writes the event's time-ordered key (audit_time.go).
func (tx *Tx) AppendAudit(val []byte) error {
	if !tx.writable {
		return fmt.Errorf("append audit event: %w", ErrReadOnlyTx)
	}
	if tx.lastAudit == 0 {
		err := tx.scan([]byte{kindAudit}, false, true, func(rest, _ []byte) error {
			tx.lastAudit = auditNanos(append([]byte{kindAudit}, rest...))
			return errStop
		})
		if err != nil && !errors.Is(err, errStop) {
			return err
		}
	}
	now := uint64(max(time.Now().UnixNano(), 0))
	if now <= tx.lastAudit {
		now = tx.lastAudit + 1
	}
	tx.lastAudit = now
	action, at := auditFields(val)
	// The random part keeps two processes' events apart if they ever share
	// a nanosecond.
	k := auditKey(now, rand.Uint32())
	if err := tx.set(k, val, "audit event"); err != nil {
		return err
	}
	return tx.set(auditTimeKey(action, at, k), val, "audit event")
}

var errStop = errors.New("stop")

// ScanAudit calls fn for each audit event, oldest first.
func (tx *Tx) ScanAudit(fn func(val []byte) error) error {
	return tx.scan([]byte{kindAudit}, true, false, func(_, val []byte) error {
		return fn(val)
	})
}

// ScanAuditReverse calls fn for the latest limit audit events (all when limit
// <= 0), newest first.
func (tx *Tx) ScanAuditReverse(limit int, fn func(val []byte) error) error {
	if limit <= 0 {
		limit = math.MaxInt
	}
	n := 0
	err := tx.scan([]byte{kindAudit}, true, true, func(_, val []byte) error {
		if n == limit {
			return errStop
		}
		n++
		return fn(val)
	})
	if errors.Is(err, errStop) {
		return nil
	}
	return err
}
