package exchange

import (
	"slices"

	"promptbench/workspace"
)

// instantEvents holds the audit events of one instant while a full export
// writes the trail (audit_pipeline.go): they are written once the next
// instant starts, in the audit section's order (exportOrder). Each is
// decoded in place from the job's bytes, which stay put until the job is
// done, so that events cost no allocation. One instant holds one event,
// but for imports and generated libraries.
type instantEvents struct {
	held []*heldEvent // held[:n] are the instant's events
	n    int
}

// heldEvent is an event and its decoder, whose buffer its strings share,
// and its time as export files write it, when its record holds that.
type heldEvent struct {
	dec      workspace.AuditInPlaceDecoder
	ev       workspace.AuditEvent
	timeText []byte
}

// decode decodes b into the place after the held events; keep or
// restart then takes it, or the next decode replaces it. b must stay put
// while the event is held.
func (s *instantEvents) decode(b []byte) (*heldEvent, error) {
	if s.n == len(s.held) {
		s.held = append(s.held, &heldEvent{})
	}
	h := s.held[s.n]
	ev, err := h.dec.Decode(b)
	if err != nil {
		return nil, err
	}
	h.ev, h.timeText = ev, h.dec.TimeText()
	return h, nil
}

// startsNew tells whether the event decode returned is of another
// instant than the held events.
func (s *instantEvents) startsNew(h *heldEvent) bool {
	return s.n > 0 && !s.held[0].ev.Time.Equal(h.ev.Time)
}

// keep adds the decoded event to the instant.
func (s *instantEvents) keep() { s.n++ }

// restart makes the decoded event the first of a new instant, once the
// held ones are written.
func (s *instantEvents) restart() {
	s.held[0], s.held[s.n] = s.held[s.n], s.held[0]
	s.n = 1
}

// sorted is the held events in the audit section's order.
func (s *instantEvents) sorted() []*heldEvent {
	evs := s.held[:s.n]
	if len(evs) > 1 {
		slices.SortStableFunc(evs, func(a, b *heldEvent) int { return exportOrder(a.ev, b.ev) })
	}
	return evs
}
