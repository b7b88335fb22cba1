// Package stats holds the statistics of an evaluation report: intervals
// for rates and paired comparisons of two variants over the same cases.
// Every function is defined on degenerate input (no cases, one case, all
// differences zero): it returns a number, never NaN, and never panics.
// The methods and the pitfalls they avoid are in the README's
// "Evaluation (building blocks)" section.
package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Alpha is the significance level of every verdict: 95% intervals, p < 0.05.
const Alpha = 0.05

// z975 is the 0.975 quantile of the standard normal.
const z975 = 1.959963984540054

// precision: paired differences are rounded to 1/precision = 1e-9 before they are
// tested for zero or ranked, so that 0.3-0.1 and 0.2 are the same number.
const precision = 1e9

// round divides by a power of ten last, so round(0.15) is 0.15, not
// 0.15000000000000002.
func round(x float64) float64 { return math.Round(x*precision) / precision }

// Interval is a 95% confidence interval.
type Interval struct {
	Low  float64 `json:"ci_low"`
	High float64 `json:"ci_high"`
}

// Wilson is the Wilson score 95% interval of k successes in n trials (no
// continuity correction; R's prop.test(k, n, correct = FALSE)). With no
// trials it is the whole range [0, 1].
func Wilson(k, n int) Interval {
	if n <= 0 {
		return Interval{0, 1}
	}
	p := float64(k) / float64(n)
	nf := float64(n)
	z2 := z975 * z975
	denom := 1 + z2/nf
	centre := (p + z2/(2*nf)) / denom
	half := z975 * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / denom
	return Interval{math.Max(0, centre-half), math.Min(1, centre+half)}
}

// binomTwoSided is the exact two-sided p of k successes (or fewer) out of
// n fair coin flips: 2·P(X ≤ min(k, n−k)), at most 1. n = 0 gives 1.
func binomTwoSided(k, n int) float64 {
	if n == 0 {
		return 1
	}
	k = min(k, n-k)
	p := 2 * distuv.Binomial{N: float64(n), P: 0.5}.CDF(float64(k))
	return math.Min(1, p)
}

// normalTwoSided is 2·P(Z ≥ |z|), from the survival function.
func normalTwoSided(z float64) float64 {
	return math.Min(1, math.Erfc(math.Abs(z)/math.Sqrt2))
}
