// Package merge joins the JSON reports of a run split into shards
// (`--shard I/N`, one CI job each) into one report, with every comparison
// computed again over all the cases, as if one job had run them.
package merge

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"promptbench/eval/report"
	"promptbench/workspace"
)

// Record is the `--format json` report of a sharded run: the report's
// fields, then what joining the shards needs: the shard, the row
// selection and the thresholds it ran with, and one line per row ×
// variant × repeat with its call and scores.
type Record struct {
	*report.Report
	Shard ShardInfo `json:"shard"`
	Cases []Case    `json:"cases"`
}

// ShardInfo places a shard in its suite.
type ShardInfo struct {
	I      int      `json:"i"`
	N      int      `json:"n"`
	Limit  int      `json:"limit,omitempty"`
	Sample int      `json:"sample,omitempty"`
	Seed   uint64   `json:"seed"`
	Gates  []string `json:"fail_under,omitempty"`
}

// Case is one row × variant × repeat of a shard: its latest call.
type Case struct {
	Variant      string            `json:"variant"`
	Case         string            `json:"case"`
	Repeat       int               `json:"repeat"`
	Output       string            `json:"output"`
	Error        string            `json:"error,omitempty"`
	Cached       bool              `json:"cached,omitempty"`
	LatencyUS    int64             `json:"latency_us"`
	InputTokens  int               `json:"input_tokens"`
	OutputTokens int               `json:"output_tokens"`
	CostUSD      float64           `json:"cost_usd"`
	Scores       []workspace.Score `json:"scores"`
}

// Sharded says whether a run was one shard of several.
func Sharded(run workspace.Run) bool { return run.Options["shard"] != "" }

// NewRecord makes the record of a sharded run from its report and entries.
func NewRecord(run workspace.Run, r *report.Report, entries []workspace.LogEntry) *Record {
	rec := &Record{Report: r, Shard: ShardOf(run), Cases: []Case{}}
	for vi, latest := range latestEntries(run, entries) {
		for _, k := range slices.Sorted(maps.Keys(latest)) {
			rec.Cases = append(rec.Cases, CaseOf(run.Variants[vi].ID, latest[k]))
		}
	}
	return rec
}

// ShardOf places a sharded run in its suite, from its recorded options.
func ShardOf(run workspace.Run) ShardInfo {
	var sh ShardInfo
	opt := run.Options
	i, n, _ := strings.Cut(opt["shard"], "/")
	sh.I, _ = strconv.Atoi(i)
	sh.N, _ = strconv.Atoi(n)
	sh.Limit, _ = strconv.Atoi(opt["limit"])
	sh.Sample, _ = strconv.Atoi(opt["sample"])
	sh.Seed, _ = strconv.ParseUint(opt["seed"], 10, 64)
	if opt["fail_under"] != "" {
		sh.Gates = strings.Split(opt["fail_under"], "\n")
	}
	return sh
}

// CaseOf is the line of a record for variant's entry e.
func CaseOf(variant string, e workspace.LogEntry) Case {
	scores := e.Scores
	if scores == nil {
		scores = []workspace.Score{}
	}
	return Case{
		Variant: variant, Case: string(e.Case), Repeat: e.Repeat, Output: e.Output, Error: e.Error,
		Cached: e.Cached, LatencyUS: e.Latency.Microseconds(), InputTokens: e.InputTokens, OutputTokens: e.OutputTokens,
		CostUSD: e.Cost, Scores: scores,
	}
}

// Write writes the record as `--format json` writes a report: indented,
// one trailing newline.
func (r *Record) Write(w io.Writer) error {
	return WriteRecord(w, r.Report, r.Shard, func(yield func(Case, error) bool) {
		for _, c := range r.Cases {
			if !yield(c, nil) {
				return
			}
		}
	})
}

// WriteRecord writes a record whose cases come one at a time, with the
// bytes Record.Write gives for them all: a shard of long outputs is
// written without holding them.
func WriteRecord(w io.Writer, r *report.Report, shard ShardInfo, cases iter.Seq2[Case, error]) error {
	head, err := json.MarshalIndent(&Record{Report: r, Shard: shard, Cases: []Case{}}, "", "  ")
	if err != nil {
		return err
	}
	// The record ends with its cases: `"cases": []` and the closing brace.
	const tail = "[]\n}"
	if !bytes.HasSuffix(head, []byte(tail)) {
		return errors.New("shard record: cases are not its last field")
	}
	bw := bufio.NewWriter(w)
	bw.Write(head[:len(head)-len(tail)])
	n := 0
	for c, err := range cases {
		if err != nil {
			return err
		}
		b, err := json.MarshalIndent(c, "    ", "  ")
		if err != nil {
			return err
		}
		if n == 0 {
			bw.WriteString("[\n    ")
		} else {
			bw.WriteString(",\n    ")
		}
		bw.Write(b)
		n++
	}
	if n == 0 {
		bw.WriteString(tail + "\n")
	} else {
		bw.WriteString("\n  ]\n}\n")
	}
	return bw.Flush()
}

// latestEntries picks, per variant, the latest finished entry of each case
// and repeat: the one the report counted (report.Build picks the same).
func latestEntries(run workspace.Run, entries []workspace.LogEntry) []map[string]workspace.LogEntry {
	latest := make([]map[string]workspace.LogEntry, len(run.Variants))
	for i := range latest {
		latest[i] = map[string]workspace.LogEntry{}
	}
	for _, e := range entries {
		i := slices.IndexFunc(run.Variants, func(v workspace.RunVariant) bool {
			return v.Prompt == e.Prompt && v.Version == e.Version && v.Model == e.Model
		})
		if i < 0 || e.Cancelled {
			continue
		}
		k := string(e.Case) + "\x00" + strconv.Itoa(e.Repeat)
		if old, seen := latest[i][k]; seen && old.ID > e.ID {
			continue
		}
		latest[i][k] = e
	}
	return latest
}

// entry turns a case back into the log entry the report counts.
func (c Case) entry(v report.Variant, seq int) workspace.LogEntry {
	return workspace.LogEntry{
		ID: strconv.Itoa(seq), Prompt: v.Prompt, Version: v.Version, Hash: v.Hash, Model: v.Model,
		Case: workspace.CaseID(c.Case), Repeat: c.Repeat, Output: c.Output, Error: c.Error, Cached: c.Cached,
		Latency: time.Duration(c.LatencyUS) * time.Microsecond, InputTokens: c.InputTokens, OutputTokens: c.OutputTokens,
		Cost: c.CostUSD, Scores: c.Scores,
	}
}
