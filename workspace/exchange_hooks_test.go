package workspace

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

// The core's tests use export and import as fixtures (the demo library,
// a round trip after a repair), but cannot import package exchange, which
// imports this one. exchange_link_test.go, an external test package in this
// directory, sets these from package exchange: the same test binary.

// ExportOptionsForTest is the part of exchange.ExportOptions these tests use.
type ExportOptionsForTest struct {
	Prompts  []string
	WithLogs bool
}

var (
	ExportForTest   func(ctx context.Context, ws *Workspace, w io.Writer, o ExportOptionsForTest) error
	ExportToForTest func(ctx context.Context, ws *Workspace, path string, o ExportOptionsForTest) error
	ImportForTest   func(ctx context.Context, ws *Workspace, name string, r io.Reader) error
	// SyncExportFileForTest is what the command line wires to
	// Options.AfterChange.
	SyncExportFileForTest func(ctx context.Context, ws *Workspace) error
)

func exportString(t *testing.T, ws *Workspace, o ExportOptionsForTest) string {
	t.Helper()
	var buf bytes.Buffer
	if err := ExportForTest(context.Background(), ws, &buf, o); err != nil {
		t.Fatalf("export: %v", err)
	}
	return buf.String()
}

func mustImport(t *testing.T, ws *Workspace, data string) {
	t.Helper()
	if err := ImportForTest(context.Background(), ws, "lib.yaml", strings.NewReader(data)); err != nil {
		t.Fatalf("import: %v", err)
	}
}
