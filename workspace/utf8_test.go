package workspace

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"promptbench/storage"
)

func TestPromptFileRefusesInvalidUTF8(t *testing.T) {
	tests := []struct {
		file, data, want string
	}{
		{"-", "Caf\xe9 {{x}}", "stdin:1: byte offset 3 (0xe9) is not valid UTF-8"},
		{"p.txt", "ok\nline two \xff\n", "p.txt:2: byte offset 12 (0xff) is not valid UTF-8"},
		{"p.yaml", "messages:\n  - role: user\n    content: \"h\xc3\"\n", "p.yaml:3: byte offset 40 (0xc3) is not valid UTF-8"},
		{"-", "messages:\n  - role: user\n    content: ok\ndescription: caf\xe9\n", "stdin:4: byte offset 57 (0xe9)"},
	}
	for _, tt := range tests {
		_, err := ParsePromptFile(tt.file, []byte(tt.data), false)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %q: err = %v, want %q", tt.file, tt.data, err, tt.want)
		}
	}
	if _, err := ParsePromptFile("-", []byte("Café {{x}} ✓"), false); err != nil {
		t.Fatalf("valid UTF-8 refused: %v", err)
	}
}

// TestCommitRefusesInvalidUTF8 covers the fields that do not come from
// the file (flags, other callers): nothing is written.
func TestCommitRefusesInvalidUTF8(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	bad := "caf\xe9"
	desc := bad
	tags, _ := ParseTags([]string{"purpose:support"})
	tests := []struct {
		name  string
		draft Draft
		want  string
	}{
		{"content", text("Hi " + bad), "messages[0].content: byte offset 6"},
		{"message", Draft{Messages: text("Hi").Messages, Message: bad}, "the commit message: byte offset 3"},
		{"description", Draft{Messages: text("Hi").Messages, Description: &desc, Tags: tags}, "the description: byte offset 3"},
		{"stop", Draft{Messages: text("Hi").Messages, Config: ModelConfig{Stop: []string{"ok", bad}}}, "stop[1]: byte offset 3"},
		{"scorer", Draft{Messages: text("Hi").Messages, Scorers: []string{"contains:" + bad}}, "scorers[0]: byte offset 12"},
	}
	for _, tt := range tests {
		_, err := ws.Commit(ctx, "p", tt.draft)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "commit p: "+tt.want+" is not valid UTF-8") {
			t.Errorf("%s: err = %v", tt.name, err)
		}
	}
	if ps, err := ws.List(ctx, Filter{}); err != nil || len(ps) != 0 {
		t.Fatalf("refused commits wrote %v (%v)", ps, err)
	}
}

// commitAsOlderBinary writes a version the way promptbench did before
// commits checked UTF-8: hashed over the raw bytes, stored as JSON.
func commitAsOlderBinary(t *testing.T, ws *Workspace, name, content string) {
	t.Helper()
	d := text(content)
	parsed, err := parseMessages(d.Messages)
	if err != nil {
		t.Fatal(err)
	}
	pc := pendingCommit{name: name, draft: d, parsed: parsed, hash: ContentHash(d.Messages, d.Config)}
	err = ws.update(context.Background(), func(tx *storage.Tx) error {
		_, err := pc.apply(tx, "old", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestExportRefusesVersionThatCannotImport: a version an older binary
// stored with invalid UTF-8 no longer matches its hash; export names it
// and writes nothing rather than a file no workspace can import.
func TestExportRefusesVersionThatCannotImport(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "fine", text("All good {{x}}"))
	commitAsOlderBinary(t, ws, "latin", "Caf\xe9 {{x}}")

	out := filepath.Join(t.TempDir(), "prompts.yaml")
	err := ExportToForTest(ctx, ws, out, ExportOptionsForTest{})
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"export refused: latin@1 messages[0].content: ", "not valid UTF-8", "promptbench doctor"} {
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("err = %v\nlacks %q", err, want)
		}
	}
	if _, statErr := os.Stat(out); !os.IsNotExist(statErr) {
		t.Fatalf("a refused export left %s (%v)", out, statErr)
	}
	var sb strings.Builder
	if err := ExportForTest(ctx, ws, &sb, ExportOptionsForTest{Prompts: []string{"fine"}}); err != nil {
		t.Fatal(err)
	}
	if err := ImportForTest(ctx, newTestWorkspace(t), "fine.yaml", strings.NewReader(sb.String())); err != nil {
		t.Fatalf("the rest does not import: %v", err)
	}
}
