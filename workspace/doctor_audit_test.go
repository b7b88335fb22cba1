package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"promptbench/storage"
)

// plantUndoneLabelMoves leaves what an import rolled back by an older
// promptbench left: the time-ordered copies of its label moves, without
// their events (the rollback deleted those).
func plantUndoneLabelMoves(tx *storage.Tx) error {
	at := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	for i, v := range []int{1, 2} {
		b, _ := json.Marshal(AuditEvent{Time: at.Add(time.Duration(i) * time.Second), Author: "bob", Action: AuditLabel,
			Prompt: "fun/joke", Label: "production", Version: v, Detail: "imported"})
		ref := storage.AuditRef{Nanos: math.MaxInt64 - uint64(i), Random: 7}
		if err := tx.PutAuditCopy(ref, b); err != nil {
			return err
		}
	}
	return nil
}

// auditEventOf finds the first event of the prompt with the action.
func auditEventOf(tx *storage.Tx, prompt, action string) (storage.AuditRef, []byte, error) {
	var ref storage.AuditRef
	var val []byte
	err := tx.ScanAuditEvents(func(r storage.AuditRef, b []byte) error {
		ev, err := DecodeAuditEvent(b)
		if err == nil && ev.Prompt == prompt && ev.Action == action && val == nil {
			ref, val = r, b
		}
		return nil
	})
	if err == nil && val == nil {
		err = errors.New("no such event")
	}
	return ref, val, err
}

// plantMissingAuditCopy deletes the time-ordered copy of an event, as a
// migration to those keys cut short leaves it.
func plantMissingAuditCopy(tx *storage.Tx) error {
	ref, val, err := auditEventOf(tx, "code/review", AuditCommit)
	if err != nil {
		return err
	}
	var found *storage.AuditCopy
	err = tx.ScanAuditCopies(func(c storage.AuditCopy, _ []byte) error {
		if c.Event == ref && c.Holds(val) {
			found = &c
		}
		return nil
	})
	if err != nil || found == nil {
		return errors.Join(err, errors.New("no copy"))
	}
	return tx.DeleteAuditCopy(*found)
}

// plantDifferingAuditCopy gives an event's copy other bytes.
func plantDifferingAuditCopy(tx *storage.Tx) error {
	ref, val, err := auditEventOf(tx, "meetings/notes", AuditCommit)
	if err != nil {
		return err
	}
	ev, err := DecodeAuditEvent(val)
	if err != nil {
		return err
	}
	ev.Detail = "tampered"
	b, _ := json.Marshal(ev)
	return tx.PutAuditCopy(ref, b)
}

// TestDoctorAuditCopies: the disagreements of the audit trail's two
// indexes are found, counted and repaired, and the library then exports
// exactly as it did before the damage; a second repair finds nothing.
func TestDoctorAuditCopies(t *testing.T) {
	ctx := context.Background()
	ws := demoWorkspace(t)
	// An export of every prompt: a full one would carry the repair's own
	// audit event too.
	var all []string
	ps, err := ws.List(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		all = append(all, p.Name)
	}
	opts := ExportOptionsForTest{Prompts: all}
	before := exportString(t, ws, opts)

	plant(t, ws, plantUndoneLabelMoves)
	plant(t, ws, plantMissingAuditCopy)
	plant(t, ws, plantDifferingAuditCopy)
	if exportString(t, ws, opts) == before {
		t.Fatal("the damage does not show in an export: the test plants nothing")
	}
	rep := doctor(t, ws, false)
	got := map[string]int{}
	for _, p := range rep.Problems {
		got[p.Kind] = p.Count
		if !p.Repairable {
			t.Errorf("%s not repairable", p.Kind)
		}
	}
	want := map[string]int{ProblemAuditCopyOrphaned: 2, ProblemAuditCopyMissing: 1, ProblemAuditCopyDiffers: 1}
	if len(got) != len(want) || got[ProblemAuditCopyOrphaned] != 2 || got[ProblemAuditCopyMissing] != 1 || got[ProblemAuditCopyDiffers] != 1 {
		t.Fatalf("doctor found %v (%q), want %v", got, names(rep.Problems), want)
	}
	if i := slices.IndexFunc(rep.Problems, func(p Problem) bool { return p.Kind == ProblemAuditCopyOrphaned }); rep.Problems[i].Detail != "label 2" {
		t.Errorf("orphaned copies detail %q, want the actions counted", rep.Problems[i].Detail)
	}
	if rep.Checked.AuditCopies != rep.Checked.AuditEvents+2-1 {
		t.Errorf("checked %d events, %d copies", rep.Checked.AuditEvents, rep.Checked.AuditCopies)
	}

	rep = doctor(t, ws, true)
	if !rep.Healthy() {
		t.Fatalf("after --repair: %q", names(rep.Remaining))
	}
	if got := exportString(t, ws, opts); got != before {
		t.Fatalf("export after the repair differs from the undamaged library's:\n%s\n---\n%s", got, before)
	}
	if again := doctor(t, ws, true); len(again.Problems) != 0 {
		t.Fatalf("second repair: %q", names(again.Problems))
	}
}

// TestDoctorAuditCopyFixesTwice: each fix reads the trail as it is when
// applied, so that one applied again (a repair killed after some of its
// transactions and run again) changes nothing.
func TestDoctorAuditCopyFixesTwice(t *testing.T) {
	ws := demoWorkspace(t)
	plant(t, ws, plantMissingAuditCopy)
	rep := doctor(t, ws, false)
	if len(rep.Problems) != 1 || rep.Problems[0].fix == nil {
		t.Fatalf("problems %q", names(rep.Problems))
	}
	plant(t, ws, rep.Problems[0].fix)
	plant(t, ws, rep.Problems[0].fix)
	if rep := doctor(t, ws, false); len(rep.Problems) != 0 {
		t.Fatalf("after the fix twice: %q", names(rep.Problems))
	}

	plant(t, ws, plantUndoneLabelMoves)
	rep = doctor(t, ws, false)
	if len(rep.Problems) != 1 || rep.Problems[0].Count != 2 {
		t.Fatalf("problems %q", names(rep.Problems))
	}
	for _, fix := range append(rep.Problems[0].before, rep.Problems[0].fix) {
		plant(t, ws, fix)
		plant(t, ws, fix)
	}
	if rep := doctor(t, ws, false); len(rep.Problems) != 0 {
		t.Fatalf("after the fixes twice: %q", names(rep.Problems))
	}
}
