package storage

import (
	"bytes"
	"errors"
	"slices"
	"testing"
	"time"
)

// TestAuditCopies: each event's copy is found from the event and the
// event from the copy; a copy written by PutAuditCopy is the one
// AppendAudit writes, and DeleteAuditCopy takes the copy and leaves the
// event.
func TestAuditCopies(t *testing.T) {
	s := newStore(t)
	for i, e := range auditTrail {
		update(t, s, func(tx *Tx) error {
			return tx.AppendAudit(auditValue(auditBase.Add(time.Duration(e.sec)*time.Second), auditTrail[i].what))
		})
	}
	type event struct {
		ref AuditRef
		val []byte
	}
	var events []event
	view(t, s, func(tx *Tx) error {
		return tx.ScanAuditEvents(func(ref AuditRef, val []byte) error {
			cp, err := tx.GetAuditCopy(ref, val)
			if err != nil || !bytes.Equal(cp, val) {
				t.Errorf("copy of %s: %q, %v", detailOf(val), cp, err)
			}
			events = append(events, event{ref, val})
			return nil
		})
	})
	if len(events) != len(auditTrail) {
		t.Fatalf("%d events, want %d", len(events), len(auditTrail))
	}
	var copies []AuditCopy
	view(t, s, func(tx *Tx) error {
		return tx.ScanAuditCopies(func(c AuditCopy, val []byte) error {
			ev, err := tx.GetAuditEvent(c.Event)
			if err != nil || !bytes.Equal(ev, val) || !c.Holds(val) {
				t.Errorf("event of copy %s: %q, %v", detailOf(val), ev, err)
			}
			copies = append(copies, c)
			return nil
		})
	})
	if len(copies) != len(auditTrail) {
		t.Fatalf("%d copies, want %d", len(copies), len(auditTrail))
	}
	// A copy holds its own event's value, and no value of another action
	// or time.
	for _, c := range copies {
		for _, e := range events {
			a1, t1 := auditFields(e.val)
			own := slices.IndexFunc(events, func(o event) bool { return o.ref == c.Event })
			a2, t2 := auditFields(events[own].val)
			if want := a1 == a2 && t1.Equal(t2); c.Holds(e.val) != want {
				t.Errorf("copy of %s holds %s: %v", c.Event, detailOf(e.val), c.Holds(e.val))
			}
		}
	}

	first := events[0]
	var gone AuditCopy
	view(t, s, func(tx *Tx) error {
		return tx.ScanAuditCopies(func(c AuditCopy, _ []byte) error {
			if c.Event == first.ref {
				gone = c
			}
			return nil
		})
	})
	update(t, s, func(tx *Tx) error { return tx.DeleteAuditCopy(gone) })
	view(t, s, func(tx *Tx) error {
		if _, err := tx.GetAuditCopy(first.ref, first.val); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleted copy: %v", err)
		}
		if ev, err := tx.GetAuditEvent(first.ref); err != nil || !bytes.Equal(ev, first.val) {
			t.Errorf("the event went with its copy: %q, %v", ev, err)
		}
		return nil
	})
	update(t, s, func(tx *Tx) error { return tx.PutAuditCopy(first.ref, first.val) })
	var inTime []string
	view(t, s, func(tx *Tx) error {
		return tx.ScanAuditInTime(nil, func(val []byte) error { inTime = append(inTime, detailOf(val)); return nil })
	})
	if want := wantInTime(); !slices.Equal(inTime, want) {
		t.Errorf("trail in time order after the copy was written again = %q, want %q", inTime, want)
	}
	if err := s.Update(func(tx *Tx) error { return tx.DeleteAuditCopy(AuditCopy{Event: first.ref}) }); err == nil {
		t.Error("DeleteAuditCopy of a copy no scan gave")
	}
}
