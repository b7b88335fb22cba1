package exchange

import (
	"context"
	"strings"
	"testing"

	"promptbench/workspace"
)

// A teammate who imported a prompt and then imports the export of a
// library where it was renamed, deleted or lost a label keeps it as it was
// (import merges by name: it never renames, deletes or removes a label).
// The change did not happen in the teammate's library: recorded in its
// trail, it made the kept prompt's label history follow it to the new
// name or end, so the teammate's export no longer imported into a fresh
// library the same, nor a second time without changes.
func TestImportKeepsWhatTheFileChangedElsewhere(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(ctx context.Context, alice *workspace.Workspace) error
		want   []string // prompts bob then has
	}{
		{"rename", func(ctx context.Context, alice *workspace.Workspace) error {
			if _, err := alice.Rename(ctx, "joke", "jest"); err != nil {
				return err
			}
			_, err := alice.SetLabel(ctx, "jest@2", "production")
			return err
		}, []string{"jest", "joke"}},
		{"delete", func(ctx context.Context, alice *workspace.Workspace) error {
			_, err := alice.Remove(ctx, "joke", true)
			return err
		}, []string{"joke"}},
		{"label move, then delete", func(ctx context.Context, alice *workspace.Workspace) error {
			if _, err := alice.SetLabel(ctx, "joke@2", "production"); err != nil {
				return err
			}
			_, err := alice.Remove(ctx, "joke", true)
			return err
		}, []string{"joke"}},
		{"label move, then rename", func(ctx context.Context, alice *workspace.Workspace) error {
			if _, err := alice.SetLabel(ctx, "joke@2", "production"); err != nil {
				return err
			}
			_, err := alice.Rename(ctx, "joke", "jest")
			return err
		}, []string{"jest", "joke"}},
		{"label removal", func(ctx context.Context, alice *workspace.Workspace) error {
			_, err := alice.DeleteLabel(ctx, "joke", "production")
			return err
		}, []string{"joke"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			alice := newTestWorkspaceAs(t, "alice")
			mustCommit(t, alice, "joke", text("one {{x}}"))
			mustCommit(t, alice, "joke", text("two {{x}}"))
			mustCommit(t, alice, "other", text("three {{x}}"))
			if _, err := alice.SetLabel(ctx, "joke@1", "production"); err != nil {
				t.Fatal(err)
			}
			bob := newTestWorkspaceAs(t, "bob")
			mustImport(t, bob, exportString(t, alice, ExportOptions{}), ImportOptions{})
			if err := tc.change(ctx, alice); err != nil {
				t.Fatal(err)
			}
			mustImport(t, bob, exportString(t, alice, ExportOptions{}), ImportOptions{})

			events, err := bob.AuditQuery(ctx, workspace.AuditFilter{Prompt: "joke"})
			if err != nil {
				t.Fatal(err)
			}
			for _, ev := range events {
				if ev.Action != workspace.AuditCommit && ev.Action != workspace.AuditLabel && ev.Action != workspace.AuditImport {
					t.Errorf("bob's joke, kept as it was, has a %s in its trail: %+v", ev.Action, ev)
				}
			}
			exported := exportString(t, bob, ExportOptions{})
			for _, name := range tc.want {
				if !strings.Contains(exported, "- name: "+name+"\n") {
					t.Fatalf("bob's library lacks %s:\n%s", name, exported)
				}
			}
			fresh := newTestWorkspaceAs(t, "carol")
			mustImport(t, fresh, exported, ImportOptions{})
			if again := exportString(t, fresh, ExportOptions{}); again != exported {
				t.Fatalf("bob's library imported into a fresh one exports differently:\n%s", lineDiff(exported, again))
			}
			if plan := mustImport(t, fresh, exported, ImportOptions{}); plan.Changes() {
				t.Fatalf("importing bob's export a second time plans changes: %+v", plan)
			}
		})
	}
}

// A prompt made before another was renamed away from a name, and renamed
// to that name after, had another name at the first rename: a fresh import
// of the library records that rename all the same.
func TestImportRenameOntoAFreedName(t *testing.T) {
	ctx := context.Background()
	alice := newTestWorkspaceAs(t, "alice")
	mustCommit(t, alice, "joke", text("one {{x}}"))
	mustCommit(t, alice, "pun", text("two {{x}}"))
	for _, step := range []func() error{
		func() error { _, err := alice.SetLabel(ctx, "joke@1", "production"); return err },
		func() error { _, err := alice.Rename(ctx, "joke", "jest"); return err },
		func() error { _, err := alice.Rename(ctx, "pun", "joke"); return err },
		func() error { _, err := alice.SetLabel(ctx, "joke@1", "production"); return err },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	exported := exportString(t, alice, ExportOptions{})
	fresh := newTestWorkspaceAs(t, "bob")
	mustImport(t, fresh, exported, ImportOptions{})
	if again := exportString(t, fresh, ExportOptions{}); again != exported {
		t.Fatalf("the re-imported library exports differently:\n%s", lineDiff(exported, again))
	}
	if plan := mustImport(t, fresh, exported, ImportOptions{}); plan.Changes() {
		t.Fatalf("importing the same file again plans changes: %+v", plan)
	}
}

// A prompt deleted and made again under its name elsewhere merges in as a
// line with no version in common with ours: its first version has no
// parent. The library holding both lines is healthy, and its export imports
// into a fresh library the same (it was refused: "parent 0 does not exist").
func TestImportLineWithNoVersionInCommon(t *testing.T) {
	ctx := context.Background()
	alice := newTestWorkspaceAs(t, "alice")
	mustCommit(t, alice, "joke", text("one {{x}}"))
	bob := newTestWorkspaceAs(t, "bob")
	mustImport(t, bob, exportString(t, alice, ExportOptions{}), ImportOptions{})
	if _, err := alice.Remove(ctx, "joke", true); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, alice, "joke", text("made again {{x}}"))
	plan := mustImport(t, bob, exportString(t, alice, ExportOptions{}), ImportOptions{})
	if len(plan.Divergences) != 1 || plan.Divergences[0].Base != 0 {
		t.Fatalf("want one divergence with no version in common, got %+v", plan.Divergences)
	}
	rep, err := bob.Doctor(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Healthy() {
		t.Fatalf("doctor: %+v", rep.Problems)
	}
	exported := exportString(t, bob, ExportOptions{})
	fresh := newTestWorkspaceAs(t, "carol")
	mustImport(t, fresh, exported, ImportOptions{})
	if again := exportString(t, fresh, ExportOptions{}); again != exported {
		t.Fatalf("bob's library imported into a fresh one exports differently:\n%s", lineDiff(exported, again))
	}
}
