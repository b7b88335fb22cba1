package workspace

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestRunLogs: a run's entries come back oldest first, without their
// texts but with what a report counts; entries of another run or version
// do not; LogsByKey reads whole entries, a missing one as a zero entry.
func TestRunLogs(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "p", text("Hi {{name}}"))
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	pass := true
	var entries []LogEntry
	for i := range 2500 { // more than one chunk
		run := RunID("r1")
		if i%5 == 4 {
			run = "r2"
		}
		entries = append(entries, LogEntry{
			ID: NewLogID(now.Add(time.Duration(i) * time.Millisecond)), Prompt: "p", Version: 1, Source: "eval:" + string(run),
			Run: run, Case: CaseID(fmt.Sprint(i)), Output: "out", Messages: []Message{{Role: "user", Content: "Hi"}},
			Variables: map[string]any{"name": "x"}, Latency: time.Duration(i), Cost: 0.5,
			Scores: []Score{{Name: "contains", By: "contains:o", Value: 1, Pass: &pass}}, Time: now,
		})
	}
	if err := ws.AddLogs(ctx, entries, nil); err != nil {
		t.Fatal(err)
	}
	var got []LogEntry
	if err := ws.RunLogs(ctx, "p", 1, "r1", func(e LogEntry) error { got = append(got, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2000 {
		t.Fatalf("%d entries of r1, want 2000", len(got))
	}
	for i, e := range got {
		if i > 0 && e.ID <= got[i-1].ID {
			t.Fatalf("entry %d out of order", i)
		}
		if e.Run != "r1" || e.Output != "" || e.Messages != nil || e.Variables != nil {
			t.Fatalf("entry %d: %+v", i, e)
		}
		if e.Case == "" || e.Cost != 0.5 || len(e.Scores) != 1 || e.Scores[0].Pass == nil || e.Latency == 0 && i > 0 {
			t.Fatalf("entry %d lost what a report counts: %+v", i, e)
		}
	}
	whole, err := ws.LogsByKey(ctx, []LogKey{{"p", 1, entries[3].ID}, {"p", 1, "nope"}})
	if err != nil {
		t.Fatal(err)
	}
	if whole[0].Output != "out" || len(whole[0].Messages) != 1 || whole[1].ID != "" {
		t.Fatalf("LogsByKey: %+v", whole)
	}
}

// TestRunLogsRaw: a run with an index gives the stored bytes of each of
// its entries once, in id order, over several chunks (by count and by
// size), and none of another run's; a run without an index is left to
// RunLogs.
func TestRunLogsRaw(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "p", text("Hi {{name}}"))
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	if err := ws.SaveRun(ctx, Run{ID: "r1", Status: RunRunning, Started: now, LogIndex: true}); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 600)
	var entries []LogEntry
	var want []string
	for i := range 9000 {
		run := RunID("r1")
		if i%3 == 2 {
			run = "r2"
		}
		e := LogEntry{ID: NewLogID(now.Add(time.Duration(i) * time.Millisecond)), Prompt: "p", Version: 1, Source: "eval:" + string(run),
			Run: run, Case: CaseID(fmt.Sprint(i)), Output: long, Time: now}
		entries = append(entries, e)
		if run == "r1" {
			want = append(want, e.ID)
		}
	}
	if err := ws.AddLogs(ctx, entries, nil); err != nil {
		t.Fatal(err)
	}
	var got []string
	indexed, err := ws.RunLogsRaw(ctx, "p", 1, "r1", func(raw []byte) error {
		var e LogEntry
		if err := json.Unmarshal(raw, &e); err != nil {
			return err
		}
		if e.Run != "r1" || e.Output != long {
			t.Fatalf("entry %s: run %s, output of %d bytes", e.ID, e.Run, len(e.Output))
		}
		got = append(got, e.ID)
		return nil
	})
	if err != nil || !indexed {
		t.Fatalf("indexed %v, %v", indexed, err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%d entries, want %d in id order", len(got), len(want))
	}
	if indexed, err := ws.RunLogsRaw(ctx, "p", 1, "r2", func([]byte) error { t.Fatal("an entry of a run without an index"); return nil }); indexed || err != nil {
		t.Fatalf("run without an index: indexed %v, %v", indexed, err)
	}
}
