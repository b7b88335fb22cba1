package report

import (
	"fmt"
	"testing"

	"promptbench/workspace"
)

// TestSpread: three cases run three times: one passes every time, one
// once, one never.
func TestSpread(t *testing.T) {
	run := workspace.Run{ID: "r", Variants: []workspace.RunVariant{{ID: "p@1", Prompt: "p", Version: 1, Model: "echo/echo"}}}
	in := Input{Run: run, Rows: 3, Repeat: 3, Scorers: map[string][]string{"p@1": {"contains:x"}}}
	passes := map[string][]bool{"a": {true, true, true}, "b": {false, true, false}, "c": {false, false, false}}
	var entries []workspace.LogEntry
	n := 0
	for id, ps := range passes {
		for rep, p := range ps {
			n++
			e := workspace.LogEntry{ID: fmt.Sprintf("%04d", n), Prompt: "p", Version: 1, Model: "echo/echo", Case: workspace.CaseID(id), Repeat: rep}
			e.Scores = []workspace.Score{{Name: "contains", By: "contains:x", Pass: &p, Value: map[bool]float64{true: 1}[p]}}
			entries = append(entries, e)
		}
	}
	sp := Build(in, entries).Variants[0].Scorers[0].Spread
	if sp == nil || sp.Cases != 3 {
		t.Fatalf("spread %+v", sp)
	}
	third := 1.0 / 3
	if sp.PassAtK != 2*third || sp.PassAllK != third || sp.Flipped != third {
		t.Fatalf("pass@k %v, pass^k %v, flipped %v", sp.PassAtK, sp.PassAllK, sp.Flipped)
	}
}
