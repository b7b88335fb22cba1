package workspace

import (
	"bufio"
	"context"
	"fmt"
	"os"
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

// syncExportFile rewrites the export file, when one is set, after a change:
// through a temporary file and a rename, so that the git-tracked file is
// always whole and current.
func (ws *Workspace) syncExportFile(ctx context.Context) error {
	path := ws.ExportPath()
	if path == "" {
		return nil
	}
	if err := ws.ExportTo(ctx, path, ExportOptions{}); err != nil {
		return fmt.Errorf("the change is saved, but export_file %s was not updated: %w", path, err)
	}
	return nil
}

// ExportTo writes the export to path through a temporary file and a
// rename: an existing file is replaced whole or not at all.
func (ws *Workspace) ExportTo(ctx context.Context, path string, o ExportOptions) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	// CreateTemp makes the file private; an export is shared like any other
	// file in the repository, so it keeps the old file's mode or gets 0644.
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	w := bufio.NewWriterSize(tmp, 256<<10)
	if err := ws.Export(ctx, w, o); err != nil {
		tmp.Close()
		return err
	}
	err = w.Flush()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
