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

// Report computes the report from the results added so far, going over
// them in case order: once for the figures, once per comparison.
func (res *Results) Report() *Report {
	in := res.in
	r := &Report{
		Run: string(in.Run.ID), Status: string(in.Run.Status), Dataset: in.Run.Dataset,
		DatasetHash: in.Run.DatasetHash, Started: in.Run.Started.UTC(), Ended: in.Run.Ended.UTC(),
		Rows: in.Rows, Repeat: max(in.Repeat, 1), Skipped: in.Skipped, FailUnder: in.FailUnder,
		Comparisons: []stats.Comparison{}, Judge: in.Judge,
	}
	vs := make([]Variant, len(in.Run.Variants))
	lats := make([]latencies, len(vs))
	scorers := make([][]scorerSum, len(vs))
	spreads := make([][]*spreadSum, len(vs))
	for i, rv := range in.Run.Variants {
		vs[i] = Variant{ID: rv.ID, Prompt: rv.Prompt, Version: rv.Version, Hash: rv.Hash, Model: rv.Model}
		scorers[i] = make([]scorerSum, len(res.specs[i]))
		spreads[i] = make([]*spreadSum, len(res.specs[i]))
		for j := range spreads[i] {
			if r.Repeat > 1 {
				spreads[i][j] = newSpreadSum(r.Repeat)
			}
		}
	}
	// Sums in case order: the same run gives the same bytes.
	res.each(func(c *caseCells) bool {
		for i := range vs {
			cl := c.at(i)
			if cl == nil {
				continue
			}
			v := &vs[i]
			v.Calls++
			if cl.err() {
				v.Errors++
			}
			if cl.cached() {
				v.Cached++
			}
			lats[i].add(cl.latency)
			v.InputTokens += int(cl.in)
			v.OutputTokens += int(cl.out)
			v.CostUSD += cl.cost
			for j, spec := range res.specs[i] {
				sc, ok := res.score(c, i, spec)
				if !ok {
					continue
				}
				scorers[i][j].add(sc)
				if spreads[i][j] != nil && sc.state != scoreError && !cl.err() {
					spreads[i][j].add(c.key, sc)
				}
			}
		}
		return true
	})
	// The latency percentiles: a second pass over the stretches the
	// first found them in.
	for i := range lats {
		lats[i].aim(0.5, 0.95)
	}
	res.each(func(c *caseCells) bool {
		for i := range lats {
			if cl := c.at(i); cl != nil {
				lats[i].refine(cl.latency)
			}
		}
		return true
	})
	for i := range vs {
		v := &vs[i]
		v.P50LatencyMS, v.P95LatencyMS = ms(lats[i].percentile(0.5)), ms(lats[i].percentile(0.95))
		for j, spec := range res.specs[i] {
			sc := scorers[i][j].summary(spec)
			if spreads[i][j] != nil {
				sc.Spread = spreads[i][j].spread()
			}
			v.Scorers = append(v.Scorers, sc)
		}
		if v.Scorers == nil {
			v.Scorers = []Scorer{}
		}
		r.Variants = append(r.Variants, *v)
	}
	r.Comparisons = res.compare(r.Variants, in.Seed)
	if len(r.Comparisons) > 1 {
		r.Multiplicity = "Holm over all comparisons (each later variant against the first, per scorer)"
	}
	gates := GatesOf(in.FailUnder, in.Gates)
	r.FailUnder, r.Thresholds = everyMin(gates), thresholds(r.Variants, gates)
	return r
}

// scorerSum adds up one scorer's results on one variant in case order.
type scorerSum struct {
	errors, scored, judged, passed int
	sum                            float64
}

func (s *scorerSum) add(sc scoreCell) {
	if sc.state == scoreError {
		s.errors++
		return
	}
	s.scored++
	s.sum += sc.value
	if sc.judged() {
		s.judged++
		if sc.state == scorePass {
			s.passed++
		}
	}
}

func (s *scorerSum) summary(spec string) Scorer {
	out := Scorer{Spec: spec, Errors: s.errors, Scored: s.scored, Judged: s.judged, Passed: s.passed}
	if s.scored > 0 {
		out.Mean = s.sum / float64(s.scored)
	}
	if s.judged > 0 {
		out.PassRate = float64(s.passed) / float64(s.judged)
	}
	out.CI = stats.Wilson(s.passed, s.judged)
	return out
}

// compare pairs every later variant with the first on each scorer both
// have, over the cases both scored, in case order: one pass over the
// results per comparison, so that only one comparison's pairs are held.
func (res *Results) compare(vs []Variant, seed uint64) []stats.Comparison {
	var out []stats.Comparison
	for j := 1; j < len(vs); j++ {
		for _, sa := range vs[0].Scorers {
			spec := sa.Spec
			if !slices.ContainsFunc(vs[j].Scorers, func(s Scorer) bool { return s.Spec == spec }) {
				continue
			}
			var a, b []float64
			var passA, passB []bool
			passFail := true
			res.each(func(c *caseCells) bool {
				if !res.usable(c, 0, spec) || !res.usable(c, j, spec) {
					return true
				}
				sa, _ := res.score(c, 0, spec)
				sb, _ := res.score(c, j, spec)
				if !sa.judged() || !sb.judged() {
					passFail = false
				}
				a, b = append(a, sa.value), append(b, sb.value)
				passA, passB = append(passA, sa.state == scorePass), append(passB, sb.state == scorePass)
				return true
			})
			opt := stats.Options{Seed: seed}
			if passFail {
				a, b = nil, nil // what the test needs is the verdicts
				out = append(out, stats.ComparePassFail(spec, vs[0].ID, vs[j].ID, passA, passB, opt))
				continue
			}
			passA, passB = nil, nil
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
