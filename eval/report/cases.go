package report

import (
	"iter"
	"time"

	"promptbench/workspace"
)

// CaseRow is one row × variant × repeat of a run, for the per-case
// formats (jsonl, csv, junit, html).
type CaseRow struct {
	Variant      string
	Prompt       string
	Version      int
	Model        string
	Entry        string // the log entry's ID
	Case         string
	Repeat       int
	Output       string
	Error        string // the call's error
	Cached       bool
	Latency      time.Duration
	InputTokens  int
	OutputTokens int
	Cost         float64
	Scores       []workspace.Score
}

// Fetch reads the log entries keys name, in their order, one slice per
// call; an entry no longer in the store comes back with an empty ID.
type Fetch func(keys []workspace.LogKey) ([]workspace.LogEntry, error)

// fetchChunk is how many entries one Fetch reads: what the per-case
// formats hold at once.
const fetchChunk = 1000

// Rows streams the cases the report counts, variant by variant in case
// order, reading their entries through fetch a chunk at a time, or
// through the sweep the results were given (UseSweep).
func (res *Results) Rows(fetch Fetch) iter.Seq2[CaseRow, error] {
	if res.sweep != nil {
		return res.sweptRows()
	}
	return res.rowsOf(res.Refs, fetch)
}

// rowsOf streams the rows of refs, in their order.
func (res *Results) rowsOf(refs iter.Seq[CaseRef], fetch Fetch) iter.Seq2[CaseRow, error] {
	return func(yield func(CaseRow, error) bool) {
		chunk := make([]CaseRef, 0, fetchChunk)
		emit := func() bool {
			keys := make([]workspace.LogKey, len(chunk))
			for i, r := range chunk {
				keys[i] = r.Key
			}
			entries, err := fetch(keys)
			if err != nil {
				yield(CaseRow{}, err)
				return false
			}
			for i, ref := range chunk {
				if i >= len(entries) || entries[i].ID == "" {
					continue // removed since the report was computed
				}
				if !yield(res.row(ref, entries[i]), nil) {
					return false
				}
			}
			chunk = chunk[:0]
			return true
		}
		for ref := range refs {
			if chunk = append(chunk, ref); len(chunk) == cap(chunk) && !emit() {
				return
			}
		}
		if len(chunk) > 0 && !emit() {
			return
		}
		if err := res.Err(); err != nil {
			yield(CaseRow{}, err)
		}
	}
}

func (res *Results) row(ref CaseRef, e workspace.LogEntry) CaseRow {
	rv := res.in.Run.Variants[ref.Variant]
	return CaseRow{
		Variant: rv.ID, Prompt: rv.Prompt, Version: rv.Version, Model: rv.Model, Entry: e.ID,
		Case: ref.Case, Repeat: ref.Repeat, Output: e.Output, Error: e.Error, Cached: e.Cached,
		Latency: e.Latency, InputTokens: e.InputTokens, OutputTokens: e.OutputTokens, Cost: e.Cost, Scores: e.Scores,
	}
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

// FromEntries makes the results of entries held in memory (a merge of
// shards, tests) and a Fetch reading them back.
func FromEntries(in Input, entries []workspace.LogEntry) (*Results, Fetch) {
	res := NewResults(in)
	byID := make(map[string]int, len(entries))
	for i, e := range entries {
		res.Add(e)
		byID[e.ID] = i
	}
	return res, func(keys []workspace.LogKey) ([]workspace.LogEntry, error) {
		out := make([]workspace.LogEntry, len(keys))
		for i, k := range keys {
			if j, ok := byID[k.ID]; ok {
				out[i] = entries[j]
			}
		}
		return out, nil
	}
}
