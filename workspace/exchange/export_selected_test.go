package exchange

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// An export of some prompts keeps only the audit events of the names they
// ever had instead of the whole trail: it must write what picking them
// from the whole trail wrote, through renames back and forth, a name
// taken again after a rename or a deletion, and prompts that never moved.
func TestExportOfSomePromptsFollowsRenames(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	rename := func(from, to string) {
		t.Helper()
		_, err := ws.Rename(ctx, from, to)
		must(err)
	}
	mustCommit(t, ws, "a/one", text("first a/one"))
	mustCommit(t, ws, "other/x", text("x"))
	_, err := ws.SetLabel(ctx, "a/one", "production")
	must(err)
	rename("a/one", "b/two")
	mustCommit(t, ws, "a/one", text("a new a/one"))
	mustCommit(t, ws, "b/two", text("second of the renamed one"))
	rename("b/two", "c/three")
	rename("c/three", "b/two")
	mustCommit(t, ws, "gone/p", text("soon deleted"))
	_, err = ws.Remove(ctx, "gone/p", true)
	must(err)
	mustCommit(t, ws, "gone/p", text("the name again"))
	rename("other/x", "other/y")
	mustCommit(t, ws, "plain/q", text("never moved"))

	for _, o := range []ExportOptions{
		{Prompts: []string{"b/two"}},
		{Prompts: []string{"a/one"}},
		{Prompts: []string{"gone/p", "other/y"}},
		{Prompts: []string{"plain/q", "b/two", "a/one"}},
		{Prompts: []string{"other/y"}, NoTaxonomy: true},
	} {
		want := referenceExport(t, ws, o)
		if got := exportString(t, ws, o); got != want {
			t.Errorf("export %q differs from the former export at byte %d of %d:\n%s", o.Prompts, firstDiff(got, want), len(want), got)
		}
	}

	// A folder export of one prompt writes its file as the full folder
	// export does.
	all, one := filepath.Join(t.TempDir(), "all"), filepath.Join(t.TempDir(), "one")
	must(ExportDir(ctx, ws, all, ExportOptions{}))
	for _, name := range []string{"b/two", "a/one", "other/y"} {
		must(ExportDir(ctx, ws, one, ExportOptions{Prompts: []string{name}}))
		file := filepath.FromSlash(name) + ".yaml"
		want, err1 := os.ReadFile(filepath.Join(all, file))
		got, err2 := os.ReadFile(filepath.Join(one, file))
		if err1 != nil || err2 != nil || string(got) != string(want) {
			t.Errorf("%s: the folder export of the prompt alone differs from the full one (%v, %v):\n%s\nwant:\n%s", name, err1, err2, got, want)
		}
	}
}
