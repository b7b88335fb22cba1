package eval_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"promptbench/eval"
	"promptbench/eval/fakeopenai"
	"promptbench/eval/provider"
	"promptbench/workspace"
)

func newRegistry(t testing.TB, base string, mod func(*workspace.ProviderConfig)) *provider.Registry {
	t.Helper()
	c := workspace.ProviderConfig{Name: "fake", BaseURL: base, Timeout: "5s",
		Prices: map[string]workspace.Price{"m": {Input: 3, Output: 15}}}
	if mod != nil {
		mod(&c)
	}
	r, err := provider.NewRegistry([]workspace.ProviderConfig{c}, provider.Options{
		Getenv: func(string) string { return "" },
		Retry:  provider.RetryPolicy{MaxAttempts: 2, InitialInterval: time.Millisecond, MaxInterval: time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mkCalls(n int, model string, stream func(i int) bool) []eval.Call {
	calls := make([]eval.Call, n)
	for i := range calls {
		calls[i] = eval.Call{ID: fmt.Sprintf("c%03d", i), Request: eval.Request{
			Messages: []workspace.Message{{Role: "user", Content: fmt.Sprintf("input number %d", i)}},
			Params:   workspace.ModelConfig{Model: model},
			Stream:   stream(i),
		}}
	}
	return calls
}

// collected is what a run delivered, by call ID.
type collected struct {
	deltas map[string]string
	done   map[string]eval.Done
	failed map[string]eval.Failed
	dupes  []string
}

func collect(t *testing.T, ch <-chan eval.Event) collected {
	t.Helper()
	c := collected{deltas: map[string]string{}, done: map[string]eval.Done{}, failed: map[string]eval.Failed{}}
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				return c
			}
			id := ev.CallID()
			if _, seen := c.done[id]; seen {
				c.dupes = append(c.dupes, id)
			}
			if _, seen := c.failed[id]; seen {
				c.dupes = append(c.dupes, id)
			}
			switch e := ev.(type) {
			case eval.Delta:
				c.deltas[id] += e.Text
			case eval.Done:
				c.done[id] = e
			case eval.Failed:
				c.failed[id] = e
			}
		case <-timeout:
			t.Fatal("run did not finish")
		}
	}
}

func TestRunDeliversEveryCall(t *testing.T) {
	srv := fakeopenai.New(func(n int, req *fakeopenai.Request) fakeopenai.Reply {
		if strings.HasSuffix(req.Messages[0].Content, " 7") {
			return fakeopenai.Reply{Status: 400, ErrorMessage: "bad input"}
		}
		return fakeopenai.Reply{PromptTokens: 100, CompletionTokens: 20}
	})
	defer srv.Close()
	reg := newRegistry(t, srv.BaseURL(), nil)
	calls := mkCalls(30, "fake/m", func(i int) bool { return i%2 == 0 })
	calls = append(calls, eval.Call{ID: "bad-model", Request: eval.Request{Params: workspace.ModelConfig{Model: "nope/m"}}})
	got := collect(t, eval.Run(context.Background(), calls, eval.Options{Client: reg, Concurrency: 4}))

	if len(got.dupes) > 0 || len(got.done) != 29 || len(got.failed) != 2 {
		t.Fatalf("done %d failed %d dupes %v", len(got.done), len(got.failed), got.dupes)
	}
	if f := got.failed["c007"]; !errors.Is(f.Result.Err, provider.ErrHTTP) || !strings.Contains(f.Result.Err.Error(), "HTTP 400") {
		t.Errorf("c007: %v", f.Result.Err)
	}
	if f := got.failed["bad-model"]; !errors.Is(f.Result.Err, provider.ErrUnknownProvider) {
		t.Errorf("bad-model: %v", f.Result.Err)
	}
	var total float64
	for i, c := range calls[:30] {
		d, ok := got.done[c.ID]
		if !ok {
			continue
		}
		want := fmt.Sprintf("You said: input number %d", i)
		if d.Result.Output != want {
			t.Errorf("%s output %q", c.ID, d.Result.Output)
		}
		if streamed := got.deltas[c.ID]; c.Request.Stream != (streamed != "") || (streamed != "" && streamed != want) {
			t.Errorf("%s stream=%v deltas %q", c.ID, c.Request.Stream, streamed)
		}
		if d.Result.InputTokens != 100 || d.Result.OutputTokens != 20 {
			t.Errorf("%s tokens %d/%d", c.ID, d.Result.InputTokens, d.Result.OutputTokens)
		}
		total += d.Result.Cost
	}
	if want := 29 * (100*3.0 + 20*15.0) / 1e6; math.Abs(total-want) > 1e-9 {
		t.Errorf("total cost %v, want %v", total, want)
	}
	if srv.Requests() != 30 {
		t.Errorf("server saw %d requests", srv.Requests())
	}
}

func TestRunBoundsConcurrency(t *testing.T) {
	srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Delay: 10 * time.Millisecond}
	})
	defer srv.Close()
	reg := newRegistry(t, srv.BaseURL(), nil)
	got := collect(t, eval.Run(context.Background(), mkCalls(24, "fake/m", func(int) bool { return false }),
		eval.Options{Client: reg, Concurrency: 3}))
	if peak := srv.PeakInFlight(); len(got.done) != 24 || peak != 3 {
		t.Errorf("done %d, peak %d (want 24, 3)", len(got.done), peak)
	}
}

func TestRunReusesConnections(t *testing.T) {
	srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply { return fakeopenai.Reply{Delay: 5 * time.Millisecond} })
	defer srv.Close()
	reg := newRegistry(t, srv.BaseURL(), nil)
	for range 3 {
		got := collect(t, eval.Run(context.Background(), mkCalls(200, "fake/m", func(i int) bool { return i%2 == 0 }),
			eval.Options{Client: reg, Concurrency: 32}))
		if len(got.done) != 200 {
			t.Fatalf("done %d", len(got.done))
		}
	}
	// A few extra dials are normal: a call may start before the connection
	// of the one that just ended is back in the pool. No reuse would be ~600.
	if n := srv.Connections(); n > 2*32 {
		t.Errorf("600 calls at concurrency 32 opened %d connections", n)
	}
}

func TestRunCancel(t *testing.T) {
	srv := fakeopenai.New(func(n int, req *fakeopenai.Request) fakeopenai.Reply {
		if strings.HasSuffix(req.Messages[0].Content, " 0") || strings.HasSuffix(req.Messages[0].Content, " 1") {
			return fakeopenai.Reply{}
		}
		return fakeopenai.Reply{Content: "partial answer never finished", ChunkDelay: 10 * time.Second}
	})
	defer srv.Close()
	reg := newRegistry(t, srv.BaseURL(), nil)
	// Cancelled streams count their partial output offline; load the
	// tiktoken tables first (once per process, a second under -race) so
	// that the timing below measures cancellation alone.
	reg.Complete(context.Background(), eval.Request{Params: workspace.ModelConfig{Model: "echo/m"}, Messages: []workspace.Message{{Role: "user", Content: "warm up"}}}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := mkCalls(20, "fake/m", func(int) bool { return true })
	ch := eval.Run(ctx, calls, eval.Options{Client: reg, Concurrency: 4})

	got := collected{deltas: map[string]string{}, done: map[string]eval.Done{}, failed: map[string]eval.Failed{}}
	var cancelled time.Time
	for ev := range ch {
		switch e := ev.(type) {
		case eval.Delta:
			got.deltas[e.ID] += e.Text
		case eval.Done:
			got.done[e.ID] = e
		case eval.Failed:
			got.failed[e.ID] = e
		}
		// Cancel once both quick calls are done and all four slots hold a
		// slow call that has started streaming.
		if cancelled.IsZero() && len(got.done) == 2 && len(got.deltas) == 6 {
			cancelled = time.Now()
			cancel()
		}
	}
	if cancelled.IsZero() {
		t.Fatal("never cancelled")
	}
	if el := time.Since(cancelled); el > time.Second {
		t.Errorf("channel closed %v after cancel", el)
	}
	if len(got.done) != 2 || got.done["c000"].Result.Output == "" || got.done["c001"].Result.Output == "" {
		t.Errorf("finished results lost: %v", got.done)
	}
	for id, f := range got.failed {
		if !errors.Is(f.Result.Err, context.Canceled) || f.Result.Output != "partial" {
			t.Errorf("%s: err %v output %q", id, f.Result.Err, f.Result.Output)
		}
	}
	if len(got.failed) != 4 {
		t.Errorf("in-flight calls reported: %d, want 4", len(got.failed))
	}
	if n := srv.Requests(); n != 6 {
		t.Errorf("server saw %d requests; calls kept starting after cancel", n)
	}
}

// chatty streams many deltas per call without any network.
type chatty struct{ deltas int }

func (c chatty) Complete(ctx context.Context, req eval.Request, onDelta func(string)) eval.Result {
	for range c.deltas {
		if ctx.Err() != nil {
			return eval.Result{Err: ctx.Err()}
		}
		onDelta("x")
	}
	return eval.Result{Output: "done"}
}

func TestRunConsumerGoneAfterCancel(t *testing.T) {
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	ch := eval.Run(ctx, mkCalls(100, "fake/m", func(int) bool { return true }), eval.Options{Client: chatty{deltas: 10000}, Concurrency: 8})
	<-ch
	cancel()
	// Stop reading: every goroutine of the run must still end.
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines still running after cancel", runtime.NumGoroutine()-before)
		}
		time.Sleep(10 * time.Millisecond)
	}
	n := 0
	for range ch {
		n++
	}
	if n > 4*8+64 {
		t.Errorf("drained %d events, more than the buffer", n)
	}
}

func TestRunCache(t *testing.T) {
	srv := fakeopenai.New(func(n int, req *fakeopenai.Request) fakeopenai.Reply {
		if strings.HasSuffix(req.Messages[0].Content, " 3") {
			return fakeopenai.Reply{Status: 400}
		}
		return fakeopenai.Reply{PromptTokens: 10, CompletionTokens: 5, Delay: time.Millisecond}
	})
	defer srv.Close()
	reg := newRegistry(t, srv.BaseURL(), nil)
	cache := newMemCache()
	calls := mkCalls(10, "fake/m", func(i int) bool { return i%2 == 0 })
	first := collect(t, eval.Run(context.Background(), calls, eval.Options{Client: reg, Cache: cache}))
	if len(first.done) != 9 || cache.len() != 9 || srv.Requests() != 10 {
		t.Fatalf("first run: done %d cached %d requests %d", len(first.done), cache.len(), srv.Requests())
	}
	second := collect(t, eval.Run(context.Background(), calls, eval.Options{Client: reg, Cache: cache}))
	if srv.Requests() != 11 { // only the failed call goes out again
		t.Errorf("second run sent %d requests", srv.Requests()-10)
	}
	for id, d := range second.done {
		r, was := d.Result, first.done[id].Result
		if !r.Cached || r.Cost != 0 || r.Latency != 0 || r.TTFT != 0 || r.Attempts != 0 {
			t.Errorf("%s: hit not marked: %+v", id, r)
		}
		if r.Output != was.Output || r.InputTokens != was.InputTokens || r.OutputTokens != was.OutputTokens || r.FinishReason != was.FinishReason {
			t.Errorf("%s: hit %+v differs from %+v", id, r, was)
		}
	}
	if len(second.deltas) != 0 {
		t.Errorf("cache hits streamed deltas: %v", second.deltas)
	}

	broken := newMemCache()
	broken.err = errors.New("disk full")
	third := collect(t, eval.Run(context.Background(), calls[:1], eval.Options{Client: reg, Cache: broken}))
	if d := third.done["c000"]; d.Result.Output == "" || d.CacheErr == nil || d.Result.Cached {
		t.Errorf("broken cache: %+v", d)
	}
}

func TestCacheKey(t *testing.T) {
	msgs := []workspace.Message{{Role: "user", Content: "hi"}}
	schema := func(s string) workspace.ModelConfig {
		return workspace.ModelConfig{ResponseFormat: &workspace.ResponseFormat{Type: "json_schema", Schema: []byte(s)}}
	}
	base := eval.CacheKey("openai", "gpt-4o", workspace.ModelConfig{}, msgs)
	if len(base) != 64 || base != eval.CacheKey("openai", "gpt-4o", workspace.ModelConfig{Model: "openai/gpt-4o"}, msgs) {
		t.Fatalf("key %q not stable or depends on params.Model", base)
	}
	zero := 0.0
	differ := map[string]string{
		"provider":    eval.CacheKey("azure", "gpt-4o", workspace.ModelConfig{}, msgs),
		"model":       eval.CacheKey("openai", "gpt-4o-mini", workspace.ModelConfig{}, msgs),
		"temperature": eval.CacheKey("openai", "gpt-4o", workspace.ModelConfig{Temperature: &zero}, msgs),
		"max tokens":  eval.CacheKey("openai", "gpt-4o", workspace.ModelConfig{MaxTokens: 5}, msgs),
		"role":        eval.CacheKey("openai", "gpt-4o", workspace.ModelConfig{}, []workspace.Message{{Role: "system", Content: "hi"}}),
		"content":     eval.CacheKey("openai", "gpt-4o", workspace.ModelConfig{}, []workspace.Message{{Role: "user", Content: "hi "}}),
		"split":       eval.CacheKey("open", "ai/gpt-4o", workspace.ModelConfig{}, msgs),
	}
	for name, k := range differ {
		if k == base {
			t.Errorf("%s does not change the key", name)
		}
	}
	a := eval.CacheKey("p", "m", schema(`{"type": "object", "required": ["a"]}`), msgs)
	b := eval.CacheKey("p", "m", schema(`{"required":["a"],"type":"object"}`), msgs)
	if a != b {
		t.Error("schema formatting changes the key")
	}
	if eval.CacheKey("p", "m", workspace.ModelConfig{}, nil) != eval.CacheKey("p", "m", workspace.ModelConfig{}, []workspace.Message{}) {
		t.Error("nil and empty messages differ")
	}
	nan := math.NaN()
	if k := eval.CacheKey("p", "m", workspace.ModelConfig{Temperature: &nan}, msgs); k != "" {
		t.Errorf("NaN key %q", k)
	}
}

func TestRunEcho(t *testing.T) {
	reg, err := provider.NewRegistry(nil, provider.Options{Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	got := collect(t, eval.Run(context.Background(), mkCalls(5, "echo/demo", func(int) bool { return true }), eval.Options{Client: reg}))
	for i := range 5 {
		id := fmt.Sprintf("c%03d", i)
		want := fmt.Sprintf("input number %d", i)
		if d := got.done[id]; d.Result.Output != want || got.deltas[id] != want || d.Result.Cost != 0 {
			t.Errorf("%s: %+v deltas %q", id, d.Result, got.deltas[id])
		}
	}
}
