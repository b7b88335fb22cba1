package stats

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
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
// the observed value count. No non-zero difference: p = 1.
//
//   - k ≤ 20 non-zero differences: all 2^k flips, exact.
//   - All non-zero differences of one size (pass/fail scores): the number
//     of positive signs is binomial, so the exact p is the sign test's.
//   - Otherwise `resamples` random flips from PCG(seed, seed), and
//     p = (hits + 1)/(resamples + 1). With at most 256 distinct sizes the
//     flips of each size are drawn as one binomial count, the same
//     distribution for far less work; with more, resamples = 0 means
//     10,000 or as many as keep resamples × k within 5·10^7, at least 2,000.
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
		return PermutationResult{P: enumerateFlips(d, limit), Exact: true}
	}
	sizes, counts := distinct(d, math.Abs)
	if len(sizes) == 1 {
		st := SignTest(d)
		return PermutationResult{P: st.P, Exact: true}
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	if resamples <= 0 {
		resamples = DefaultPermutations
		if len(sizes) > maxGroups {
			resamples = min(resamples, max(2000, permutationBudget/k))
		}
	}
	hits := 0
	for range resamples {
		t := 0.0
		if len(sizes) <= maxGroups {
			for g, v := range sizes {
				x := distuv.Binomial{N: float64(counts[g]), P: 0.5, Src: rng}.Rand()
				t += v * (2*x - float64(counts[g]))
			}
		} else {
			t = flipOnce(d, rng)
		}
		if math.Abs(t) >= limit {
			hits++
		}
	}
	return PermutationResult{P: math.Min(1, float64(hits+1)/float64(resamples+1)), Resamples: resamples}
}

// permutationBudget bounds resamples × differences of a default Monte
// Carlo permutation test over many distinct sizes: about a second.
const permutationBudget = 50_000_000

// maxGroups is the most distinct values drawn group-wise (binomial or
// multinomial counts) instead of element by element.
const maxGroups = 256

// enumerateFlips is the share of all 2^k sign flips of d with |T| ≥ limit.
// A Gray code flips one sign a step, so T moves by ±2·d[j].
func enumerateFlips(d []float64, limit float64) float64 {
	k := len(d)
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
	return math.Min(1, float64(hits)/float64(total))
}

// flipOnce is T for one random sign flip of every element of d.
func flipOnce(d []float64, rng *rand.Rand) float64 {
	t := 0.0
	var word uint64
	for i, x := range d {
		if i%64 == 0 {
			word = rng.Uint64()
		}
		// Branch-free: a random sign mispredicts half the branches.
		t += x * float64(1-2*int64(word>>(i%64)&1))
	}
	return t
}

// distinct returns the distinct values of key(x) over xs, sorted, and how
// often each occurs; it stops counting past maxGroups+1 values.
func distinct(xs []float64, key func(float64) float64) ([]float64, []int) {
	idx := map[float64]int{}
	var vals []float64
	var counts []int
	for _, x := range xs {
		v := key(x)
		i, ok := idx[v]
		if !ok {
			if len(vals) > maxGroups {
				return vals, counts
			}
			i = len(vals)
			idx[v] = i
			vals = append(vals, v)
			counts = append(counts, 0)
		}
		counts[i]++
	}
	return vals, counts
}

// Bootstrap is the percentile bootstrap 95% interval of the mean of diffs:
// `resamples` resamples of the pairs (one index vector, drawn from
// PCG(seed, seed)), the 2.5% and 97.5% quantiles of their means by
// numpy/R type 7. One pair, or none, gives the interval [mean, mean]. With
// at most 256 distinct differences (pass/fail scores have three) a
// resample is drawn as multinomial counts of each value, the same
// distribution as drawing n indices, in time that does not grow with n.
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
	vals, counts := distinct(diffs, func(x float64) float64 { return x })
	for r := range means {
		s := 0.0
		if len(vals) <= maxGroups {
			// The resample's mean depends only on how often each value
			// is drawn: multinomial counts, drawn as conditional binomials.
			left, leftCount := n, n
			for g, v := range vals {
				x := left
				if g < len(vals)-1 {
					x = int(distuv.Binomial{N: float64(left), P: float64(counts[g]) / float64(leftCount), Src: rng}.Rand())
				}
				s += v * float64(x)
				left -= x
				leftCount -= counts[g]
			}
		} else {
			for range n {
				s += diffs[rng.IntN(n)]
			}
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
