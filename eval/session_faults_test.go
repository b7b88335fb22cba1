package eval_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"promptbench/eval"
	"promptbench/eval/fakeopenai"
	"promptbench/eval/provider"
	"promptbench/workspace"
)

// A server that fails mid-stream, stalls or throttles: the call finishes
// once with what it got, and its log record says the same as its event.
func TestSessionServerFaults(t *testing.T) {
	for name, tc := range map[string]struct {
		reply    func(n int) fakeopenai.Reply
		timeout  string
		stream   bool
		want     error // nil: the call succeeds
		output   string
		attempts int
		mention  string // in the entry's error
	}{
		"connection cut mid-stream": {
			reply:  func(int) fakeopenai.Reply { return fakeopenai.Reply{Content: "one two three", Cut: true, CutAfter: 2} },
			stream: true, want: provider.ErrStreamCut, output: "one two", attempts: 1, mention: "stream cut after 7 characters",
		},
		"error inside the stream": {
			reply: func(int) fakeopenai.Reply {
				return fakeopenai.Reply{Content: "one two three", StreamError: "the model is overloaded", CutAfter: 2}
			},
			stream: true, want: provider.ErrStreamError, output: "one two", attempts: 1, mention: "the model is overloaded",
		},
		"stall before the answer": {
			reply:   func(int) fakeopenai.Reply { return fakeopenai.Reply{Delay: time.Hour} },
			timeout: "100ms", want: provider.ErrTimeout, attempts: 2, mention: "no answer within 100ms",
		},
		"stall mid-stream": {
			reply:   func(int) fakeopenai.Reply { return fakeopenai.Reply{Content: "one two three", ChunkDelay: time.Hour} },
			timeout: "100ms", stream: true, want: provider.ErrTimeout, output: "one", attempts: 1, mention: "stream stalled",
		},
		"429 with Retry-After, then an answer": {
			reply: func(n int) fakeopenai.Reply {
				if n == 1 {
					return fakeopenai.Reply{Status: 429, RetryAfter: "1", ErrorMessage: "slow down"}
				}
				return fakeopenai.Reply{Content: "one two three"}
			},
			output: "one two three", attempts: 2,
		},
	} {
		t.Run(name, func(t *testing.T) {
			ws := sessionWorkspace(t)
			srv := fakeopenai.New(func(n int, _ *fakeopenai.Request) fakeopenai.Reply { return tc.reply(n) })
			defer srv.Close()
			reg := newRegistry(t, srv.BaseURL(), func(c *workspace.ProviderConfig) {
				if tc.timeout != "" {
					c.Timeout = tc.timeout
				}
			})
			s := newSession(t, ws, eval.SessionOptions{Client: reg, Stream: tc.stream}, eval.Variant{Ref: "greet@1"})
			tr := runTrace(t, context.Background(), s, eval.Case{ID: "1", Vars: map[string]any{"name": "Ada"}})
			f, ok := tr.finished[callKey{"fake/m", "1", 0}]
			if !ok || len(tr.finished) != 1 {
				t.Fatalf("finished %v", tr.finished)
			}
			res, e := f.Result, f.Entry
			if tc.want == nil && res.Err != nil || tc.want != nil && !errors.Is(res.Err, tc.want) {
				t.Errorf("err %v, want %v", res.Err, tc.want)
			}
			if res.Output != tc.output || e.Output != tc.output || res.Attempts != tc.attempts || e.Attempts != tc.attempts {
				t.Errorf("output %q / entry %q, attempts %d / entry %d; want %q, %d", res.Output, e.Output, res.Attempts, e.Attempts, tc.output, tc.attempts)
			}
			if tc.stream && tr.streamed[callKey{"fake/m", "1", 0}] != tc.output {
				t.Errorf("streamed %q, want %q", tr.streamed[callKey{"fake/m", "1", 0}], tc.output)
			}
			if tc.want != nil && (e.Error != res.Err.Error() || !strings.Contains(e.Error, tc.mention)) || tc.want == nil && e.Error != "" {
				t.Errorf("entry error %q, want one mentioning %q", e.Error, tc.mention)
			}
			if tc.output != "" && e.OutputTokens == 0 {
				t.Error("partial output paid for but not counted")
			}
			if e.Cancelled || e.Cached {
				t.Errorf("entry cancelled %v cached %v", e.Cancelled, e.Cached)
			}
			if n := srv.Requests(); n != tc.attempts {
				t.Errorf("server saw %d requests, want %d", n, tc.attempts)
			}
			log := logged(t, ws, "greet@1")
			got, ok := log[e.ID]
			if !ok || len(log) != 1 {
				t.Fatalf("log %v lacks entry %s", log, e.ID)
			}
			if got.Output != e.Output || got.Error != e.Error || got.Attempts != e.Attempts || got.OutputTokens != e.OutputTokens || got.Cost != e.Cost {
				t.Errorf("log record %+v differs from the finished entry %+v", got, e)
			}
		})
	}
}

// Cancelling a session ends the calls in flight at once, Finished with
// context.Canceled and their partial output, and records them; nothing
// new starts; the channel closes.
func TestSessionCancelInFlight(t *testing.T) {
	ws := sessionWorkspace(t)
	srv := fakeopenai.New(func(_ int, req *fakeopenai.Request) fakeopenai.Reply {
		if c := req.Messages[0].Content; strings.HasSuffix(c, "n00") || strings.HasSuffix(c, "n01") {
			return fakeopenai.Reply{}
		}
		// Finishes only if the cancel does not stop it: the drain times out.
		return fakeopenai.Reply{Content: "partial answer never finished", ChunkDelay: time.Hour}
	})
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := newSession(t, ws, eval.SessionOptions{Client: newRegistry(t, srv.BaseURL(), nil), Concurrency: 4, Stream: true},
		eval.Variant{Ref: "greet@1"})
	tr := newTrace()
	okDone, cancelled := 0, false
	drain(t, s.Run(ctx, eval.Cases(named(20)...)), func(ev eval.SessionEvent) {
		tr.add(ev)
		if f, ok := ev.(eval.Finished); ok && f.Result.Err == nil {
			okDone++
		}
		// Cancel once both quick calls are done and all four slots hold a
		// slow call that has started streaming.
		if !cancelled && okDone == 2 && len(tr.streamed) == 6 {
			cancelled = true
			cancel()
		}
	})
	tr.check(t)
	if !cancelled {
		t.Fatal("never cancelled")
	}
	if len(tr.started) != 6 || srv.Requests() != 6 {
		t.Errorf("started %d, server saw %d; want 6: calls kept starting after the cancel", len(tr.started), srv.Requests())
	}
	if len(tr.skipped) != 14 {
		t.Errorf("skipped %d cases, want the 14 not started", len(tr.skipped))
	}
	for k, sk := range tr.skipped {
		if !errors.Is(sk.Err, context.Canceled) {
			t.Errorf("%v skipped for %v", k, sk.Err)
		}
	}
	stopped := 0
	for k, f := range tr.finished {
		if f.Result.Err == nil {
			if f.Entry.Output != fmt.Sprintf("You said: Hello %s", k.c) {
				t.Errorf("%v: output %q", k, f.Entry.Output)
			}
			continue
		}
		stopped++
		if !errors.Is(f.Result.Err, context.Canceled) || !f.Entry.Cancelled || f.Entry.Output != "partial" || f.Result.Output != "partial" {
			t.Errorf("%v: err %v, cancelled %v, output %q", k, f.Result.Err, f.Entry.Cancelled, f.Entry.Output)
		}
	}
	if okDone != 2 || stopped != 4 {
		t.Errorf("finished %d answered and %d stopped; want 2 and 4", okDone, stopped)
	}
	log := logged(t, ws, "greet@1")
	inLog := 0
	for _, e := range log {
		if e.Cancelled && e.Output == "partial" {
			inLog++
		}
	}
	if len(log) != 6 || inLog != 4 {
		t.Errorf("log holds %d entries, %d of them cancelled with their partial output; want 6 and 4", len(log), inLog)
	}
}
