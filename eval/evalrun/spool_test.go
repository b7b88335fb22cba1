package evalrun

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"promptbench/eval/report"
	"promptbench/workspace"
)

// A new run's results go through a temporary file while it runs: read
// back, they give the report and the cases adding them directly gives.
func TestSpoolKeepsWhatTheReportNeeds(t *testing.T) {
	run := workspace.Run{ID: "r1", Variants: []workspace.RunVariant{
		{ID: "p@1", Prompt: "p", Version: 1, Model: "echo/echo"},
		{ID: "p@2", Prompt: "p", Version: 2, Model: "echo/echo"},
	}}
	specs := []string{"contains:x", "similarity:0.5"}
	in := report.Input{Run: run, Rows: 50, Repeat: 2, Scorers: map[string][]string{"p@1": specs, "p@2": specs}}
	t0 := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	yes, no := true, false
	var entries []workspace.LogEntry
	for i := range 50 {
		for rep := range 2 {
			for v := 1; v <= 2; v++ {
				e := workspace.LogEntry{ID: workspace.NewLogID(t0.Add(time.Duration(i))), Prompt: "p", Version: v, Model: "echo/echo",
					Case: workspace.CaseID(fmt.Sprintf("c%d", i)), Repeat: rep, Cached: i%7 == 0,
					Latency: time.Duration(i*v) * time.Millisecond, InputTokens: i, OutputTokens: 2 * i, Cost: float64(i) / 3e6,
					Scores: []workspace.Score{{By: specs[0], Pass: &yes, Value: 1}, {By: specs[1], Value: float64(i%10) / 10}}}
				switch i % 5 {
				case 1:
					e.Error, e.Scores = "provider: 500", nil
				case 2:
					e.Scores[0] = workspace.Score{By: specs[0], Error: "scorer failed"}
				case 3:
					e.Scores[0].Pass, e.Scores[0].Value = &no, 0
				case 4:
					e.Cancelled = true
				}
				if i == 9 {
					e.ID = "imported-9" // not of NewLogID's shape
				}
				entries = append(entries, e)
			}
		}
	}
	sp, err := newSpool()
	if err != nil {
		t.Fatal(err)
	}
	defer sp.close()
	direct := report.NewResults(in)
	for _, e := range entries {
		sp.add(e)
		direct.Add(e)
	}
	back := report.NewResults(in)
	if err := sp.into(back); err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(back.Report())
	want, _ := json.Marshal(direct.Report())
	if string(got) != string(want) {
		t.Fatalf("read back:\n%s\nadded directly:\n%s", got, want)
	}
	var gotRefs, wantRefs []report.CaseRef
	back.Refs(func(r report.CaseRef) bool { gotRefs = append(gotRefs, r); return true })
	direct.Refs(func(r report.CaseRef) bool { wantRefs = append(wantRefs, r); return true })
	if fmt.Sprint(gotRefs) != fmt.Sprint(wantRefs) || len(gotRefs) != 160 {
		t.Fatalf("read back %d cases:\n%v\nadded directly:\n%v", len(gotRefs), gotRefs, wantRefs)
	}
}
