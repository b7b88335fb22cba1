package workspace

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"promptbench/storage"
)

func runEntries(n int, run RunID, prompt string, at time.Time) []LogEntry {
	var entries []LogEntry
	for i := range n {
		entries = append(entries, LogEntry{
			ID: NewLogID(at.Add(time.Duration(i) * time.Millisecond)), Prompt: prompt, Version: 1, Source: "eval:" + string(run),
			Run: run, Case: CaseID(fmt.Sprint(i)), Output: "out", Time: at,
		})
	}
	return entries
}

func runCases(t *testing.T, ws *Workspace, prompt string, run RunID) map[CaseID]bool {
	t.Helper()
	got := map[CaseID]bool{}
	err := ws.RunLogs(context.Background(), prompt, 1, run, func(e LogEntry) error {
		if e.Run != run || got[e.Case] {
			t.Fatalf("entry %+v read for run %s", e, run)
		}
		got[e.Case] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestRunIndex: a run recorded with its index is read through it, across a
// rename of its prompt; a run recorded before the index existed (its
// entries written without index keys, its record without log_index) is
// still read whole, by scanning the version's log.
func TestRunIndex(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "p", text("Hi {{name}}"))
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

	// The old way: entries and a record as a promptbench without the
	// index wrote them.
	old := runEntries(30, "old", "p", now)
	if err := ws.update(ctx, func(tx *storage.Tx) error {
		for _, e := range old {
			b, _ := json.Marshal(e)
			if err := tx.PutLog(e.Prompt, e.Version, e.ID, b); err != nil {
				return err
			}
		}
		return tx.PutRun("old", []byte(`{"id":"old","status":"done","variants":[],"counts":{},"cost_usd":0,"started":"2026-11-02T00:00:00Z"}`))
	}); err != nil {
		t.Fatal(err)
	}
	if err := ws.SaveRun(ctx, Run{ID: "new", Status: RunRunning, LogIndex: true, Started: now}); err != nil {
		t.Fatal(err)
	}
	if err := ws.AddLogs(ctx, runEntries(40, "new", "p", now.Add(time.Second)), nil); err != nil {
		t.Fatal(err)
	}
	if got := runCases(t, ws, "p", "old"); len(got) != 30 {
		t.Fatalf("run recorded the old way: %d entries, want 30", len(got))
	}
	if got := runCases(t, ws, "p", "new"); len(got) != 40 {
		t.Fatalf("indexed run: %d entries, want 40", len(got))
	}

	// The index follows a rename.
	if _, err := ws.Rename(ctx, "p", "q"); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, ws, "p", text("another p"))
	if got := runCases(t, ws, "q", "new"); len(got) != 40 {
		t.Fatalf("indexed run after a rename: %d entries, want 40", len(got))
	}
	if got := runCases(t, ws, "p", "new"); len(got) != 0 {
		t.Fatalf("the new prompt p has %d entries of the run", len(got))
	}
	if got := runCases(t, ws, "q", "old"); len(got) != 30 {
		t.Fatalf("run recorded the old way, after a rename: %d entries, want 30", len(got))
	}
}

// BenchmarkRunLogs reads a run of 1,000 entries from a version whose log
// holds 100,000 entries of other runs: through the run's index, and by
// scanning the version's log as runs recorded before the index are read.
func BenchmarkRunLogs(b *testing.B) {
	ctx := context.Background()
	ws := newTestWorkspace(b)
	if _, err := ws.Commit(ctx, "p", text("Hi {{name}}")); err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	for i := range 100 {
		run := RunID(fmt.Sprintf("other-%d", i))
		if err := ws.AddLogs(ctx, runEntries(1000, run, "p", now.Add(time.Duration(i)*time.Hour)), nil); err != nil {
			b.Fatal(err)
		}
	}
	if err := ws.AddLogs(ctx, runEntries(1000, "mine", "p", now.Add(200*time.Hour)), nil); err != nil {
		b.Fatal(err)
	}
	for _, indexed := range []bool{true, false} {
		if err := ws.SaveRun(ctx, Run{ID: "mine", Status: RunDone, LogIndex: indexed, Started: now}); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("index=%v", indexed), func(b *testing.B) {
			for b.Loop() {
				n := 0
				if err := ws.RunLogs(ctx, "p", 1, "mine", func(LogEntry) error { n++; return nil }); err != nil || n != 1000 {
					b.Fatalf("%d entries, %v", n, err)
				}
			}
		})
	}
}
