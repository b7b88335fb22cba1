package exchange

import (
	"context"
	"testing"
)

// A label moved before its prompt was renamed (twice) is one move in a
// library imported from the export: the file's label history has it under
// the prompt's name today, its audit section under the name of the time.
// Written both ways, the re-imported library exported every such move twice.
func TestImportRenamedPromptsLabelMovesOnce(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "joke", text("one {{x}}"))
	mustCommit(t, ws, "joke", text("two {{x}}"))
	if _, err := ws.SetLabel(ctx, "joke@1", "production"); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Rename(ctx, "joke", "jest"); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.SetLabel(ctx, "jest@2", "production"); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Rename(ctx, "jest", "gag"); err != nil {
		t.Fatal(err)
	}
	exported := exportString(t, ws, ExportOptions{})

	fresh := newTestWorkspace(t)
	mustImport(t, fresh, exported, ImportOptions{})
	if again := exportString(t, fresh, ExportOptions{}); again != exported {
		t.Fatalf("the re-imported library exports differently:\n%s", lineDiff(exported, again))
	}
	if plan := mustImport(t, fresh, exported, ImportOptions{}); len(plan.Labels) != 0 || plan.Audit != 0 {
		t.Fatalf("importing the same file again planned label changes %+v and %d audit events", plan.Labels, plan.Audit)
	}
}
