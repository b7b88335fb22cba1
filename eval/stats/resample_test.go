package stats

import (
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
