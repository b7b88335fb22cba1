package stats

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
)

// PermutationResult is a paired sign-flip permutation test of the mean
// difference.
type PermutationResult struct {
	P         float64 `json:"p"`
	Exact     bool    `json:"exact"`               // all 2^k sign flips enumerated
	Resamples int     `json:"resamples,omitempty"` // Monte Carlo flips when not exact
}

// maxExactFlips is the largest number of non-zero differences whose 2^k
// sign flips are all enumerated (about a million).
const maxExactFlips = 20

// The Monte Carlo sizes of the permutation test and of the bootstrap.
const (
	DefaultPermutations = 10_000
	DefaultBootstrap    = 2_000
)

// Permutation tests whether the mean of diffs differs from 0 by flipping
// signs: under no difference each pair's b − a is as likely negated. The
// statistic is the sum of the non-zero differences (the mean, scaled);
// the p counts flips with |T*| ≥ |T| within a relative 1e-9, so ties with
// the observed value count. k ≤ 20 non-zero differences: all 2^k flips,
// exact. Above: `resamples` random flips from PCG(seed, seed) and
// p = (hits + 1)/(resamples + 1). No non-zero difference: p = 1.
func Permutation(diffs []float64, seed uint64, resamples int) PermutationResult {
	var d []float64
	sumAbs, obs := 0.0, 0.0
	for _, x := range diffs {
		if x = round(x); x != 0 {
			d = append(d, x)
			sumAbs += math.Abs(x)
			obs += x
		}
	}
	k := len(d)
	if k == 0 {
		return PermutationResult{P: 1, Exact: true}
	}
	limit := math.Abs(obs) - 1e-9*sumAbs
	if k <= maxExactFlips {
		// Gray code: each step flips one sign, so T moves by ±2·d[j].
		hits, t := 0, 0.0
		for _, x := range d {
			t += x
		}
		signs := make([]float64, k)
		for i := range signs {
			signs[i] = 1
		}
		total := 1 << k
		for i := 0; i < total; i++ {
			if i > 0 {
				j := bits.TrailingZeros(uint(i))
				signs[j] = -signs[j]
				t += 2 * signs[j] * d[j]
			}
			if math.Abs(t) >= limit {
				hits++
			}
		}
		return PermutationResult{P: math.Min(1, float64(hits)/float64(total)), Exact: true}
	}
	if resamples <= 0 {
		resamples = DefaultPermutations
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	hits := 0
	for range resamples {
		t := 0.0
		var word uint64
		for i, x := range d {
			if i%64 == 0 {
				word = rng.Uint64()
			}
			if word&(1<<(i%64)) != 0 {
				t -= x
			} else {
				t += x
			}
		}
		if math.Abs(t) >= limit {
			hits++
		}
	}
	return PermutationResult{P: math.Min(1, float64(hits+1)/float64(resamples+1)), Resamples: resamples}
}

// Bootstrap is the percentile bootstrap 95% interval of the mean of diffs:
// `resamples` resamples of the pairs (one index vector, drawn from
// PCG(seed, seed)), the 2.5% and 97.5% quantiles of their means by
// numpy/R type 7. One pair, or none, gives the interval [mean, mean].
func Bootstrap(diffs []float64, seed uint64, resamples int) Interval {
	n := len(diffs)
	if n == 0 {
		return Interval{}
	}
	if n == 1 {
		return Interval{diffs[0], diffs[0]}
	}
	if resamples <= 0 {
		resamples = DefaultBootstrap
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	means := make([]float64, resamples)
	for r := range means {
		s := 0.0
		for range n {
			s += diffs[rng.IntN(n)]
		}
		means[r] = round(s / float64(n))
	}
	slices.Sort(means)
	return Interval{Quantile7(means, Alpha/2), Quantile7(means, 1-Alpha/2)}
}

// Quantile7 is the q quantile of sorted x by the rule numpy and R use by
// default (type 7): h = (len−1)·q, interpolating between neighbours.
func Quantile7(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	h := float64(len(sorted)-1) * q
	lo := int(math.Floor(h))
	if lo+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}
