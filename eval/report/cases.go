package report

import (
	"maps"
	"slices"
	"time"

	"promptbench/workspace"
)

// CaseRow is one row × variant × repeat of a run, for the per-case
// formats (junit, csv).
type CaseRow struct {
	Variant      string
	Case         string
	Repeat       int
	Output       string
	Error        string // the call's error
	Latency      time.Duration
	InputTokens  int
	OutputTokens int
	Cost         float64
	Scores       []workspace.Score
}

// Cases lists a run's results, variant by variant, in case order, from
// the same entries Build counts.
func Cases(run workspace.Run, entries []workspace.LogEntry) []CaseRow {
	var rows []CaseRow
	for i, latest := range latestEntries(run, entries) {
		keys := slices.Sorted(maps.Keys(latest))
		for _, k := range keys {
			e := latest[k]
			rows = append(rows, CaseRow{
				Variant: run.Variants[i].ID, Case: string(e.Case), Repeat: e.Repeat, Output: e.Output, Error: e.Error,
				Latency: e.Latency, InputTokens: e.InputTokens, OutputTokens: e.OutputTokens, Cost: e.Cost, Scores: e.Scores,
			})
		}
	}
	return rows
}

// scoreBy finds the score a scorer gave.
func (c CaseRow) scoreBy(spec string) (workspace.Score, bool) {
	for _, s := range c.Scores {
		if s.By == spec {
			return s, true
		}
	}
	return workspace.Score{}, false
}

// scorerErrorText is a recorded scorer error without its marker.
func scorerErrorText(s workspace.Score) string {
	return s.Error
}
