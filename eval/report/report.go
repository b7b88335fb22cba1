// Package report computes an evaluation's report from the log entries of
// its run, and writes it as a table or as JSON. The report is computed
// once, kept in the run record, and rendered from there: `promptbench
// report RUN` prints the same bytes the run printed.
package report

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"time"

	"promptbench/eval/stats"
	"promptbench/workspace"
)

// Report is the stable record of an evaluation (the `--format json`
// output). Fields are only ever added.
type Report struct {
	Run         string             `json:"run"`
	Status      string             `json:"status"`
	Dataset     string             `json:"dataset"`
	DatasetHash string             `json:"dataset_hash"`
	Started     time.Time          `json:"started"`
	Ended       time.Time          `json:"ended,omitzero"`
	Rows        int                `json:"rows"`
	Repeat      int                `json:"repeat"`
	Variants    []Variant          `json:"variants"`
	Comparisons []stats.Comparison `json:"comparisons"`
	// Multiplicity says how the p-values of several comparisons are adjusted.
	Multiplicity string      `json:"multiplicity,omitempty"`
	FailUnder    *float64    `json:"fail_under,omitempty"`
	Thresholds   []Threshold `json:"thresholds,omitempty"`
	Skipped      []string    `json:"skipped_rows,omitempty"` // rows left out by --skip-invalid
	// Judge is the judge scorers' calls, apart from the variants'.
	Judge *JudgeUsage `json:"judge,omitempty"`
}

// Variant is one arm's results.
type Variant struct {
	ID           string   `json:"id"`
	Prompt       string   `json:"prompt"`
	Version      int      `json:"version"`
	Hash         string   `json:"hash"`
	Model        string   `json:"model"`
	Calls        int      `json:"calls"`
	Errors       int      `json:"errors"` // calls that failed (provider errors)
	Cached       int      `json:"cached"`
	P50LatencyMS float64  `json:"p50_latency_ms"`
	P95LatencyMS float64  `json:"p95_latency_ms"`
	InputTokens  int      `json:"input_tokens"`
	OutputTokens int      `json:"output_tokens"`
	CostUSD      float64  `json:"cost_usd"`
	Scorers      []Scorer `json:"scorers"`
}

// Scorer is one scorer's results on one variant.
type Scorer struct {
	Spec     string         `json:"spec"`
	Scored   int            `json:"scored"` // outputs with a score
	Judged   int            `json:"judged"` // scores with a pass/fail
	Passed   int            `json:"passed"`
	PassRate float64        `json:"pass_rate"`    // passed ÷ judged
	CI       stats.Interval `json:"pass_rate_ci"` // Wilson 95%
	Mean     float64        `json:"mean_score"`
	Errors   int            `json:"errors"`           // scorer errors, apart from failures
	Spread   *Spread        `json:"spread,omitempty"` // with --repeat K > 1
}

// Threshold is a --fail-under check of one variant on one scorer.
type Threshold struct {
	Variant  string  `json:"variant"`
	Scorer   string  `json:"scorer"`
	PassRate float64 `json:"pass_rate"`
	Min      float64 `json:"min"`
	Passed   bool    `json:"passed"`
	// Measure is "pass^k" for a gate on the share of cases passed on
	// every repeat (its value in PassAllK); empty for the pass rate.
	Measure  string   `json:"measure,omitempty"`
	PassAllK *float64 `json:"pass_all_k,omitempty"`
}

// IsScorerError tells a recorded scorer error (workspace.Score.Error: kept
// on the log entry so a report counts it, but neither a failure nor a
// zero) from a score.
func IsScorerError(s workspace.Score) bool { return s.Error != "" }

// Input is what Build needs besides the entries.
type Input struct {
	Run       workspace.Run
	Scorers   map[string][]string // by variant ID: its scorer specs in order
	Rows      int
	Repeat    int
	Skipped   []string
	FailUnder *float64
	Gates     []Gate // fail_under per scorer and on pass^k, beside FailUnder
	Judge     *JudgeUsage
	Seed      uint64
}

// outcome is one variant's result on one case × repeat.
type outcome struct {
	err    bool
	scores map[string]workspace.Score // by spec; scorer errors included
}

// Build computes the report from the run's log entries. An entry belongs
// to the variant with its prompt, version and model; a cancelled entry is
// no result; of two entries for the same case, repeat and variant (a case
// run again after a crash lost its scores) the later counts.
func Build(in Input, entries []workspace.LogEntry) *Report {
	r := &Report{
		Run: string(in.Run.ID), Status: string(in.Run.Status), Dataset: in.Run.Dataset,
		DatasetHash: in.Run.DatasetHash, Started: in.Run.Started.UTC(), Ended: in.Run.Ended.UTC(),
		Rows: in.Rows, Repeat: max(in.Repeat, 1), Skipped: in.Skipped, FailUnder: in.FailUnder,
		Comparisons: []stats.Comparison{}, Judge: in.Judge,
	}
	results := make([]map[string]outcome, len(in.Run.Variants)) // by case/repeat
	latest := latestEntries(in.Run, entries)
	for i := range in.Run.Variants {
		results[i] = map[string]outcome{}
	}
	for i, rv := range in.Run.Variants {
		v := Variant{ID: rv.ID, Prompt: rv.Prompt, Version: rv.Version, Hash: rv.Hash, Model: rv.Model}
		var lat []time.Duration
		// Sums in case order: the same run gives the same bytes.
		keys := slices.Sorted(maps.Keys(latest[i]))
		for _, k := range keys {
			e := latest[i][k]
			v.Calls++
			o := outcome{err: e.Error != "", scores: map[string]workspace.Score{}}
			if o.err {
				v.Errors++
			}
			if e.Cached {
				v.Cached++
			}
			lat = append(lat, e.Latency)
			v.InputTokens += e.InputTokens
			v.OutputTokens += e.OutputTokens
			v.CostUSD += e.Cost
			for _, s := range e.Scores {
				o.scores[s.By] = s
			}
			results[i][k] = o
		}
		slices.Sort(lat)
		v.P50LatencyMS, v.P95LatencyMS = ms(percentile(lat, 0.5)), ms(percentile(lat, 0.95))
		for _, spec := range in.Scorers[rv.ID] {
			sc := scorerSummary(spec, keys, results[i])
			sc.Spread = spreadOf(spec, r.Repeat, keys, results[i])
			v.Scorers = append(v.Scorers, sc)
		}
		if v.Scorers == nil {
			v.Scorers = []Scorer{}
		}
		r.Variants = append(r.Variants, v)
	}
	r.Comparisons = compare(r.Variants, results, in.Seed)
	if len(r.Comparisons) > 1 {
		r.Multiplicity = "Holm over all comparisons (each later variant against the first, per scorer)"
	}
	gates := GatesOf(in.FailUnder, in.Gates)
	r.FailUnder, r.Thresholds = everyMin(gates), thresholds(r.Variants, gates)
	return r
}

// latestEntries picks, per variant, the latest entry of each case and
// repeat, keyed by caseKey.
func latestEntries(run workspace.Run, entries []workspace.LogEntry) []map[string]workspace.LogEntry {
	type vkey struct {
		prompt  string
		version int
		model   string
	}
	index := map[vkey]int{}
	latest := make([]map[string]workspace.LogEntry, len(run.Variants))
	for i, v := range run.Variants {
		index[vkey{v.Prompt, v.Version, v.Model}] = i
		latest[i] = map[string]workspace.LogEntry{}
	}
	for _, e := range entries {
		i, ok := index[vkey{e.Prompt, e.Version, e.Model}]
		if !ok || e.Cancelled {
			continue
		}
		k := caseKey(e.Case, e.Repeat)
		if old, seen := latest[i][k]; seen && old.ID > e.ID {
			continue
		}
		latest[i][k] = e
	}
	return latest
}

func caseKey(id workspace.CaseID, repeat int) string {
	return string(id) + "\x00" + strconv.Itoa(repeat)
}

func scorerSummary(spec string, keys []string, results map[string]outcome) Scorer {
	s := Scorer{Spec: spec}
	sum := 0.0
	for _, k := range keys {
		o := results[k]
		sc, ok := o.scores[spec]
		if !ok {
			continue
		}
		if IsScorerError(sc) {
			s.Errors++
			continue
		}
		s.Scored++
		sum += sc.Value
		if sc.Pass != nil {
			s.Judged++
			if *sc.Pass {
				s.Passed++
			}
		}
	}
	if s.Scored > 0 {
		s.Mean = sum / float64(s.Scored)
	}
	if s.Judged > 0 {
		s.PassRate = float64(s.Passed) / float64(s.Judged)
	}
	s.CI = stats.Wilson(s.Passed, s.Judged)
	return s
}

// compare pairs every later variant with the first on each scorer both
// have, over the cases both scored, in case order.
func compare(vs []Variant, results []map[string]outcome, seed uint64) []stats.Comparison {
	var out []stats.Comparison
	for j := 1; j < len(vs); j++ {
		for _, sa := range vs[0].Scorers {
			if !slices.ContainsFunc(vs[j].Scorers, func(s Scorer) bool { return s.Spec == sa.Spec }) {
				continue
			}
			var keys []string
			for k, oa := range results[0] {
				ob, ok := results[j][k]
				if ok && usable(oa, sa.Spec) && usable(ob, sa.Spec) {
					keys = append(keys, k)
				}
			}
			slices.SortFunc(keys, cmp.Compare)
			passFail := true
			for _, k := range keys {
				if results[0][k].scores[sa.Spec].Pass == nil || results[j][k].scores[sa.Spec].Pass == nil {
					passFail = false
				}
			}
			opt := stats.Options{Seed: seed}
			if passFail {
				a, b := make([]bool, len(keys)), make([]bool, len(keys))
				for i, k := range keys {
					a[i], b[i] = *results[0][k].scores[sa.Spec].Pass, *results[j][k].scores[sa.Spec].Pass
				}
				out = append(out, stats.ComparePassFail(sa.Spec, vs[0].ID, vs[j].ID, a, b, opt))
				continue
			}
			a, b := make([]float64, len(keys)), make([]float64, len(keys))
			for i, k := range keys {
				a[i], b[i] = results[0][k].scores[sa.Spec].Value, results[j][k].scores[sa.Spec].Value
			}
			out = append(out, stats.CompareScores(sa.Spec, vs[0].ID, vs[j].ID, a, b, opt))
		}
	}
	if len(out) > 1 {
		stats.AdjustFamily(out)
	}
	if out == nil {
		out = []stats.Comparison{}
	}
	return out
}

func usable(o outcome, spec string) bool {
	s, ok := o.scores[spec]
	return ok && !o.err && !IsScorerError(s)
}

// Missed lists the thresholds the report misses.
func (r *Report) Missed() []Threshold {
	var out []Threshold
	for _, t := range r.Thresholds {
		if !t.Passed {
			out = append(out, t)
		}
	}
	return out
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return sorted[i]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
