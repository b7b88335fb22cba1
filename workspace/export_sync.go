package workspace

import (
	"bufio"
	"context"
	"fmt"
	"path/filepath"
)

// ExportPath is the file config.yaml's export_file binds the workspace to,
// relative to the directory holding the workspace (the repository); "" when
// none is set.
func (ws *Workspace) ExportPath() string {
	f := ws.Config.ExportFile
	if f == "" {
		return ""
	}
	if filepath.IsAbs(f) {
		return f
	}
	return filepath.Join(filepath.Dir(ws.Dir), f)
}

// SyncExportFile rewrites the export file, when one is set, after a
// change: through a temporary file and a rename, so that the git-tracked
// file is always whole and current. It is what Options.AfterChange runs.
func SyncExportFile(ctx context.Context, ws *Workspace) error {
	path := ws.ExportPath()
	if path == "" {
		return nil
	}
	return ws.ExportTo(ctx, path, ExportOptions{})
}

// ExportTo writes the export to path through a temporary file and a
// rename: an existing file is replaced whole or not at all.
func (ws *Workspace) ExportTo(ctx context.Context, path string, o ExportOptions) error {
	tmp, err := createAtomic(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(tmp, 256<<10)
	if err := ws.Export(ctx, w, o); err != nil {
		tmp.abort()
		return err
	}
	if err := w.Flush(); err != nil {
		tmp.abort()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return tmp.commit()
}
