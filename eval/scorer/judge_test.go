package scorer

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"promptbench/workspace"
)

func TestParseJudgeReply(t *testing.T) {
	good := []struct {
		text   string
		score  float64
		pass   bool
		reason string
	}{
		{`{"score": 0.9, "pass": true, "reason": "answers the question"}`, 0.9, true, "answers the question"},
		{" \n{\"score\": 0, \"pass\": false, \"reason\": \"\", \"extra\": [1]}\n", 0, false, ""},
		{`{"score": 1, "pass": true, "reason": "ok"}`, 1, true, "ok"},
	}
	for _, g := range good {
		r, err := ParseJudgeReply(g.text)
		if err != nil || r.Value != g.score || *r.Pass != g.pass || r.Reason != g.reason {
			t.Errorf("ParseJudgeReply(%q) = %+v, %v", g.text, r, err)
		}
	}
	bad := map[string]string{
		"Score: 4/5": "not one JSON object",
		"```json\n{\"score\": 1, \"pass\": true, \"reason\": \"\"}\n```": "not one JSON object",
		`[1]`:                          "not one JSON object",
		`null`:                         "not one JSON object",
		`{"pass": true, "reason": ""}`: `no "score"`,
		`{"score": 4, "pass": true, "reason": ""}`:         "outside 0..1",
		`{"score": -0.1, "pass": true, "reason": ""}`:      "outside 0..1",
		`{"score": "0.5", "pass": true, "reason": ""}`:     `"score" is "\"0.5\"", not a number`,
		`{"score": 0.5, "reason": ""}`:                     `no "pass"`,
		`{"score": 0.5, "pass": "yes", "reason": ""}`:      "not true or false",
		`{"score": 0.5, "pass": true}`:                     `no "reason"`,
		`{"score": 0.5, "pass": true, "reason": null}`:     "not a string",
		`{"score": 0.5, "pass": true, "reason": "a"} tail`: "not one JSON object",
	}
	for text, says := range bad {
		_, err := ParseJudgeReply(text)
		if err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("ParseJudgeReply(%q) = %v, want an error saying %q", text, err, says)
		}
	}
}

// judgeWorkspace holds a rubric that uses every rubric variable.
func judgeWorkspace(t *testing.T) *workspace.Workspace {
	t.Helper()
	ctx := context.Background()
	ws, _, err := workspace.Init(ctx, t.TempDir(), workspace.Options{
		Getenv: func(string) string { return "" },
		Author: func() string { return "tester" },
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ws.Commit(ctx, "eval/rubric", workspace.Draft{
		Messages: []workspace.Message{
			{Role: "system", Content: `Grade the answer. Reply {"score", "pass", "reason"}.`},
			{Role: "user", Content: "Request:\n{{input}}\nAnswer: {{output}}\nReference: {{expected}}\nCustomer: {{customer.name}}"},
		},
		Config:  workspace.ModelConfig{Model: "openai/gpt-4o-mini"},
		Message: "rubric",
	})
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func TestJudgeScorer(t *testing.T) {
	ws := judgeWorkspace(t)
	var calls []JudgeCall
	reply := `{"score": 0.25, "pass": false, "reason": "wrong queue"}`
	opt := Options{
		Rubric: func(ctx context.Context, ref string) (*workspace.Prepared, error) { return ws.Prepare(ctx, ref) },
		Judge: func(_ context.Context, c JudgeCall) (JudgeReply, error) {
			calls = append(calls, c)
			return JudgeReply{Text: reply}, nil
		},
	}
	s := mustNew(t, "judge:eval/rubric@1", opt)
	in := Input{
		Case:     Case{ID: "t1", Vars: map[string]any{"customer": map[string]any{"name": "Ana"}, "output": "shadowed"}, Expected: "billing"},
		Messages: []workspace.Message{{Role: "system", Content: "Classify."}, {Role: "user", Content: "Refund me"}},
		Output:   "shipping",
	}
	r := score(t, s, in)
	if r.Value != 0.25 || *r.Pass || r.Reason != "wrong queue" {
		t.Errorf("result %+v", r)
	}
	if len(calls) != 1 || calls[0].Model != "openai/gpt-4o-mini" {
		t.Fatalf("calls %+v", calls)
	}
	wantUser := "Request:\n[system]\nClassify.\n\n[user]\nRefund me\nAnswer: shipping\nReference: billing\nCustomer: Ana"
	if got := calls[0].Messages[1].Content; got != wantUser {
		t.Errorf("rubric rendered as\n%s\nwant\n%s", got, wantUser)
	}
	if r.Judge == nil || r.Judge.Ref != "eval/rubric@1" || len(r.Judge.Hash) != 64 || r.Judge.Model != "openai/gpt-4o-mini" {
		t.Errorf("judge info %+v", r.Judge)
	}
	sc := s.ToScore(r, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
	if sc.Name != "judge" || sc.By != "judge:eval/rubric@1" || !strings.HasPrefix(sc.Comment, "wrong queue (judged by eval/rubric@1 ") {
		t.Errorf("score %+v", sc)
	}

	// A reply that is not the JSON asked for is a scorer error, not a zero.
	reply = "I'd give it 2 out of 5."
	if _, err := s.Score(context.Background(), in); !IsScorerError(err) {
		t.Errorf("a prose reply: %v", err)
	}
	// --judge overrides the rubric's model.
	opt.JudgeModel = "anthropic/claude"
	reply = `{"score": 1, "pass": true, "reason": "fine"}`
	calls = nil
	score(t, mustNew(t, "judge:eval/rubric@1", opt), in)
	if calls[0].Model != "anthropic/claude" {
		t.Errorf("judge model %q", calls[0].Model)
	}
}

var errUnreachable = errors.New("provider unreachable")

func TestJudgeRubricErrors(t *testing.T) {
	ws := judgeWorkspace(t)
	opt := Options{
		Rubric: func(ctx context.Context, ref string) (*workspace.Prepared, error) { return ws.Prepare(ctx, ref) },
		Judge:  func(context.Context, JudgeCall) (JudgeReply, error) { return JudgeReply{}, errUnreachable },
	}
	if _, err := New(context.Background(), "judge:eval/nope", opt); !errors.Is(err, workspace.ErrInvalid) {
		t.Errorf("a rubric that does not exist: %v", err)
	}
	s := mustNew(t, "judge:eval/rubric", opt)
	// A row without the rubric's variable: the rubric cannot render.
	_, err := s.Score(context.Background(), Input{Case: Case{ID: "r"}, Output: "x"})
	if !IsScorerError(err) || !strings.Contains(err.Error(), "customer.name") {
		t.Errorf("missing rubric variable: %v", err)
	}
	_, err = s.Score(context.Background(), Input{Case: Case{ID: "r", Vars: map[string]any{"customer": map[string]any{"name": "A"}}}})
	if !IsScorerError(err) || !errors.Is(err, errUnreachable) {
		t.Errorf("a failed judge call keeps its cause: %v", err)
	}
}
