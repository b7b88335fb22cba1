package evalrun

import (
	"context"
	"encoding/json"
	"time"

	"promptbench/eval"
	"promptbench/eval/scorer"
	"promptbench/workspace"
)

// NewJudge is the judge scorers' model call: like any call of the session
// it is served from the response cache when it can be, and logged (as an
// entry of the rubric's version, source "judge", tied to run) with its
// tokens and cost. It asks for a JSON object unless the rubric version
// says otherwise; providers that cannot are asked for text.
func NewJudge(ws *workspace.Workspace, client eval.Completer, noCache bool, run func() workspace.RunID, now func() time.Time) scorer.Judge {
	return func(ctx context.Context, call scorer.JudgeCall) (scorer.JudgeReply, error) {
		params := call.Rubric.Version.Config
		params.Model = call.Model
		if params.ResponseFormat == nil {
			params.ResponseFormat = &workspace.ResponseFormat{Type: "json_object"}
		}
		req := eval.Request{Messages: call.Messages, Params: params}
		key := ""
		if !noCache {
			key = eval.RequestKey(req)
		}
		var res eval.Result
		hit := false
		if key != "" {
			if known, err := ws.CacheGetMany(ctx, []string{key}); err == nil {
				if b, ok := known[key]; ok && json.Unmarshal(b, &res) == nil {
					// As the session's cache: an answer from the cache took
					// no time and cost nothing.
					res.Cached, hit = true, true
					res.TTFT, res.Latency, res.Cost, res.Attempts = 0, 0, 0, 0
				}
			}
		}
		if !hit {
			res = client.Complete(ctx, req, nil)
		}
		rendered := workspace.Rendered{Prompt: call.Rubric.Prompt, Version: call.Rubric.Version, Messages: call.Messages}
		e := eval.NewLogEntry(rendered, nil, req, res, judgeSource, now())
		e.Run = run()
		var cache map[string][]byte
		if key != "" && !hit && res.Err == nil {
			if b, err := json.Marshal(res); err == nil {
				cache = map[string][]byte{key: b}
			}
		}
		// The judgement stands even if its log entry cannot be written.
		_ = ws.AddLogs(context.WithoutCancel(ctx), []workspace.LogEntry{e}, cache)
		if res.Err != nil {
			return scorer.JudgeReply{}, res.Err
		}
		return scorer.JudgeReply{Text: res.Output, Model: e.Model}, nil
	}
}
