// Package abreport compares the variants of an A/B experiment from their
// recorded outcomes: per variant the count and the rate or mean with a 95%
// interval, per later variant against the first (the control) the
// difference with its interval, an unpaired test and a verdict in words,
// and a sample-ratio check of the observed split against the weights.
// The statistics are eval/stats'; this package chooses and words them.
package abreport

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"promptbench/eval/stats"
	"promptbench/workspace"
)

// SRMAlpha is the p under which the observed split is called a sample-ratio
// mismatch: strict, because the check runs on every report and a false
// alarm stops a good experiment.
const SRMAlpha = 0.001

// Report is the stable `ab report --format json` document.
type Report struct {
	Experiment string    `json:"experiment"`
	Prompt     string    `json:"prompt"`
	Status     string    `json:"status"`
	KeyHint    string    `json:"key_hint,omitempty"`
	Winner     string    `json:"winner,omitempty"`
	Variants   []Variant `json:"variants"`
	SRM        SRM       `json:"sample_ratio"`
	Metrics    []Metric  `json:"metrics"`
}

// Variant is one arm's weight and the keys seen for it.
type Variant struct {
	Name     string  `json:"name"`
	Version  int     `json:"version"`
	Weight   int     `json:"weight"`
	Keys     int     `json:"keys"`     // distinct keys with any outcome
	Observed float64 `json:"observed"` // share of all keys, 0 to 1
}

// SRM is the sample-ratio check.
type SRM struct {
	Chi2     float64 `json:"chi2"`
	P        float64 `json:"p"`
	Mismatch bool    `json:"mismatch"`
	Text     string  `json:"text,omitempty"`
}

// Metric is one metric across the variants.
type Metric struct {
	Name        string       `json:"name"`
	Kind        string       `json:"kind"` // rate (every value 0 or 1) or mean
	Arms        []Arm        `json:"arms"`
	Comparisons []Comparison `json:"comparisons"`
}

// Arm is one variant's value of a metric.
type Arm struct {
	Variant   string         `json:"variant"`
	N         int            `json:"n"`
	Successes int            `json:"successes,omitempty"` // rate
	Value     float64        `json:"value"`               // the rate or the mean
	CI        stats.Interval `json:"ci"`                  // Wilson for a rate, t for a mean
}

// Comparison is a later variant (B) against the control (A).
type Comparison struct {
	A           string             `json:"a"`
	B           string             `json:"b"`
	Diff        float64            `json:"diff"` // B − A
	CI          stats.Interval     `json:"ci"`
	Test        string             `json:"test"`
	P           float64            `json:"p"`
	PAdjusted   float64            `json:"p_adjusted"` // Holm over the metric's comparisons
	Proportions *stats.Proportions `json:"proportions,omitempty"`
	Means       *stats.Means       `json:"means,omitempty"`
	Verdict     Verdict            `json:"verdict"`
}

// Verdict is the comparison in words.
type Verdict struct {
	Significant bool   `json:"significant"`
	Better      string `json:"better"` // a, b or none
	// NPerVariant is the users per variant a two-sided test at 0.05
	// needs for 80% power against the observed difference; NMore how many
	// more than the smaller arm has. -1: no finite number (no difference).
	NPerVariant int    `json:"n_per_variant"`
	NMore       int    `json:"n_more"`
	Text        string `json:"text"`
}

// Build makes the report of o.
func Build(o workspace.Outcomes) Report {
	e := o.Experiment
	r := Report{Experiment: e.Name, Prompt: e.Prompt, Status: e.Status, KeyHint: e.KeyHint, Winner: e.Winner}
	total := 0
	for _, v := range e.Variants {
		total += o.Keys[v.Name]
	}
	observed := make([]int, len(e.Variants))
	weights := make([]float64, len(e.Variants))
	for i, v := range e.Variants {
		n := o.Keys[v.Name]
		share := 0.0
		if total > 0 {
			share = float64(n) / float64(total)
		}
		r.Variants = append(r.Variants, Variant{Name: v.Name, Version: v.Version, Weight: v.Weight, Keys: n, Observed: share})
		observed[i], weights[i] = n, float64(v.Weight)
	}
	r.SRM.Chi2, r.SRM.P = stats.SampleRatio(observed, weights)
	if math.IsInf(r.SRM.Chi2, 0) {
		r.SRM.Chi2 = -1 // JSON has no infinity: a variant of weight 0 got keys
	}
	if r.SRM.P < SRMAlpha {
		r.SRM.Mismatch = true
		r.SRM.Text = srmText(r.Variants, r.SRM.P)
	}
	names := make([]string, 0, len(o.Values))
	for m := range o.Values {
		names = append(names, m)
	}
	slices.Sort(names)
	for _, name := range names {
		r.Metrics = append(r.Metrics, buildMetric(name, e, o.Values[name]))
	}
	return r
}

func srmText(vs []Variant, p float64) string {
	obs := make([]string, len(vs))
	want := make([]string, len(vs))
	for i, v := range vs {
		obs[i] = fmt.Sprintf("%.1f%%", 100*v.Observed)
		want[i] = fmt.Sprintf("%d%%", v.Weight)
	}
	return fmt.Sprintf("Sample-ratio mismatch: keys split %s, the weights say %s (chi-square %s). Assignment or outcome reporting is biased (a variant that fails before it reports, keys chosen after assignment, weights changed mid-way); do not trust the comparisons until it is explained.",
		strings.Join(obs, " / "), strings.Join(want, " / "), pIs(p))
}

func buildMetric(name string, e workspace.Experiment, byVariant map[string][]float64) Metric {
	m := Metric{Name: name, Kind: "rate"}
	for _, vs := range byVariant {
		for _, x := range vs {
			if x != 0 && x != 1 {
				m.Kind = "mean"
			}
		}
	}
	for _, v := range e.Variants {
		xs := byVariant[v.Name]
		a := Arm{Variant: v.Name, N: len(xs)}
		if m.Kind == "rate" {
			for _, x := range xs {
				a.Successes += int(x)
			}
			if a.N > 0 {
				a.Value = float64(a.Successes) / float64(a.N)
			}
			a.CI = stats.Wilson(a.Successes, a.N)
		} else {
			a.Value, a.CI = stats.MeanInterval(xs)
		}
		m.Arms = append(m.Arms, a)
	}
	control := e.Variants[0].Name
	var ps []float64
	for i := 1; i < len(e.Variants); i++ {
		b := e.Variants[i].Name
		c := Comparison{A: control, B: b}
		if m.Kind == "rate" {
			p := stats.CompareProportions(m.Arms[0].Successes, m.Arms[0].N, m.Arms[i].Successes, m.Arms[i].N)
			c.Proportions, c.Diff, c.CI, c.Test, c.P = &p, p.Diff, p.CI, p.Test, p.P
		} else {
			mm := stats.CompareMeans(byVariant[control], byVariant[b])
			c.Means, c.Diff, c.CI, c.Test, c.P = &mm, mm.Diff, mm.CI, stats.TestWelch, mm.P
		}
		m.Comparisons = append(m.Comparisons, c)
		ps = append(ps, c.P)
	}
	adj := stats.Holm(ps)
	for i := range m.Comparisons {
		c := &m.Comparisons[i]
		c.PAdjusted = adj[i]
		c.Verdict = verdict(name, m.Kind, *c, m.Arms[0], m.Arms[i+1])
	}
	return m
}
