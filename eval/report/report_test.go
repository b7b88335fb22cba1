package report

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"promptbench/workspace"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fixture is a run of two variants over 12 cases with a pass/fail scorer
// and a numeric one, a provider error and a scorer error.
func fixture() (Input, []workspace.LogEntry) {
	t0 := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	run := workspace.Run{
		ID: "20261130-060000-ab12", Status: workspace.RunDone, Dataset: "/data/tickets.jsonl", DatasetHash: "9f86d0",
		Started: t0, Ended: t0.Add(time.Minute),
		Variants: []workspace.RunVariant{
			{ID: "support/ticket-classifier@1", Prompt: "support/ticket-classifier", Version: 1, Hash: "b4da50", Model: "openai/gpt-4o-mini"},
			{ID: "support/ticket-classifier@2", Prompt: "support/ticket-classifier", Version: 2, Hash: "8058e4", Model: "openai/gpt-4o-mini"},
		},
	}
	specs := []string{"contains:billing", "cmd:./grade.py"}
	in := Input{Run: run, Rows: 12, Repeat: 1, Scorers: map[string][]string{run.Variants[0].ID: specs, run.Variants[1].ID: specs}}
	yes, no := true, false
	var entries []workspace.LogEntry
	for v := range 2 {
		for i := range 12 {
			e := workspace.LogEntry{
				ID: fmt.Sprintf("%016x%d", i, v), Prompt: "support/ticket-classifier", Version: v + 1, Model: "openai/gpt-4o-mini",
				Case: workspace.CaseID(fmt.Sprintf("t%02d", i+1)), Latency: time.Duration(100+10*i+50*v) * time.Millisecond,
				InputTokens: 40, OutputTokens: 3 + v, Cost: 0.00001,
			}
			if v == 1 && i == 11 {
				e.Error = "provider: 500"
				entries = append(entries, e)
				continue
			}
			pass := &no
			if i < 5+4*v {
				pass = &yes
			}
			e.Scores = append(e.Scores, workspace.Score{Name: "contains", By: specs[0], Pass: pass, Value: map[bool]float64{true: 1}[*pass]})
			if v == 0 && i == 3 {
				e.Scores = append(e.Scores, workspace.Score{Name: "cmd", By: specs[1], Error: "exit status 1"})
			} else {
				e.Scores = append(e.Scores, workspace.Score{Name: "cmd", By: specs[1], Value: 0.5 + 0.03*float64(i%5) + 0.1*float64(v)})
			}
			entries = append(entries, e)
		}
	}
	min := 0.6
	in.FailUnder = &min
	return in, entries
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs (go test -run %s -update rewrites it):\n%s", name, t.Name(), got)
	}
}

func TestTableGolden(t *testing.T) {
	in, entries := fixture()
	var b bytes.Buffer
	if err := WriteTable(&b, Build(in, entries)); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(b.String(), "\n") {
		if n := len([]rune(line)); n > Width {
			t.Errorf("line of %d columns: %q", n, line)
		}
	}
	golden(t, "report.table", b.Bytes())
}

func TestJSONGolden(t *testing.T) {
	in, entries := fixture()
	var b bytes.Buffer
	if err := WriteJSON(&b, Build(in, entries)); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.json", b.Bytes())
}

// TestCounts checks what a reader relies on: provider errors and scorer
// errors are counted apart from failures, and comparisons pair only cases
// both variants scored.
func TestCounts(t *testing.T) {
	in, entries := fixture()
	r := Build(in, entries)
	a, b := r.Variants[0], r.Variants[1]
	if a.Calls != 12 || a.Errors != 0 || b.Errors != 1 {
		t.Fatalf("calls/errors: %+v %+v", a, b)
	}
	if s := a.Scorers[1]; s.Errors != 1 || s.Scored != 11 {
		t.Fatalf("cmd scorer on a: %+v", s)
	}
	if s := b.Scorers[0]; s.Judged != 11 || s.Passed != 9 {
		t.Fatalf("contains on b: %+v", s)
	}
	if len(r.Comparisons) != 2 || r.Comparisons[0].N != 11 || r.Comparisons[1].N != 10 {
		t.Fatalf("comparisons: %+v", r.Comparisons)
	}
	if r.Comparisons[1].ScoreType != "numeric" || r.Comparisons[1].Wilcoxon == nil {
		t.Fatalf("numeric comparison: %+v", r.Comparisons[1])
	}
	if missed := r.Missed(); len(missed) != 1 || missed[0].Variant != a.ID {
		t.Fatalf("missed: %+v", missed)
	}
}

func TestMarkdownGolden(t *testing.T) {
	in, entries := fixture()
	var b bytes.Buffer
	if err := WriteMarkdown(&b, Build(in, entries)); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.md", b.Bytes())
}

// memFetch reads entries from a slice, as the store would.
func memFetch(entries []workspace.LogEntry) Fetch {
	byID := map[string]workspace.LogEntry{}
	for _, e := range entries {
		byID[e.ID] = e
	}
	return func(keys []workspace.LogKey) ([]workspace.LogEntry, error) {
		out := make([]workspace.LogEntry, len(keys))
		for i, k := range keys {
			out[i] = byID[k.ID]
		}
		return out, nil
	}
}

// render writes the fixture's report in format, as the CLI does.
func render(t *testing.T, format string, in Input, entries []workspace.LogEntry) []byte {
	t.Helper()
	res := NewResults(in)
	for _, e := range entries {
		res.Add(e)
	}
	var b bytes.Buffer
	if err := Write(&b, res.Report(), format, res, memFetch(entries)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestJUnitGolden(t *testing.T) {
	in, entries := fixture()
	var b bytes.Buffer
	res := NewResults(in)
	for _, e := range entries {
		res.Add(e)
	}
	if err := WriteJUnit(&b, res.Report(), res, res.Rows(memFetch(entries))); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.junit.xml", b.Bytes())
}

func TestCSVGolden(t *testing.T) {
	in, entries := fixture()
	var b bytes.Buffer
	res := NewResults(in)
	for _, e := range entries {
		res.Add(e)
	}
	if err := WriteCSV(&b, res.Report(), res.Rows(memFetch(entries))); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.csv", b.Bytes())
}
