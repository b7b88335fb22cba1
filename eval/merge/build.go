package merge

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"promptbench/eval/report"
	"promptbench/workspace"
)

// build computes the joined report from every shard's cases.
func build(shards []Shard, withRows bool) *Merged {
	slices.SortFunc(shards, func(a, b Shard) int { return cmp.Compare(a.Record.Shard.I, b.Record.Shard.I) })
	first := shards[0].Record
	run := workspace.Run{Status: workspace.RunDone, Dataset: first.Dataset, DatasetHash: first.DatasetHash, Started: first.Started, Ended: first.Ended}
	var ids []string
	m := &Merged{}
	for _, s := range shards {
		r := s.Record
		ids = append(ids, r.Run)
		if r.Started.Before(run.Started) {
			run.Started = r.Started
		}
		if r.Ended.After(run.Ended) {
			run.Ended = r.Ended
		}
		if r.Status != string(workspace.RunDone) {
			m.NotDone = append(m.NotDone, s.File)
			if run.Status == workspace.RunDone {
				run.Status = workspace.RunStatus(r.Status)
			}
		}
	}
	run.ID = mergedID(ids)
	byID := map[string]report.Variant{}
	scorers := map[string][]string{}
	for _, v := range first.Variants {
		run.Variants = append(run.Variants, workspace.RunVariant{ID: v.ID, Prompt: v.Prompt, Version: v.Version, Hash: v.Hash, Model: v.Model})
		byID[v.ID] = v
		scorers[v.ID] = specs(v)
	}
	in := report.Input{Run: run, Scorers: scorers, Repeat: first.Repeat, Seed: first.Shard.Seed}
	var entries []workspace.LogEntry
	var judge *report.JudgeUsage
	for _, s := range shards {
		r := s.Record
		in.Rows += r.Rows
		in.Skipped = append(in.Skipped, r.Skipped...)
		if r.Judge != nil {
			if judge == nil {
				judge = &report.JudgeUsage{}
			}
			*judge = judge.Add(*r.Judge)
		}
		for i, c := range r.Cases {
			if !withRows {
				c.Output = "" // only the per-case formats print it
			}
			entries = append(entries, c.entry(byID[c.Variant], len(entries)))
			r.Cases[i] = Case{} // the entry holds what is needed now
		}
	}
	in.Judge = judge
	slices.SortStableFunc(in.Skipped, func(a, b string) int { return cmp.Compare(lineOf(a), lineOf(b)) })
	for _, g := range first.Shard.Gates {
		if gate, err := report.ParseGate(g); err == nil {
			in.Gates = append(in.Gates, gate)
		}
	}
	res, fetch := report.FromEntries(in, entries)
	m.Report = res.Report()
	if withRows {
		m.Results, m.Fetch = res, fetch
	} else {
		res.Close()
	}
	return m
}

// skippedLine is compiled when first used, not at start-up.
var skippedLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^line (\d+) `) })

// lineOf orders skipped rows as the dataset has them.
func lineOf(s string) int {
	if m := skippedLine().FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// mergedID names the joined run after its shards' runs, short enough for
// a report's first line.
func mergedID(ids []string) workspace.RunID {
	if len(ids) <= 2 {
		return workspace.RunID(strings.Join(ids, "+"))
	}
	return workspace.RunID(fmt.Sprintf("%s+…+%s (%d shards)", ids[0], ids[len(ids)-1], len(ids)))
}
