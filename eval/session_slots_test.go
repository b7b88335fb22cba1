package eval_test

import (
	"context"
	"iter"
	"testing"
	"time"

	"promptbench/eval"
	"promptbench/eval/fakeopenai"
	"promptbench/workspace"
)

// arrivals reports each request the server receives, without ever making
// it wait.
func arrivals(srv func(fakeopenai.Handler) *fakeopenai.Server) (*fakeopenai.Server, <-chan int) {
	got := make(chan int, 64)
	s := srv(func(n int, _ *fakeopenai.Request) fakeopenai.Reply {
		select {
		case got <- n:
		default:
		}
		return fakeopenai.Reply{}
	})
	return s, got
}

// waitFor waits for the n-th request (a guard against a hang, not a
// timing: it fails only if the request never comes).
func waitFor(t *testing.T, got <-chan int, n int, why string) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case m := <-got:
			if m >= n {
				return
			}
		case <-deadline:
			t.Errorf("request %d never came: %s", n, why)
			return
		}
	}
}

// An evaluation's first call starts as soon as its first row is read: it
// does not wait for a chunk of rows to be read and rendered.
func TestSessionCallsStartWhileCasesAreRead(t *testing.T) {
	ws := sessionWorkspace(t)
	srv, got := arrivals(fakeopenai.New)
	defer srv.Close()
	s := newSession(t, ws, eval.SessionOptions{Client: newRegistry(t, srv.BaseURL(), nil), Concurrency: 4, NoCache: true},
		eval.Variant{Ref: "greet@1"})
	cases := named(8)
	var rows iter.Seq2[eval.Case, error] = func(yield func(eval.Case, error) bool) {
		for i, c := range cases {
			if !yield(c, nil) {
				return
			}
			if i == 0 {
				// The rest of the dataset is slow to come.
				waitFor(t, got, 1, "the first call waited for more rows")
			}
		}
	}
	tr := newTrace()
	drain(t, s.Run(context.Background(), rows), tr.add)
	tr.check(t)
	if len(tr.finished) != len(cases) {
		t.Errorf("finished %d calls, want %d", len(tr.finished), len(cases))
	}
}

// A call's slot frees when its answer is in: the next call starts while
// the answer is still being scored (or recorded).
func TestSessionSlotFreesWhileScoring(t *testing.T) {
	ws := sessionWorkspace(t)
	srv, got := arrivals(fakeopenai.New)
	defer srv.Close()
	s := newSession(t, ws, eval.SessionOptions{Client: newRegistry(t, srv.BaseURL(), nil), Concurrency: 1, NoCache: true,
		Score: func(_ string, c eval.Case, _ workspace.LogEntry) []workspace.Score {
			if c.ID == "n00" {
				waitFor(t, got, 2, "the second call waited for the first one's scores")
			}
			return nil
		}}, eval.Variant{Ref: "greet@1"})
	tr := runTrace(t, context.Background(), s, named(3)...)
	if len(tr.finished) != 3 || len(tr.recorded) != 3 {
		t.Errorf("finished %d, recorded %d; want 3 and 3", len(tr.finished), len(tr.recorded))
	}
}
