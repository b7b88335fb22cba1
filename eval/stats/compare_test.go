package stats

import (
	"encoding/json"
	"strings"
	"testing"
)

// pairs builds paired pass/fail outcomes: bb both pass, bOnly, aOnly, none.
func pairs(bb, bOnly, aOnly, none int) (a, b []bool) {
	add := func(n int, x, y bool) {
		for range n {
			a, b = append(a, x), append(b, y)
		}
	}
	add(bb, true, true)
	add(bOnly, false, true)
	add(aOnly, true, false)
	add(none, false, false)
	return a, b
}

func noNaN(t *testing.T, c Comparison) {
	t.Helper()
	if _, err := json.Marshal(c); err != nil {
		t.Errorf("comparison does not encode (NaN or Inf inside): %v\n%+v", err, c)
	}
}

func TestComparePassFailBetter(t *testing.T) {
	a, b := pairs(20, 12, 3, 5) // R: binom.test(12, 15)$p.value = 0.035156250000000014
	c := ComparePassFail("contains:refund", "v1", "v2", a, b, Options{Seed: 1})
	noNaN(t, c)
	if c.N != 40 || c.McNemar.BOnly != 12 || c.McNemar.AOnly != 3 || c.Test != "exact McNemar" {
		t.Fatalf("comparison %+v", c)
	}
	near(t, "p", c.P, 0.035156250000000014, 1e-10)
	near(t, "mean a", c.MeanA, 23.0/40, 1e-12)
	near(t, "mean b", c.MeanB, 32.0/40, 1e-12)
	near(t, "diff", c.Diff.Mean, 9.0/40, 1e-12)
	v := c.Verdict
	if !v.Significant || v.Better != "b" || v.NMore != 0 || v.NTotal != 40 {
		t.Errorf("verdict %+v", v)
	}
	for _, want := range []string{"v2 passes more often: 80.0% vs 57.5% (+22.5 points, 95% CI", "exact McNemar p = 0.035 over 40 paired cases. v2 is better."} {
		if !strings.Contains(v.Text, want) {
			t.Errorf("text %q lacks %q", v.Text, want)
		}
	}
	// The same cases the other way round: a is better.
	r := ComparePassFail("contains:refund", "v2", "v1", b, a, Options{Seed: 1})
	if r.Verdict.Better != "a" || !strings.Contains(r.Verdict.Text, "v2 passes more often: 80.0% vs 57.5% (+22.5 points") {
		t.Errorf("reversed: %+v", r.Verdict)
	}
}

func TestComparePassFailNotEnough(t *testing.T) {
	a, b := pairs(30, 7, 4, 9)
	c := ComparePassFail("exact", "a", "b", a, b, Options{Seed: 1})
	noNaN(t, c)
	v := c.Verdict
	// Connor with p10 = 7/50, p01 = 4/50: 477.3, so 478 cases, 428 more.
	if v.Significant || v.Better != "none" || v.NTotal != 478 || v.NMore != v.NTotal-50 {
		t.Errorf("verdict %+v", v)
	}
	if !strings.HasPrefix(v.Text, "No reliable difference: +6.0 points (95% CI") || !strings.Contains(v.Text, "About 428 more cases would be needed") {
		t.Errorf("text %q", v.Text)
	}
}

// Pitfall 4: no discordant pairs and b = c give p = 1 and no verdict; five
// discordant pairs cannot reach p < 0.05, and the text says so.
func TestComparePassFailEdges(t *testing.T) {
	a, b := pairs(10, 0, 0, 5)
	c := ComparePassFail("json", "a", "b", a, b, Options{})
	noNaN(t, c)
	if c.P != 1 || c.Verdict.Significant || c.Verdict.NMore != NoFinite || !strings.Contains(c.Verdict.Text, "no discordant pairs") || !strings.Contains(c.Verdict.Text, "no number of cases") {
		t.Errorf("b + c = 0: %+v", c.Verdict)
	}
	a, b = pairs(10, 4, 4, 2)
	c = ComparePassFail("json", "a", "b", a, b, Options{})
	if c.P != 1 || c.Verdict.Significant || c.Verdict.NMore != NoFinite {
		t.Errorf("b = c: %+v", c.Verdict)
	}
	a, b = pairs(0, 5, 0, 0)
	c = ComparePassFail("json", "a", "b", a, b, Options{})
	if c.Verdict.Significant || !strings.Contains(c.Verdict.Text, "at least 6 discordant pairs to reach p < 0.05; there are 5") {
		t.Errorf("5 discordant pairs: p %v, %+v", c.P, c.Verdict)
	}
}

// Pitfall 9: significance comes from the test, not from whether the
// bootstrap interval of 0/1 differences holds 0.
func TestSignificanceFromTheTest(t *testing.T) {
	a, b := pairs(20, 7, 1, 12) // exact p = 0.0703
	c := ComparePassFail("exact", "a", "b", a, b, Options{Seed: 5})
	if c.Diff.Low <= 0 {
		t.Skipf("this seed's interval holds 0 (%v); the case needs one that does not", c.Diff)
	}
	if c.Verdict.Significant || !strings.Contains(c.Verdict.Text, "the verdict follows the test") {
		t.Errorf("p = %v with interval %v: not significant, and say why: %q", c.P, c.Diff, c.Verdict.Text)
	}
}

func TestCompareScores(t *testing.T) {
	// The R example of TestWilcoxonExact as scores of a and b.
	b := []float64{1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30}
	a := []float64{0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29}
	c := CompareScores("similarity:0.5", "base", "cand", a, b, Options{Seed: 9})
	noNaN(t, c)
	if c.ScoreType != Numeric || c.Wilcoxon == nil || c.Wilcoxon.RPlus != 40 || c.McNemar != nil {
		t.Fatalf("comparison %+v", c)
	}
	near(t, "p", c.P, 0.0390625, 1e-12)
	if !c.Verdict.Significant || c.Verdict.Better != "b" || !strings.HasPrefix(c.Verdict.Text, "cand scores higher in most cases: Wilcoxon signed-rank p = 0.039 over 9 paired cases") {
		t.Errorf("verdict %+v", c.Verdict)
	}
	if c.SignTest.Plus != 7 || c.Permutation.P <= 0 || c.Permutation.P > 1 {
		t.Errorf("beside: %+v %+v", c.SignTest, c.Permutation)
	}
}

// Pitfall 10: twelve cases a little better, one much worse: the rank test
// says b is better, the mean says worse; the verdict says both.
func TestMeanAndRankDisagree(t *testing.T) {
	a := make([]float64, 13)
	b := make([]float64, 13)
	for i := range 12 {
		a[i], b[i] = 0.5, 0.6
	}
	a[12], b[12] = 5.5, 0.5
	c := CompareScores("cmd:grade", "a", "b", a, b, Options{Seed: 1})
	noNaN(t, c)
	if c.Diff.Mean >= 0 || c.Verdict.Better != "b" || !c.Verdict.Significant {
		t.Fatalf("mean %v, verdict %+v (p %v)", c.Diff.Mean, c.Verdict, c.P)
	}
	if !strings.Contains(c.Verdict.Text, "The mean points the other way") {
		t.Errorf("text %q", c.Verdict.Text)
	}
}

// Degenerate inputs give defined answers: no NaN, no panic.
func TestDegenerateComparisons(t *testing.T) {
	cases := map[string][2][]float64{
		"no cases":  {nil, nil},
		"one case":  {{0.4}, {0.9}},
		"all zeros": {{0.3, 0.5, 0.7}, {0.3, 0.5, 0.7}},
		"all ties":  {{0, 0, 0, 0}, {1, 1, 1, 1}},
		"uneven":    {{1, 2, 3}, {1}},
	}
	for name, ab := range cases {
		t.Run(name, func(t *testing.T) {
			c := CompareScores("s", "a", "b", ab[0], ab[1], Options{})
			noNaN(t, c)
			if c.P < 0 || c.P > 1 || c.Verdict.Text == "" {
				t.Errorf("%+v", c)
			}
		})
	}
	if c := CompareScores("s", "a", "b", []float64{1, 2}, []float64{1, 2}, Options{}); c.Verdict.NMore != NoFinite || !strings.Contains(c.Verdict.Text, "scored the same") {
		t.Errorf("all zeros: %+v", c.Verdict)
	}
	// Four equal non-zero differences: too few for p < 0.05, and sd = 0.
	c := CompareScores("s", "a", "b", []float64{0, 0, 0, 0}, []float64{1, 1, 1, 1}, Options{})
	if c.Verdict.Significant || c.Verdict.NTotal != 6 || c.Verdict.NMore != 2 || !strings.Contains(c.Verdict.Text, "at least 6 non-zero differences") {
		t.Errorf("all ties: %+v", c.Verdict)
	}
	pc := ComparePassFail("s", "a", "b", nil, nil, Options{})
	noNaN(t, pc)
	if pc.Verdict.Text != "No paired cases to compare." {
		t.Errorf("no cases: %+v", pc.Verdict)
	}
}

func TestAdjustFamily(t *testing.T) {
	a, b := pairs(20, 12, 3, 5)  // p = 0.0352
	x, y := pairs(20, 30, 12, 0) // p = 0.0079
	comps := []Comparison{
		ComparePassFail("exact", "v1", "v2", a, b, Options{}),
		ComparePassFail("exact", "v1", "v3", x, y, Options{}),
	}
	AdjustFamily(comps)
	// R: p.adjust(c(0.035156250000000014, 0.0079158973348967352), "holm") = 0.0352 0.0158
	near(t, "adjusted", comps[0].PAdjusted, 0.035156250000000014, 1e-10)
	near(t, "adjusted", comps[1].PAdjusted, 2*0.0079158973348967352, 1e-10)
	if comps[0].Family != 2 || !strings.Contains(comps[1].Verdict.Text, "Holm-adjusted over 2 comparisons: p = 0.016") {
		t.Errorf("family: %+v", comps[1].Verdict)
	}
	// Three at p = 0.035: each adjusted to 0.105, none significant.
	three := []Comparison{comps[0], comps[0], comps[0]}
	AdjustFamily(three)
	for _, c := range three {
		if c.Verdict.Significant {
			t.Errorf("adjusted p %v is significant", c.PAdjusted)
		}
	}
}

// The JSON report carries the fields the issue names, and a comparison
// read back from JSON words the same verdict.
func TestComparisonJSON(t *testing.T) {
	a, b := pairs(20, 7, 4, 9)
	pf := ComparePassFail("exact", "v1", "v2", a, b, Options{Seed: 2})
	num := CompareScores("similarity:0.5", "v1", "v2", []float64{0.1, 0.5, 0.4, 0.9}, []float64{0.3, 0.5, 0.8, 0.7}, Options{Seed: 2})
	want := map[*Comparison][]string{
		&pf:  {"mcnemar.b_only", "mcnemar.a_only", "mcnemar.p_exact", "mcnemar.chi2_cc", "mcnemar.p_chi2_cc"},
		&num: {"wilcoxon.p", "wilcoxon.r_plus"},
	}
	common := []string{"scorer", "a", "b", "score_type", "n", "mean_a", "mean_b", "diff.mean", "diff.ci_low", "diff.ci_high",
		"sign_test.p", "permutation.p", "verdict.significant", "verdict.better", "verdict.n_more", "verdict.n_total", "verdict.text"}
	for c, keys := range want {
		raw, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		json.Unmarshal(raw, &m)
		for _, k := range append(common, keys...) {
			var v any = m
			for part := range strings.SplitSeq(k, ".") {
				obj, _ := v.(map[string]any)
				v = obj[part]
			}
			if v == nil {
				t.Errorf("%s comparison JSON lacks %s: %s", c.ScoreType, k, raw)
			}
		}
		var back Comparison
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		if got := back.verdict(); got != c.Verdict {
			t.Errorf("verdict from JSON %+v, want %+v", got, c.Verdict)
		}
	}
}
