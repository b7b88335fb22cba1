package provider

import (
	"testing"
	"time"

	"promptbench/eval/fakeopenai"
)

// A call that fails after retries reports what it cost the caller, not the
// latency of its last, quick attempt.
func TestFailedCallLatencyCoversEveryAttempt(t *testing.T) {
	srv := fakeopenai.New(func(n int, _ *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Status: 500, ErrorMessage: "down", Delay: 30 * time.Millisecond}
	})
	defer srv.Close()
	res, _ := call(t, newTestRegistry(t, srv, nil), "fake/m", false)
	if res.Err == nil || res.Attempts != fastRetry.MaxAttempts {
		t.Fatalf("want a failure after %d attempts, got %d, %v", fastRetry.MaxAttempts, res.Attempts, res.Err)
	}
	if min := 3 * 30 * time.Millisecond; res.Latency < min {
		t.Fatalf("latency %v of a call that took three 30 ms attempts", res.Latency)
	}
}
