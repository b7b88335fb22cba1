package workspace

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"promptbench/storage"
)

// An export reads label history as MoveRecords: the same moves as
// AllLabelHistory, through renames, deletions and label removals.
func TestMoveRecordsMatchLabelHistory(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	move := func(ref, label string) {
		t.Helper()
		if _, err := ws.SetLabel(ctx, ref, label); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"a", "b", "c", "d"} {
		mustCommit(t, ws, name, text(name+" one"))
		mustCommit(t, ws, name, text(name+" two"))
		move(name+"@1", "production")
		move(name+"@2", "staging")
		move(name+"@2", "production")
	}
	if _, err := ws.Rename(ctx, "a", "a2"); err != nil {
		t.Fatal(err)
	}
	move("a2@1", "production")
	if _, err := ws.DeleteLabel(ctx, "b", "staging"); err != nil {
		t.Fatal(err)
	}
	move("b@1", "staging")
	if _, err := ws.Remove(ctx, "c", true); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, ws, "c", text("c again"))
	move("c@1", "dev")

	var history map[string]LabelMoves
	var records map[string]MoveRecords
	err := ws.ViewStore(ctx, func(tx *storage.Tx) error {
		var err error
		if history, err = AllLabelHistory(tx); err != nil {
			return err
		}
		records, err = AllMoveRecords(tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != len(history) {
		t.Fatalf("move records of %d prompts, label history of %d", len(records), len(history))
	}
	for name, moves := range history {
		for _, label := range []string{"production", "staging", "dev"} {
			want := moves.Records().Of(label)
			if got := records[name].Of(label); !reflect.DeepEqual(got, want) {
				t.Errorf("%s %s: move records %+v, label history %+v", name, label, got, want)
			}
		}
	}
	if got := records["a2"].Of("production"); len(got) != 3 || !slices.IsSortedFunc(got, func(x, y MoveRecord) int { return x.Time.Compare(y.Time) }) {
		t.Errorf("a2's production moves after the rename = %+v", got)
	}
	if got := records["b"].Of("staging"); len(got) != 1 {
		t.Errorf("b's staging moves after its removal and a new move = %+v", got)
	}
	if got := records["c"]; len(got) != 1 || got[0].Label != "dev" {
		t.Errorf("the new c's moves = %+v", got)
	}
}
