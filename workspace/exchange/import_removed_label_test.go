package exchange

import (
	"context"
	"testing"

	"promptbench/workspace"
)

// A label removed here after every move an older export file knows of
// stays removed when that file is imported again; the library then
// survives an export and import unchanged. A teammate's later move of the
// label is news, and brings it back.
func TestImportKeepsALabelRemovedSince(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "p", text("one {{x}}"))
	if _, err := ws.SetLabel(ctx, "p@1", "production"); err != nil {
		t.Fatal(err)
	}
	older := exportString(t, ws, ExportOptions{})
	if _, err := ws.DeleteLabel(ctx, "p", "production"); err != nil {
		t.Fatal(err)
	}

	plan := mustImport(t, ws, older, ImportOptions{})
	if len(plan.Labels) != 0 {
		t.Fatalf("the older file planned label changes: %+v", plan.Labels)
	}
	if p, _, _ := ws.Show(ctx, "p"); len(p.Labels) != 0 {
		t.Fatalf("the removed label came back: %v", p.Labels)
	}
	exported := exportString(t, ws, ExportOptions{})
	fresh := newTestWorkspace(t)
	mustImport(t, fresh, exported, ImportOptions{})
	if again := exportString(t, fresh, ExportOptions{}); again != exported {
		t.Fatalf("export of the re-imported library differs:\n%s\n----\n%s", exported, again)
	}

	teammate := newTestWorkspaceAs(t, "bob")
	mustImport(t, teammate, older, ImportOptions{})
	mustCommit(t, teammate, "p", text("two {{x}}"))
	if _, err := teammate.SetLabel(ctx, "p@2", "production"); err != nil {
		t.Fatal(err)
	}
	plan = mustImport(t, ws, exportString(t, teammate, ExportOptions{}), ImportOptions{})
	if len(plan.Labels) != 1 || plan.Labels[0].Action != LabelActionNew || plan.Labels[0].To != 2 {
		t.Fatalf("the teammate's later move: %+v", plan.Labels)
	}
	var p workspace.Prompt
	if p, _, _ = ws.Show(ctx, "p"); p.Labels["production"] != 2 {
		t.Fatalf("labels after the teammate's move: %v", p.Labels)
	}
}
