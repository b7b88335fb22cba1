package exchange

import (
	"bufio"
	"context"
	"fmt"
	"io"

	"promptbench/workspace"
)

// SyncExportFile rewrites the export file, when one is set, after a
// change: through a temporary file and a rename, so that the git-tracked
// file is always whole and current. An export_file that ends with / or
// names a folder is written in the folder layout (ExportDir). It is what Options.AfterChange runs.
func SyncExportFile(ctx context.Context, ws *workspace.Workspace) error {
	path := ws.ExportPath()
	if path == "" {
		return nil
	}
	if IsDirLayout(ws.Config.ExportFile, path) {
		return ExportDir(ctx, ws, path, ExportOptions{})
	}
	return ExportTo(ctx, ws, path, ExportOptions{})
}

// ExportTo writes the export to path through a temporary file and a
// rename: an existing file is replaced whole or not at all. The export
// streams into the temporary file, which a refusal or a failure removes.
func ExportTo(ctx context.Context, ws *workspace.Workspace, path string, o ExportOptions) error {
	return workspace.WriteAtomic(path, func(f io.Writer) error {
		w := bufio.NewWriterSize(f, 256<<10)
		if err := exportStream(ctx, ws, w, o); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		return nil
	})
}
