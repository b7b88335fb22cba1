package abreport

import (
	"strings"
	"testing"

	"promptbench/workspace"
)

func outcomes(keys map[string]int, values map[string]map[string][]float64) workspace.Outcomes {
	return workspace.Outcomes{
		Experiment: workspace.Experiment{Name: "tone", Prompt: "support/reply", Status: workspace.ExperimentRunning,
			Variants: []workspace.ExperimentVariant{{Name: "production", Version: 2, Weight: 50}, {Name: "3", Version: 3, Weight: 50}}},
		Keys: keys, Values: values,
	}
}

func rates(n, k int) []float64 {
	out := make([]float64, n)
	for i := range k {
		out[i] = 1
	}
	return out
}

func TestVerdictSaysHowManyMoreUsers(t *testing.T) {
	// 100 users each, 40% against 45%: R's power.prop.test(p1 = 0.40,
	// p2 = 0.45, power = 0.8)$n = 1533.277 per variant: 1,534, so 1,434 more.
	r := Build(outcomes(map[string]int{"production": 100, "3": 100},
		map[string]map[string][]float64{"resolved": {"production": rates(100, 40), "3": rates(100, 45)}}))
	c := r.Metrics[0].Comparisons[0]
	if c.Verdict.Significant || c.Verdict.NPerVariant != 1534 || c.Verdict.NMore != 1434 {
		t.Fatalf("verdict %+v", c.Verdict)
	}
	if !strings.Contains(c.Verdict.Text, "Not enough evidence; about 1434 more users per variant") {
		t.Errorf("verdict text: %s", c.Verdict.Text)
	}
	if r.SRM.Mismatch {
		t.Errorf("an even split flagged: %+v", r.SRM)
	}
}

func TestSampleRatioMismatchWarns(t *testing.T) {
	r := Build(outcomes(map[string]int{"production": 1100, "3": 900},
		map[string]map[string][]float64{"rating": {"production": {1, 2, 3}, "3": {2, 3, 4}}}))
	var b strings.Builder
	if err := WriteTable(&b, r); err != nil {
		t.Fatal(err)
	}
	if !r.SRM.Mismatch || !strings.Contains(b.String(), "WARNING: Sample-ratio mismatch: keys split 55.0% / 45.0%, the weights say 50% / 50%") {
		t.Errorf("no SRM warning for 1,100 / 900 against 50/50:\n%s", b.String())
	}
	if r.Metrics[0].Kind != "mean" {
		t.Errorf("ratings read as %s", r.Metrics[0].Kind)
	}
}
