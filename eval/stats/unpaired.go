package stats

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Unpaired comparisons: two groups of different units (the users of two
// experiment variants), a the baseline and b the challenger. Every
// difference is b − a.

// Proportions compares two rates: ka successes of na against kb of nb.
type Proportions struct {
	RateA float64  `json:"rate_a"`
	RateB float64  `json:"rate_b"`
	Diff  float64  `json:"diff"` // RateB − RateA
	CI    Interval `json:"ci"`   // Wald, unpooled
	Z     float64  `json:"z"`    // pooled two-proportion z
	PZ    float64  `json:"p_z"`
	// PFisher is Fisher's exact test of the 2×2 table, two-sided.
	PFisher float64 `json:"p_fisher"`
	// Test is the test the verdict uses: Fisher's exact when an
	// expected cell count is under 5 (the z test's normal approximation
	// is poor there), else the two-proportion z test.
	Test string  `json:"test"`
	P    float64 `json:"p"`
}

// Test names.
const (
	TestTwoProportion = "two-proportion z"
	TestFisher        = "Fisher exact"
	TestWelch         = "Welch t"
)

// CompareProportions is the two-proportion z test without continuity
// correction (R: prop.test(c(kb, ka), c(nb, na), correct = FALSE): its
// X-squared is z², its conf.int the unpooled Wald interval of the
// difference) and Fisher's exact test (R: fisher.test). An empty group
// gives p = 1 and the interval [−1, 1].
func CompareProportions(ka, na, kb, nb int) Proportions {
	out := Proportions{CI: Interval{-1, 1}, PZ: 1, PFisher: 1, P: 1, Test: TestTwoProportion}
	if na <= 0 || nb <= 0 {
		return out
	}
	pa, pb := float64(ka)/float64(na), float64(kb)/float64(nb)
	out.RateA, out.RateB, out.Diff = pa, pb, pb-pa
	se := math.Sqrt(pa*(1-pa)/float64(na) + pb*(1-pb)/float64(nb))
	out.CI = Interval{math.Max(-1, out.Diff-z975*se), math.Min(1, out.Diff+z975*se)}
	pool := float64(ka+kb) / float64(na+nb)
	if sp := math.Sqrt(pool * (1 - pool) * (1/float64(na) + 1/float64(nb))); sp > 0 {
		out.Z = out.Diff / sp
		out.PZ = normalTwoSided(out.Z)
	}
	out.PFisher = fisherTwoSided(kb, nb-kb, ka, na-ka)
	out.P = out.PZ
	for _, e := range []float64{float64(na) * pool, float64(na) * (1 - pool), float64(nb) * pool, float64(nb) * (1 - pool)} {
		if e < 5 {
			out.Test, out.P = TestFisher, out.PFisher
			break
		}
	}
	return out
}

// fisherTwoSided is Fisher's exact test of [[a, b], [c, d]]: the sum of
// the hypergeometric probabilities of every table with the same margins
// no more likely than the observed one (R's relative tolerance 1e-7).
func fisherTwoSided(a, b, c, d int) float64 {
	r1, c1, n := a+b, a+c, a+b+c+d
	if n == 0 {
		return 1
	}
	logp := func(x int) float64 {
		return lchoose(r1, x) + lchoose(n-r1, c1-x) - lchoose(n, c1)
	}
	obs := logp(a)
	p := 0.0
	for x := max(0, c1-(n-r1)); x <= min(r1, c1); x++ {
		if lx := logp(x); lx <= obs+1e-7 { // R: d <= d_obs * (1 + 1e-7)
			p += math.Exp(lx)
		}
	}
	return math.Min(1, p)
}

func lchoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}

// Means compares the means of two samples.
type Means struct {
	MeanA float64  `json:"mean_a"`
	MeanB float64  `json:"mean_b"`
	Diff  float64  `json:"diff"` // MeanB − MeanA
	CI    Interval `json:"ci"`   // Welch
	T     float64  `json:"t"`
	DF    float64  `json:"df"`
	P     float64  `json:"p"` // Welch's t test, two-sided
	// W and PMannWhitney are the Mann-Whitney (Wilcoxon rank-sum) test:
	// W the rank sum of b less nb(nb+1)/2.
	W            float64 `json:"w"`
	PMannWhitney float64 `json:"p_mann_whitney"`
	SD           float64 `json:"sd"` // pooled standard deviation, for sample sizes
}

// CompareMeans is Welch's two-sample t test (R: t.test(b, a): statistic,
// parameter, p.value, conf.int) and the Mann-Whitney test with the normal
// approximation, average ranks for ties with the tie correction of the
// variance and a continuity correction of 0.5 (R: wilcox.test(b, a,
// exact = FALSE, correct = TRUE)). Groups of fewer than two values give
// p = 1 and the interval [Diff, Diff].
func CompareMeans(a, b []float64) Means {
	ma, va := meanVar(a)
	mb, vb := meanVar(b)
	out := Means{MeanA: ma, MeanB: mb, Diff: mb - ma, P: 1, PMannWhitney: 1}
	out.CI = Interval{out.Diff, out.Diff}
	out.SD = math.Sqrt((va + vb) / 2)
	if len(a) < 2 || len(b) < 2 {
		return out
	}
	sa, sb := va/float64(len(a)), vb/float64(len(b))
	se := math.Sqrt(sa + sb)
	if se == 0 {
		if out.Diff != 0 {
			out.P = 0
		}
	} else {
		out.T = out.Diff / se
		out.DF = (sa + sb) * (sa + sb) / (sa*sa/float64(len(a)-1) + sb*sb/float64(len(b)-1))
		t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: out.DF}
		out.P = math.Min(1, 2*t.Survival(math.Abs(out.T)))
		q := t.Quantile(1 - Alpha/2)
		out.CI = Interval{out.Diff - q*se, out.Diff + q*se}
	}
	out.W, out.PMannWhitney = mannWhitney(a, b)
	return out
}

func meanVar(x []float64) (mean, variance float64) {
	if len(x) == 0 {
		return 0, 0
	}
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	if len(x) < 2 {
		return mean, 0
	}
	for _, v := range x {
		variance += (v - mean) * (v - mean)
	}
	return mean, variance / float64(len(x)-1)
}

// mannWhitney ranks a and b together (average ranks for ties) and tests
// b's rank sum with the normal approximation.
func mannWhitney(a, b []float64) (w, p float64) {
	type obs struct {
		v   float64
		inB bool
	}
	all := make([]obs, 0, len(a)+len(b))
	for _, v := range a {
		all = append(all, obs{round(v), false})
	}
	for _, v := range b {
		all = append(all, obs{round(v), true})
	}
	slices.SortFunc(all, func(x, y obs) int {
		switch {
		case x.v < y.v:
			return -1
		case x.v > y.v:
			return 1
		}
		return 0
	})
	n := float64(len(all))
	rb, ties := 0.0, 0.0
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].v == all[i].v {
			j++
		}
		rank := float64(i+j+1) / 2 // ranks i+1 … j, averaged
		for k := i; k < j; k++ {
			if all[k].inB {
				rb += rank
			}
		}
		t := float64(j - i)
		ties += t*t*t - t
		i = j
	}
	na, nb := float64(len(a)), float64(len(b))
	w = rb - nb*(nb+1)/2
	mu := na * nb / 2
	sigma := math.Sqrt(na * nb / 12 * ((n + 1) - ties/(n*(n-1))))
	if sigma == 0 {
		return w, 1
	}
	d := w - mu
	correction := 0.0
	if d > 0 {
		correction = 0.5
	} else if d < 0 {
		correction = -0.5
	}
	return w, normalTwoSided((d - correction) / sigma)
}

// MeanInterval is the t interval of a sample's mean (R: t.test(x)$conf.int);
// fewer than two values give [mean, mean].
func MeanInterval(x []float64) (float64, Interval) {
	m, v := meanVar(x)
	if len(x) < 2 {
		return m, Interval{m, m}
	}
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(x) - 1)}.Quantile(1 - Alpha/2)
	h := q * math.Sqrt(v/float64(len(x)))
	return m, Interval{m - h, m + h}
}

// SampleRatio tests observed counts against the shares weights give them
// (R: chisq.test(observed, p = weights / sum(weights))): the chi-square
// statistic and its p. No observations, or a variant with weight 0 that
// has some, are handled: the former gives p = 1, the latter p = 0.
func SampleRatio(observed []int, weights []float64) (chi2, p float64) {
	total, wsum := 0.0, 0.0
	for i := range observed {
		total += float64(observed[i])
		wsum += weights[i]
	}
	if total == 0 || wsum == 0 {
		return 0, 1
	}
	k := 0
	for i, o := range observed {
		e := total * weights[i] / wsum
		if e == 0 {
			if o > 0 {
				return math.Inf(1), 0
			}
			continue
		}
		k++
		chi2 += (float64(o) - e) * (float64(o) - e) / e
	}
	if k < 2 {
		return chi2, 1
	}
	return chi2, distuv.ChiSquared{K: float64(k - 1)}.Survival(chi2)
}

// TwoProportionN is the number of units per group a two-sided
// two-proportion test at 0.05 needs for 80% power to detect rates pa
// against pb (R: power.prop.test(p1 = pa, p2 = pb, power = 0.8)$n,
// rounded up). Equal rates give NoFinite.
func TwoProportionN(pa, pb float64) int {
	d := math.Abs(pb - pa)
	if d == 0 || math.IsNaN(d) {
		return NoFinite
	}
	qa, qb := 1-pa, 1-pb
	root := z975*math.Sqrt((pa+pb)*(qa+qb)/2) + zPower*math.Sqrt(pa*qa+pb*qb)
	return int(math.Ceil(root * root / (d * d)))
}

// TwoSampleTN is the number of units per group a two-sided two-sample t
// test at 0.05 needs for 80% power against a difference of means diff
// with standard deviation sd (R: power.t.test(delta = diff, sd = sd,
// power = 0.8)$n, rounded up: noncentral t with 2(n−1) degrees of
// freedom, the far tail ignored as R's strict = FALSE does), at least 2.
// diff = 0 gives NoFinite.
func TwoSampleTN(diff, sd float64) int {
	if diff == 0 || math.IsNaN(diff) {
		return NoFinite
	}
	if sd == 0 {
		return 2
	}
	effect := math.Abs(diff) / sd
	power := func(n int) float64 {
		nu := 2 * float64(n-1)
		crit := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: nu}.Quantile(1 - Alpha/2)
		return 1 - distuv.NoncentralT{Nu: nu, Mu: effect * math.Sqrt(float64(n)/2)}.CDF(crit)
	}
	guess := 2 * math.Pow((z975+zPower)/effect, 2)
	if guess > 1e7 {
		return int(math.Ceil(guess))
	}
	lo := max(2, int(guess)-1)
	hi := lo
	for power(hi) < Power {
		lo = hi
		hi *= 2
	}
	for lo < hi {
		mid := (lo + hi) / 2
		if power(mid) >= Power {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return hi
}
