package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"promptbench/workspace"
)

// bigFixture is a run larger than the HTML page shows, with everything a
// report must count right: three variants (two models of one version),
// two repeats, pass/fail, numeric and continuous scores, scorer errors,
// failed and cancelled calls, cases run again after a crash (the later
// entry counts, the earlier stays in the log), IDs of another shape,
// and cases only some variants have. Entries come in no particular
// order, as a run's do.
func bigFixture() (Input, []workspace.LogEntry) {
	run := workspace.Run{ID: "big", Status: workspace.RunDone, Dataset: "data/big.jsonl", DatasetHash: "abc",
		Started: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC), Ended: time.Date(2026, 11, 30, 9, 30, 0, 0, time.UTC),
		Variants: []workspace.RunVariant{
			{ID: "p@1", Prompt: "p", Version: 1, Hash: "h1", Model: "echo/echo"},
			{ID: "p@2", Prompt: "p", Version: 2, Hash: "h2", Model: "echo/echo"},
			{ID: "p@2 · other/m", Prompt: "p", Version: 2, Hash: "h2", Model: "other/m"},
		}}
	specs := []string{"contains:x", "similarity", "len", "cmd:check"}
	in := Input{Run: run, Rows: 700, Repeat: 2, Seed: 7, Scorers: map[string][]string{
		"p@1": specs, "p@2": specs, "p@2 · other/m": specs[:3],
	}}
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	var entries []workspace.LogEntry
	yes, no := true, false
	n := 0
	for i := range 700 {
		for rep := range 2 {
			for v, rv := range run.Variants {
				if (i+v)%97 == 5 {
					continue // this variant lacks the case
				}
				n++
				// Log IDs follow time, not case order.
				id := logID(t0.Add(time.Duration((i*7919+rep*31+v*3)%100_000)*time.Millisecond), n)
				if i%211 == 3 {
					id = fmt.Sprintf("imported-%d-%d-%d", i, rep, v)
				}
				e := workspace.LogEntry{ID: id, Prompt: rv.Prompt, Version: rv.Version, Model: rv.Model,
					Case: workspace.CaseID(fmt.Sprintf("c%d", i)), Repeat: rep, Source: "eval:big", Run: "big",
					Latency: time.Duration((i*37+v*11+rep)%900+1) * time.Millisecond, Cached: i%13 == 0,
					InputTokens: 10 + i%7, OutputTokens: 3 + (i+v)%5, Cost: float64(i%11) * 0.0001,
					Output: fmt.Sprintf("answer %d of %s #%d", i, rv.ID, rep)}
				if (i+rep+v)%41 == 0 {
					e.Error, e.Output = "provider: 500", ""
				} else {
					pass := &yes
					if (i*(v+1)+rep)%5 == 0 {
						pass = &no
					}
					e.Scores = []workspace.Score{
						{Name: "contains", By: "contains:x", Value: map[bool]float64{true: 1, false: 0}[*pass], Pass: pass},
						{Name: "similarity", By: "similarity", Value: float64((i*3+v*5+rep)%9) / 8},
						{Name: "len", By: "len", Value: float64(i*v+rep)*0.37 + float64(i%17)/3},
					}
					if v < 2 {
						sc := workspace.Score{Name: "cmd", By: "cmd:check", Value: 1, Pass: &yes, Comment: "ok <b>"}
						if (i+v)%29 == 0 {
							sc = workspace.Score{Name: "cmd", By: "cmd:check", Error: "exit status 1"}
						}
						e.Scores = append(e.Scores, sc)
					}
				}
				if (i+v)%53 == 0 {
					// A cancelled call of the case: no result.
					c := e
					c.ID, c.Cancelled, c.Scores = logID(t0.Add(200*time.Second), n), true, nil
					entries = append(entries, c)
				}
				if (i+rep)%61 == 0 && id[0] != 'i' {
					// Run again after a crash: the earlier entry (no
					// scores) stays, the later one counts.
					old := e
					old.ID, old.Scores, old.Output = logID(t0.Add(-time.Hour), n), nil, "lost"
					entries = append(entries, old)
				}
				entries = append(entries, e)
			}
		}
	}
	// No particular order: a fixed shuffle.
	for i := range entries {
		j := (i*7 + 3) % len(entries)
		entries[i], entries[j] = entries[j], entries[i]
	}
	return in, entries
}

// logID is an ID of the shape NewLogID makes, without its random part.
func logID(t time.Time, n int) string { return fmt.Sprintf("%016x%08x", t.UnixNano(), n) }

// renderAll writes every format of the big fixture's report.
func renderAll(t *testing.T, res *Results, entries []workspace.LogEntry) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	r := res.Report()
	for _, f := range Formats {
		var b bytes.Buffer
		if err := Write(&b, r, f, res, memFetch(withOutputs(entries))); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[f] = b.Bytes()
	}
	return out
}

// The report of a run larger than what the results hold in memory,
// which then wait sorted in a temporary file, is byte for byte the
// report the results held in memory gave: the goldens were written by
// the release that held every case in memory.
func TestStreamedReportEqualsInMemory(t *testing.T) {
	in, entries := bigFixture()
	for _, chunk := range []int{1 << 30, 4 << 10, 300} {
		t.Run(fmt.Sprintf("chunk=%d", chunk), func(t *testing.T) {
			res := newResultsChunk(in, chunk)
			defer res.Close()
			for _, e := range entries {
				res.Add(e)
			}
			got := renderAll(t, res, entries)
			for _, f := range Formats {
				golden(t, "big/report."+f, got[f])
			}
			if err := res.Err(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// The formats that list every case give the same bytes when the entries
// come from one sweep of the run (sorted in a temporary file) as when
// each is looked up; entries the results do not count (earlier ones,
// cancelled ones) and an entry gone since the results were read are
// passed over.
func TestSweptRowsEqualLookedUp(t *testing.T) {
	in, entries := bigFixture()
	entries = withOutputs(entries)
	for _, chunk := range []int{1 << 30, 4 << 10} {
		t.Run(fmt.Sprintf("chunk=%d", chunk), func(t *testing.T) {
			res := newResultsChunk(in, chunk)
			defer res.Close()
			for _, e := range entries {
				res.Add(e)
			}
			res.UseSweep(func(fn func(raw []byte) error) error {
				for _, e := range slices.Backward(entries) {
					b, err := json.Marshal(e)
					if err != nil {
						return err
					}
					if err := fn(b); err != nil {
						return err
					}
				}
				return nil
			})
			r := res.Report()
			for _, f := range []string{"jsonl", "csv", "junit"} {
				var b bytes.Buffer
				if err := Write(&b, r, f, res, memFetch(entries)); err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				golden(t, "big/report."+f, b.Bytes())
			}
		})
	}
}
