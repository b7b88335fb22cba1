package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"promptbench/eval/stats"
)

// Width is the table's width in columns.
const Width = 80

// WriteTable writes the report for a terminal or a CI log, 80 columns:
// per variant its calls, errors, latency, tokens and cost, and per scorer
// the pass rate with a bar and its 95% Wilson interval; then each
// comparison with its difference, interval, p and verdict in words.
func WriteTable(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Run %s · %s · %s · %s\n", r.Run, r.Status, filepath.Base(r.Dataset), r.Shape())
	for _, v := range r.Variants {
		b.WriteString("\n")
		b.WriteString(clip(v.ID+" · "+v.Model, Width) + "\n")
		fmt.Fprintf(&b, "  %d calls · %d errors · p50 %s · p95 %s · %d→%d tok · $%.4f\n",
			v.Calls, v.Errors, msText(v.P50LatencyMS), msText(v.P95LatencyMS), v.InputTokens, v.OutputTokens, v.CostUSD)
		if len(v.Scorers) == 0 {
			b.WriteString("  no scorers\n")
			continue
		}
		fmt.Fprintf(&b, "  %-22s %-17s %-15s %6s %6s\n", "scorer", "pass rate", "95% CI", "mean", "errors")
		for _, s := range v.Scorers {
			rate, ci := "     —", "      —"
			bar := strings.Repeat(" ", 10)
			if s.Judged > 0 {
				rate = fmt.Sprintf("%5.1f%%", s.PassRate*100)
				ci = fmt.Sprintf("[%.1f, %.1f]", s.CI.Low*100, s.CI.High*100)
				bar = barOf(s.PassRate, 10)
			}
			fmt.Fprintf(&b, "  %-22s %s %-6s %-15s %6.3f %6d\n", clip(s.Spec, 22), bar, rate, ci, s.Mean, s.Errors)
			if sp := s.Spread; sp != nil {
				fmt.Fprintf(&b, "    ×%d: pass@%d %.1f%% · pass^%d %.1f%% · flipped %.1f%% · sd %.3f · %.3g–%.3g\n",
					sp.K, sp.K, sp.PassAtK*100, sp.K, sp.PassAllK*100, sp.Flipped*100, sp.MeanSD, sp.MinScore, sp.MaxScore)
			}
		}
	}
	writeJudge(&b, r)
	if len(r.Comparisons) > 0 {
		b.WriteString("\nComparison, baseline → candidate")
		if r.Multiplicity != "" {
			fmt.Fprintf(&b, " (p adjusted by Holm over %d comparisons)", len(r.Comparisons))
		}
		b.WriteString(":\n")
		for _, c := range r.Comparisons {
			writeComparison(&b, c)
		}
	}
	writeThresholds(&b, r)
	if len(r.Skipped) > 0 {
		fmt.Fprintf(&b, "\n%d row(s) skipped (--skip-invalid):\n", len(r.Skipped))
		for _, s := range r.Skipped {
			b.WriteString(clip("  "+s, Width) + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeComparison(b *strings.Builder, c stats.Comparison) {
	line := fmt.Sprintf("  %s: %s → %s", c.Scorer, c.A, c.B)
	if len([]rune(line)) > Width {
		line = clip("  "+c.Scorer+":", Width) + "\n" + clip("    "+c.A+" → "+c.B, Width)
	}
	b.WriteString(line + "\n")
	p := c.PAdjusted
	var delta string
	if c.ScoreType == stats.PassFail {
		delta = fmt.Sprintf("Δ %+.1f points [%+.1f, %+.1f]", c.Diff.Mean*100, c.Diff.Low*100, c.Diff.High*100)
	} else {
		delta = fmt.Sprintf("Δ %+.3f [%+.3f, %+.3f]", c.Diff.Mean, c.Diff.Low, c.Diff.High)
	}
	fmt.Fprintf(b, "    %s · %s p %s · n %d\n", delta, c.Test, pText(p), c.N)
	for _, line := range wrap(c.Verdict.Text, Width-4) {
		b.WriteString("    " + line + "\n")
	}
}

func pText(p float64) string {
	if p < 0.001 {
		return "< 0.001"
	}
	return fmt.Sprintf("%.3f", p)
}

func msText(ms float64) string {
	if ms >= 1000 {
		return fmt.Sprintf("%.1f s", ms/1000)
	}
	return fmt.Sprintf("%.0f ms", ms)
}

// barOf draws rate as width cells of full and light blocks.
func barOf(rate float64, width int) string {
	full := int(rate*float64(width) + 0.5)
	return strings.Repeat("█", full) + strings.Repeat("░", width-full)
}

// clip cuts s to width runes, marking the cut.
func clip(s string, width int) string {
	r := []rune(s)
	if len(r) <= width {
		return s
	}
	return string(r[:width-1]) + "…"
}

// wrap breaks text into lines of at most width runes, at spaces.
func wrap(text string, width int) []string {
	var lines []string
	var cur []rune
	for _, word := range strings.Fields(text) {
		wr := []rune(word)
		if len(cur) > 0 && len(cur)+1+len(wr) > width {
			lines = append(lines, string(cur))
			cur = cur[:0]
		}
		if len(cur) > 0 {
			cur = append(cur, ' ')
		}
		cur = append(cur, wr...)
	}
	if len(cur) > 0 {
		lines = append(lines, string(cur))
	}
	return lines
}
