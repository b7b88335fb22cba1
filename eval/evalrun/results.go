package evalrun

import (
	"context"
	"strconv"

	"promptbench/eval/report"
	"promptbench/workspace"
)

// CollectResults reads a run's log entries once, version by version and a
// chunk at a time, into the report's compact results, which wait in a
// temporary file past a few MB: memory does not grow with the run. The
// caller closes them.
func CollectResults(ctx context.Context, ws *workspace.Workspace, run workspace.Run, in report.Input) (*report.Results, error) {
	res := report.NewResults(in)
	err := eachRunEntry(ctx, ws, run, func(e workspace.LogEntry) error {
		res.Add(e)
		return nil
	})
	if err == nil {
		err = res.Err()
	}
	if err != nil {
		res.Close()
		return nil, err
	}
	return res, nil
}

// spoolResults starts the spool of a run that keeps its results as its
// calls finish, which spares the report a read of every entry back from
// the store (at 100,000 calls, a fifth of the run's time and a mapping of
// every table the entries went to). Only a new run whose scores are all
// written with their entries qualifies: a resumed run's earlier entries
// and the scores slow scorers add later are in the store alone. Nil when
// the run does not qualify or no temporary file could be made.
func spoolResults(o Options, p *plan) *spool {
	if o.Resume != "" {
		return nil
	}
	for _, v := range p.variants {
		if len(v.slowScorers()) > 0 {
			return nil
		}
	}
	s, err := newSpool()
	if err != nil {
		return nil
	}
	return s
}

// results are the run's per-case results for its report: those kept as
// the calls finished when every entry reached the store, else what the
// store holds.
func (ex *execution) results(ctx context.Context, in report.Input) (*report.Results, error) {
	if ex.spool != nil && ex.storeErr == nil {
		res := report.NewResults(in)
		if ex.spool.into(res) == nil && res.Err() == nil {
			return res, nil
		}
		res.Close()
	}
	return CollectResults(ctx, ex.ws, in.Run, in)
}

// reportInput is what a report of run states besides its cases.
func reportInput(o Options, p *plan, run workspace.Run, judge *report.JudgeUsage) report.Input {
	scorers := map[string][]string{}
	for _, v := range p.variants {
		for _, s := range v.scorers {
			scorers[v.ID] = append(scorers[v.ID], s.Spec().Spec)
		}
	}
	var skipped []string
	for _, r := range p.skipped {
		skipped = append(skipped, r.String())
	}
	return report.Input{Run: run, Scorers: scorers, Rows: p.rows, Repeat: o.repeat(), Skipped: skipped, Gates: o.Gates, Seed: o.Seed, Judge: judge}
}

// Fetch reads entries by key for the per-case report formats, one read of
// the store per chunk.
func Fetch(ctx context.Context, ws *workspace.Workspace) report.Fetch {
	return func(keys []workspace.LogKey) ([]workspace.LogEntry, error) {
		return ws.LogsByKey(ctx, keys)
	}
}

// Sweep reads every entry of a run with an index (workspace.Run.LogIndex)
// once, version by version along the index, for the per-case formats that
// list every case (report.Results.UseSweep).
func Sweep(ctx context.Context, ws *workspace.Workspace, run workspace.Run) report.Sweep {
	return func(fn func(raw []byte) error) error {
		seen := map[string]bool{}
		for _, v := range run.Variants {
			pv := v.Prompt + "@" + strconv.Itoa(v.Version)
			if seen[pv] {
				continue
			}
			seen[pv] = true
			if _, err := ws.RunLogsRaw(ctx, v.Prompt, v.Version, run.ID, fn); err != nil {
				return err
			}
		}
		return nil
	}
}
