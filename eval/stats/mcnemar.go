package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// McNemarResult compares paired pass/fail outcomes through the discordant
// pairs: the cases only b passed and the cases only a passed.
type McNemarResult struct {
	BOnly   int     `json:"b_only"`
	AOnly   int     `json:"a_only"`
	PExact  float64 `json:"p_exact"`   // two-sided binomial test of BOnly among BOnly+AOnly, p = 1/2
	Chi2CC  float64 `json:"chi2_cc"`   // Edwards: max(0, |b−c|−1)² / (b+c)
	PChi2CC float64 `json:"p_chi2_cc"` // its chi-square (1 df) survival
}

// McNemar is the exact McNemar test (R: binom.test(bOnly, bOnly+aOnly)),
// with Edwards' continuity-corrected chi-square beside it for display. No
// discordant pairs, or as many each way, give p = 1; the chi-square takes
// max(0, |b−c|−1) so that b = c is 0 (R's mcnemar.test does not clamp).
func McNemar(bOnly, aOnly int) McNemarResult {
	r := McNemarResult{BOnly: bOnly, AOnly: aOnly, PExact: 1, PChi2CC: 1}
	n := bOnly + aOnly
	if n == 0 {
		return r
	}
	r.PExact = binomTwoSided(bOnly, n)
	d := math.Max(0, math.Abs(float64(bOnly-aOnly))-1)
	r.Chi2CC = d * d / float64(n)
	r.PChi2CC = distuv.ChiSquared{K: 1}.Survival(r.Chi2CC)
	return r
}

// SignTestResult counts the cases that moved each way.
type SignTestResult struct {
	Plus  int     `json:"plus"`  // b − a > 0
	Minus int     `json:"minus"` // b − a < 0
	P     float64 `json:"p"`
}

// SignTest is the two-sided sign test of paired differences: zeros are
// dropped, the rest is an exact binomial test (R: binom.test(plus,
// plus+minus)).
func SignTest(diffs []float64) SignTestResult {
	var r SignTestResult
	for _, d := range diffs {
		switch d = round(d); {
		case d > 0:
			r.Plus++
		case d < 0:
			r.Minus++
		}
	}
	r.P = binomTwoSided(r.Plus, r.Plus+r.Minus)
	return r
}
