package stats

import (
	"math"
	"testing"
)

func closeTo(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.15g, want %.15g (R)", what, got, want)
	}
}

func TestCompareProportionsMatchesR(t *testing.T) {
	// R: prop.test(c(130, 100), c(1000, 1000), correct = FALSE):
	// p.value 0.035488450466474711, conf.int 0.0020679344393763725
	// 0.0579320655606236218, sqrt(statistic) 2.1027406056221145.
	// R: fisher.test(matrix(c(130, 870, 100, 900), 2))$p.value = 0.041904548383735106.
	p := CompareProportions(100, 1000, 130, 1000)
	closeTo(t, "diff", p.Diff, 0.03, 1e-12)
	closeTo(t, "p_z", p.PZ, 0.035488450466474711, 1e-12)
	closeTo(t, "ci.low", p.CI.Low, 0.0020679344393763725, 1e-12)
	closeTo(t, "ci.high", p.CI.High, 0.0579320655606236218, 1e-12)
	closeTo(t, "z", p.Z, 2.1027406056221145, 1e-12)
	closeTo(t, "p_fisher", p.PFisher, 0.041904548383735106, 1e-9)
	if p.Test != TestTwoProportion || p.P != p.PZ {
		t.Errorf("large counts use %s", p.Test)
	}
	// R: fisher.test(matrix(c(3, 7, 0, 10), 2))$p.value = 0.21052631578947356
	small := CompareProportions(0, 10, 3, 10)
	closeTo(t, "small p_fisher", small.PFisher, 0.21052631578947356, 1e-12)
	if small.Test != TestFisher || small.P != small.PFisher {
		t.Errorf("expected counts under 5 use %s", small.Test)
	}
	// R: fisher.test(matrix(c(3, 1, 1, 3), 2))$p.value = 0.48571428571428582
	closeTo(t, "ties p_fisher", fisherTwoSided(3, 1, 1, 3), 0.48571428571428582, 1e-12)
	if e := CompareProportions(0, 0, 3, 10); e.P != 1 {
		t.Errorf("an empty group: p = %v", e.P)
	}
}

func TestCompareMeansMatchesR(t *testing.T) {
	a := []float64{3.1, 2.4, 5.0, 4.2, 3.3, 2.8, 4.1}
	b := []float64{4.0, 5.5, 3.9, 6.1, 4.8, 5.2}
	// R: t.test(b, a): t 2.7629715102853885, df 10.862591036110217,
	// p.value 0.018653631311348659, conf.int 0.27485234312926043 2.44419527591835939.
	// R: wilcox.test(b, a, exact = FALSE, correct = TRUE): W 35, p 0.053784088862398299.
	m := CompareMeans(a, b)
	closeTo(t, "t", m.T, 2.7629715102853885, 1e-12)
	closeTo(t, "df", m.DF, 10.862591036110217, 1e-9)
	closeTo(t, "p", m.P, 0.018653631311348659, 1e-9)
	closeTo(t, "ci.low", m.CI.Low, 0.27485234312926043, 1e-9)
	closeTo(t, "ci.high", m.CI.High, 2.44419527591835939, 1e-9)
	closeTo(t, "W", m.W, 35, 0)
	closeTo(t, "p_mann_whitney", m.PMannWhitney, 0.053784088862398299, 1e-12)
	// With ties. R: wilcox.test(c(2,3,3,4,4,5), c(1,2,2,3,3,3,4), exact = FALSE,
	// correct = TRUE): W 31, p 0.15778541051796496.
	tied := CompareMeans([]float64{1, 2, 2, 3, 3, 3, 4}, []float64{2, 3, 3, 4, 4, 5})
	closeTo(t, "tied W", tied.W, 31, 0)
	closeTo(t, "tied p", tied.PMannWhitney, 0.15778541051796496, 1e-12)
	// R: t.test(c(3.1, 2.4, 5.0, 4.2, 3.3, 2.8, 4.1))$conf.int = 2.7148100181226216 4.3994756961630923
	_, ci := MeanInterval(a)
	closeTo(t, "mean ci.low", ci.Low, 2.7148100181226216, 1e-9)
	closeTo(t, "mean ci.high", ci.High, 4.3994756961630923, 1e-9)
	for _, c := range [][2][]float64{{{1}, {2, 3}}, {{}, {}}, {{2, 2}, {2, 2}}, {{1, 1}, {2, 2}}} {
		m := CompareMeans(c[0], c[1])
		if math.IsNaN(m.P) || math.IsNaN(m.PMannWhitney) || math.IsNaN(m.CI.Low) {
			t.Errorf("CompareMeans(%v, %v) = %+v", c[0], c[1], m)
		}
	}
}

func TestSampleRatioMatchesR(t *testing.T) {
	// R: chisq.test(c(905, 95), p = c(0.9, 0.1)): X-squared 0.27777777777777779, p 0.59816145268352816.
	chi, p := SampleRatio([]int{905, 95}, []float64{90, 10})
	closeTo(t, "chi2", chi, 0.27777777777777779, 1e-12)
	closeTo(t, "p", p, 0.59816145268352816, 1e-12)
	// R: chisq.test(c(500, 430, 70), p = c(0.5, 0.4, 0.1))$p.value = 0.0036065631360157305
	_, p = SampleRatio([]int{500, 430, 70}, []float64{50, 40, 10})
	closeTo(t, "p3", p, 0.0036065631360157305, 1e-12)
	if _, p := SampleRatio([]int{0, 0}, []float64{50, 50}); p != 1 {
		t.Errorf("no observations: p = %v", p)
	}
}

func TestSampleSizesMatchR(t *testing.T) {
	// R: power.prop.test(p1 = 0.10, p2 = 0.12, power = 0.8)$n = 3840.8474824344462
	// R: power.prop.test(p1 = 0.5, p2 = 0.55, power = 0.8)$n = 1564.672052766198
	if n := TwoProportionN(0.10, 0.12); n != 3841 {
		t.Errorf("TwoProportionN(0.10, 0.12) = %d, want 3841", n)
	}
	if n := TwoProportionN(0.5, 0.55); n != 1565 {
		t.Errorf("TwoProportionN(0.5, 0.55) = %d, want 1565", n)
	}
	// R: power.t.test(delta = 0.3, sd = 1.2, power = 0.8)$n = 252.12811612265807
	// R: power.t.test(delta = 1, sd = 1, power = 0.8)$n = 16.714768142328293
	if n := TwoSampleTN(0.3, 1.2); n != 253 {
		t.Errorf("TwoSampleTN(0.3, 1.2) = %d, want 253", n)
	}
	if n := TwoSampleTN(1, 1); n != 17 {
		t.Errorf("TwoSampleTN(1, 1) = %d, want 17", n)
	}
	if TwoProportionN(0.2, 0.2) != NoFinite || TwoSampleTN(0, 1) != NoFinite {
		t.Error("no difference must have no finite sample size")
	}
}
