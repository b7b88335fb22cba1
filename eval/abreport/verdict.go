package abreport

import (
	"fmt"
	"math"

	"promptbench/eval/stats"
)

// verdict words a comparison. Significance is the (Holm-adjusted) test's
// p below 0.05; the direction is the observed difference's.
func verdict(metric, kind string, c Comparison, a, b Arm) Verdict {
	v := Verdict{Better: "none", NPerVariant: stats.NoFinite, NMore: stats.NoFinite}
	if a.N == 0 || b.N == 0 {
		v.Text = fmt.Sprintf("%s: no outcomes yet for %s; nothing to compare.", metric, map[bool]string{true: c.A, false: c.B}[a.N == 0])
		return v
	}
	diff := fmtValue(kind, c.Diff, true)
	ci := fmt.Sprintf("95%% CI %s to %s", fmtValue(kind, c.CI.Low, true), fmtValue(kind, c.CI.High, true))
	pText := fmt.Sprintf("%s %s", c.Test, pIs(c.P))
	if c.PAdjusted != c.P {
		pText += fmt.Sprintf(" (Holm-adjusted %s)", pIs(c.PAdjusted))
	}
	if c.PAdjusted < stats.Alpha && c.Diff != 0 {
		v.Significant = true
		winner, loser := c.B, c.A
		v.Better = "b"
		if c.Diff < 0 {
			winner, loser, v.Better = c.A, c.B, "a"
		}
		v.NPerVariant, v.NMore = min(a.N, b.N), 0
		v.Text = fmt.Sprintf("%s is better on %s: %s vs %s for %s (%s, %s); %s over %d and %d users.",
			winner, metric, fmtValue(kind, pick(winner == c.B, b.Value, a.Value), false), fmtValue(kind, pick(winner == c.B, a.Value, b.Value), false), loser, diff, ci, pText, a.N, b.N)
		return v
	}
	if kind == "rate" {
		v.NPerVariant = stats.TwoProportionN(a.Value, b.Value)
	} else {
		v.NPerVariant = stats.TwoSampleTN(c.Diff, c.Means.SD)
	}
	text := fmt.Sprintf("No reliable difference on %s between %s and %s: %s (%s), %s.", metric, c.B, c.A, diff, ci, pText)
	if v.NPerVariant == stats.NoFinite {
		v.Text = text + " Not enough evidence, and the observed difference is 0: no number of users would show one this size."
		return v
	}
	v.NMore = max(0, v.NPerVariant-min(a.N, b.N))
	v.Text = fmt.Sprintf("%s Not enough evidence; about %d more users per variant would be needed to detect a difference this size (%d per variant for 80%% power).", text, v.NMore, v.NPerVariant)
	if m := c.Means; m != nil && m.PMannWhitney < stats.Alpha {
		v.Text += fmt.Sprintf(" The Mann-Whitney test (%s) does see the typical user's %s shift: look at the distribution, an outlier may hide it from the mean.", pIs(m.PMannWhitney), metric)
	}
	return v
}

func pick(cond bool, a, b float64) float64 {
	if cond {
		return a
	}
	return b
}

// fmtValue writes a rate as a percentage (a difference in points) and a
// mean as a number.
func fmtValue(kind string, x float64, signed bool) string {
	if kind == "rate" {
		if signed {
			return fmt.Sprintf("%+.1f points", 100*x)
		}
		return fmt.Sprintf("%.1f%%", 100*x)
	}
	if signed {
		return fmt.Sprintf("%+.3f", x)
	}
	return fmt.Sprintf("%.3f", x)
}

// pIs writes "p = 0.0123", or "p < 0.0001" for the smallest.
func pIs(p float64) string {
	switch {
	case p < 0.0001:
		return "p < 0.0001"
	case math.IsNaN(p):
		return "p n/a"
	}
	return fmt.Sprintf("p = %.4f", p)
}
