package eval_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"promptbench/eval"
	"promptbench/eval/fakeopenai"
	"promptbench/eval/provider"
	"promptbench/workspace"
)

// TestSessionBacksOffUnder429: for its first requests the server answers
// 429 (Retry-After and x-ratelimit headers) whenever more than 6 calls are
// out, then lifts its limit. The session asks for 24 at once: the run
// completes, every case is recorded once and without error, the
// provider's concurrency dropped below 24 while the server refused, and
// came back by itself once it stopped.
func TestSessionBacksOffUnder429(t *testing.T) {
	const cases, concurrency, serverLimit, limitedRequests = 1200, 24, 6, 300
	var refused atomic.Int64
	var srv *fakeopenai.Server
	srv = fakeopenai.New(func(n int, _ *fakeopenai.Request) fakeopenai.Reply {
		if n <= limitedRequests && srv.InFlight() > serverLimit {
			refused.Add(1)
			return fakeopenai.Reply{Status: 429, RetryAfter: "0.005", ErrorType: "rate_limit_error",
				Headers: map[string]string{"X-Ratelimit-Remaining-Requests": "0", "X-Ratelimit-Reset-Requests": "10ms"}}
		}
		return fakeopenai.Reply{Delay: 2 * time.Millisecond, Content: "ok",
			Headers: map[string]string{"X-Ratelimit-Remaining-Requests": "99", "X-Ratelimit-Reset-Requests": "1s"}}
	})
	defer srv.Close()
	reg, err := provider.NewRegistry([]workspace.ProviderConfig{{Name: "fake", BaseURL: srv.BaseURL(), Timeout: "5s"}},
		provider.Options{Getenv: func(string) string { return "" },
			Retry: provider.RetryPolicy{MaxAttempts: 20, InitialInterval: time.Millisecond, MaxInterval: 5 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	ws := sessionWorkspace(t)
	s := newSession(t, ws, eval.SessionOptions{Client: reg, Concurrency: concurrency, NoCache: true, Source: "eval:throttle"},
		eval.Variant{Ref: "greet@1"})

	// Watch the provider's limit while the run goes.
	var mu sync.Mutex
	lowest, throttledSeen := concurrency, false
	stop := make(chan struct{})
	var watch sync.WaitGroup
	watch.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
			for _, th := range reg.Throttles() {
				mu.Lock()
				if th.Throttled {
					throttledSeen = true
					lowest = min(lowest, th.Limit)
				}
				mu.Unlock()
			}
		}
	})
	cs := make([]eval.Case, cases)
	for i := range cs {
		cs[i] = eval.Case{ID: workspace.CaseID(fmt.Sprint(i)), Vars: map[string]any{"name": fmt.Sprint(i)}}
	}
	tr := runTrace(t, context.Background(), s, cs...)
	close(stop)
	watch.Wait()

	if len(tr.finished) != cases || len(tr.recorded) != cases {
		t.Fatalf("%d finished, %d recorded of %d cases", len(tr.finished), len(tr.recorded), cases)
	}
	for k, f := range tr.finished {
		if f.Result.Err != nil {
			t.Fatalf("case %s failed: %v", k.c, f.Result.Err)
		}
	}
	if n := len(logged(t, ws, "greet@1")); n != cases {
		t.Fatalf("%d log entries, want one per case (%d)", n, cases)
	}
	if refused.Load() == 0 {
		t.Fatal("the server never refused: the test tests nothing")
	}
	ths := reg.Throttles()
	if len(ths) != 1 || ths[0].Decreases == 0 || !throttledSeen || lowest >= concurrency {
		t.Fatalf("concurrency never dropped: lowest %d, %+v", lowest, ths)
	}
	if ths[0].Throttled || ths[0].Limit != ths[0].Ceiling {
		t.Fatalf("concurrency did not recover once the server stopped refusing: %+v", ths[0])
	}
	t.Logf("server refused %d requests; the limit went down to %d (%d halvings) and back to %d", refused.Load(), lowest, ths[0].Decreases, ths[0].Limit)
}
