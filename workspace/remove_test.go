package workspace

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"promptbench/storage"
)

func TestRemoveRefusedWhileLabelledOrIncluded(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	renameFixture(t, ws, 3, 10)
	_, err := ws.Remove(ctx, "support/reply", false)
	var refused *RemoveRefusedError
	if !errors.As(err, &refused) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("remove of a labelled, included prompt: %v", err)
	}
	if refused.Labels["production"] != 1 || len(refused.Includers) != 1 || refused.Includers[0].Prompt != "support/triage" {
		t.Fatalf("refusal = %+v", refused)
	}
	if _, _, err := ws.Show(ctx, "support/reply"); err != nil {
		t.Fatalf("refused remove changed the prompt: %v", err)
	}
	// Without the label, the include by the latest version still holds it.
	if _, err := ws.DeleteLabel(ctx, "support/reply", "production"); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Remove(ctx, "support/reply", false); !errors.As(err, &refused) || len(refused.Labels) != 0 {
		t.Fatalf("remove of an included prompt: %v", err)
	}
	// Once the includer moves on, only an old version includes it.
	mustCommit(t, ws, "support/triage", text("Sort {{ticket}}."))
	res, err := ws.Remove(ctx, "support/reply", false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Versions != 2 || res.Logs != 3 || len(res.Includers) != 1 || res.Includers[0].InUse() {
		t.Fatalf("result = %+v", res)
	}
	checkGone(t, ws, "support/reply")
	events, _ := ws.Audit(ctx, "support/reply")
	last := events[len(events)-1]
	if last.Action != AuditDelete || !strings.Contains(last.Detail, "2 versions") || len(events) < 4 {
		t.Fatalf("audit trail of the deleted prompt: %+v", events)
	}
}

// checkGone asserts that the prompt name is gone with everything stored
// under it, and that doctor finds exactly the problems of doctorFinds.
func checkGone(t *testing.T, ws *Workspace, name string, doctorFinds ...string) {
	t.Helper()
	ctx := context.Background()
	if _, _, err := ws.Show(ctx, name); !errors.Is(err, ErrNotFound) {
		t.Fatalf("%s still resolves: %v", name, err)
	}
	tag, _ := ParseTag("purpose:support")
	listed, _ := ws.List(ctx, Filter{Tags: []Tag{tag}})
	for _, p := range listed {
		if p.Name == name {
			t.Fatalf("%s still in the tag index", name)
		}
	}
	err := ws.view(ctx, func(tx *storage.Tx) error {
		left, err := tx.HasVersionsOrLogs(name)
		if left {
			t.Errorf("versions or logs left under %s", name)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := runIndexKeysOf(t, ws, name); n != 0 {
		t.Errorf("%d run index keys left under %s", n, name)
	}
	if got := names(doctor(t, ws, false).Problems); !slices.Equal(got, doctorFinds) {
		t.Fatalf("doctor finds %q, want %q", got, doctorFinds)
	}
}

func TestRemoveForceAndLarge(t *testing.T) {
	ws := newTestWorkspace(t)
	renameFixture(t, ws, 3000, 1500)
	res, err := ws.Remove(context.Background(), "support/reply", true)
	if err != nil {
		t.Fatal(err)
	}
	if res.Logs != 3000 || res.Labels["production"] != 1 {
		t.Fatalf("result = %+v", res)
	}
	checkGone(t, ws, "support/reply", "include-broken support/triage@1")
}

// A delete stopped after its decisive transaction is finished by the next
// open, reading or writing.
func TestRemoveInterruptedIsFinished(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	renameFixture(t, ws, 50, 10)
	_, err := ws.withWriter(ctx, func(st *storage.Store) error {
		return st.Update(func(tx *storage.Tx) error {
			if err := dropRecord(tx, "support/reply", AuditEvent{Action: AuditDelete, Prompt: "support/reply"}); err != nil {
				return err
			}
			if _, err := tx.DeleteLogsUpTo("support/reply", 10); err != nil {
				return err
			}
			return putPromptOp(tx, promptOp{Op: opDelete, Name: "support/reply"})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	checkGone(t, ws, "support/reply", "include-broken support/triage@1")
	err = ws.view(ctx, func(tx *storage.Tx) error {
		if _, err := tx.GetPromptOp(); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("journal left: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDeleteLabel(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	renameFixture(t, ws, 0, 0)
	if _, err := ws.DeleteLabel(ctx, "support/reply", "staging"); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), `"staging"`) {
		t.Fatalf("unknown label: %v", err)
	}
	rm, err := ws.DeleteLabel(ctx, "support/reply", "production")
	if err != nil || rm.Version != 1 {
		t.Fatalf("DeleteLabel = %+v, %v", rm, err)
	}
	p, _, _ := ws.Show(ctx, "support/reply")
	if len(p.Labels) != 0 {
		t.Fatalf("labels after delete: %v", p.Labels)
	}
	events, _ := ws.Audit(ctx, "support/reply")
	if last := events[len(events)-1]; last.Action != AuditUnlabel || last.Label != "production" {
		t.Fatalf("last event = %+v", last)
	}
	// A label set again starts a new history in the export.
	if _, err := ws.SetLabel(ctx, "support/reply@2", "production"); err != nil {
		t.Fatal(err)
	}
	out := exportString(t, ws, ExportOptionsForTest{Prompts: []string{"support/reply"}})
	if !strings.Contains(out, "history:\n      - version: 2\n") || strings.Contains(out, "- version: 1\n        author") {
		t.Fatalf("label history after delete and set:\n%s", out)
	}
}
