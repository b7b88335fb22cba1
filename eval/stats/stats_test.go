package stats

import (
	"math"
	"testing"
)

// Reference values in these tests come from R 4.2 (Debian r-base-core),
// computed on the same vectors: the function that produced each is named
// beside it.

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.17g, want %.17g", what, got, want)
	}
}

func TestWilson(t *testing.T) {
	// R: prop.test(k, n, correct = FALSE)$conf.int
	cases := []struct {
		k, n   int
		lo, hi float64
	}{
		{7, 20, 0.18119182410108206, 0.56714572331476365},
		{0, 10, 0, 0.27753279986288915},
		{10, 10, 0.72246720013711085, 1},
		{1, 1, 0.2065493143772375, 1},
		{53, 100, 0.43288856970099365, 0.62489182040658731},
	}
	for _, c := range cases {
		got := Wilson(c.k, c.n)
		near(t, "Wilson low", got.Low, c.lo, 1e-12)
		near(t, "Wilson high", got.High, c.hi, 1e-12)
	}
	if got := Wilson(0, 0); got != (Interval{0, 1}) {
		t.Errorf("no trials: %v, want the whole range", got)
	}
}

func TestMcNemar(t *testing.T) {
	// R: binom.test(b, b + c)$p.value; mcnemar.test(matrix(c(10, c, b, 10), 2)).
	cases := []struct {
		b, c          int
		p, chi2, pchi float64
	}{
		{12, 3, 0.035156250000000014, 4.2666666666666666, 0.038867103812417238},
		{30, 12, 0.0079158973348967352, 6.8809523809523814, 0.0087119129623795828},
		{0, 7, 0.015625000000000007, 5.1428571428571432, 0.023342202012890875},
		{40, 70, 0.0054474295114444772, 7.6454545454545455, 0.005691555284687299},
		{6, 0, 0.031250000000000007, 25.0 / 6, math.NaN()},
		{5, 0, 0.0625, 16.0 / 5, math.NaN()},
	}
	for _, c := range cases {
		r := McNemar(c.b, c.c)
		near(t, "McNemar exact p", r.PExact, c.p, 1e-10)
		near(t, "McNemar chi2", r.Chi2CC, c.chi2, 1e-12)
		if !math.IsNaN(c.pchi) {
			near(t, "McNemar chi2 p", r.PChi2CC, c.pchi, 1e-10)
		}
	}
}

// Pitfall 4: b = c and b + c = 0 give p = 1, never significant.
func TestMcNemarEdges(t *testing.T) {
	for _, bc := range [][2]int{{5, 5}, {0, 0}, {1, 0}, {1, 1}} {
		r := McNemar(bc[0], bc[1])
		if r.PExact != 1 || r.PChi2CC != 1 || r.Chi2CC != 0 {
			t.Errorf("McNemar(%d, %d) = %+v, want p = 1 and chi2 = 0", bc[0], bc[1], r)
		}
	}
}

// Pitfall 7: far tails come from survival functions, not 1 − CDF.
func TestFarTails(t *testing.T) {
	r := McNemar(0, 200)
	near(t, "McNemar(0, 200) p", r.PExact, math.Ldexp(1, -199), 1e-9)
	// R: wilcox.test(((1:60)*37 %% 101) - 40.5, correct = TRUE): V = 1829.
	// (R's %% binds tighter than *: the vector is (1:60)*37 - 40.5.)
	d := make([]float64, 60)
	for i := range d {
		d[i] = float64((i+1)*37) - 40.5
	}
	w := Wilcoxon(d)
	if w.Exact || w.RPlus != 1829 {
		t.Errorf("n = 60: exact %v, R+ %v; want the normal approximation and 1829", w.Exact, w.RPlus)
	}
	near(t, "Wilcoxon n=60 p", w.P, 1.7580439801766057e-11, 1e-8)
}

func TestSignTest(t *testing.T) {
	// R: binom.test(7, 9)$p.value = 0.17968750000000006; zeros are dropped.
	d := []float64{1, 2, 0.5, 3, -1, 0, 4, 0.1, -0.2, 6, 0}
	r := SignTest(d)
	if r.Plus != 7 || r.Minus != 2 {
		t.Errorf("plus %d minus %d", r.Plus, r.Minus)
	}
	near(t, "sign test p", r.P, 0.17968750000000006, 1e-12)
	if r := SignTest([]float64{0, 0}); r.P != 1 {
		t.Errorf("no non-zero difference: %v", r.P)
	}
}

func TestHolm(t *testing.T) {
	// R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm"); p.adjust(c(0.5, 0.2, 0.9), "holm")
	want := []float64{0.03, 0.06, 0.06, 0.02}
	for i, p := range Holm([]float64{0.01, 0.04, 0.03, 0.005}) {
		near(t, "Holm", p, want[i], 1e-12)
	}
	want = []float64{1, 0.6, 1}
	for i, p := range Holm([]float64{0.5, 0.2, 0.9}) {
		near(t, "Holm capped", p, want[i], 1e-12)
	}
	if got := Holm(nil); len(got) != 0 {
		t.Errorf("Holm(nil) = %v", got)
	}
}

func TestSampleSizes(t *testing.T) {
	// R, Connor's formula: (qnorm(0.975)*sqrt(psi) + qnorm(0.8)*sqrt(psi - d^2))^2 / d^2
	// = 233.09 for (0.2, 0.1), 154.60 for (0.15, 0.05), 1724.39 for (0.3, 0.25).
	for _, c := range []struct {
		p10, p01 float64
		n        int
	}{{0.2, 0.1, 234}, {0.15, 0.05, 155}, {0.3, 0.25, 1725}, {0.1, 0.2, 234}} {
		if got := ConnorN(c.p10, c.p01); got != c.n {
			t.Errorf("ConnorN(%v, %v) = %d, want %d", c.p10, c.p01, got, c.n)
		}
	}
	// At least 6 expected discordant pairs: Connor gives 5.51 for (0.9, 0),
	// but 6 cases expect only 5.4 discordant pairs: 7.
	if got := ConnorN(0.9, 0); got != 7 {
		t.Errorf("ConnorN(0.9, 0) = %d, want 7", got)
	}
	// R: power.t.test(delta, sd, power = 0.8, type = "paired", strict = TRUE)$n:
	// 89.149 (0.3, 1), 33.367 (0.5, 1), 127.516 (0.05, 0.2), 4.22 (2, 1: at least 6).
	for _, c := range []struct {
		mean, sd float64
		n        int
	}{{0.3, 1, 90}, {-0.3, 1, 90}, {0.5, 1, 34}, {0.05, 0.2, 128}, {2, 1, 6}, {1, 0, 6}} {
		if got := PairedTN(c.mean, c.sd); got != c.n {
			t.Errorf("PairedTN(%v, %v) = %d, want %d", c.mean, c.sd, got, c.n)
		}
	}
	// Pitfall 11: no finite answer when the observed difference is 0.
	if ConnorN(0.1, 0.1) != NoFinite || ConnorN(0, 0) != NoFinite || PairedTN(0, 1) != NoFinite {
		t.Error("a zero difference needs NoFinite cases")
	}
}
