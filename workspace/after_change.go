package workspace

import (
	"context"
	"fmt"
)

// Changed runs Options.AfterChange after a change that is already saved,
// so that its failure is worded as such: the change stands, only what
// follows it (the export file) is behind.
func (ws *Workspace) Changed(ctx context.Context) error {
	if ws.opts.AfterChange == nil {
		return nil
	}
	if err := ws.opts.AfterChange(ctx, ws); err != nil {
		return fmt.Errorf("the change is saved, but export_file %s was not updated: %w", ws.ExportPath(), err)
	}
	return nil
}
