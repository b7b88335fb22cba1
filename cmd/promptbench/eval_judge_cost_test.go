package main

import (
	"context"
	"encoding/json"
	"math"
	"path/filepath"
	"testing"
	"time"

	"promptbench/eval/fakeopenai"
	"promptbench/workspace"
)

// TestEvalJudgeCost: the judge's calls are logged as entries of the
// rubric tied to the run, cached like any call, counted apart in the
// report and added to the run's cost; a judge answer from the cache costs
// nothing.
func TestEvalJudgeCost(t *testing.T) {
	srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Content: `{"score": 1, "pass": true, "reason": "ok"}`, PromptTokens: 1000, CompletionTokens: 100}
	})
	defer srv.Close()
	c, data := demoCLI(t)
	c.withProvider(t, srv.BaseURL())
	c.ok("Grade: {{output}}\n", "commit", "-m", "rubric", "rubric/grade", "--model", "fake/gpt-test")
	args := []string{"eval", filepath.Join(data, "tickets.jsonl"), "--prompt", "support/ticket-classifier@1", "--model", "echo/echo",
		"--scorer", "judge:rubric/grade", "--limit", "3", "--format", "json"}
	type judged struct {
		Run   string
		Judge struct {
			Calls, Cached int
			InputTokens   int     `json:"input_tokens"`
			Cost          float64 `json:"cost_usd"`
		}
	}
	var first judged
	if err := json.Unmarshal([]byte(c.ok("", args...)), &first); err != nil {
		t.Fatal(err)
	}
	// 1,000 tokens in at $1/M and 100 out at $2/M, three times.
	if j := first.Judge; j.Calls != 3 || j.Cached != 0 || j.InputTokens != 3000 || math.Abs(j.Cost-0.0036) > 1e-12 {
		t.Fatalf("judge usage: %+v", j)
	}
	var runs []struct {
		ID   string
		Cost float64 `json:"cost_usd"`
	}
	if err := json.Unmarshal([]byte(c.ok("", "runs", "--json")), &runs); err != nil {
		t.Fatal(err)
	}
	if math.Abs(runs[0].Cost-0.0036) > 1e-12 {
		t.Fatalf("the run's cost %v leaves out the judge's", runs[0].Cost)
	}
	mustContain(t, c.ok("", "report", first.Run), "judge · 3 calls · 0 cached · 0 errors · 3000→300 tok · $0.0036", "total cost $0.0036")

	// Run again: the outputs and the judgements come from the cache.
	var second judged
	if err := json.Unmarshal([]byte(c.ok("", args...)), &second); err != nil {
		t.Fatal(err)
	}
	if j := second.Judge; j.Calls != 3 || j.Cached != 3 || j.Cost != 0 || srv.Requests() != 3 {
		t.Fatalf("cached judge: %+v after %d requests", j, srv.Requests())
	}
	ws, err := workspace.Open(c.dir, workspace.Options{Getenv: func(string) string { return "" }, LockWait: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	page, err := ws.QueryLogs(context.Background(), workspace.LogQuery{Prompt: "rubric/grade", Run: workspace.RunID(first.Run), Source: "judge"})
	if err != nil || len(page.Entries) != 3 || page.Entries[0].Cost == 0 {
		t.Fatalf("judge log entries of the first run: %d %v", len(page.Entries), err)
	}
}
