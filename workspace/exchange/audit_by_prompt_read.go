package exchange

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"

	"promptbench/workspace"
)

// An indexed audit event's record in auditRecords (promptEvents): a fixed
// head, then the event as the store holds it. An event naming two prompts
// (a rename) has a record in the list of each, both with its number.
const recordHeadSize = 4 + 1 + 8 + 8 + 4 + 4

// recordSpot is where a record lies in auditRecords: at -1 for none.
type recordSpot struct {
	at   int64
	size uint32 // head and event
}

type recordHead struct {
	seq      uint32 // the event's number, in trail order
	imported bool   // an import's event: never written
	when     int64  // the event's time (UnixNano)
	prev     recordSpot
	body     uint32 // bytes of the event that follow
}

func (h recordHead) put(b []byte) {
	binary.LittleEndian.PutUint32(b[0:], h.seq)
	b[4] = 0
	if h.imported {
		b[4] = 1
	}
	binary.LittleEndian.PutUint64(b[5:], uint64(h.when))
	binary.LittleEndian.PutUint64(b[13:], uint64(h.prev.at))
	binary.LittleEndian.PutUint32(b[21:], h.prev.size)
	binary.LittleEndian.PutUint32(b[25:], h.body)
}

func readRecordHead(b []byte) recordHead {
	return recordHead{
		seq:      binary.LittleEndian.Uint32(b[0:]),
		imported: b[4] == 1,
		when:     int64(binary.LittleEndian.Uint64(b[5:])),
		prev:     recordSpot{at: int64(binary.LittleEndian.Uint64(b[13:])), size: binary.LittleEndian.Uint32(b[21:])},
		body:     binary.LittleEndian.Uint32(b[25:]),
	}
}

// readWindow is how much read reads at least: a prompt's records, read
// newest first, often lie just before one another (commits in a row).
const readWindow = 8 << 10

// read returns the record at, valid until the next read.
func (x *promptEvents) read(at recordSpot) ([]byte, error) {
	end := at.at + int64(at.size)
	if at.at >= x.winAt && end <= x.winAt+int64(len(x.win)) {
		return x.win[at.at-x.winAt : end-x.winAt], nil
	}
	from := min(at.at, max(0, end-readWindow))
	x.win = slices.Grow(x.win[:0], int(end-from))[:end-from]
	x.winAt = from
	if err := x.records.readAt(x.win, from); err != nil {
		x.win = x.win[:0]
		return nil, err
	}
	return x.win[at.at-from:], nil
}

// each calls fn, in trail order, with each event whose record's head want
// accepts.
func (x *promptEvents) each(want func(recordHead) bool, fn func(recordHead, workspace.AuditEvent)) error {
	rd := x.records.reader()
	var body []byte
	last := int64(-1)
	for {
		if _, err := io.ReadFull(rd, x.head[:]); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("export: temporary file: %w", err)
		}
		h := readRecordHead(x.head[:])
		body = slices.Grow(body[:0], int(h.body))[:h.body]
		if _, err := io.ReadFull(rd, body); err != nil {
			return fmt.Errorf("export: temporary file: %w", err)
		}
		// A rename's second record comes right after its first.
		again := int64(h.seq) == last
		last = int64(h.seq)
		if again || !want(h) {
			continue
		}
		ev, err := workspace.DecodeAuditEvent(body)
		if err != nil {
			return err
		}
		fn(h, ev)
	}
}
