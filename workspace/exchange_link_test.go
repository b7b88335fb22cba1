package workspace_test

import (
	"context"
	"io"

	"promptbench/workspace"
	"promptbench/workspace/exchange"
)

// init gives the core's tests export and import (exchange_hooks_test.go).
func init() {
	options := func(o workspace.ExportOptionsForTest) exchange.ExportOptions {
		return exchange.ExportOptions{Prompts: o.Prompts, WithLogs: o.WithLogs}
	}
	workspace.ExportForTest = func(ctx context.Context, ws *workspace.Workspace, w io.Writer, o workspace.ExportOptionsForTest) error {
		return exchange.Export(ctx, ws, w, options(o))
	}
	workspace.ExportToForTest = func(ctx context.Context, ws *workspace.Workspace, path string, o workspace.ExportOptionsForTest) error {
		return exchange.ExportTo(ctx, ws, path, options(o))
	}
	workspace.SyncExportFileForTest = exchange.SyncExportFile
	workspace.ImportForTest = func(ctx context.Context, ws *workspace.Workspace, name string, r io.Reader) error {
		_, err := exchange.Import(ctx, ws, name, r, exchange.ImportOptions{})
		return err
	}
}
