package eval_test

import (
	"context"
	"sync/atomic"
	"testing"

	"promptbench/eval"
	"promptbench/workspace"
)

// TestSessionScoresBeforeRecording: a session's Score runs on each call
// that worked before its entry is written, so the entry reaches the store
// with its scores (one write, no rewrite); a failed call is not scored.
func TestSessionScoresBeforeRecording(t *testing.T) {
	ws := sessionWorkspace(t)
	pass := true
	var scored atomic.Int64
	s := newSession(t, ws, eval.SessionOptions{Client: echoRegistry(t), Source: "eval:score",
		Score: func(variant string, c eval.Case, e workspace.LogEntry) []workspace.Score {
			scored.Add(1)
			return []workspace.Score{{Name: "contains", By: "contains:Hello", Pass: &pass, Value: 1}}
		}}, eval.Variant{Ref: "greet@1", Model: "echo/echo"})
	tr := runTrace(t, context.Background(), s, named(5)...)
	for _, f := range tr.finished {
		if len(f.Entry.Scores) != 1 {
			t.Fatalf("finished entry without its score: %+v", f.Entry)
		}
	}
	for _, e := range logged(t, ws, "greet@1") {
		if len(e.Scores) != 1 || e.Scores[0].By != "contains:Hello" {
			t.Fatalf("stored entry %s has scores %+v", e.ID, e.Scores)
		}
	}
	if n := scored.Load(); n != 5 {
		t.Fatalf("scored %d calls, want 5", n)
	}
}
