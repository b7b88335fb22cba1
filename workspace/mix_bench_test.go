package workspace_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"promptbench/workspace"
)

// BenchmarkMixedOperations has 16 goroutines of one process (a terminal
// UI's panes, an evaluation) share one workspace, each doing a fixed mix of
// reads (Show, List, Render, Logs) and writes (Commit, AddLogs, SetLabel).
// What a user feels is the slowest operation, not the average: it reports
// the worst, p99 and median operation time, and operations that failed
// (a store still locked after the wait). Run it with
// go test -run '^$' -bench MixedOperations -benchtime 3x ./workspace
func BenchmarkMixedOperations(b *testing.B) {
	const goroutines, opsEach = 16, 42
	ctx := context.Background()
	ws, _, err := workspace.Init(ctx, b.TempDir(), workspace.Options{
		Getenv: func(string) string { return "" },
		Author: func() string { return "bench" },
	})
	if err != nil {
		b.Fatal(err)
	}
	names := make([]string, goroutines)
	hashes := make([]string, goroutines)
	for g := range names {
		names[g] = fmt.Sprintf("prompt-%02d", g)
		if _, err := ws.Commit(ctx, names[g], mixDraft(0)); err != nil {
			b.Fatal(err)
		}
		_, v, err := ws.Show(ctx, names[g])
		if err != nil {
			b.Fatal(err)
		}
		hashes[g] = v.Hash
	}
	tag := workspace.Tag{Facet: "team", Value: "bench"}

	var (
		mu     sync.Mutex
		times  []time.Duration
		failed int
	)
	b.ResetTimer()
	start := time.Now()
	for round := range b.N {
		var wg sync.WaitGroup
		for g := range goroutines {
			name := names[g]
			wg.Go(func() {
				mine := make([]time.Duration, 0, opsEach)
				bad := 0
				for i := range opsEach {
					t0 := time.Now()
					var err error
					switch i % 7 {
					case 0:
						_, _, err = ws.Show(ctx, name)
					case 1:
						_, err = ws.List(ctx, workspace.Filter{Tags: []workspace.Tag{tag}})
					case 2:
						_, err = ws.Render(ctx, name, map[string]any{"topic": "tides"})
					case 3:
						_, _, _, err = ws.Logs(ctx, name+"@1")
					case 4:
						_, err = ws.Commit(ctx, name, mixDraft(round*opsEach+i))
					case 5:
						err = ws.AddLogs(ctx, mixLogs(name, hashes[g], 5), nil)
					case 6:
						_, err = ws.SetLabel(ctx, name, "stable")
					}
					mine = append(mine, time.Since(t0))
					if err != nil {
						if bad++; bad == 1 {
							b.Logf("%s: %v", name, err)
						}
					}
				}
				mu.Lock()
				times = append(times, mine...)
				failed += bad
				mu.Unlock()
			})
		}
		wg.Wait()
	}
	elapsed := time.Since(start)
	b.StopTimer()

	slices.Sort(times)
	at := func(q float64) float64 {
		return float64(times[min(len(times)-1, int(q*float64(len(times))))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(times[len(times)-1].Microseconds())/1000, "worst-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(at(0.5), "p50-ms")
	b.ReportMetric(float64(len(times))/elapsed.Seconds(), "ops/s")
	b.ReportMetric(float64(failed), "failed-ops")
}

func mixDraft(n int) workspace.Draft {
	return workspace.Draft{
		Messages: []workspace.Message{
			{Role: "system", Content: "You explain things to a curious reader."},
			{Role: "user", Content: fmt.Sprintf("Version %d: explain {{topic}} in three sentences.", n)},
		},
		Config:  workspace.ModelConfig{Model: "echo/echo"},
		Tags:    []workspace.Tag{{Facet: "team", Value: "bench"}},
		Message: fmt.Sprintf("version %d", n),
	}
}

func mixLogs(name, hash string, n int) []workspace.LogEntry {
	now := time.Now()
	out := make([]workspace.LogEntry, n)
	for i := range out {
		out[i] = workspace.LogEntry{
			ID: workspace.NewLogID(now), Prompt: name, Version: 1, Hash: hash, Source: "bench",
			Variables: map[string]any{"topic": "tides"},
			Messages:  []workspace.Message{{Role: "user", Content: "Version 0: explain tides in three sentences."}},
			Model:     "echo/echo", Output: "Tides are the rise and fall of the sea.", InputTokens: 12, OutputTokens: 10,
			Latency: time.Millisecond, Time: now.UTC(),
		}
	}
	return out
}
