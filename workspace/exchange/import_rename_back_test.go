package exchange

import (
	"context"
	"testing"
)

// A prompt renamed away and back elsewhere: the teammate, who has it under
// its name from before, keeps it so. Importing the same file a second time
// plans nothing (the rename away was left out the first time and taken the
// second: the rename back, recorded by the first, read as ours taking the
// name after it).
func TestImportRenameAwayAndBackTwice(t *testing.T) {
	ctx := context.Background()
	alice := newTestWorkspaceAs(t, "alice")
	mustCommit(t, alice, "joke", text("one {{x}}"))
	bob := newTestWorkspaceAs(t, "bob")
	mustImport(t, bob, exportString(t, alice, ExportOptions{}), ImportOptions{})
	if _, err := alice.Rename(ctx, "joke", "jest"); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Rename(ctx, "jest", "joke"); err != nil {
		t.Fatal(err)
	}
	exported := exportString(t, alice, ExportOptions{})
	mustImport(t, bob, exported, ImportOptions{})
	if plan := mustImport(t, bob, exported, ImportOptions{}); plan.Changes() {
		t.Fatalf("importing the same file again plans changes: %+v", plan)
	}
}
