package exchange

import (
	"context"
	"errors"
	"strings"
	"testing"

	"promptbench/testdata"
	"promptbench/workspace"
)

// TestImportIntoEmpty: the demo loads into an empty workspace, loading it
// again changes nothing, and a workspace with prompts of its own is
// refused and left as it was.
func TestImportIntoEmpty(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	plan, err := ImportIntoEmpty(ctx, ws, "demo", testdata.DemoLibrary)
	if err != nil || !plan.Applied || len(plan.NewPrompts) != 12 {
		t.Fatalf("into an empty workspace: %+v %v", plan, err)
	}
	plan, err = ImportIntoEmpty(ctx, ws, "demo", testdata.DemoLibrary)
	if err != nil || plan.Changes() || plan.Applied {
		t.Fatalf("again: %+v %v", plan, err)
	}

	mine := newTestWorkspace(t)
	mustCommit(t, mine, "support/reply", text("My own reply to {{ticket}}"))
	if _, err := mine.SetLabel(ctx, "support/reply@1", "production"); err != nil {
		t.Fatal(err)
	}
	before := exportString(t, mine, ExportOptions{WithLogs: true})
	_, err = ImportIntoEmpty(ctx, mine, "demo", testdata.DemoLibrary)
	var ne *NotEmptyError
	if !errors.As(err, &ne) || !errors.Is(err, workspace.ErrInvalid) || !strings.Contains(err.Error(), "already holds prompts (support/reply)") {
		t.Fatalf("err = %v", err)
	}
	if exportString(t, mine, ExportOptions{WithLogs: true}) != before {
		t.Fatal("a refused demo load changed the workspace")
	}
}
