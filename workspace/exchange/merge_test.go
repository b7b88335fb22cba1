package exchange

import (
	"context"
	"strings"
	"testing"
)

// TestMergeFilesLabels: a label moved on one side follows it, a label
// removed on one side and untouched on the other stays removed, and the
// merged file is what export writes for the merged library.
func TestMergeFilesLabels(t *testing.T) {
	ctx := context.Background()
	a := newTestWorkspace(t)
	mustCommit(t, a, "p", text("one {{x}}"))
	mustCommit(t, a, "p", text("two {{x}}"))
	for _, l := range []string{"production", "staging"} {
		if _, err := a.SetLabel(ctx, "p@1", l); err != nil {
			t.Fatal(err)
		}
	}
	base := exportString(t, a, ExportOptions{})

	ours := newTestWorkspaceAs(t, "bob")
	mustImport(t, ours, base, ImportOptions{})
	if _, err := ours.SetLabel(ctx, "p@2", "production"); err != nil {
		t.Fatal(err)
	}
	theirs := newTestWorkspaceAs(t, "carol")
	mustImport(t, theirs, base, ImportOptions{})
	if _, err := theirs.DeleteLabel(ctx, "p", "staging"); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, theirs, "q", text("new {{y}}"))

	in := func(name, data string) MergeInput { return MergeInput{Name: name, Data: []byte(data)} }
	merged, rep, err := MergeFiles(ctx, t.TempDir(), in("base", base), in("ours", exportString(t, ours, ExportOptions{})), in("theirs", exportString(t, theirs, ExportOptions{})))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Conflicts)+len(rep.Divergences)+len(rep.Kept) > 0 {
		t.Fatalf("report %+v; want nothing to report", rep)
	}
	got := string(merged)
	if !strings.Contains(got, "  labels:\n    production:\n      version: 2\n") || strings.Contains(got, "    staging:\n") || !strings.Contains(got, "- name: q\n") {
		t.Fatalf("merged file:\n%s", got)
	}
	fresh := newTestWorkspace(t)
	mustImport(t, fresh, got, ImportOptions{})
	if again := exportString(t, fresh, ExportOptions{}); again != got {
		t.Fatalf("export of the merged library differs from the merge:\n%s\n---\n%s", again, got)
	}
}

// TestMergeFilesKeepsLogs: a file exported with its logs merges into one
// with them, the same bytes when nothing changed.
func TestMergeFilesKeepsLogs(t *testing.T) {
	a := newTestWorkspace(t)
	mustCommit(t, a, "p", text("one {{x}}"))
	file := exportString(t, a, ExportOptions{WithLogs: true})
	in := MergeInput{Name: "f", Data: []byte(file)}
	merged, _, err := MergeFiles(context.Background(), t.TempDir(), in, in, in)
	if err != nil {
		t.Fatal(err)
	}
	if string(merged) != file {
		t.Fatalf("merged:\n%s\nwant:\n%s", merged, file)
	}
}
