package stats

import (
	"math"
	"testing"
)

func TestPermutationExact(t *testing.T) {
	// R: d <- c(0.5, -0.2, 0.9, 0.3, 0.3, -0.1, 0.8, 0.4);
	// s <- as.matrix(expand.grid(rep(list(c(-1, 1)), 8))); mean(abs(s %*% d) >= abs(sum(d)) - 1e-9)
	// = 0.046875.
	r := Permutation([]float64{0.5, -0.2, 0.9, 0.3, 0.3, -0.1, 0.8, 0.4, 0}, 1, 0)
	if !r.Exact {
		t.Error("8 non-zero differences are enumerated")
	}
	near(t, "permutation p", r.P, 0.046875, 1e-12)
	// Pitfall 6: flips that tie the observed |T| count. The same R code on
	// c(1, -1, 1, -1, 2) gives 0.75; a strict > would give 0.5.
	near(t, "permutation p with ties", Permutation([]float64{1, -1, 1, -1, 2}, 1, 0).P, 0.75, 1e-12)
	if r := Permutation([]float64{0, 0}, 1, 0); r.P != 1 {
		t.Errorf("all zeros: %+v", r)
	}
}

func TestPermutationMonteCarlo(t *testing.T) {
	d := make([]float64, 30)
	for i := range d {
		d[i] = float64(i%7) - 2.5 // mean 0.33: a weak shift
	}
	a := Permutation(d, 7, 2000)
	b := Permutation(d, 7, 2000)
	if a.Exact || a.Resamples != 2000 || a != b {
		t.Errorf("seeded Monte Carlo must repeat: %+v %+v", a, b)
	}
	// Never 0: p = (hits + 1)/(R + 1).
	strong := make([]float64, 30)
	for i := range strong {
		strong[i] = 1 + float64(i)/10
	}
	if p := Permutation(strong, 1, 999).P; p != 1.0/1000 {
		t.Errorf("every difference positive: p = %v, want 1/1000", p)
	}
}

func TestQuantile7(t *testing.T) {
	// R: quantile(c(3.1, -1, 0.5, 2.2, 7, 0, 1.25, 4.4, -2.5, 0.75, 5.5), c(0.025, 0.975, 0.5, 0.1), type = 7)
	// = -2.125 6.625 1.25 -1
	x := []float64{-2.5, -1, 0, 0.5, 0.75, 1.25, 2.2, 3.1, 4.4, 5.5, 7}
	for i, q := range []float64{0.025, 0.975, 0.5, 0.1} {
		near(t, "Quantile7", Quantile7(x, q), []float64{-2.125, 6.625, 1.25, -1}[i], 1e-12)
	}
	if Quantile7(nil, 0.5) != 0 || Quantile7([]float64{3}, 0.975) != 3 {
		t.Error("short inputs")
	}
}

func TestBootstrap(t *testing.T) {
	d := []float64{0.5, -0.2, 0.9, 0.3, 0.3, -0.1, 0.8, 0.4, 0, 0.2}
	a, b := Bootstrap(d, 3, 0), Bootstrap(d, 3, 0)
	if a != b {
		t.Errorf("seeded bootstrap must repeat: %v %v", a, b)
	}
	if !(a.Low < 0.31 && 0.31 < a.High) || a.Low < -0.2 || a.High > 0.9 {
		t.Errorf("interval %v must hold the mean 0.31 inside the data's range", a)
	}
	if c := Bootstrap(d, 4, 0); c == a {
		t.Error("another seed, another resampling")
	}
	if got := Bootstrap([]float64{0.4}, 1, 0); got != (Interval{0.4, 0.4}) {
		t.Errorf("one pair: %v", got)
	}
	if got := Bootstrap([]float64{0.2, 0.2, 0.2}, 1, 0); got != (Interval{0.2, 0.2}) {
		t.Errorf("all equal: %v", got)
	}
	if got := Bootstrap(nil, 1, 0); got != (Interval{}) {
		t.Errorf("no pairs: %v", got)
	}
}

// Above 20 differences of one size (pass/fail), the permutation p is the
// sign test's, exactly.
func TestPermutationOneSize(t *testing.T) {
	var d []float64
	for i := range 30 {
		d = append(d, map[bool]float64{true: 1, false: -1}[i < 22])
	}
	r := Permutation(d, 1, 0)
	if !r.Exact || r.P != SignTest(d).P {
		t.Errorf("%+v, want the exact sign test p %v", r, SignTest(d).P)
	}
}

// The group-wise Monte Carlo (a binomial count of flips per size) agrees
// with full enumeration.
func TestPermutationGroupwise(t *testing.T) {
	sizes := []float64{0.1, -0.2, 0.5, 0.1, 0.2, -0.5, 0.1, 0.1}
	var d []float64
	for i := range 24 {
		d = append(d, sizes[i%len(sizes)]*map[bool]float64{true: 1, false: -1}[i%5 != 0])
	}
	sum, abs := 0.0, 0.0
	for _, x := range d {
		sum += x
		abs += math.Abs(x)
	}
	exact := enumerateFlips(d, math.Abs(sum)-1e-9*abs)
	mc := Permutation(d, 11, 20_000)
	if mc.Exact || math.Abs(mc.P-exact) > 0.01 {
		t.Errorf("Monte Carlo p %v, enumeration %v", mc.P, exact)
	}
}

// The multinomial bootstrap of 0/1 differences matches the normal theory
// of a proportion: mean 0.25 over 400 pairs, sd of the mean 0.0217.
func TestBootstrapGroupwise(t *testing.T) {
	d := make([]float64, 400)
	for i := range d {
		if i%4 == 0 {
			d[i] = 1
		}
	}
	got := Bootstrap(d, 1, 20_000)
	se := math.Sqrt(0.25 * 0.75 / 400)
	near(t, "low", got.Low, 0.25-z975*se, 0.006)
	near(t, "high", got.High, 0.25+z975*se, 0.006)
}
