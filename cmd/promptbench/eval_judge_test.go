package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"promptbench/eval/fakeopenai"
)

// TestEvalJudge: a judge:RUBRIC scorer renders the rubric with the output
// and asks the judge model for JSON; a reply that is not the promised JSON
// is a scorer error, counted apart, never a zero score.
func TestEvalJudge(t *testing.T) {
	var broken atomic.Bool
	srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply {
		if broken.Load() {
			return fakeopenai.Reply{Content: "I think it is fine."}
		}
		return fakeopenai.Reply{Content: `{"score": 0.75, "pass": true, "reason": "on topic"}`}
	})
	defer srv.Close()
	c, data := demoCLI(t)
	c.withProvider(t, srv.BaseURL())
	c.ok("Grade this answer: {{output}}\nExpected category: {{expected}}\n", "commit", "-m", "rubric", "rubric/category", "--model", "fake/judge")
	args := []string{"eval", filepath.Join(data, "tickets.jsonl"), "--prompt", "support/ticket-classifier@1", "--model", "echo/echo",
		"--scorer", "judge:rubric/category", "--limit", "4", "--format", "json"}
	var rep struct {
		Variants []struct {
			Scorers []struct {
				Spec   string
				Passed int
				Errors int
				Mean   float64 `json:"mean_score"`
			}
		}
	}
	if err := json.Unmarshal([]byte(c.ok("", args...)), &rep); err != nil {
		t.Fatal(err)
	}
	s := rep.Variants[0].Scorers[0]
	if s.Spec != "judge:rubric/category" || s.Passed != 4 || s.Mean != 0.75 || s.Errors != 0 {
		t.Fatalf("judge scores: %+v", s)
	}
	got := srv.Received()
	if len(got) != 4 || got[0].ResponseFormat == nil || !strings.Contains(string(*got[0].ResponseFormat), "json_object") {
		t.Fatalf("judge requests: %d, response_format %v", len(got), got[0].ResponseFormat)
	}
	rendered := false
	for _, r := range got {
		rendered = rendered || strings.Contains(r.Messages[0].Content, "I was charged twice") && strings.Contains(r.Messages[0].Content, "Expected category: billing")
	}
	if !rendered {
		t.Fatalf("the rubric was not rendered with a case's output and expected value: %q", got[0].Messages[0].Content)
	}

	broken.Store(true)
	out := c.ok("", append(args, "--no-cache")...)
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if s := rep.Variants[0].Scorers[0]; s.Errors != 4 || s.Passed != 0 {
		t.Fatalf("bad judge replies: %+v", s)
	}
	if r := c.run("", "eval", filepath.Join(data, "tickets.jsonl"), "--prompt", "support/ticket-classifier@1", "--model", "echo/echo", "--scorer", "judge:no/rubric"); r.code != 2 || !strings.Contains(r.err, "no/rubric") {
		t.Fatalf("unknown rubric: exit %d %s", r.code, r.err)
	}
}
