package evalrun

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"promptbench/eval"
	"promptbench/eval/spill"
	"promptbench/workspace"
)

// What a resume finds a run has, row by row in the order it goes over
// them: each variant's latest call of the case (a case run again after a
// crash counts once, by its later entry), never a cancelled one, on every
// row of a case the dataset has twice; with --rerun-errors the failed
// calls are left out, to run again, and counted, and outputs a scorer
// failed on counted. The same whether the calls fit in memory or wait
// in temporary files.
func TestReadDoneMatchesRows(t *testing.T) {
	ctx := context.Background()
	ws, _, err := workspace.Init(ctx, t.TempDir(), workspace.Options{
		Getenv: func(string) string { return "" },
		Author: func() string { return "tester" },
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if _, err := ws.Commit(ctx, "qa", workspace.Draft{
			Messages: []workspace.Message{{Role: "user", Content: fmt.Sprintf("v%d {{x}}", i+1)}},
			Config:   workspace.ModelConfig{Model: "echo/echo"}, Message: "v",
		}); err != nil {
			t.Fatal(err)
		}
	}
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	run := workspace.Run{ID: "run-1", Status: workspace.RunRunning, Started: t0, LogIndex: true, Variants: []workspace.RunVariant{
		{ID: "qa@1", Prompt: "qa", Version: 1, Model: "echo/echo"},
		{ID: "qa@2", Prompt: "qa", Version: 2, Model: "echo/echo"},
	}}
	if err := ws.SaveRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	n := 0
	entry := func(v int, c string, rep int) workspace.LogEntry {
		n++
		return workspace.LogEntry{ID: fmt.Sprintf("%016x%08x", t0.UnixNano()+int64(n), n), Prompt: "qa", Version: v + 1, Model: "echo/echo",
			Source: "eval:run-1", Run: "run-1", Case: workspace.CaseID(c), Repeat: rep, Cost: float64(n), Time: t0}
	}
	var entries []workspace.LogEntry
	// c1 only variant 0; c2 failed on variant 1 first, then worked;
	// c3 failed on variant 0 (latest); c4 a scorer error; c5 cancelled
	// on variant 1; c6 of repeat 1 only.
	for _, c := range []string{"c1", "c2", "c3", "c4", "c5"} {
		for v := range 2 {
			if c == "c1" && v == 1 {
				continue
			}
			e := entry(v, c, 0)
			switch {
			case c == "c2" && v == 1:
				e.Error = "500"
				entries = append(entries, e)
				e = entry(v, c, 0)
			case c == "c3" && v == 0:
				entries = append(entries, e)
				e = entry(v, c, 0)
				e.Error = "500"
			case c == "c4" && v == 0:
				e.Scores = []workspace.Score{{Name: "x", By: "contains:x", Error: "exit 1"}}
			case c == "c5" && v == 1:
				e.Cancelled = true
			}
			entries = append(entries, e)
		}
	}
	entries = append(entries, entry(0, "c6", 1))
	if err := ws.AddLogs(ctx, entries, nil); err != nil {
		t.Fatal(err)
	}
	// The rows × repeats a resume goes over: c3 is in the dataset twice.
	var rows []eval.Case
	for _, c := range []string{"c1", "c2", "c3", "c4", "c5", "c6", "c3", "c7"} {
		for rep := range 2 {
			rows = append(rows, eval.Case{ID: workspace.CaseID(c), Repeat: rep})
		}
	}
	vs := make([]variantSpec, 2)
	for _, tc := range []struct {
		rerun bool
		chunk int
	}{{false, spill.Chunk}, {true, spill.Chunk}, {false, 40}, {true, 40}} {
		rerun := tc.rerun
		d, r, err := readDoneChunk(ctx, ws, run, vs, slices.Values(rows), rerun, tc.chunk)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		var calls []doneCall
		for i, c := range rows {
			calls = d.take(uint64(i), calls)
			for _, call := range calls {
				s := fmt.Sprintf("%s#%d:v%d", c.ID, c.Repeat, call.variant)
				if call.failed {
					s += " failed"
				}
				if call.scorerErr {
					s += " scorer error"
				}
				got = append(got, s)
			}
		}
		d.close()
		want := []string{"c1#0:v0", "c2#0:v0", "c2#0:v1", "c3#0:v0 failed", "c3#0:v1", "c4#0:v0 scorer error", "c4#0:v1",
			"c5#0:v0", "c6#1:v0", "c3#0:v0 failed", "c3#0:v1"}
		if rerun {
			want = slices.DeleteFunc(want, func(s string) bool { return s == "c3#0:v0 failed" })
			if r.Calls != 1 || r.Rescored != 1 {
				t.Fatalf("rerun counts %+v, want 1 call and 1 rescored", r)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("rerun %v:\n got %q\nwant %q", rerun, got, want)
		}
	}
}
