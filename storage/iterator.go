package storage

import (
	"bytes"
	"slices"

	"github.com/dgraph-io/badger/v4"
)

// iterator walks Badger's keys under a prefix with the pending writes laid
// over them: a pending write hides Badger's value of its key, and a
// pending delete hides the key.
type iterator struct {
	it      *badger.Iterator
	ov      []write // key-sorted, under the prefix
	reverse bool
	i       int  // the overlay's next write
	fromOv  bool // the current key is the overlay's
	valid   bool
}

func (tx *Tx) iterator(prefix []byte, reverse bool) *iterator {
	ov := tx.over.span(prefix)
	if tx.pending != nil && len(tx.pending.list) > 0 {
		ov = mergeWrites(ov, tx.pending.span(prefix))
	}
	it := tx.txn.NewIterator(badger.IteratorOptions{Prefix: prefix, Reverse: reverse})
	return &iterator{it: it, ov: ov, reverse: reverse}
}

// Seek moves to the first key at or after k (at or before k in reverse).
func (m *iterator) Seek(k []byte) {
	m.it.Seek(k)
	if m.reverse {
		i, found := slices.BinarySearchFunc(m.ov, k, func(w write, k []byte) int { return bytes.Compare(w.key, k) })
		if !found {
			i--
		}
		m.i = i
	} else {
		m.i, _ = slices.BinarySearchFunc(m.ov, k, func(w write, k []byte) int { return bytes.Compare(w.key, k) })
	}
	m.settle()
}

// settle makes the current key the next of either source, skipping the
// keys the overlay hides.
func (m *iterator) settle() {
	for {
		inBadger := m.it.Valid()
		inOv := m.i >= 0 && m.i < len(m.ov)
		if !inOv {
			m.fromOv, m.valid = false, inBadger
			return
		}
		if inBadger {
			c := bytes.Compare(m.ov[m.i].key, m.it.Item().Key())
			if m.reverse {
				c = -c
			}
			if c > 0 {
				m.fromOv, m.valid = false, true
				return
			}
			if c == 0 {
				m.it.Next() // the pending write replaces this value
				continue
			}
		}
		if m.ov[m.i].del {
			m.step()
			continue
		}
		m.fromOv, m.valid = true, true
		return
	}
}

func (m *iterator) step() {
	if m.reverse {
		m.i--
	} else {
		m.i++
	}
}

func (m *iterator) Valid() bool { return m.valid }

func (m *iterator) ValidForPrefix(p []byte) bool { return m.valid && bytes.HasPrefix(m.Key(), p) }

func (m *iterator) Next() {
	if m.fromOv {
		m.step()
	} else {
		m.it.Next()
	}
	m.settle()
}

// Key is the current key, valid until Next.
func (m *iterator) Key() []byte {
	if m.fromOv {
		return m.ov[m.i].key
	}
	return m.it.Item().Key()
}

// Value calls fn with the current value, valid only during the call.
func (m *iterator) Value(fn func([]byte) error) error {
	if m.fromOv {
		return fn(m.ov[m.i].val)
	}
	return m.it.Item().Value(fn)
}

// ValueCopy returns a copy of the current value.
func (m *iterator) ValueCopy() ([]byte, error) {
	if m.fromOv {
		return append([]byte(nil), m.ov[m.i].val...), nil
	}
	return m.it.Item().ValueCopy(nil)
}

func (m *iterator) Close() { m.it.Close() }
