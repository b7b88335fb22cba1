package workspace

import (
	"encoding/json"
	"fmt"
)

// DecodeAuditEvent decodes an audit event as AppendAudit stored it. An
// export decodes the whole trail (an event per commit and label move), and
// encoding/json spent more time on it than on writing the export's audit
// section: events laid out as encoding/json writes them are read here
// directly, anything else (white space, unknown keys, a null, an escape
// the fast reader leaves alone) by encoding/json, so that the fast path
// can decline, never decode differently.
func DecodeAuditEvent(b []byte) (AuditEvent, error) {
	return decodeAuditEvent(&promptScanner{b: b})
}

// AuditDecoder decodes many events of one trail, sharing the strings
// events repeat (authors, prompts, labels, details such as "revision 2")
// instead of allocating them for each event.
type AuditDecoder struct {
	shared map[string]string
}

// Decode decodes an event as DecodeAuditEvent does.
func (d *AuditDecoder) Decode(b []byte) (AuditEvent, error) {
	if d.shared == nil {
		d.shared = map[string]string{}
	}
	return decodeAuditEvent(&promptScanner{b: b, shared: d.shared})
}

// AuditInPlaceDecoder decodes events in place (decode_inplace.go): the
// strings of the event Decode returns share b's memory and the decoder's
// own, so they are valid only while b is unchanged and until the
// decoder's next Decode. For a reader that writes each event out before
// then: an export's audit section, which decoded every event of the trail
// and kept none, spent about a tenth of its time allocating and looking up
// strings.
type AuditInPlaceDecoder struct {
	d        promptScanner
	timeText []byte
}

// Decode decodes an event as DecodeAuditEvent does.
func (a *AuditInPlaceDecoder) Decode(b []byte) (AuditEvent, error) {
	a.d.inPlace = true
	a.d.reset(b)
	ev, timeText, err := decodeAuditEventText(&a.d)
	a.timeText = timeText
	return ev, err
}

// TimeText is the time of the event Decode last returned as export files
// write it (exportyaml.AppendTime), taken from its record, or nil when the
// record does not hold it so; valid as long as the event's strings.
func (a *AuditInPlaceDecoder) TimeText() []byte { return a.timeText }

func decodeAuditEvent(d *promptScanner) (AuditEvent, error) {
	ev, _, err := decodeAuditEventText(d)
	return ev, err
}

// decodeAuditEventText is decodeAuditEvent, and the time's text where
// decodeAuditInOrder gives it.
func decodeAuditEventText(d *promptScanner) (AuditEvent, []byte, error) {
	b := d.b
	if ev, timeText, ok := decodeAuditInOrder(d); ok {
		return ev, timeText, nil
	}
	d.reset(b)
	ev, err := decodeAuditRest(d)
	return ev, nil, err
}

// decodeAuditRest decodes an event the in-order decoder declined.
func decodeAuditRest(d *promptScanner) (AuditEvent, error) {
	b := d.b
	if ev, ok := decodeAuditFast(d); ok {
		return ev, nil
	}
	var ev AuditEvent
	if err := json.Unmarshal(b, &ev); err != nil {
		return AuditEvent{}, fmt.Errorf("decode audit event: %w", err)
	}
	return ev, nil
}

func decodeAuditFast(d *promptScanner) (ev AuditEvent, ok bool) {
	whole := d.object(func(key []byte) (ok bool) {
		switch string(key) {
		case "time":
			ev.Time, ok = d.time()
		case "author":
			ev.Author, ok = d.repeated()
		case "action":
			ev.Action, ok = d.action()
		case "prompt":
			ev.Prompt, ok = d.repeated()
		case "version":
			ev.Version, ok = d.int()
		case "detail":
			ev.Detail, ok = d.repeated()
		case "label":
			ev.Label, ok = d.repeated()
		case "from":
			ev.From, ok = d.int()
		case "renamed_from":
			ev.RenamedFrom, ok = d.jsonString()
		case "review":
			ev.Review, ok = d.jsonString()
		case "forced":
			ev.Forced, ok = d.bool()
		case "hash":
			ev.Hash, ok = d.jsonString()
		}
		return ok
	})
	if !whole || d.i != len(d.b) {
		return AuditEvent{}, false
	}
	return ev, true
}

// auditActions are the actions the library writes, so that decoding an
// event does not allocate its action.
var auditActions = []string{AuditCommit, AuditTag, AuditLabel, AuditApprove, AuditImport, AuditDelete,
	AuditRename, AuditUnlabel, AuditExperiment, AuditReviewRequest, AuditReject}

func (d *promptScanner) action() (string, bool) {
	start := d.i
	if s, ok := d.str(); ok {
		for _, a := range auditActions {
			if string(s) == a {
				return a, true
			}
		}
	}
	d.i = start
	return d.jsonString()
}

func (d *promptScanner) bool() (bool, bool) {
	switch {
	case len(d.b)-d.i >= 4 && string(d.b[d.i:d.i+4]) == "true":
		d.i += 4
		return true, true
	case len(d.b)-d.i >= 5 && string(d.b[d.i:d.i+5]) == "false":
		d.i += 5
		return false, true
	}
	return false, false
}
