package exchange

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"promptbench/workspace"
	"promptbench/workspace/served"
)

// TestExperimentsRoundTrip exports experiments (one running after a weight
// change, one stopped with a winner), imports them into an empty
// workspace, and expects the same export back, the same assignments, and
// an application package that assigns alike.
func TestExperimentsRoundTrip(t *testing.T) {
	ctx := context.Background()
	a := newTestWorkspace(t)
	mustCommit(t, a, "support/reply", text("Hi {{name}}"))
	mustCommit(t, a, "support/reply", text("Hello {{name}}"))
	mustCommit(t, a, "other", text("x"))
	if _, err := a.SetLabel(ctx, "support/reply@1", "production"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateExperiment(ctx, "tone", "support/reply", "user_id", []workspace.VariantSpec{{Name: "production", Weight: 90}, {Name: "2", Weight: 10}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SetWeights(ctx, "tone", []workspace.VariantSpec{{Name: "production", Weight: 70}, {Name: "2", Weight: 30}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateExperiment(ctx, "done", "support/reply", "", []workspace.VariantSpec{{Name: "1", Weight: 50}, {Name: "2", Weight: 50}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.StopExperiment(ctx, "done", "2", false); err != nil {
		t.Fatal(err)
	}
	first := exportString(t, a, ExportOptions{})
	for _, want := range []string{"experiments:\n- name: done\n", "  - name: \"2\"\n    version: 2\n", "    buckets:\n    - \"0-6999\"\n", "  winner: \"2\"\n"} {
		if !strings.Contains(first, want) {
			t.Fatalf("export lacks %q:\n%s", want, first)
		}
	}
	if only := exportOf(t, a, "other"); strings.Contains(only, "experiments:") {
		t.Errorf("an export of other prompts carries their experiments:\n%s", only)
	}

	b := newTestWorkspace(t)
	plan, err := Import(ctx, b, "lib.yaml", strings.NewReader(first), ImportOptions{})
	if err != nil || len(plan.Experiments) != 2 {
		t.Fatalf("import: %+v, %v", plan, err)
	}
	if second := exportString(t, b, ExportOptions{}); second != first {
		t.Fatalf("export → import → export differs:\n%s\n----\n%s", first, second)
	}
	again, err := Import(ctx, b, "lib.yaml", strings.NewReader(first), ImportOptions{})
	if err != nil || again.Changes() {
		t.Fatalf("importing twice changed %+v, %v", again, err)
	}

	ea, _ := a.Experiment(ctx, "tone")
	eb, _ := b.Experiment(ctx, "tone")
	path := filepath.Join(t.TempDir(), "prompts.yaml")
	if err := ExportTo(ctx, a, path, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	lib, err := served.Open(path, served.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 500 {
		key := "user-" + string(rune('a'+i%26)) + strings.Repeat("x", i%7)
		as, err := lib.Assign("tone", key)
		if err != nil {
			t.Fatal(err)
		}
		if ea.Variants[ea.Assign(key)].Name != as.Variant || eb.Assign(key) != ea.Assign(key) {
			t.Fatalf("%s: workspace %s, imported %s, served %s", key, ea.Variants[ea.Assign(key)].Name, eb.Variants[eb.Assign(key)].Name, as.Variant)
		}
	}
	r, err := lib.RenderExperiment("done", "anyone", map[string]any{"name": "Ann"})
	if err != nil || r.Version != 2 || r.Variant != "2" {
		t.Fatalf("a stopped experiment serves its winner: %+v, %v", r, err)
	}
}

func exportOf(t *testing.T, ws *workspace.Workspace, prompt string) string {
	var sb strings.Builder
	if err := Export(context.Background(), ws, &sb, ExportOptions{Prompts: []string{prompt}}); err != nil {
		t.Fatal(err)
	}
	return sb.String()
}

func TestImportRefusesBadExperiments(t *testing.T) {
	ctx := context.Background()
	a := newTestWorkspace(t)
	mustCommit(t, a, "p", text("a"))
	mustCommit(t, a, "p", text("b"))
	if _, err := a.CreateExperiment(ctx, "e", "p", "", []workspace.VariantSpec{{Name: "1", Weight: 50}, {Name: "2", Weight: 50}}); err != nil {
		t.Fatal(err)
	}
	good := exportString(t, a, ExportOptions{})
	for _, c := range []struct{ from, to, want string }{
		{"    weight: 50\n    buckets:\n    - \"0-4999\"\n", "    weight: 60\n    buckets:\n    - \"0-4999\"\n", "weight 60% but 5000 buckets"},
		{"    - \"5000-9999\"\n", "    - \"5000-9998\"\n", "bucket 9999 belongs to no variant"},
		{"  prompt: p\n", "  prompt: q\n", "q is not a prompt in this file"},
		{"    version: 2\n", "    version: 3\n", "p@3 is not a version in this file"},
		{"  status: running\n", "  status: paused\n", `status "paused"`},
	} {
		bad := strings.Replace(good, c.from, c.to, 1)
		if bad == good {
			t.Fatalf("%q not in the export:\n%s", c.from, good)
		}
		b := newTestWorkspace(t)
		_, err := Import(ctx, b, "lib.yaml", strings.NewReader(bad), ImportOptions{})
		if !errors.Is(err, workspace.ErrInvalid) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "lib.yaml:") {
			t.Errorf("%s: %v; want an error naming the line and %q", c.to, err, c.want)
		}
		if list, _ := b.List(ctx, workspace.Filter{}); len(list) != 0 {
			t.Errorf("%s: a refused import stored %d prompts", c.to, len(list))
		}
	}
}
