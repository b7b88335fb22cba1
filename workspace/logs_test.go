package workspace

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestLogsAndScores(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "p", text("Hi {{name}}"))
	mustCommit(t, ws, "p", text("Hello {{name}}"))
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	var entries []LogEntry
	for i, lat := range []int{100, 300, 200, 400} {
		entries = append(entries, LogEntry{
			ID: NewLogID(now.Add(time.Duration(i) * time.Second)), Prompt: "p", Version: 2, Source: "cli",
			Output: "ok", InputTokens: 10, OutputTokens: 5, Cost: 0.001, Latency: time.Duration(lat) * time.Millisecond,
			Time: now,
		})
	}
	entries = append(entries, LogEntry{ID: NewLogID(now.Add(time.Minute)), Prompt: "p", Version: 2, Error: "HTTP 500", Time: now})
	entries = append(entries, LogEntry{ID: NewLogID(now), Prompt: "p", Version: 1, Output: "old", Time: now})
	if err := ws.AddLogs(ctx, entries, nil); err != nil {
		t.Fatal(err)
	}
	pass := true
	if _, err := ws.AddScore(ctx, "p", 2, entries[0].ID, Score{Name: "review", Value: 1, Pass: &pass}); err != nil {
		t.Fatal(err)
	}
	fail := false
	if _, err := ws.AddScore(ctx, "p", 2, entries[1].ID, Score{Name: "review", Value: 0, Pass: &fail}); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.AddScore(ctx, "p", 2, "nope", Score{Name: "x"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("score of unknown entry: %v", err)
	}
	v, got, sum, err := ws.Logs(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if v.Number != 2 || len(got) != 5 {
		t.Fatalf("logs of p = version %d, %d entries", v.Number, len(got))
	}
	if got[0].Scores[0].By != "alice" {
		t.Fatalf("score author = %q", got[0].Scores[0].By)
	}
	want := LogSummary{Count: 5, Errors: 1, Scored: 2, MeanScore: 0.5, Passed: 1, Judged: 2, PassRate: 0.5,
		P50Latency: 200 * time.Millisecond, P95Latency: 400 * time.Millisecond, InputTokens: 40, OutputTokens: 20, Cost: 0.004}
	sum.Cost = float64(int(sum.Cost*1e6+0.5)) / 1e6
	if sum != want {
		t.Fatalf("summary = %+v\nwant      %+v", sum, want)
	}
	_, old, _, err := ws.Logs(ctx, "p@1")
	if err != nil || len(old) != 1 || old[0].Output != "old" {
		t.Fatalf("logs of p@1 = %+v, %v", old, err)
	}
}

func TestCache(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	if got, err := ws.CacheGetMany(ctx, []string{"k"}); len(got) != 0 || err != nil {
		t.Fatalf("empty cache hit: %v %v", got, err)
	}
	if err := ws.AddLogs(ctx, nil, map[string][]byte{"k": []byte(`{"output":"x"}`)}); err != nil {
		t.Fatal(err)
	}
	if got, err := ws.CacheGetMany(ctx, []string{"k", "other"}); err != nil || len(got) != 1 || string(got["k"]) != `{"output":"x"}` {
		t.Fatalf("cache = %v %v", got, err)
	}
}
