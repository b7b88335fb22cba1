package storage

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/skl"
)

// overlay is the pending log's writes as reads see them: the last write of
// each key, in key order, laid over Badger's snapshot (pending.go).
type overlay struct {
	writes  []write
	records int   // records in the log
	bytes   int64 // the log's length
}

func newOverlay(ws []write, records int, size int64) *overlay {
	return &overlay{writes: lastWrites(ws), records: records, bytes: size}
}

// lastWrites sorts ws by key and keeps the last write of each key.
func lastWrites(ws []write) []write {
	ws = slices.Clone(ws)
	slices.SortStableFunc(ws, func(a, b write) int { return bytes.Compare(a.key, b.key) })
	out := ws[:0]
	for i, w := range ws {
		if i+1 < len(ws) && bytes.Equal(ws[i+1].key, w.key) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// with returns the overlay after one more record of writes, recLen bytes
// long; o is left as it was for the transactions still reading it.
func (o *overlay) with(ws []write, recLen int) *overlay {
	n := &overlay{records: 1, bytes: int64(recLen)}
	var base []write
	if o != nil {
		base = o.writes
		n.records += o.records
		n.bytes += o.bytes
	}
	n.writes = mergeWrites(base, lastWrites(ws))
	return n
}

// mergeWrites merges two key-sorted lists of writes, b's winning on equal
// keys.
func mergeWrites(a, b []write) []write {
	if len(a) == 0 {
		return b
	}
	if len(b) == 0 {
		return a
	}
	out := make([]write, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		switch c := bytes.Compare(a[0].key, b[0].key); {
		case c < 0:
			out, a = append(out, a[0]), a[1:]
		case c > 0:
			out, b = append(out, b[0]), b[1:]
		default:
			out, a, b = append(out, b[0]), a[1:], b[1:]
		}
	}
	return append(append(out, a...), b...)
}

func (o *overlay) find(k []byte) (write, bool) {
	if o == nil {
		return write{}, false
	}
	i, ok := slices.BinarySearchFunc(o.writes, k, func(w write, k []byte) int { return bytes.Compare(w.key, k) })
	if !ok {
		return write{}, false
	}
	return o.writes[i], true
}

// span returns the writes of keys under prefix.
func (o *overlay) span(prefix []byte) []write {
	if o == nil {
		return nil
	}
	return spanOf(o.writes, prefix)
}

func spanOf(ws []write, prefix []byte) []write {
	lo, _ := slices.BinarySearchFunc(ws, prefix, func(w write, k []byte) int { return bytes.Compare(w.key, k) })
	n := lo
	for n < len(ws) && bytes.HasPrefix(ws[n].key, prefix) {
		n++
	}
	return ws[lo:n]
}

// writeSet is one transaction's writes to the pending log: the last write
// of each key, in the order the keys were first written.
type writeSet struct {
	idx  map[string]int
	list []write
	// limited makes it refuse, as Badger's transactions do, a transaction
	// larger than one commit takes (ErrTxnTooBig), so that callers split
	// large changes the same way whichever way their writes go.
	limited     bool
	count, size int64
}

func newWriteSet(limited bool) *writeSet {
	return &writeSet{idx: map[string]int{}, limited: limited}
}

// Badger's limits on one transaction with this package's options
// (badgerOptions: a memtable of 2 MB, values above 64 KB in the value log,
// value-log files of 16 MB): db.go's maxBatchSize and maxBatchCount, and
// txn.go's checks of each write.
const (
	txnMaxSize      = 15 * (2 << 20) / 100
	txnMaxCount     = txnMaxSize / int64(skl.MaxNodeSize)
	txnMaxKey       = 65000
	txnMaxValue     = 16 << 20
	txnValueInTable = 64 << 10
)

func (s *writeSet) add(w write) error {
	switch {
	case len(w.key) == 0:
		return badger.ErrEmptyKey
	case len(w.key) > txnMaxKey:
		return fmt.Errorf("key with size %d exceeded %d limit", len(w.key), txnMaxKey)
	case len(w.val) >= txnMaxValue:
		return fmt.Errorf("value with size %d exceeded %d limit", len(w.val), txnMaxValue)
	}
	if s.limited {
		est := int64(len(w.key)) + 2 + 10
		if len(w.val) < txnValueInTable {
			est += int64(len(w.val))
		} else {
			est += 12
		}
		if s.count+1 >= txnMaxCount || s.size+est >= txnMaxSize {
			return badger.ErrTxnTooBig
		}
		s.count, s.size = s.count+1, s.size+est
	}
	if i, ok := s.idx[string(w.key)]; ok {
		s.list[i] = w
		return nil
	}
	s.idx[string(w.key)] = len(s.list)
	s.list = append(s.list, w)
	return nil
}

func (s *writeSet) find(k []byte) (write, bool) {
	i, ok := s.idx[string(k)]
	if !ok {
		return write{}, false
	}
	return s.list[i], true
}

// span returns the writes of keys under prefix, in key order.
func (s *writeSet) span(prefix []byte) []write {
	var ws []write
	for _, w := range s.list {
		if bytes.HasPrefix(w.key, prefix) {
			ws = append(ws, w)
		}
	}
	slices.SortFunc(ws, func(a, b write) int { return bytes.Compare(a.key, b.key) })
	return ws
}
