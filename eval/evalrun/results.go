package evalrun

import (
	"context"
	"strconv"

	"promptbench/eval/report"
	"promptbench/workspace"
)

// CollectResults reads a run's log entries once, version by version and a
// chunk at a time, into the report's compact results: memory grows by
// about a hundred bytes per case and variant, never by the outputs.
func CollectResults(ctx context.Context, ws *workspace.Workspace, run workspace.Run, in report.Input) (*report.Results, error) {
	res := report.NewResults(in)
	seen := map[string]bool{}
	for _, v := range run.Variants {
		pv := v.Prompt + "@" + strconv.Itoa(v.Version)
		if seen[pv] {
			continue
		}
		seen[pv] = true
		err := ws.RunLogs(ctx, v.Prompt, v.Version, run.ID, func(e workspace.LogEntry) error {
			if e.Source != judgeSource { // a judge's calls are the rubric's
				res.Add(e)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return res, nil
}

// Fetch reads entries by key for the per-case report formats, one read of
// the store per chunk.
func Fetch(ctx context.Context, ws *workspace.Workspace) report.Fetch {
	return func(keys []workspace.LogKey) ([]workspace.LogEntry, error) {
		return ws.LogsByKey(ctx, keys)
	}
}
