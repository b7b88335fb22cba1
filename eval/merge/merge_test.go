package merge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"promptbench/eval/dataset"
	"promptbench/eval/report"
	"promptbench/workspace"
)

// suite is a run of two variants over n cases with a pass/fail scorer, a
// numeric one, provider errors and scorer errors.
func suite(n int) (workspace.Run, report.Input, []workspace.LogEntry) {
	t0 := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	run := workspace.Run{ID: "full", Status: workspace.RunDone, Dataset: "tickets.jsonl", DatasetHash: "abc", Started: t0, Ended: t0.Add(time.Minute),
		Variants: []workspace.RunVariant{
			{ID: "p@1", Prompt: "p", Version: 1, Hash: "h1", Model: "m"},
			{ID: "p@2", Prompt: "p", Version: 2, Hash: "h2", Model: "m"},
		},
		Options: map[string]string{"seed": "1", "fail_under": "0.5\npass^k:num=0.2"},
	}
	specs := []string{"contains:x", "num"}
	in := report.Input{Run: run, Rows: n, Repeat: 2, Seed: 1, Scorers: map[string][]string{"p@1": specs, "p@2": specs},
		Gates: []report.Gate{{Min: 0.5}, {Scorer: "num", PassAllK: true, Min: 0.2}}}
	var entries []workspace.LogEntry
	for v := range 2 {
		for i := range n {
			for rep := range 2 {
				e := workspace.LogEntry{ID: fmt.Sprintf("%06d%d%d", i, v, rep), Prompt: "p", Version: v + 1, Model: "m",
					Case: workspace.CaseID(fmt.Sprintf("c%d", i)), Repeat: rep, Output: fmt.Sprintf("out %d", i),
					Latency: time.Duration(1000+37*i+101*v) * time.Microsecond, InputTokens: 10 + i, OutputTokens: 2, Cost: 0.001 * float64(v+1), Cached: i%7 == 0}
				if i%13 == 5 && v == 1 {
					e.Error = "provider: 500"
					entries = append(entries, e)
					continue
				}
				pass := (i*(v+2)+rep)%3 != 0
				e.Scores = []workspace.Score{{Name: "contains", By: "contains:x", Value: map[bool]float64{true: 1}[pass], Pass: &pass}}
				if i%11 == 3 {
					e.Scores = append(e.Scores, workspace.Score{Name: "num", By: "num", Error: "exit status 1"})
				} else {
					ok := i%4 != 0
					e.Scores = append(e.Scores, workspace.Score{Name: "num", By: "num", Value: float64((i*7+v*3+rep)%10) / 10, Pass: &ok})
				}
				entries = append(entries, e)
			}
		}
	}
	in.Judge = &report.JudgeUsage{Calls: 4, InputTokens: 100, CostUSD: 0.01}
	return run, in, entries
}

// shardFiles splits the suite as `--shard I/N` would and writes each
// shard's JSON report.
func shardFiles(t *testing.T, n int, in report.Input, entries []workspace.LogEntry) []Shard {
	t.Helper()
	var out []Shard
	for i := 1; i <= n; i++ {
		run := in.Run
		run.ID = workspace.RunID(fmt.Sprintf("shard%d", i))
		run.Options = map[string]string{"shard": fmt.Sprintf("%d/%d", i, n), "seed": "1", "fail_under": in.Run.Options["fail_under"]}
		var mine []workspace.LogEntry
		rows := map[workspace.CaseID]bool{}
		for _, e := range entries {
			if dataset.ShardOf(string(e.Case), n) == i {
				mine = append(mine, e)
				rows[e.Case] = true
			}
		}
		sin := in
		sin.Run, sin.Rows = run, len(rows)
		sin.Judge = &report.JudgeUsage{Calls: 2, InputTokens: 33, CostUSD: 0.004}
		var b bytes.Buffer
		if err := NewRecord(run, report.Build(sin, mine), mine).Write(&b); err != nil {
			t.Fatal(err)
		}
		rec, err := Decode(fmt.Sprintf("shard-%d.json", i), b.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, Shard{File: fmt.Sprintf("shard-%d.json", i), Record: rec})
	}
	return out
}

// TestMergeEqualsUnsharded: the report joined from shards is the report of
// one run over the same cases: rates, intervals, latency, tokens, the
// spread, every comparison and the thresholds.
func TestMergeEqualsUnsharded(t *testing.T) {
	_, in, entries := suite(60)
	in.Judge = &report.JudgeUsage{Calls: 6, InputTokens: 99, CostUSD: 0.012}
	full := report.Build(in, entries)
	m, err := Merge(shardFiles(t, 3, in, entries), true)
	if err != nil {
		t.Fatal(err)
	}
	got := m.Report
	if got.Run != "shard1+…+shard3 (3 shards)" {
		t.Errorf("merged run %q", got.Run)
	}
	got.Run, got.Started, got.Ended = full.Run, full.Started, full.Ended
	got.Judge.CostUSD = full.Judge.CostUSD // 0.004 thrice, in floating point
	a, _ := json.MarshalIndent(full, "", " ")
	b, _ := json.MarshalIndent(got, "", " ")
	if !bytes.Equal(a, b) {
		t.Fatalf("merged report differs from the unsharded one:\n%s\n---\n%s", a, b)
	}
	if len(full.Comparisons) != 2 || len(full.Thresholds) == 0 || full.Variants[0].Scorers[1].Spread == nil {
		t.Fatalf("the fixture should compare, gate and spread: %+v", full)
	}
	rows := 0
	for _, err := range m.Results.Rows(m.Fetch) {
		if err != nil {
			t.Fatal(err)
		}
		rows++
	}
	if rows != 2*60*2 {
		t.Fatalf("%d case rows", rows)
	}
}

func TestMergeRefuses(t *testing.T) {
	_, in, entries := suite(30)
	fresh := func() []Shard { return shardFiles(t, 2, in, entries) }
	check := func(name string, shards []Shard, want ...string) {
		t.Helper()
		_, err := Merge(shards, false)
		if err == nil || !errors.Is(err, workspace.ErrInvalid) {
			t.Fatalf("%s: merged (%v)", name, err)
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %v lacks %q", name, err, w)
			}
		}
	}
	s := fresh()
	s[1].Record.DatasetHash = "other"
	check("dataset", s, "shard-1.json, shard-2.json", "datasets (content hash) differ")
	s = fresh()
	s[1].Record.Variants[1].Hash = "h9"
	check("variant", s, "variants (p@2 · m and p@2 · m) differ")
	s = fresh()
	s[1].Record.Variants[0].Scorers = s[1].Record.Variants[0].Scorers[:1]
	check("scorers", s, "scorers of p@1 differ")
	s = fresh()
	s[1].Record.Shard.Seed = 9
	check("selection", s, "row selections")
	s = fresh()
	check("missing", s[:1], "shard(s) 2 of 2 missing")
	s = fresh()
	check("twice", []Shard{s[0], {File: "copy.json", Record: s[0].Record}}, "shard-1.json, copy.json: both are shard 1/2")
	s = fresh()
	s[1].Record.Cases = append(s[1].Record.Cases, s[0].Record.Cases[0])
	check("overlap", s, "shard-1.json, shard-2.json", "the shards overlap")
	if _, err := Decode("plain.json", []byte(`{"run": "x", "variants": []}`)); err == nil || !strings.Contains(err.Error(), "plain.json: not the JSON report of a shard") {
		t.Fatalf("a report without cases: %v", err)
	}
}

// TestWriteRecordStreams: a record written case by case has the bytes of
// the whole record encoded at once, with cases and without.
func TestWriteRecordStreams(t *testing.T) {
	pass := true
	for _, cases := range [][]Case{{}, {
		{Variant: "a@1", Case: "c1", Output: "line\n\"quoted\" <b>", Scores: []workspace.Score{{Name: "exact", Value: 1, Pass: &pass}}},
		{Variant: "a@1", Case: "c2", Repeat: 1, Error: "provider: 500", Scores: []workspace.Score{}},
	}} {
		rec := &Record{Report: &report.Report{Run: "r1", Status: "done"}, Shard: ShardInfo{I: 1, N: 2, Seed: 1}, Cases: cases}
		want, err := json.MarshalIndent(rec, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := rec.Write(&got); err != nil {
			t.Fatal(err)
		}
		if got.String() != string(want)+"\n" {
			t.Fatalf("streamed:\n%s\nwhole:\n%s", got.String(), want)
		}
	}
}
