package eval

import (
	"time"

	"promptbench/workspace"
)

// NewLogEntry records one call of a rendered version as a log entry of
// that version: what was sent, what came back, and what it cost.
func NewLogEntry(r workspace.Rendered, vars map[string]any, req Request, res Result, source string, now time.Time) workspace.LogEntry {
	e := workspace.LogEntry{
		ID:              workspace.NewLogID(now),
		Prompt:          r.Version.Prompt,
		Version:         r.Version.Number,
		Hash:            r.Version.Hash,
		Source:          source,
		Variables:       vars,
		Messages:        req.Messages,
		Model:           req.Params.Model,
		Params:          req.Params,
		Output:          res.Output,
		FinishReason:    res.FinishReason,
		InputTokens:     res.InputTokens,
		OutputTokens:    res.OutputTokens,
		TokensEstimated: res.TokensEstimated,
		TTFT:            res.TTFT,
		Latency:         res.Latency,
		Cost:            res.Cost,
		Cached:          res.Cached,
		Attempts:        res.Attempts,
		Time:            now.UTC(),
	}
	if res.Err != nil {
		e.Error = res.Err.Error()
	}
	return e
}
