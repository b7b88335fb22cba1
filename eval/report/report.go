// Package report computes an evaluation's report from the log entries of
// its run, and writes it as a table or as JSON. The report is computed
// once, kept in the run record, and rendered from there: `promptbench
// report RUN` prints the same bytes the run printed.
package report

import (
	"fmt"
	"slices"
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

// Build computes the report from a run's log entries, all at hand (tests,
// small runs); a run's own report streams them through NewResults.
func Build(in Input, entries []workspace.LogEntry) *Report {
	res := NewResults(in)
	for _, e := range entries {
		res.Add(e)
	}
	return res.Report()
}

// Report computes the report from the results added so far.
func (res *Results) Report() *Report {
	in := res.in
	r := &Report{
		Run: string(in.Run.ID), Status: string(in.Run.Status), Dataset: in.Run.Dataset,
		DatasetHash: in.Run.DatasetHash, Started: in.Run.Started.UTC(), Ended: in.Run.Ended.UTC(),
		Rows: in.Rows, Repeat: max(in.Repeat, 1), Skipped: in.Skipped, FailUnder: in.FailUnder,
		Comparisons: []stats.Comparison{}, Judge: in.Judge,
	}
	order := res.sorted()
	for i, rv := range in.Run.Variants {
		v := Variant{ID: rv.ID, Prompt: rv.Prompt, Version: rv.Version, Hash: rv.Hash, Model: rv.Model}
		var lat []time.Duration
		// Sums in case order: the same run gives the same bytes.
		for _, ci := range order {
			c := res.at(i, ci)
			if c == nil {
				continue
			}
			v.Calls++
			if c.err() {
				v.Errors++
			}
			if c.cached() {
				v.Cached++
			}
			lat = append(lat, c.latency)
			v.InputTokens += int(c.in)
			v.OutputTokens += int(c.out)
			v.CostUSD += c.cost
		}
		slices.Sort(lat)
		v.P50LatencyMS, v.P95LatencyMS = ms(percentile(lat, 0.5)), ms(percentile(lat, 0.95))
		for _, spec := range res.specs[i] {
			sc := res.scorerSummary(i, spec)
			sc.Spread = res.spreadOf(i, spec, r.Repeat)
			v.Scorers = append(v.Scorers, sc)
		}
		if v.Scorers == nil {
			v.Scorers = []Scorer{}
		}
		r.Variants = append(r.Variants, v)
	}
	r.Comparisons = res.compare(r.Variants, in.Seed)
	if len(r.Comparisons) > 1 {
		r.Multiplicity = "Holm over all comparisons (each later variant against the first, per scorer)"
	}
	gates := GatesOf(in.FailUnder, in.Gates)
	r.FailUnder, r.Thresholds = everyMin(gates), thresholds(r.Variants, gates)
	return r
}

func (res *Results) scorerSummary(v int, spec string) Scorer {
	s := Scorer{Spec: spec}
	sum := 0.0
	for _, ci := range res.sorted() {
		sc, ok := res.score(v, ci, spec)
		if !ok {
			continue
		}
		if sc.state == scoreError {
			s.Errors++
			continue
		}
		s.Scored++
		sum += sc.value
		if sc.judged() {
			s.Judged++
			if sc.state == scorePass {
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
func (res *Results) compare(vs []Variant, seed uint64) []stats.Comparison {
	var out []stats.Comparison
	for j := 1; j < len(vs); j++ {
		for _, sa := range vs[0].Scorers {
			spec := sa.Spec
			if !slices.ContainsFunc(vs[j].Scorers, func(s Scorer) bool { return s.Spec == spec }) {
				continue
			}
			var cases []int32
			passFail := true
			for _, ci := range res.sorted() {
				if !res.usable(0, ci, spec) || !res.usable(j, ci, spec) {
					continue
				}
				cases = append(cases, ci)
				a, _ := res.score(0, ci, spec)
				b, _ := res.score(j, ci, spec)
				if !a.judged() || !b.judged() {
					passFail = false
				}
			}
			opt := stats.Options{Seed: seed}
			if passFail {
				a, b := make([]bool, len(cases)), make([]bool, len(cases))
				for i, ci := range cases {
					sa, _ := res.score(0, ci, spec)
					sb, _ := res.score(j, ci, spec)
					a[i], b[i] = sa.state == scorePass, sb.state == scorePass
				}
				out = append(out, stats.ComparePassFail(spec, vs[0].ID, vs[j].ID, a, b, opt))
				continue
			}
			a, b := make([]float64, len(cases)), make([]float64, len(cases))
			for i, ci := range cases {
				sa, _ := res.score(0, ci, spec)
				sb, _ := res.score(j, ci, spec)
				a[i], b[i] = sa.value, sb.value
			}
			out = append(out, stats.CompareScores(spec, vs[0].ID, vs[j].ID, a, b, opt))
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

// Shape says what the run covered in words: "15 rows · 2 variants", with
// "× 3 repeats" after the rows when each row ran more than once (a bare
// "× 1" read as a count of variants).
func (r *Report) Shape() string {
	rows := plural(r.Rows, "row", "rows")
	if r.Repeat > 1 {
		rows += fmt.Sprintf(" × %d repeats", r.Repeat)
	}
	return rows + " · " + plural(len(r.Variants), "variant", "variants")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
