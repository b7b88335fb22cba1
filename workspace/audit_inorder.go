package workspace

import "time"

// decodeAuditInOrder reads an event laid out as encoding/json writes an
// AuditEvent, its keys in the order of the struct's fields, each once,
// expecting each key where it comes (see version_inorder.go); anything
// else declines, and decodeAuditFast reads it. It also returns the time's
// text when that is how export files write it (exportTimeText), else nil.
func decodeAuditInOrder(d *promptScanner) (ev AuditEvent, timeText []byte, ok bool) {
	first := true
	if !d.key("time", &first) {
		return ev, nil, false
	}
	text, ok := d.str()
	if !ok {
		return ev, nil, false
	}
	// The time read once: as it stands, or by recordTime's other ways.
	if f, utc := utcFields(text); utc {
		ev.Time = time.Date(f.year, time.Month(f.month), f.day, f.hour, f.minute, f.sec, f.nsec, time.UTC)
		if canonicalFraction(text) {
			timeText = text
		}
	} else if ev.Time, ok = recordTime(text); !ok {
		return ev, nil, false
	}
	if !d.key("author", &first) {
		return ev, nil, false
	}
	if ev.Author, ok = d.repeated(); !ok || !d.key("action", &first) {
		return ev, nil, false
	}
	if ev.Action, ok = d.action(); !ok {
		return ev, nil, false
	}
	if d.key("prompt", &first) {
		if ev.Prompt, ok = d.repeated(); !ok {
			return ev, nil, false
		}
	}
	if d.key("version", &first) {
		if ev.Version, ok = d.int(); !ok {
			return ev, nil, false
		}
	}
	if d.key("detail", &first) {
		if ev.Detail, ok = d.repeated(); !ok {
			return ev, nil, false
		}
	}
	if d.key("label", &first) {
		if ev.Label, ok = d.repeated(); !ok {
			return ev, nil, false
		}
	}
	if d.key("from", &first) {
		if ev.From, ok = d.int(); !ok {
			return ev, nil, false
		}
	}
	if d.key("renamed_from", &first) {
		if ev.RenamedFrom, ok = d.jsonString(); !ok {
			return ev, nil, false
		}
	}
	if d.key("review", &first) {
		if ev.Review, ok = d.jsonString(); !ok {
			return ev, nil, false
		}
	}
	if d.key("forced", &first) {
		if ev.Forced, ok = d.bool(); !ok {
			return ev, nil, false
		}
	}
	if d.key("hash", &first) {
		if ev.Hash, ok = d.jsonString(); !ok {
			return ev, nil, false
		}
	}
	if !d.byte('}') || d.i != len(d.b) {
		return AuditEvent{}, nil, false
	}
	return ev, timeText, true
}
