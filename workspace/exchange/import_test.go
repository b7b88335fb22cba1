package exchange

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"promptbench/workspace"
)

func exportString(t *testing.T, ws *workspace.Workspace, o ExportOptions) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Export(context.Background(), ws, &buf, o); err != nil {
		t.Fatalf("export: %v", err)
	}
	return buf.String()
}

func mustImport(t *testing.T, ws *workspace.Workspace, data string, o ImportOptions) ImportPlan {
	t.Helper()
	plan, err := Import(context.Background(), ws, "lib.yaml", strings.NewReader(data), o)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return plan
}

// sampleLibrary commits a small library with the awkward cases: multi-line
// text, config, schema, labels moved twice.
func sampleLibrary(t *testing.T, ws *workspace.Workspace) {
	t.Helper()
	ctx := context.Background()
	temp, seed := 0.0, int64(7)
	tags, _ := workspace.ParseTags([]string{"purpose:support", "tone:friendly"})
	desc := "Replies to a ticket"
	d := workspace.Draft{
		Messages: []workspace.Message{
			{Role: workspace.RoleSystem, Content: "You are a support agent.\n\n  Be brief.\n"},
			{Role: workspace.RoleUser, Content: "{{ticket}}"},
		},
		Config:      workspace.ModelConfig{Model: "openai/gpt-4o-mini", Temperature: &temp, MaxTokens: 300, Stop: []string{"\n\n", "END"}, Seed: &seed},
		Scorers:     []string{"contains:Thanks"},
		Tags:        tags,
		Description: &desc,
		Message:     "first: reply",
	}
	mustCommit(t, ws, "support/reply", d)
	d.Messages[1].Content = "Ticket: {{ticket}}"
	d.Config.ResponseFormat = &workspace.ResponseFormat{Type: "json_schema", Name: "reply", Strict: true, Schema: []byte(`{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`)}
	d.Message = "structured output"
	mustCommit(t, ws, "support/reply", d)
	mustCommit(t, ws, "greet", text("Hello {{name}}"))
	mustCommit(t, ws, "greet", text("Hi {{name}}!"))
	for _, l := range [][2]string{{"support/reply@1", "production"}, {"support/reply@2", "production"}, {"greet@1", "staging"}} {
		if _, err := ws.SetLabel(ctx, l[0], l[1]); err != nil {
			t.Fatal(err)
		}
	}
}

func TestExportRoundTrip(t *testing.T) {
	a := newTestWorkspace(t)
	sampleLibrary(t, a)
	first := exportString(t, a, ExportOptions{})
	if again := exportString(t, a, ExportOptions{}); again != first {
		t.Fatal("two exports of the same library differ")
	}
	for _, want := range []string{"schema: promptbench/v1\n", "- name: support/reply\n", "content: |\n", "history:\n", "temperature: 0.0\n", "schema:\n"} {
		if !strings.Contains(first, want) {
			t.Fatalf("export lacks %q:\n%s", want, first)
		}
	}
	b := newTestWorkspace(t)
	plan := mustImport(t, b, first, ImportOptions{})
	if len(plan.NewPrompts) != 2 || len(plan.NewVersions) != 4 || len(plan.Divergences) != 0 {
		t.Fatalf("plan = %+v", plan)
	}
	if second := exportString(t, b, ExportOptions{}); second != first {
		t.Fatalf("round trip changed the export:\n--- first\n%s\n--- second\n%s", first, second)
	}
	again := mustImport(t, b, first, ImportOptions{})
	if again.Changes() || again.Applied || again.Skipped != 4 {
		t.Fatalf("second import = %+v", again)
	}
	if third := exportString(t, b, ExportOptions{}); third != first {
		t.Fatal("a second import changed the library")
	}
	events, err := b.Audit(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	imports := 0
	for _, e := range events {
		if e.Action == workspace.AuditImport {
			imports++
		}
	}
	if imports != 3 { // one per prompt, one for the file
		t.Fatalf("%d import events, want 3", imports)
	}
}

func TestImportMergesDivergence(t *testing.T) {
	ctx := context.Background()
	base := newTestWorkspace(t)
	mustCommit(t, base, "p", text("one {{x}}"))
	mustCommit(t, base, "p", text("two {{x}}"))
	if _, err := base.SetLabel(ctx, "p@2", "production"); err != nil {
		t.Fatal(err)
	}
	shared := exportString(t, base, ExportOptions{})

	a, b := newTestWorkspace(t), newTestWorkspaceAs(t, "bob")
	mustImport(t, a, shared, ImportOptions{})
	mustImport(t, b, shared, ImportOptions{})
	mustCommit(t, a, "p", text("three by alice {{x}}"))
	mustCommit(t, b, "p", text("three by bob {{x}}"))
	mustCommit(t, b, "p", text("four by bob {{x}}"))
	if _, err := a.SetLabel(ctx, "p@3", "production"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SetLabel(ctx, "p@4", "production"); err != nil {
		t.Fatal(err)
	}
	fromA, fromB := exportString(t, a, ExportOptions{}), exportString(t, b, ExportOptions{})

	plan := mustImport(t, a, fromB, ImportOptions{})
	if len(plan.Divergences) != 1 {
		t.Fatalf("divergences = %+v", plan.Divergences)
	}
	d := plan.Divergences[0]
	if d.Prompt != "p" || d.Base != 2 || !equalInts(d.Local, []int{3}) || !equalInts(d.Theirs, []int{4, 5}) {
		t.Fatalf("divergence = %+v", d)
	}
	if len(plan.Labels) != 1 || plan.Labels[0].Action != LabelActionKeep || plan.Labels[0].To != 5 {
		t.Fatalf("labels = %+v", plan.Labels)
	}
	_, versions, err := a.History(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if len(versions) != 5 || versions[3].Parent != 2 || versions[4].Parent != 4 || versions[3].Author != "bob" || versions[2].Author != "alice" {
		t.Fatalf("history after merge: %+v", versions)
	}
	p, _, _ := a.Show(ctx, "p")
	if p.Labels["production"] != 3 {
		t.Fatalf("local label moved without --theirs: %v", p.Labels)
	}

	plan = mustImport(t, b, fromA, ImportOptions{Theirs: true})
	if len(plan.Divergences) != 1 || plan.Divergences[0].Base != 2 || !equalInts(plan.Divergences[0].Local, []int{3, 4}) || !equalInts(plan.Divergences[0].Theirs, []int{5}) {
		t.Fatalf("divergence into b = %+v", plan.Divergences)
	}
	if len(plan.Labels) != 1 || plan.Labels[0].Action != LabelActionTheirs || plan.Labels[0].To != 5 {
		t.Fatalf("labels into b = %+v", plan.Labels)
	}
	p, v, err := b.Show(ctx, "p@production")
	if err != nil || p.Labels["production"] != 5 || v.Author != "alice" {
		t.Fatalf("b production = %v %+v %v", p.Labels, v, err)
	}
	// Both now hold both lines: a further exchange changes nothing.
	if again := mustImport(t, a, exportString(t, b, ExportOptions{}), ImportOptions{}); len(again.NewVersions) != 0 || len(again.Divergences) != 0 {
		t.Fatalf("re-exchange = %+v", again)
	}
}

func TestImportFollowsLabelMovedOn(t *testing.T) {
	ctx := context.Background()
	a := newTestWorkspace(t)
	mustCommit(t, a, "p", text("one"))
	if _, err := a.SetLabel(ctx, "p@1", "production"); err != nil {
		t.Fatal(err)
	}
	b := newTestWorkspace(t)
	mustImport(t, b, exportString(t, a, ExportOptions{}), ImportOptions{})
	mustCommit(t, a, "p", text("two"))
	if _, err := a.SetLabel(ctx, "p@2", "production"); err != nil {
		t.Fatal(err)
	}
	plan := mustImport(t, b, exportString(t, a, ExportOptions{}), ImportOptions{})
	if len(plan.Divergences) != 0 || len(plan.Labels) != 1 || plan.Labels[0].Action != LabelActionMove || plan.Labels[0].From != 1 || plan.Labels[0].To != 2 {
		t.Fatalf("plan = %+v", plan)
	}
	if exportString(t, a, ExportOptions{}) != exportString(t, b, ExportOptions{}) {
		t.Fatal("after a fast-forward the two exports differ")
	}
}

func TestImportDryRunChangesNothing(t *testing.T) {
	a := newTestWorkspace(t)
	sampleLibrary(t, a)
	b := newTestWorkspace(t)
	before := exportString(t, b, ExportOptions{})
	plan := mustImport(t, b, exportString(t, a, ExportOptions{}), ImportOptions{DryRun: true})
	if len(plan.NewVersions) != 4 || plan.Applied {
		t.Fatalf("dry run plan = %+v", plan)
	}
	if exportString(t, b, ExportOptions{}) != before {
		t.Fatal("dry run changed the library")
	}
}

func TestImportBadFileChangesNothing(t *testing.T) {
	a := newTestWorkspace(t)
	sampleLibrary(t, a)
	good := exportString(t, a, ExportOptions{})
	b := newTestWorkspace(t)
	// Corrupt the last prompt only: the first must not be imported either.
	i := strings.LastIndex(good, "content: ")
	bad := good[:i] + "content: tampered\n" + good[strings.Index(good[i:], "\n")+i+1:]
	_, err := Import(context.Background(), b, "lib.yaml", strings.NewReader(bad), ImportOptions{})
	if !errors.Is(err, workspace.ErrInvalid) || !strings.Contains(err.Error(), "does not match") || !strings.Contains(err.Error(), "lib.yaml:") {
		t.Fatalf("err = %v", err)
	}
	if list, _ := b.List(context.Background(), workspace.Filter{}); len(list) != 0 {
		t.Fatalf("a refused import left %d prompts", len(list))
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestExportImportWithLogs(t *testing.T) {
	ctx := context.Background()
	a := newTestWorkspace(t)
	sampleLibrary(t, a)
	pass := true
	entry := workspace.LogEntry{
		ID: "0000000000000001abcd", Prompt: "greet", Version: 2, Source: "cli",
		Variables: map[string]any{"name": "Ann", "n": 3.5},
		Messages:  []workspace.Message{{Role: workspace.RoleUser, Content: "Hi Ann!\nsecond line"}},
		Model:     "echo/echo", Output: "Hi Ann!", InputTokens: 4, OutputTokens: 3,
		Latency: 1500000, Cost: 0.000125, Time: time.Date(2026, 11, 2, 8, 0, 0, 123, time.UTC),
		Scores: []workspace.Score{{Name: "exact", Value: 1, Pass: &pass, By: "exact", Time: time.Date(2026, 11, 2, 8, 0, 1, 0, time.UTC)}},
	}
	if err := a.AddLogs(ctx, []workspace.LogEntry{entry}, nil); err != nil {
		t.Fatal(err)
	}
	first := exportString(t, a, ExportOptions{WithLogs: true})
	if !strings.Contains(first, "logs:\n- prompt: greet\n  version: 2\n") || !strings.Contains(first, "runs: []\n") {
		t.Fatalf("export --with-logs:\n%s", first[strings.Index(first, "logs:"):])
	}
	b := newTestWorkspace(t)
	plan := mustImport(t, b, first, ImportOptions{})
	if plan.Logs != 1 {
		t.Fatalf("plan.Logs = %d", plan.Logs)
	}
	_, logs, _, err := b.Logs(ctx, "greet@2")
	if err != nil || len(logs) != 1 || logs[0].Output != "Hi Ann!" || len(logs[0].Scores) != 1 || logs[0].Cost != entry.Cost {
		t.Fatalf("imported logs = %+v, %v", logs, err)
	}
	if second := exportString(t, b, ExportOptions{WithLogs: true}); second != first {
		t.Fatalf("logs do not round-trip:\n%s\n---\n%s", first, second)
	}
	if again := mustImport(t, b, first, ImportOptions{}); again.Logs != 0 || again.Changes() {
		t.Fatalf("second import = %+v", again)
	}
}
