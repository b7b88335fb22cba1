package exchange

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"promptbench/workspace"
)

const (
	plantedKey = "sk-live-0123456789abcdefghijklmn"
	otherKey   = "local-secret-value-42"
)

// leakyWorkspace holds p@1 with one clean log entry and one that holds a
// key-looking word in a variable, the rendered message and a score.
func leakyWorkspace(t *testing.T) (*workspace.Workspace, workspace.LogEntry) {
	t.Helper()
	ctx := context.Background()
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "p", text("Use {{x}}"))
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	clean := workspace.LogEntry{ID: workspace.NewLogID(now), Prompt: "p", Version: 1, Output: "fine", Time: now}
	leaky := workspace.LogEntry{
		ID: workspace.NewLogID(now.Add(time.Second)), Prompt: "p", Version: 1,
		Variables: map[string]any{"x": plantedKey},
		Messages:  []workspace.Message{{Role: workspace.RoleUser, Content: "Use " + plantedKey + " and " + plantedKey}},
		Output:    "ok",
		Scores:    []workspace.Score{{Name: "r", Value: 1, Comment: "key was " + plantedKey, By: "bob", Time: now}},
		Time:      now,
	}
	if err := ws.AddLogs(ctx, []workspace.LogEntry{clean, leaky}, nil); err != nil {
		t.Fatal(err)
	}
	return ws, leaky
}

func TestExportRefusesKeyLookingLogs(t *testing.T) {
	ws, leaky := leakyWorkspace(t)
	var out strings.Builder
	err := Export(context.Background(), ws, &out, ExportOptions{WithLogs: true})
	var se *workspace.SecretsError
	if !errors.Is(err, workspace.ErrInvalid) || !errors.As(err, &se) {
		t.Fatalf("err = %v", err)
	}
	want := "export refused: log entry " + leaky.ID + " of p@1 holds what looks like an API key (sk-…, ghp_…, xoxb-…, AKIA…) in messages[0].content, scores[0].comment, variables.x"
	if !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	if out.Len() != 0 {
		t.Fatalf("a refused export wrote %d bytes", out.Len())
	}
	if strings.Contains(err.Error(), plantedKey) {
		t.Fatal("the refusal repeats the key")
	}
	// Without logs nothing is refused.
	if err := Export(context.Background(), ws, &strings.Builder{}, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestExportRedactsKeyLookingLogs(t *testing.T) {
	ws, leaky := leakyWorkspace(t)
	var out strings.Builder
	var found []workspace.SecretFinding
	o := ExportOptions{WithLogs: true, RedactSecrets: true, OnRedact: func(f workspace.SecretFinding) { found = append(found, f) }}
	if err := Export(context.Background(), ws, &out, o); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), plantedKey) || strings.Count(out.String(), "[redacted]") != 4 {
		t.Fatalf("export:\n%s", out.String())
	}
	words := 0
	for _, f := range found {
		if f.ID != leaky.ID || f.Prompt != "p" || f.Version != 1 {
			t.Fatalf("finding %+v", f)
		}
		words += f.Words
	}
	if len(found) != 3 || words != 4 {
		t.Fatalf("findings %+v", found)
	}
	// The redacted file imports anywhere.
	other := newTestWorkspace(t)
	plan, err := Import(context.Background(), other, "redacted.yaml", strings.NewReader(out.String()), ImportOptions{})
	if err != nil || plan.Logs != 2 {
		t.Fatalf("import of the redacted file: %+v %v", plan, err)
	}
}

// TestImportRefusesKeyLookingLogs: a file whose log entry holds a key is
// refused naming file, the field's line, entry and field, and changes nothing; with
// RedactSecrets it imports with [redacted] in the key's place.
func TestImportRefusesKeyLookingLogs(t *testing.T) {
	ctx := context.Background()
	ws, leaky := leakyWorkspace(t)
	var out strings.Builder
	if err := Export(ctx, ws, &out, ExportOptions{WithLogs: true, RedactSecrets: true}); err != nil {
		t.Fatal(err)
	}
	file := strings.Replace(out.String(), "x: \"[redacted]\"", "x: "+plantedKey, 1)
	if !strings.Contains(file, plantedKey) {
		t.Fatalf("no variable to plant the key in:\n%s", out.String())
	}
	line := 0 // the planted variable's line
	for i, l := range strings.Split(file, "\n") {
		if strings.Contains(l, "x: "+plantedKey) {
			line = i + 1
		}
	}
	other := newTestWorkspace(t)
	_, err := Import(ctx, other, "leaky.yaml", strings.NewReader(file), ImportOptions{})
	var se *workspace.SecretsError
	if !errors.As(err, &se) || !errors.Is(err, workspace.ErrInvalid) {
		t.Fatalf("err = %v", err)
	}
	want := "leaky.yaml:" + strconv.Itoa(line) + ": log entry " + leaky.ID + " of p@1 holds what looks like an API key (sk-…, ghp_…, xoxb-…, AKIA…) in variables.x"
	if !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	if ps, _ := other.List(ctx, workspace.Filter{}); len(ps) != 0 {
		t.Fatal("a refused import wrote prompts")
	}
	words := 0
	plan, err := Import(ctx, other, "leaky.yaml", strings.NewReader(file), ImportOptions{RedactSecrets: true, OnRedact: func(f workspace.SecretFinding) { words += f.Words }})
	if err != nil || plan.Logs != 2 || words != 1 {
		t.Fatalf("redacting import: %+v, %d words, %v", plan, words, err)
	}
	_, entries, _, err := other.Logs(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.ID == leaky.ID && e.Variables["x"] != "[redacted]" {
			t.Fatalf("imported variables = %v", e.Variables)
		}
	}
}

// TestImportRedactsOwnKeys: log entries coming in from a file get the
// same treatment as those logged here.
func TestImportRedactsOwnKeys(t *testing.T) {
	ctx := context.Background()
	src := newTestWorkspace(t)
	mustCommit(t, src, "p", text("Use {{x}}"))
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	e := workspace.LogEntry{ID: workspace.NewLogID(now), Prompt: "p", Version: 1, Variables: map[string]any{"x": otherKey}, Output: "with " + otherKey, Time: now}
	if err := src.AddLogs(ctx, []workspace.LogEntry{e}, nil); err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	if err := Export(ctx, src, &sb, ExportOptions{WithLogs: true}); err != nil {
		t.Fatal(err)
	}
	dst := newTestWorkspaceWith(t, "alice", map[string]string{"LOCAL_KEY": otherKey})
	if _, err := Import(ctx, dst, "f.yaml", strings.NewReader(sb.String()), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	_, got, _, err := dst.Logs(ctx, "p")
	if err != nil || len(got) != 1 || got[0].Variables["x"] != "[redacted:LOCAL_KEY]" || got[0].Output != "with [redacted:LOCAL_KEY]" {
		t.Fatalf("imported %+v %v", got, err)
	}
}
