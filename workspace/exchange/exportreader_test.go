package exchange

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"promptbench/workspace"
	"promptbench/workspace/exportfile"
)

// checkFast asserts that when exportfile.FastPrompt accepts a piece, go-yaml reads the
// very same prompt from it.
func checkFast(t *testing.T, text string) bool {
	t.Helper()
	fast, ok := exportfile.FastPrompt([]byte(text))
	if !ok {
		return false
	}
	var slow []exportPrompt
	if _, err := exportfile.DecodeChunk("x", []byte(text), 0, workspace.DefaultImportLimits(), workspace.DefaultImportLimits().YAMLTokens, &slow); err != nil {
		t.Fatalf("fast reader accepted what go-yaml refuses (%v):\n%s", err, text)
	}
	if len(slow) != 1 || !reflect.DeepEqual(fast, slow[0]) {
		t.Fatalf("fast reader and go-yaml disagree:\nfast %#v\nslow %#v\n%s", fast, slow, text)
	}
	return true
}

// promptPieces exports a library and cuts it into its prompt items.
func promptPieces(t testing.TB, ws *workspace.Workspace) []string {
	var sb strings.Builder
	if err := Export(context.Background(), ws, &sb, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	_, list, ok := strings.Cut(sb.String(), "\nprompts:\n")
	if !ok {
		t.Fatal("export has no prompts")
	}
	list, _, _ = strings.Cut(list, "\nlogs:")
	var out []string
	for _, p := range strings.SplitAfter(list, "\n") {
		if strings.HasPrefix(p, "- ") || len(out) == 0 {
			out = append(out, "")
		}
		out[len(out)-1] += p
	}
	return out
}

func TestFastReaderMatchesGoYAML(t *testing.T) {
	ws := newTestWorkspace(t)
	sampleLibrary(t, ws)
	mustCommit(t, ws, "odd", text("  leading spaces\n\ttab\n\n\ntrailing newlines\n\n\n"))
	mustCommit(t, ws, "odd", text("quotes \" and \\ and # hash and: colon\x01"))
	mustCommit(t, ws, "odd", text("# Heading\n\n- item: value\n  - nested"))
	accepted := 0
	for _, piece := range promptPieces(t, ws) {
		if checkFast(t, piece) {
			accepted++
		}
	}
	if accepted < 2 {
		t.Fatalf("the fast reader accepted only %d of the export's prompts", accepted)
	}
}

func FuzzFastPrompt(f *testing.F) {
	ws := newTestWorkspace(f)
	for _, s := range []string{"Hello {{name}}", "a\n  b\n", "  x\ny\n\n", "q \" \\ \t", "# h\n- x"} {
		if _, err := ws.Commit(context.Background(), "p", text(s)); err != nil {
			f.Fatal(err)
		}
	}
	for _, p := range promptPieces(f, ws) {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkFast(t, s)
	})
}
