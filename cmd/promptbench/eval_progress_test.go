package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"promptbench/eval/evalrun"
	"promptbench/eval/provider"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestProgressLines: a CI log gets plain lines; a terminal one line
// rewritten in place and cleared at the end.
func TestProgressLines(t *testing.T) {
	for _, terminal := range []bool{false, true} {
		var buf lockedBuffer
		p := startProgress(&buf, terminal, 5*time.Millisecond, nil)
		p.update(evalrun.Progress{Run: "r1", Total: 10, Done: 4, Failed: 1, Errors: 2, Cost: 0.5})
		for !strings.Contains(buf.String(), "4/10 calls") {
			time.Sleep(time.Millisecond)
		}
		p.stop()
		got := buf.String()
		mustContain(t, got, "run r1: 4/10 calls", "1 failed", "2 scorer errors", "$0.5000")
		if strings.Contains(got, "\r") != terminal {
			t.Fatalf("terminal=%v: %q", terminal, got)
		}
		if terminal && !strings.HasSuffix(got, "\r\x1b[K") {
			t.Fatalf("the live line is not cleared: %q", got)
		}
	}
}

// TestProgressShowsThrottling: a provider backing off under 429s is
// named on the progress line with its current concurrency.
func TestProgressShowsThrottling(t *testing.T) {
	var buf lockedBuffer
	p := startProgress(&buf, false, 5*time.Millisecond, func() []provider.Throttle {
		return []provider.Throttle{{Provider: "openai", Throttled: true, Limit: 4, Ceiling: 32}, {Provider: "local", Limit: 8, Ceiling: 8}}
	})
	p.update(evalrun.Progress{Run: "r1", Total: 10, Done: 4})
	for !strings.Contains(buf.String(), "4/10 calls") {
		time.Sleep(time.Millisecond)
	}
	p.stop()
	got := buf.String()
	mustContain(t, got, "openai throttled (429): 4 of 32 calls at once")
	if strings.Contains(got, "local") {
		t.Fatalf("a provider that is not throttled is shown: %q", got)
	}
}

// TestEvalScoresWhileCalling: a slow cmd scorer runs on several outputs at
// once, so it does not make the run wait for it one output at a time.
func TestEvalScoresWhileCalling(t *testing.T) {
	c, data := demoCLI(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "slow.sh")
	body := "#!/bin/sh\nmkdir \"" + dir + "/live.$$\"\nsleep 0.3\nls -d \"" + dir + "\"/live.* | wc -l >> \"" + dir + "/seen\"\nrmdir \"" + dir + "/live.$$\"\necho '{\"score\": 1, \"pass\": true}'\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	r := c.run("", "eval", filepath.Join(data, "tickets.jsonl"), "--prompt", "support/ticket-classifier@1", "--model", "echo/echo", "--scorer", "cmd:"+script)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.out, r.err)
	}
	mustContain(t, r.out, "cmd:", "100.0%")
	seen, _ := os.ReadFile(filepath.Join(dir, "seen"))
	most := 0
	for _, f := range strings.Fields(string(seen)) {
		n, _ := strconv.Atoi(f)
		most = max(most, n)
	}
	if most < 2 {
		t.Fatalf("the scorer never ran on two outputs at once: %q", seen)
	}
}
