package eval_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"promptbench/eval"
	"promptbench/eval/fakeopenai"
	"promptbench/workspace"
)

// cacheReader replaces the store's cache read with read.
type cacheReader struct {
	*workspace.Workspace
	read func(keys []string) (map[string][]byte, error)
}

func (r cacheReader) CacheGetMany(_ context.Context, keys []string) (map[string][]byte, error) {
	return r.read(keys)
}

// A second run of the same cases is answered from the cache, whether it
// streams or not, except for the call that failed; a hit is marked, costs
// nothing, keeps the answer's tokens and is logged like any call.
func TestSessionCacheHits(t *testing.T) {
	ws := sessionWorkspace(t)
	srv := fakeopenai.New(func(_ int, req *fakeopenai.Request) fakeopenai.Reply {
		if strings.Contains(req.Messages[0].Content, "n03") {
			return fakeopenai.Reply{Status: 400}
		}
		return fakeopenai.Reply{PromptTokens: 10, CompletionTokens: 5}
	})
	defer srv.Close()
	reg := newRegistry(t, srv.BaseURL(), nil)
	ctx := context.Background()
	run := func(opts eval.SessionOptions) *trace {
		opts.Client = reg
		return runTrace(t, ctx, newSession(t, ws, opts, eval.Variant{Ref: "greet@1"}), named(10)...)
	}
	first := run(eval.SessionOptions{Stream: true})
	if srv.Requests() != 10 {
		t.Fatalf("first run sent %d requests", srv.Requests())
	}
	second := run(eval.SessionOptions{})
	if n := srv.Requests() - 10; n != 1 {
		t.Errorf("second run sent %d requests, want 1 (the failed call)", n)
	}
	for k, f := range second.finished {
		r, was := f.Result, first.finished[k].Result
		if k.c == "n03" {
			if r.Cached || r.Err == nil {
				t.Errorf("failed call served from the cache: %+v", r)
			}
			continue
		}
		if !r.Cached || r.Cost != 0 || r.Latency != 0 || r.TTFT != 0 || r.Attempts != 0 || !f.Entry.Cached || f.Entry.Cost != 0 {
			t.Errorf("%v: hit not marked: %+v, entry %+v", k, r, f.Entry)
		}
		if r.Output != was.Output || r.InputTokens != was.InputTokens || r.OutputTokens != was.OutputTokens || r.FinishReason != was.FinishReason {
			t.Errorf("%v: hit %+v differs from %+v", k, r, was)
		}
	}
	if len(second.streamed) != 0 {
		t.Errorf("cache hits streamed: %v", second.streamed)
	}
	run(eval.SessionOptions{NoCache: true})
	if n := srv.Requests() - 11; n != 10 {
		t.Errorf("a run without the cache sent %d requests, want 10", n)
	}
	if log := logged(t, ws, "greet@1"); len(log) != 30 {
		t.Errorf("log holds %d entries, want 30: hits are logged too", len(log))
	}
}

// A cache that cannot be read, or holds an entry that no longer decodes,
// costs a call, never the answer.
func TestSessionCacheFailures(t *testing.T) {
	ws := sessionWorkspace(t)
	srv := fakeopenai.New(nil)
	defer srv.Close()
	reg := newRegistry(t, srv.BaseURL(), nil)
	ctx := context.Background()
	one := eval.Case{ID: "1", Vars: map[string]any{"name": "Ada"}}
	k := callKey{"fake/m", "1", 0}

	broken := cacheReader{ws, func([]string) (map[string][]byte, error) { return nil, errors.New("disk full") }}
	f := runTrace(t, ctx, newSession(t, ws, eval.SessionOptions{Client: reg, Recorder: broken}, eval.Variant{Ref: "greet@1"}), one).finished[k]
	if f.Result.Output != "You said: Hello Ada" || f.Result.Cached || f.CacheErr == nil {
		t.Errorf("unreadable cache: %+v, cache error %v", f.Result, f.CacheErr)
	}

	garbled := cacheReader{ws, func(keys []string) (map[string][]byte, error) {
		m := map[string][]byte{}
		for _, k := range keys {
			m[k] = []byte(`{`)
		}
		return m, nil
	}}
	f = runTrace(t, ctx, newSession(t, ws, eval.SessionOptions{Client: reg, Recorder: garbled}, eval.Variant{Ref: "greet@1"}), one).finished[k]
	if f.Result.Output != "You said: Hello Ada" || f.Result.Cached || f.CacheErr != nil {
		t.Errorf("undecodable entry: %+v, cache error %v", f.Result, f.CacheErr)
	}
	if srv.Requests() != 2 {
		t.Errorf("server saw %d requests, want 2", srv.Requests())
	}
	// The fresh answer replaced what was stored: the next run hits.
	f = runTrace(t, ctx, newSession(t, ws, eval.SessionOptions{Client: reg}, eval.Variant{Ref: "greet@1"}), one).finished[k]
	if !f.Result.Cached || f.Result.Output != "You said: Hello Ada" {
		t.Errorf("after a fresh answer: %+v", f.Result)
	}
}
