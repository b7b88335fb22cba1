package exchange

import (
	"slices"
	"strings"

	"promptbench/storage"
	"promptbench/workspace"
)

// promptEvents picks each prompt's audit events from a trail read once.
// An export folder needs the events of every prompt: reading the whole
// trail for each (exportedEvents) took most of a large library's export
// (ten thousand prompts × a hundred thousand events). It gives what
// exportedEvents(trail, []string{name}, false) gives.
//
// Holding the decoded trail took about 25 MB for that library, most of
// what the folder export held. The records go to an unlinked temporary
// file instead (auditRecords), each linked to the one before it that names
// the same prompt (as its prompt, or as the former name of a rename,
// which is written once for each name): the index keeps where each name's
// last record is, and a prompt's events are read back, newest first, as
// its file is written.
type promptEvents struct {
	records *auditRecords
	// ids numbers the names events carry; heads holds, by that number,
	// the last record naming the name.
	ids   map[string]int32
	heads []recordSpot
	// formers lists the names renamed to a name.
	formers map[string][]string

	count  uint32   // events indexed
	placed []uint64 // by event, a bit: returned by of, written with a prompt
	// placedOrImported counts the events rest need not read.
	placedOrImported uint32

	scan workspace.AuditInPlaceDecoder
	head [recordHeadSize]byte
	// win is the part of the records last read, from winAt.
	win   []byte
	winAt int64
}

func newPromptEvents(records *auditRecords) *promptEvents {
	return &promptEvents{records: records, ids: map[string]int32{}, formers: map[string][]string{}}
}

// readPromptEvents indexes the trail in tx, keeping the records in a
// temporary file in dir. With follow, only the events naming one of its
// names (as prompt or former name) are kept: those an export of the
// prompts with these names and former names needs (selectedTrail).
func readPromptEvents(tx *storage.Tx, dir string, follow map[string]bool) (*promptEvents, error) {
	x := newPromptEvents(newAuditRecords(dir))
	read := 0 // bytes of records since the table pages were released
	err := tx.ScanAuditInTime(nil, func(b []byte) error {
		if read += len(b); read >= releaseEvery {
			tx.ReleaseTablePages()
			read = 0
		}
		return x.add(b, follow)
	})
	if err == nil {
		err = x.records.done()
	}
	if err != nil {
		x.close()
		return nil, err
	}
	return x, nil
}

// add indexes the record of the trail's next event, unless follow names
// neither its prompt nor its former name.
func (x *promptEvents) add(b []byte, follow map[string]bool) error {
	ev, err := x.scan.Decode(b) // its strings are b's: copied to be kept
	if err != nil {
		return err
	}
	if follow != nil && !follow[ev.Prompt] && !follow[ev.RenamedFrom] {
		return nil
	}
	h := recordHead{seq: x.count, imported: ev.Action == workspace.AuditImport, when: ev.Time.UnixNano(), body: uint32(len(b))}
	if x.count++; int(h.seq/64) == len(x.placed) {
		x.placed = append(x.placed, 0)
	}
	if h.imported {
		x.placedOrImported++
	}
	if err := x.link(ev.Prompt, h, b); err != nil {
		return err
	}
	if ev.Action == workspace.AuditRename {
		if ev.RenamedFrom != ev.Prompt {
			if err := x.link(ev.RenamedFrom, h, b); err != nil {
				return err
			}
		}
		to := strings.Clone(ev.Prompt)
		x.formers[to] = append(x.formers[to], strings.Clone(ev.RenamedFrom))
	}
	return nil
}

// link writes the event's record as the last of those naming name.
func (x *promptEvents) link(name string, h recordHead, body []byte) error {
	id, ok := x.ids[name]
	if !ok {
		id = int32(len(x.heads))
		x.ids[strings.Clone(name)] = id
		x.heads = append(x.heads, recordSpot{at: -1})
	}
	h.prev = x.heads[id]
	x.heads[id] = recordSpot{at: x.records.size, size: recordHeadSize + uint32(len(body))}
	h.put(x.head[:])
	if err := x.records.write(x.head[:]); err != nil {
		return err
	}
	return x.records.write(body)
}

// of returns the prompt's events. Following renames reaches only the
// names reachable from name through renames to them, so only the events
// naming one of those can be picked: the others are left out before
// following, which then reads a handful of events instead of the trail.
func (x *promptEvents) of(name string) ([]workspace.AuditEvent, error) {
	names := []string{name}
	reached := map[string]bool{name: true}
	for i := 0; i < len(names); i++ {
		for _, f := range x.formers[names[i]] {
			if !reached[f] {
				reached[f] = true
				names = append(names, f)
			}
		}
	}
	type seqEvent struct {
		seq uint32
		ev  workspace.AuditEvent
	}
	var found []seqEvent // newest first along each name's records
	for _, n := range names {
		id, ok := x.ids[n]
		if !ok {
			continue
		}
		for at := x.heads[id]; at.at >= 0; {
			rec, err := x.read(at)
			if err != nil {
				return nil, err
			}
			h := readRecordHead(rec)
			ev, err := workspace.DecodeAuditEvent(rec[recordHeadSize:])
			if err != nil {
				return nil, err
			}
			found = append(found, seqEvent{h.seq, ev})
			at = h.prev
		}
	}
	slices.Reverse(found)
	if len(names) > 1 {
		slices.SortFunc(found, func(a, b seqEvent) int { return int(a.seq) - int(b.seq) })
		found = slices.CompactFunc(found, func(a, b seqEvent) bool { return a.seq == b.seq })
	}
	some := make([]workspace.AuditEvent, len(found))
	for i, f := range found {
		some[i] = f.ev
	}
	// EventsOf picks a subsequence of some: where each came from is
	// marked as written with a prompt, import events left out.
	events := workspace.EventsOf(some, name)
	out := events[:0]
	j := 0
	for _, ev := range events {
		for some[j] != ev {
			j++
		}
		seq := found[j].seq
		j++
		if ev.Action == workspace.AuditImport {
			continue
		}
		out = append(out, ev)
		if bit := uint64(1) << (seq % 64); x.placed[seq/64]&bit == 0 {
			x.placed[seq/64] |= bit
			x.placedOrImported++
		}
	}
	return out, nil
}

// rest returns the events of the trail a full export writes (no
// import's) that no prompt's file holds: those of deleted prompts and of
// no prompt. Like the export before it, it leaves out an event whose
// identity is that of an event written with a prompt, without keeping
// the identity of every event: only those at the instant of an event
// left are compared.
func (x *promptEvents) rest() ([]workspace.AuditEvent, error) {
	if x.placedOrImported == x.count {
		return nil, nil
	}
	var left []workspace.AuditEvent
	instants := map[int64]bool{}
	err := x.each(func(h recordHead) bool { return !h.imported && !x.isPlaced(h.seq) }, func(h recordHead, ev workspace.AuditEvent) {
		left = append(left, ev)
		instants[h.when] = true
	})
	if err != nil || len(left) == 0 {
		return nil, err
	}
	ids := map[string]bool{}
	err = x.each(func(h recordHead) bool { return x.isPlaced(h.seq) && instants[h.when] }, func(_ recordHead, ev workspace.AuditEvent) {
		ids[ev.Identity()] = true
	})
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(left, func(ev workspace.AuditEvent) bool { return ids[ev.Identity()] }), nil
}

func (x *promptEvents) isPlaced(seq uint32) bool { return x.placed[seq/64]&(1<<(seq%64)) != 0 }

// close removes the records' temporary file.
func (x *promptEvents) close() { x.records.close() }
