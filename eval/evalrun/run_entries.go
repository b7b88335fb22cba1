package evalrun

import (
	"context"
	"slices"
	"strconv"

	"promptbench/workspace"
)

// eachRunEntry calls fn with every log entry of run without its texts
// (workspace.RunLogs), one version of its variants at a time: a version
// two variants share (two models) is read once. A judge's calls are the
// rubric's, not the run's, and are left out.
func eachRunEntry(ctx context.Context, ws *workspace.Workspace, run workspace.Run, fn func(workspace.LogEntry) error) error {
	seen := map[string]bool{}
	for _, v := range run.Variants {
		pv := v.Prompt + "@" + strconv.Itoa(v.Version)
		if seen[pv] {
			continue
		}
		seen[pv] = true
		err := ws.RunLogs(ctx, v.Prompt, v.Version, run.ID, func(e workspace.LogEntry) error {
			if e.Source == judgeSource {
				return nil
			}
			return fn(e)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// variantOf is the index of the run's variant that made e, or -1.
func variantOf(run workspace.Run, e workspace.LogEntry) int {
	return slices.IndexFunc(run.Variants, func(v workspace.RunVariant) bool {
		return v.Prompt == e.Prompt && v.Version == e.Version && v.Model == e.Model
	})
}
