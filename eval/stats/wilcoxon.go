package stats

import (
	"math"
	"slices"
)

// WilcoxonResult is a Wilcoxon signed-rank test of paired differences.
type WilcoxonResult struct {
	N      int     `json:"n"`      // non-zero differences: the ones ranked
	RPlus  float64 `json:"r_plus"` // sum of the ranks of positive differences
	RMinus float64 `json:"r_minus"`
	P      float64 `json:"p"`
	Exact  bool    `json:"exact"`       // exact distribution, else normal approximation
	Z      float64 `json:"z,omitempty"` // the normal approximation's z
}

// maxExactN is the largest n the exact signed-rank distribution is used
// for; its counts stay exact in a float64 (2^50 < 2^53).
const maxExactN = 50

// Wilcoxon is the two-sided Wilcoxon signed-rank test of diffs (b − a),
// as R's wilcox.test(b, a, paired = TRUE) computes it. Differences are
// rounded to 1e-9, zeros dropped (n counts the rest); ties get average
// ranks. Exact when n ≤ 50 with no ties and no zeros; else the normal
// approximation with the tie correction Σ(t³−t)/48 to the variance and a
// continuity correction of 0.5 towards the mean. All zeros: no test, p = 1.
func Wilcoxon(diffs []float64) WilcoxonResult {
	type obs struct{ abs, sign float64 }
	var nz []obs
	zeros := false
	for _, d := range diffs {
		d = round(d)
		if d == 0 {
			zeros = true
			continue
		}
		nz = append(nz, obs{math.Abs(d), math.Copysign(1, d)})
	}
	n := len(nz)
	r := WilcoxonResult{N: n, P: 1}
	if n == 0 {
		return r
	}
	slices.SortFunc(nz, func(a, b obs) int {
		switch {
		case a.abs < b.abs:
			return -1
		case a.abs > b.abs:
			return 1
		}
		return 0
	})
	ties := false
	tieSum := 0.0 // Σ(t³ − t) over tie groups
	for i := 0; i < n; {
		j := i
		for j < n && nz[j].abs == nz[i].abs {
			j++
		}
		rank := float64(i+j+1) / 2 // average of ranks i+1..j
		for k := i; k < j; k++ {
			if nz[k].sign > 0 {
				r.RPlus += rank
			}
		}
		if t := float64(j - i); t > 1 {
			ties = true
			tieSum += t*t*t - t
		}
		i = j
	}
	nf := float64(n)
	r.RMinus = nf*(nf+1)/2 - r.RPlus
	if n <= maxExactN && !ties && !zeros {
		r.Exact = true
		r.P = signedRankExactP(n, int(r.RPlus))
		return r
	}
	mean := nf * (nf + 1) / 4
	sd := math.Sqrt(nf*(nf+1)*(2*nf+1)/24 - tieSum/48)
	z := r.RPlus - mean
	z -= math.Copysign(0.5, z) * sign0(z)
	r.Z = z / sd
	r.P = normalTwoSided(r.Z)
	return r
}

func sign0(x float64) float64 {
	if x == 0 {
		return 0
	}
	return 1
}

// signedRankExactP is 2·min(P(V ≤ v), P(V ≥ v)), at most 1, for V the
// signed-rank statistic of n untied ranks: the count of subsets of
// {1..n} with each sum, over 2^n.
func signedRankExactP(n, v int) float64 {
	top := n * (n + 1) / 2
	counts := make([]float64, top+1)
	counts[0] = 1
	for k := 1; k <= n; k++ {
		for s := top; s >= k; s-- {
			counts[s] += counts[s-k]
		}
	}
	var below, above float64
	for s, c := range counts {
		if s <= v {
			below += c
		}
		if s >= v {
			above += c
		}
	}
	total := math.Ldexp(1, n)
	return math.Min(1, 2*math.Min(below, above)/total)
}
