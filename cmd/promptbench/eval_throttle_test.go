package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"promptbench/eval/fakeopenai"
	"promptbench/workspace"
)

// TestEvalBacksOffUnder429 is a CI job hitting a provider's rate limit:
// for its first requests the server answers 429 (Retry-After and
// x-ratelimit headers) whenever more than 4 calls are out, then lifts its
// limit. The run asks for 16 at once, backs off, says so on its progress
// lines (stderr is not a terminal), recovers, records every case once
// without an error, and exits 0.
func TestEvalBacksOffUnder429(t *testing.T) {
	const rows, serverLimit, limitedRequests = 400, 4, 200
	var refused atomic.Int64
	var srv *fakeopenai.Server
	srv = fakeopenai.NewUnrecorded(func(n int, _ *fakeopenai.Request) fakeopenai.Reply {
		if n <= limitedRequests && srv.InFlight() > serverLimit {
			refused.Add(1)
			return fakeopenai.Reply{Status: 429, RetryAfter: "0.05", ErrorType: "rate_limit_error",
				Headers: map[string]string{"X-Ratelimit-Remaining-Requests": "0", "X-Ratelimit-Reset-Requests": "50ms"}}
		}
		return fakeopenai.Reply{Delay: 10 * time.Millisecond, Content: "billing",
			Headers: map[string]string{"X-Ratelimit-Remaining-Requests": "99", "X-Ratelimit-Reset-Requests": "1s"}}
	})
	t.Cleanup(srv.Close)
	ws := demoWorkspace(t)
	cfg := "providers:\n  - name: fake\n    kind: openai\n    base_url: " + srv.BaseURL() + "\n"
	if err := os.WriteFile(filepath.Join(ws, "config.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := range rows {
		fmt.Fprintf(&b, `{"id": "c%03d", "ticket": "ticket number %d"}`+"\n", i, i)
	}
	data := writeFile(t, "rows.jsonl", b.String())

	out, code := procIn(t, t.TempDir(), ws, "eval", data, "--prompt", "support/ticket-classifier@1", "--model", "fake/m",
		"--scorer", "contains:billing", "--concurrency", "16", "--no-cache")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if refused.Load() == 0 {
		t.Fatal("the server never refused: the test tests nothing")
	}
	// How many calls were out when the first 429 came depends on how far
	// the run had ramped up, so the line is matched by its shape.
	if !regexp.MustCompile(`fake throttled \(429\): \d+ of \d+ calls at once`).MatchString(out) {
		t.Fatalf("no back-off line in the progress:\n%s", out)
	}
	mustContain(t, out, "fake recovered: 16 calls at once", "100.0%")
	run, entries := onlyRun(t, ws)
	if run.Status != workspace.RunDone || run.Counts.Errors != 0 {
		t.Fatalf("run %s with %d errors", run.Status, run.Counts.Errors)
	}
	checkComplete(t, entries, rows, 1)
	for _, e := range entries {
		if e.Error != "" {
			t.Fatalf("case %s failed: %s", e.Case, e.Error)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "throttled") {
			t.Logf("server refused %d requests; %s", refused.Load(), line)
			break
		}
	}
}
