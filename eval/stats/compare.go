package stats

import (
	"cmp"
	"math"
	"slices"
)

// Score types of a comparison.
const (
	PassFail = "pass_fail"
	Numeric  = "numeric"
)

// Diff is the mean paired difference b − a, its bootstrap interval, and
// the standard deviation of the differences (what the sample size for
// numeric scores needs, kept so a verdict can be worded again from JSON).
type Diff struct {
	Mean float64 `json:"mean"`
	Interval
	SD float64 `json:"sd"`
}

// Verdict is a comparison's conclusion.
type Verdict struct {
	Significant bool   `json:"significant"` // the (Holm-adjusted) p is below Alpha
	Better      string `json:"better"`      // "a", "b" or "none"
	NMore       int    `json:"n_more"`      // more cases to detect the observed difference; NoFinite when it is 0
	NTotal      int    `json:"n_total"`     // the total those would make; NoFinite likewise
	Text        string `json:"text"`
}

// Comparison is variant b against variant a on one scorer, over the cases
// both have a score for. Higher scores are better.
type Comparison struct {
	Scorer      string            `json:"scorer"`
	A           string            `json:"a"`
	B           string            `json:"b"`
	ScoreType   string            `json:"score_type"`
	N           int               `json:"n"`
	MeanA       float64           `json:"mean_a"`
	MeanB       float64           `json:"mean_b"`
	Diff        Diff              `json:"diff"`
	McNemar     *McNemarResult    `json:"mcnemar,omitempty"`
	Wilcoxon    *WilcoxonResult   `json:"wilcoxon,omitempty"`
	SignTest    SignTestResult    `json:"sign_test"`
	Permutation PermutationResult `json:"permutation"`
	Test        string            `json:"test"`       // the test the verdict rests on
	P           float64           `json:"p"`          // its p
	PAdjusted   float64           `json:"p_adjusted"` // Holm-adjusted over Family comparisons
	Family      int               `json:"family"`     // comparisons in the Holm family (1: none)
	Verdict     Verdict           `json:"verdict"`
	sd          float64           // of the differences, for the power calculation
}

// Options seeds the resampling; zero values are the defaults.
type Options struct {
	Seed         uint64
	Bootstrap    int // resamples; 0 is DefaultBootstrap
	Permutations int // Monte Carlo flips; 0 is DefaultPermutations
}

// ComparePassFail compares paired pass/fail outcomes (a[i] and b[i] are the
// same case): exact McNemar decides, with the sign and permutation tests
// and a bootstrap interval of the difference in pass rate beside it.
func ComparePassFail(scorer, nameA, nameB string, a, b []bool, opt Options) Comparison {
	n := min(len(a), len(b))
	fa, fb := make([]float64, n), make([]float64, n)
	bOnly, aOnly := 0, 0
	for i := range n {
		fa[i], fb[i] = b2f(a[i]), b2f(b[i])
		switch {
		case b[i] && !a[i]:
			bOnly++
		case a[i] && !b[i]:
			aOnly++
		}
	}
	c := compareCommon(scorer, nameA, nameB, PassFail, fa, fb, opt)
	m := McNemar(bOnly, aOnly)
	c.McNemar = &m
	c.Test, c.P = "exact McNemar", m.PExact
	c.PAdjusted, c.Family = c.P, 1
	c.Verdict = c.verdict()
	return c
}

// CompareScores compares paired numeric scores: the Wilcoxon signed-rank
// test decides, with the sign and permutation tests and a bootstrap
// interval of the mean difference beside it.
func CompareScores(scorer, nameA, nameB string, a, b []float64, opt Options) Comparison {
	n := min(len(a), len(b))
	c := compareCommon(scorer, nameA, nameB, Numeric, a[:n], b[:n], opt)
	diffs := make([]float64, n)
	for i := range n {
		diffs[i] = b[i] - a[i]
	}
	w := Wilcoxon(diffs)
	c.Wilcoxon = &w
	c.Test, c.P = "Wilcoxon signed-rank", w.P
	c.PAdjusted, c.Family = c.P, 1
	c.Verdict = c.verdict()
	return c
}

func compareCommon(scorer, nameA, nameB, kind string, a, b []float64, opt Options) Comparison {
	n := len(a)
	c := Comparison{Scorer: scorer, A: nameA, B: nameB, ScoreType: kind, N: n}
	diffs := make([]float64, n)
	for i := range n {
		c.MeanA += a[i]
		c.MeanB += b[i]
		diffs[i] = round(b[i] - a[i])
	}
	if n > 0 {
		c.MeanA /= float64(n)
		c.MeanB /= float64(n)
		c.Diff.Mean = round(mean(diffs))
	}
	c.Diff.SD = sd(diffs)
	c.Diff.Interval = Bootstrap(diffs, opt.Seed, opt.Bootstrap)
	c.SignTest = SignTest(diffs)
	c.Permutation = Permutation(diffs, opt.Seed, opt.Permutations)
	return c
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func mean(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// sd is the sample standard deviation (n − 1); 0 below two values.
func sd(x []float64) float64 {
	if len(x) < 2 {
		return 0
	}
	m, ss := mean(x), 0.0
	for _, v := range x {
		ss += (v - m) * (v - m)
	}
	return math.Sqrt(ss / float64(len(x)-1))
}

// Holm adjusts p-values for multiple comparisons (Holm–Bonferroni, 1979):
// the i-th smallest of m is multiplied by m − i + 1, made non-decreasing
// in that order, and capped at 1 (R: p.adjust(p, "holm")).
func Holm(ps []float64) []float64 {
	m := len(ps)
	order := make([]int, m)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int { return cmp.Compare(ps[i], ps[j]) })
	adj := make([]float64, m)
	running := 0.0
	for rank, i := range order {
		running = math.Max(running, math.Min(1, float64(m-rank)*ps[i]))
		adj[i] = running
	}
	return adj
}

// AdjustFamily treats comps as one family (every pair of variants on every
// scorer of a report): it sets each comparison's Holm-adjusted p and
// Family size, and words its verdict again from the adjusted p.
func AdjustFamily(comps []Comparison) {
	ps := make([]float64, len(comps))
	for i, c := range comps {
		ps[i] = c.P
	}
	for i, p := range Holm(ps) {
		comps[i].PAdjusted, comps[i].Family = p, len(comps)
		comps[i].Verdict = comps[i].verdict()
	}
}
