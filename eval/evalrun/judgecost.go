package evalrun

import (
	"context"
	"errors"
	"slices"

	"promptbench/eval/report"
	"promptbench/workspace"
)

// judgeUsage counts the judge scorers' calls of a run: each is a log entry
// of its rubric prompt (source judge, tied to the run), read here from
// every version of each rubric the run's judge scorers name. Nil when no
// scorer is a judge.
func judgeUsage(ctx context.Context, ws *workspace.Workspace, run workspace.Run, vs []variantSpec) (*report.JudgeUsage, error) {
	var rubrics []string
	for _, v := range vs {
		for _, s := range v.scorers {
			spec := s.Spec()
			if spec.Kind != "judge" {
				continue
			}
			ref, err := workspace.ParseRef(spec.Arg)
			if err == nil && !slices.Contains(rubrics, ref.Name) {
				rubrics = append(rubrics, ref.Name)
			}
		}
	}
	if len(rubrics) == 0 {
		return nil, nil
	}
	u := &report.JudgeUsage{}
	for _, name := range rubrics {
		q := workspace.LogQuery{Prompt: name, Run: run.ID, Source: judgeSource, Since: runSince(run), Limit: 1000}
		for {
			page, err := ws.QueryLogs(ctx, q)
			if errors.Is(err, workspace.ErrNotFound) {
				break // the rubric was removed since
			}
			if err != nil {
				return nil, err
			}
			for _, e := range page.Entries {
				u.Calls++
				if e.Cached {
					u.Cached++
				}
				if e.Error != "" {
					u.Errors++
				}
				u.InputTokens += e.InputTokens
				u.OutputTokens += e.OutputTokens
				u.CostUSD += e.Cost
			}
			if page.Next == "" {
				break
			}
			q.Before = page.Next
		}
	}
	return u, nil
}
