package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"
)

// The audit trail in time order. Audit events are keyed by the store's
// clock (append order), but readers want them by the time each event
// carries, and events an import brings in come after ours whatever their
// time: sorting the whole trail in memory cost an export of a large
// library ~150 MB. So every event is written twice in one transaction:
// under its append key, and under a key that sorts by the event's action,
// then its own time, then the append key. The value is the same bytes.
// A reader merges the actions it wants (few: commit, label, …) and streams
// the trail in the order a stable sort by time gives; one that wants the
// label moves alone reads those and not every commit.
//
//	A <action> 0 <seconds:8, sign flipped> <nanos:4> <append key's nanos:8> <random:4>
//
// The action and time are the value's "action" and "time" fields: audit
// values are JSON objects (workspace.AuditEvent).
const kindAuditTime = 'A'

// auditOrderLen is the time and append key that end a time-ordered key.
const auditOrderLen = 12 + auditKeyLen - 1

// auditTimeKey is the time-ordered key of the event at appendKey.
func auditTimeKey(action string, at time.Time, appendKey []byte) []byte {
	return appendAuditTimeKey(make([]byte, 0, 2+len(action)+auditOrderLen), action, at, appendKey)
}

// appendAuditTimeKey appends the time-ordered key of the event at
// appendKey to k.
func appendAuditTimeKey(k []byte, action string, at time.Time, appendKey []byte) []byte {
	k = append(k, kindAuditTime)
	k = append(k, action...)
	k = append(k, sep)
	k = binary.BigEndian.AppendUint64(k, uint64(at.Unix())^(1<<63))
	k = binary.BigEndian.AppendUint32(k, uint32(at.Nanosecond()))
	return append(k, appendKey[1:]...)
}

// auditFields reads the action and time an audit value carries; a value
// without them (never one of workspace's) sorts first, under action "".
func auditFields(val []byte) (action string, at time.Time) {
	// json.Marshal of an event starts with its time and writes its
	// action unescaped when it needs no escape: read them in place. A
	// quote inside a string is escaped, so the first `,"action":"` is
	// the field.
	const lead, field = `{"time":"`, `,"action":"`
	if bytes.HasPrefix(val, []byte(lead)) {
		rest := val[len(lead):]
		end := bytes.IndexByte(rest, '"')
		i := bytes.Index(val, []byte(field))
		if end > 0 && i > 0 {
			a := val[i+len(field):]
			if j := bytes.IndexByte(a, '"'); j >= 0 && bytes.IndexByte(a[:j], '\\') < 0 && bytes.IndexByte(a[:j], sep) < 0 {
				if t, err := time.Parse(time.RFC3339Nano, string(rest[:end])); err == nil {
					return string(a[:j]), t
				}
			}
		}
	}
	var ev struct {
		Time   time.Time `json:"time"`
		Action string    `json:"action"`
	}
	if json.Unmarshal(val, &ev) != nil || bytes.IndexByte([]byte(ev.Action), sep) >= 0 {
		return "", time.Time{}
	}
	return ev.Action, ev.Time
}

// ScanAuditInTime calls fn for the audit events whose action want accepts
// (all when want is nil), in the order of the times the events carry,
// events of the same time in the order they were appended. val is valid
// only during the call.
func (tx *Tx) ScanAuditInTime(want func(action string) bool, fn func(val []byte) error) error {
	actions, err := tx.auditActions(want)
	if err != nil {
		return err
	}
	if tx.writable && len(actions) > 1 {
		// A read-write transaction allows one iterator at a time.
		return tx.mergeAuditCopies(actions, fn)
	}
	streams := make([]*auditStream, 0, len(actions))
	defer func() {
		for _, s := range streams {
			s.it.Close()
		}
	}()
	for _, a := range actions {
		prefix := append(append([]byte{kindAuditTime}, a...), sep)
		s := &auditStream{it: tx.iterator(prefix, false), prefix: len(prefix)}
		streams = append(streams, s)
		s.it.Seek(prefix)
	}
	for {
		// The actions are few: the earliest head is found by looking at
		// each.
		var next *auditStream
		for _, s := range streams {
			if s.it.Valid() && (next == nil || bytes.Compare(s.order(), next.order()) < 0) {
				next = s
			}
		}
		if next == nil {
			return nil
		}
		called := false
		err := next.it.Value(func(val []byte) error {
			called = true
			return fn(val)
		})
		if err != nil {
			if !called {
				return fmt.Errorf("scan audit trail: %w", cleanErr(err))
			}
			return err
		}
		next.it.Next()
	}
}

// auditStream is one action's events in time order.
type auditStream struct {
	it     *iterator
	prefix int
}

func (s *auditStream) order() []byte { return s.it.Key()[s.prefix:] }

// auditActions is the actions of the time-ordered keys that want accepts:
// one seek per action.
func (tx *Tx) auditActions(want func(string) bool) ([]string, error) {
	it := tx.iterator([]byte{kindAuditTime}, false)
	defer it.Close()
	var out []string
	for it.Seek([]byte{kindAuditTime}); it.Valid(); {
		k := it.Key()[1:]
		i := bytes.IndexByte(k, sep)
		if i < 0 {
			it.Next() // a stray key: doctor reports it
			continue
		}
		action := string(k[:i])
		if want == nil || want(action) {
			out = append(out, action)
		}
		it.Seek(append(append([]byte{kindAuditTime}, action...), sep+1))
	}
	return out, nil
}

// mergeAuditCopies is ScanAuditInTime reading one action after the other
// into memory, for read-write transactions.
func (tx *Tx) mergeAuditCopies(actions []string, fn func(val []byte) error) error {
	type event struct{ order, val []byte }
	var lists [][]event
	for _, a := range actions {
		prefix := append(append([]byte{kindAuditTime}, a...), sep)
		var list []event
		err := tx.scan(prefix, true, false, func(rest, val []byte) error {
			list = append(list, event{bytes.Clone(rest), val})
			return nil
		})
		if err != nil {
			return err
		}
		lists = append(lists, list)
	}
	for {
		best := -1
		for i, l := range lists {
			if len(l) > 0 && (best < 0 || bytes.Compare(l[0].order, lists[best][0].order) < 0) {
				best = i
			}
		}
		if best < 0 {
			return nil
		}
		if err := fn(lists[best][0].val); err != nil {
			return err
		}
		lists[best] = lists[best][1:]
	}
}
