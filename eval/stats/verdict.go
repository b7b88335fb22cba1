package stats

import (
	"fmt"
	"math"
	"strings"
)

// verdict words the comparison from its adjusted p. The direction comes
// from the deciding test's own counts (discordant pairs; R+ against R−),
// never from the mean, which one outlier can turn.
func (c Comparison) verdict() Verdict {
	v := Verdict{Better: "none", NMore: NoFinite, NTotal: NoFinite}
	if c.N == 0 {
		v.Text = "No paired cases to compare."
		return v
	}
	direction := 0.0
	if c.McNemar != nil {
		direction = float64(c.McNemar.BOnly - c.McNemar.AOnly)
	} else if c.Wilcoxon != nil {
		direction = c.Wilcoxon.RPlus - c.Wilcoxon.RMinus
	}
	v.Significant = c.PAdjusted < Alpha && direction != 0
	winner, loser := c.B, c.A
	if direction < 0 {
		winner, loser = c.A, c.B
	}
	if v.Significant {
		v.Better = map[bool]string{true: "b", false: "a"}[direction > 0]
		v.NMore, v.NTotal = 0, c.N
		v.Text = c.significantText(winner, loser)
		return v
	}
	if c.McNemar != nil {
		v.NTotal = ConnorN(float64(c.McNemar.BOnly)/float64(c.N), float64(c.McNemar.AOnly)/float64(c.N))
	} else {
		v.NTotal = PairedTN(c.Diff.Mean, c.Diff.SD)
	}
	if v.NTotal != NoFinite {
		v.NMore = max(0, v.NTotal-c.N)
	}
	v.Text = c.noDifferenceText(v)
	return v
}

func (c Comparison) significantText(winner, loser string) string {
	// Said from the winner's side: winner − loser, and its interval.
	mw, ml, d, lo, hi := c.MeanB, c.MeanA, c.Diff.Mean, c.Diff.Low, c.Diff.High
	if winner == c.A {
		mw, ml, d, lo, hi = c.MeanA, c.MeanB, -d, -hi, -lo
	}
	var b strings.Builder
	if c.McNemar != nil {
		fmt.Fprintf(&b, "%s passes more often: %s vs %s (%s points, 95%% CI %s to %s); exact McNemar %s over %d paired cases. %s is better.",
			winner, pct(mw), pct(ml), points(d), points(lo), points(hi), c.pText(), c.N, winner)
		return b.String()
	}
	fmt.Fprintf(&b, "%s scores higher in most cases: Wilcoxon signed-rank %s over %d paired cases; mean %s vs %s (%s, 95%% CI %s to %s). %s is better.",
		winner, c.pText(), c.N, num(mw), num(ml), signed(d), signed(lo), signed(hi), winner)
	if d < 0 {
		fmt.Fprintf(&b, " The mean points the other way: a few large differences outweigh the typical case.")
	}
	return b.String()
}

func (c Comparison) noDifferenceText(v Verdict) string {
	var b strings.Builder
	diff := signed(c.Diff.Mean)
	ci := fmt.Sprintf("95%% CI %s to %s", signed(c.Diff.Low), signed(c.Diff.High))
	if c.McNemar != nil {
		diff = points(c.Diff.Mean) + " points"
		ci = fmt.Sprintf("95%% CI %s to %s", points(c.Diff.Low), points(c.Diff.High))
	}
	switch {
	case c.McNemar != nil && c.McNemar.BOnly+c.McNemar.AOnly == 0:
		fmt.Fprintf(&b, "No difference seen: %s and %s pass and fail on the same %d cases (no discordant pairs), p = 1.", c.B, c.A, c.N)
	case c.Wilcoxon != nil && c.Wilcoxon.N == 0:
		fmt.Fprintf(&b, "No difference seen: every one of the %d cases scored the same under %s and %s, p = 1.", c.N, c.B, c.A)
	default:
		fmt.Fprintf(&b, "No reliable difference: %s (%s), %s.", diff, ci, c.pText())
		if c.Diff.Low > 0 || c.Diff.High < 0 {
			fmt.Fprintf(&b, " The interval leaves out 0 but the %s test does not reach p < 0.05; the verdict follows the test.", c.Test)
		}
	}
	switch {
	case v.NTotal == NoFinite:
		b.WriteString(" The observed difference is 0: no number of cases would show one.")
	case v.NMore > 0:
		fmt.Fprintf(&b, " About %d more cases would be needed to detect a difference this size.", v.NMore)
	}
	if c.McNemar != nil {
		if k := c.McNemar.BOnly + c.McNemar.AOnly; k > 0 && k < minExact {
			fmt.Fprintf(&b, " An exact test needs at least %d discordant pairs to reach p < 0.05; there are %d.", minExact, k)
		}
	} else if k := c.Wilcoxon.N; k > 0 && k < minExact {
		fmt.Fprintf(&b, " A two-sided exact signed-rank test needs at least %d non-zero differences to reach p < 0.05; there are %d.", minExact, k)
	}
	return b.String()
}

// pText names the p, and its Holm adjustment when there is a family.
func (c Comparison) pText() string {
	s := "p " + pval(c.P)
	if c.Family > 1 {
		s += fmt.Sprintf(" (Holm-adjusted over %d comparisons: p %s)", c.Family, pval(c.PAdjusted))
	}
	return s
}

// pval is "= 0.012", or "< 0.001" below that.
func pval(p float64) string {
	if p < 0.001 {
		return "< 0.001"
	}
	return fmt.Sprintf("= %.2g", p)
}

func pct(rate float64) string { return fmt.Sprintf("%.1f%%", rate*100) }

func points(d float64) string { return signed1(d * 100) }

func signed1(x float64) string {
	if math.Abs(x) < 0.05 {
		return "0"
	}
	return fmt.Sprintf("%+.1f", x)
}

func signed(x float64) string {
	if math.Abs(x) < 5e-4 {
		return "0"
	}
	return fmt.Sprintf("%+.3g", x)
}

func num(x float64) string { return fmt.Sprintf("%.3g", x) }
