package report

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"promptbench/workspace"
)

// The per-case formats name each case's entry by its ID: whatever shape
// an ID has (those NewLogID makes are kept packed), the report gives it
// back exactly, and of two entries for one case the later ID counts.
func TestResultsKeepEntryIDs(t *testing.T) {
	run := workspace.Run{ID: "r1", Variants: []workspace.RunVariant{{ID: "p@1", Prompt: "p", Version: 1, Model: "echo/echo"}}}
	res := NewResults(Input{Run: run, Rows: 2, Repeat: 1})
	t0 := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	logID := workspace.NewLogID(t0)
	later := workspace.NewLogID(t0.Add(time.Second))
	add := func(id, c string) {
		res.Add(workspace.LogEntry{ID: id, Prompt: "p", Version: 1, Model: "echo/echo", Case: workspace.CaseID(c)})
	}
	add(later, "a")
	add(logID, "a") // older: the later one stays
	add("imported-7", "b")
	add("IMPORTED-8", "c")
	add(logID, "d")
	add("zz-later-than-any-hex", "d") // later, and of another shape
	var got []string
	for ref := range res.Refs {
		got = append(got, ref.Case+"="+ref.Key.ID)
	}
	want := []string{"a=" + later, "b=imported-7", "c=IMPORTED-8", "d=zz-later-than-any-hex"}
	if !slices.Equal(got, want) {
		t.Fatalf("refs %v, want %v", got, want)
	}
}

// Case keys are found again however many there are, and sort as the
// strings case ID, NUL, repeat do.
func TestResultsManyCases(t *testing.T) {
	run := workspace.Run{ID: "r1", Variants: []workspace.RunVariant{
		{ID: "p@1", Prompt: "p", Version: 1, Model: "echo/echo"},
		{ID: "p@2", Prompt: "p", Version: 2, Model: "echo/echo"},
	}}
	// Sized for 10 cases, given 3,000 × 2 repeats: the table grows.
	res := NewResults(Input{Run: run, Rows: 10, Repeat: 1})
	t0 := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	for v := 1; v <= 2; v++ {
		for i := range 3000 {
			for rep := range 2 {
				res.Add(workspace.LogEntry{ID: workspace.NewLogID(t0.Add(time.Duration(i))), Prompt: "p", Version: v, Model: "echo/echo",
					Case: workspace.CaseID(fmt.Sprintf("c%d", i)), Repeat: rep, Latency: time.Duration(i) * time.Millisecond, InputTokens: 1})
			}
		}
	}
	if n := res.caseCount(); n != 6000 {
		t.Fatalf("%d case keys, want 6000", n)
	}
	r := res.Report()
	for _, v := range r.Variants {
		if v.Calls != 6000 || v.InputTokens != 6000 {
			t.Fatalf("variant %s: %d calls, %d input tokens; want 6000 each", v.ID, v.Calls, v.InputTokens)
		}
	}
	var prev string
	n := 0
	for ref := range res.Refs {
		k := string(appendCaseKey(nil, ref.Case, ref.Repeat))
		if ref.Variant == 0 && k <= prev {
			t.Fatalf("case %q after %q: not in key order", k, prev)
		}
		if ref.Variant == 0 {
			prev = k
		}
		n++
	}
	if n != 12000 {
		t.Fatalf("%d refs, want 12000", n)
	}
}
