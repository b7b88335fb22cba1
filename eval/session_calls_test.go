package eval_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"promptbench/eval"
	"promptbench/eval/fakeopenai"
	"promptbench/eval/provider"
)

// Every variant × case is called once and ends once, in order, and its log
// entry is what the store holds; a streaming session (the terminal UI) and
// a plain one (an evaluation) share one workspace and one registry.
func TestSessionDeliversEveryCallOnce(t *testing.T) {
	ws := sessionWorkspace(t)
	srv := fakeopenai.New(func(_ int, req *fakeopenai.Request) fakeopenai.Reply {
		if strings.Contains(req.Messages[0].Content, "n07") {
			return fakeopenai.Reply{Status: 400, ErrorMessage: "bad input"}
		}
		return fakeopenai.Reply{PromptTokens: 100, CompletionTokens: 20}
	})
	defer srv.Close()
	reg := newRegistry(t, srv.BaseURL(), nil)
	ctx := context.Background()
	variants := []eval.Variant{{ID: "a", Ref: "greet@1"}, {ID: "b", Ref: "greet@2"}}
	cases := named(30)
	var even, odd []eval.Case
	for i, c := range cases {
		if i%2 == 0 {
			even = append(even, c)
		} else {
			odd = append(odd, c)
		}
	}
	traces := make([]*trace, 2)
	var wg sync.WaitGroup
	for i, part := range [][]eval.Case{even, odd} {
		s := newSession(t, ws, eval.SessionOptions{Client: reg, Concurrency: 4, Stream: i == 0, Source: "cli"}, variants...)
		wg.Go(func() { traces[i] = runTrace(t, ctx, s, part...) })
	}
	wg.Wait()

	want := map[string]string{"a": "You said: Hello %s", "b": "You said: Hi there %s, how are you?"}
	ref := map[string]string{"a": "greet@1", "b": "greet@2"}
	stored := map[string]map[string]bool{}
	var total float64
	for i, tr := range traces {
		streaming := i == 0
		if len(tr.finished) != 30 || len(tr.recorded) != 30 || len(tr.skipped) != 0 {
			t.Errorf("session %d: finished %d, recorded %d, skipped %d; want 30, 30, 0", i, len(tr.finished), len(tr.recorded), len(tr.skipped))
		}
		for k, f := range tr.finished {
			if stored[k.variant] == nil {
				stored[k.variant] = map[string]bool{}
			}
			stored[k.variant][f.Entry.ID] = true
			if k.c == "n07" {
				if !errors.Is(f.Result.Err, provider.ErrHTTP) || !strings.Contains(f.Entry.Error, "HTTP 400") || f.Entry.Output != "" {
					t.Errorf("%v: err %v, entry error %q", k, f.Result.Err, f.Entry.Error)
				}
				continue
			}
			out := fmt.Sprintf(want[k.variant], k.c)
			e := f.Entry
			if f.Result.Err != nil || e.Output != out || e.Error != "" || e.InputTokens != 100 || e.OutputTokens != 20 || e.Source != "cli" {
				t.Errorf("%v: err %v, entry %+v", k, f.Result.Err, e)
			}
			if got := tr.streamed[k]; streaming != (got != "") || (streaming && got != out) {
				t.Errorf("%v: stream=%v streamed %q", k, streaming, got)
			}
			total += e.Cost
		}
	}
	if want := 58 * (100*3.0 + 20*15.0) / 1e6; math.Abs(total-want) > 1e-9 {
		t.Errorf("total cost %v, want %v", total, want)
	}
	if n := srv.Requests(); n != 60 {
		t.Errorf("server saw %d requests, want 60 (a 400 is not retried)", n)
	}
	for variant, ids := range stored {
		log := logged(t, ws, ref[variant])
		if len(log) != 30 {
			t.Errorf("%s: log holds %d entries, want 30", ref[variant], len(log))
		}
		for id := range ids {
			if _, ok := log[id]; !ok {
				t.Errorf("%s: entry %s reported but not in the log", ref[variant], id)
			}
		}
	}
}

// Concurrency is a bound across variants: never more calls in flight, and
// reached when there is work.
func TestSessionBoundsConcurrency(t *testing.T) {
	ws := sessionWorkspace(t)
	srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Delay: 50 * time.Millisecond}
	})
	defer srv.Close()
	s := newSession(t, ws, eval.SessionOptions{Client: newRegistry(t, srv.BaseURL(), nil), Concurrency: 3, NoCache: true},
		eval.Variant{ID: "a", Ref: "greet@1"}, eval.Variant{ID: "b", Ref: "greet@2"})
	tr := runTrace(t, context.Background(), s, named(12)...)
	if peak := srv.PeakInFlight(); len(tr.finished) != 24 || peak != 3 {
		t.Errorf("finished %d, peak in flight %d; want 24, 3", len(tr.finished), peak)
	}
}

// Sessions one after another reuse the registry's connections, streaming
// or not.
func TestSessionReusesConnections(t *testing.T) {
	ws := sessionWorkspace(t)
	srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply { return fakeopenai.Reply{Delay: 5 * time.Millisecond} })
	defer srv.Close()
	reg := newRegistry(t, srv.BaseURL(), nil)
	for round := range 3 {
		s := newSession(t, ws, eval.SessionOptions{Client: reg, Concurrency: 32, NoCache: true, Stream: round != 1},
			eval.Variant{Ref: "greet@1"})
		if tr := runTrace(t, context.Background(), s, named(200)...); len(tr.finished) != 200 {
			t.Fatalf("round %d: finished %d", round, len(tr.finished))
		}
	}
	// A few extra dials are normal: a call may start before the connection
	// of the one that just ended is back in the pool. No reuse would be ~600.
	if n := srv.Connections(); n > 2*32 {
		t.Errorf("600 calls at concurrency 32 opened %d connections", n)
	}
}

// The offline echo model answers with the rendered prompt, streamed word
// by word, free.
func TestSessionEcho(t *testing.T) {
	ws := sessionWorkspace(t)
	s := newSession(t, ws, eval.SessionOptions{Client: echoRegistry(t), Stream: true}, eval.Variant{Ref: "greet@1", Model: "echo/echo"})
	tr := runTrace(t, context.Background(), s, named(5)...)
	if len(tr.finished) != 5 {
		t.Fatalf("finished %d, want 5", len(tr.finished))
	}
	for k, f := range tr.finished {
		want := fmt.Sprintf("Hello %s", k.c)
		e := f.Entry
		if e.Output != want || tr.streamed[k] != want || e.Cost != 0 || e.Model != "echo/echo" || e.InputTokens == 0 || !e.TokensEstimated {
			t.Errorf("%v: entry %+v, streamed %q", k, e, tr.streamed[k])
		}
	}
	if log := logged(t, ws, "greet@1"); len(log) != 5 {
		t.Errorf("log holds %d entries, want 5", len(log))
	}
}
