package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Power is the power a sample size is computed for: 80% at Alpha 0.05.
const Power = 0.8

// zPower is the standard normal quantile of Power.
const zPower = 0.8416212335729143

// NoFinite is the sample size when no number of cases would do: the
// observed difference is 0.
const NoFinite = -1

// minExact is the fewest pairs (McNemar: discordant pairs; Wilcoxon:
// non-zero differences) with which an exact two-sided test can reach
// p < 0.05: 2·2^-6 = 0.031, while 2·2^-5 = 0.0625.
const minExact = 6

// ConnorN is the number of paired cases McNemar's test needs to detect the
// observed difference with 80% power at 0.05 two-sided (Connor, 1987,
// Biometrics 43:207–211), from the discordant proportions p10 (only b
// passed) and p01 (only a passed):
//
//	n = (z₀.₉₇₅·√ψ + z₀.₈·√(ψ − δ²))² / δ²,  ψ = p10 + p01,  δ = p10 − p01,
//
// rounded up, and at least enough cases to expect 6 discordant pairs.
// δ = 0 gives NoFinite.
func ConnorN(p10, p01 float64) int {
	psi, delta := p10+p01, p10-p01
	if delta == 0 || psi <= 0 {
		return NoFinite
	}
	root := z975*math.Sqrt(psi) + zPower*math.Sqrt(math.Max(0, psi-delta*delta))
	n := math.Ceil(root * root / (delta * delta))
	return int(math.Max(n, math.Ceil(minExact/psi)))
}

// PairedTN is the number of pairs a two-sided paired t-test at 0.05 needs
// for 80% power against a mean difference of mean with standard deviation
// sd of the differences: the least n with P(|T| > t₀.₉₇₅,n−1) ≥ 0.8 for T
// noncentral t with n−1 degrees of freedom and noncentrality mean·√n/sd
// (R: power.t.test(delta, sd, power = 0.8, type = "paired", strict =
// TRUE), rounded up), and at least 6, which a two-sided exact signed-rank
// test needs. mean = 0 gives NoFinite; sd = 0 with mean ≠ 0 gives 6.
func PairedTN(mean, sd float64) int {
	if mean == 0 || math.IsNaN(mean) {
		return NoFinite
	}
	if sd == 0 {
		return minExact
	}
	effect := math.Abs(mean) / sd
	power := func(n int) float64 {
		nu := float64(n - 1)
		crit := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: nu}.Quantile(1 - Alpha/2)
		nct := distuv.NoncentralT{Nu: nu, Mu: effect * math.Sqrt(float64(n))}
		return (1 - nct.CDF(crit)) + nct.CDF(-crit)
	}
	// The normal approximation is a lower bound: search up from it.
	guess := math.Pow((z975+zPower)/effect, 2)
	if guess > 1e7 {
		return int(math.Ceil(guess))
	}
	lo := max(2, int(guess))
	hi := lo
	for power(hi) < Power {
		lo = hi
		hi *= 2
	}
	for lo < hi { // least n in [lo, hi] with enough power
		mid := (lo + hi) / 2
		if power(mid) >= Power {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return max(hi, minExact)
}
