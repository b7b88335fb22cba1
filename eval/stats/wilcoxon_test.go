package stats

import (
	"testing"
)

func TestWilcoxonExact(t *testing.T) {
	// R: x <- c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30);
	// y <- c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29);
	// wilcox.test(x, y, paired = TRUE): V = 40, p-value = 0.0390625.
	x := []float64{1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30}
	y := []float64{0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29}
	d := make([]float64, len(x))
	for i := range x {
		d[i] = x[i] - y[i]
	}
	r := Wilcoxon(d)
	if !r.Exact || r.RPlus != 40 || r.RMinus != 5 || r.N != 9 {
		t.Errorf("result %+v", r)
	}
	near(t, "Wilcoxon exact p", r.P, 0.0390625, 1e-12)
	// R: wilcox.test(c(-0.3, 1.2, 0.4, -0.9, 2.1, 0.05, 1.7, -0.6, 0.8, 1.1, 2.6, -0.15), exact = TRUE):
	// V = 61, p = 0.092285156250000069.
	r = Wilcoxon([]float64{-0.3, 1.2, 0.4, -0.9, 2.1, 0.05, 1.7, -0.6, 0.8, 1.1, 2.6, -0.15})
	if !r.Exact || r.RPlus != 61 {
		t.Errorf("result %+v", r)
	}
	near(t, "Wilcoxon exact p", r.P, 0.092285156250000069, 1e-12)
}

// Pitfalls 1 and 2: zeros are dropped before ranking (n is the rest) and
// ties take average ranks with the variance corrected.
func TestWilcoxonZerosAndTies(t *testing.T) {
	// R: wilcox.test(c(0.5, -0.25, 0.5, 0, 1, 0.25, -0.5, 0.75, 0.5, 0, 1, 0.25), correct = TRUE):
	// V = 47.5, p = 0.044720756798576553 (normal approximation; zeros and ties).
	r := Wilcoxon([]float64{0.5, -0.25, 0.5, 0, 1, 0.25, -0.5, 0.75, 0.5, 0, 1, 0.25})
	if r.Exact || r.N != 10 || r.RPlus != 47.5 || r.RMinus != 7.5 {
		t.Errorf("result %+v", r)
	}
	near(t, "Wilcoxon ties p", r.P, 0.044720756798576553, 1e-12)
	// R: wilcox.test(c(rep(0.2, 5), -0.2), correct = TRUE): V = 17.5, p = 0.12943067443790596.
	r = Wilcoxon([]float64{0.2, 0.2, 0.2, 0.2, 0.2, -0.2})
	near(t, "Wilcoxon all tied p", r.P, 0.12943067443790596, 1e-12)
	// A zero among otherwise untied differences also rules out the exact test.
	if r := Wilcoxon([]float64{1, 2, 3, 0}); r.Exact || r.N != 3 {
		t.Errorf("with a zero: %+v", r)
	}
	// All zeros: no test, p = 1, never 0.
	if r := Wilcoxon([]float64{0, 0, 0}); r.N != 0 || r.P != 1 {
		t.Errorf("all zeros: %+v", r)
	}
	if r := Wilcoxon(nil); r.P != 1 {
		t.Errorf("no pairs: %+v", r)
	}
}

// Pitfall 8: differences are rounded before zero tests and ranking.
func TestWilcoxonFloatDifferences(t *testing.T) {
	a := []float64{0.1, 0.2, 0.7, 0.1 + 0.2}
	b := []float64{0.3, 0.4, 0.9, 0.3}
	d := make([]float64, len(a))
	for i := range a {
		d[i] = b[i] - a[i] // 0.19999999999999998, 0.2, 0.20000000000000007, -5.55e-17
	}
	r := Wilcoxon(d)
	if r.N != 3 || r.Exact || r.RPlus != 6 {
		t.Errorf("0.3-0.1, 0.4-0.2 and 0.9-0.7 are one tie, 0.3-(0.1+0.2) is zero: %+v", r)
	}
}

// Pitfall 3 and 5: direction from R+ against R−; a two-sided p is at most 1.
func TestWilcoxonDirectionAndCap(t *testing.T) {
	up := Wilcoxon([]float64{1, 2, 3, 4, 5, 6, 7})
	down := Wilcoxon([]float64{-1, -2, -3, -4, -5, -6, -7})
	if up.RPlus != 28 || down.RPlus != 0 || up.P != down.P {
		t.Errorf("up %+v down %+v", up, down)
	}
	for _, d := range [][]float64{{1}, {-1}, {1, -1}, {1, -2, 3, -4}} {
		if r := Wilcoxon(d); r.P > 1 || r.P <= 0 {
			t.Errorf("Wilcoxon(%v) p = %v", d, r.P)
		}
	}
	if r := Wilcoxon([]float64{1}); r.P != 1 {
		t.Errorf("n = 1: p %v, want 1", r.P)
	}
}

// Pitfall 4: a two-sided exact signed-rank test needs n ≥ 6 to reach
// p < 0.05 (R: wilcox.test(1:5)$p.value = 0.0625, wilcox.test(1:6)$p.value = 0.03125).
func TestWilcoxonNeedsSix(t *testing.T) {
	near(t, "n = 5", Wilcoxon([]float64{1, 2, 3, 4, 5}).P, 0.0625, 1e-12)
	near(t, "n = 6", Wilcoxon([]float64{1, 2, 3, 4, 5, 6}).P, 0.03125, 1e-12)
}
