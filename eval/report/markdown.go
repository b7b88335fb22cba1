package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"promptbench/eval/stats"
)

// WriteMarkdown writes the report as GitHub-flavoured markdown that fits a
// pull-request comment: a status line, a table of pass rates per variant
// and scorer, the comparisons, and the thresholds missed.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	status := "✅ pass"
	if len(r.Missed()) > 0 {
		status = "❌ below --fail-under"
	}
	if r.Status != "done" {
		status = "⚠️ " + r.Status
	}
	fmt.Fprintf(&b, "### Evaluation %s: %s\n\n", r.Run, status)
	markdownBody(&b, r)
	_, err := io.WriteString(w, b.String())
	return err
}

// markdownBody is the markdown report after its heading.
func markdownBody(b *strings.Builder, r *Report) {
	fmt.Fprintf(b, "`%s`, %s\n\n", mdCode(filepath.Base(r.Dataset)), r.Shape())
	b.WriteString("| variant | model | scorer | pass rate | 95% CI | mean | scorer errors |\n")
	b.WriteString("|---|---|---|---:|---|---:|---:|\n")
	for _, v := range r.Variants {
		for _, s := range v.Scorers {
			rate, ci := "—", "—"
			if s.Judged > 0 {
				rate = fmt.Sprintf("%.1f%%", s.PassRate*100)
				ci = fmt.Sprintf("%.1f–%.1f", s.CI.Low*100, s.CI.High*100)
			}
			fmt.Fprintf(b, "| %s | %s | `%s` | %s | %s | %.3f | %d |\n", mdCell(v.ID), mdCell(v.Model), mdCode(s.Spec), rate, ci, s.Mean, s.Errors)
		}
	}
	b.WriteString("\n| variant | calls | errors | p50 | p95 | tokens in/out | cost |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, v := range r.Variants {
		fmt.Fprintf(b, "| %s | %d | %d | %s | %s | %d / %d | $%.4f |\n", mdCell(v.ID), v.Calls, v.Errors, msText(v.P50LatencyMS), msText(v.P95LatencyMS), v.InputTokens, v.OutputTokens, v.CostUSD)
	}
	writeMarkdownJudge(b, r)
	if len(r.Comparisons) > 0 {
		b.WriteString("\n**Comparisons** (baseline → candidate")
		if r.Multiplicity != "" {
			fmt.Fprintf(b, "; p adjusted by Holm over %d", len(r.Comparisons))
		}
		b.WriteString(")\n\n")
		for _, c := range r.Comparisons {
			fmt.Fprintf(b, "- `%s` %s → %s: %s, %s p %s. %s\n", mdCode(c.Scorer), mdCell(c.A), mdCell(c.B), deltaText(c), c.Test, pText(c.PAdjusted), mdCell(c.Verdict.Text))
		}
	}
	writeMarkdownThresholds(b, r)
}

func deltaText(c stats.Comparison) string {
	if c.ScoreType == stats.PassFail {
		return fmt.Sprintf("Δ %+.1f points (95%% CI %+.1f to %+.1f)", c.Diff.Mean*100, c.Diff.Low*100, c.Diff.High*100)
	}
	return fmt.Sprintf("Δ %+.3f (95%% CI %+.3f to %+.3f)", c.Diff.Mean, c.Diff.Low, c.Diff.High)
}

// mdCell keeps text from breaking a table row or turning into markup.
func mdCell(s string) string {
	r := strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "'")
	return r.Replace(s)
}

// mdCode is text inside backticks: only the backtick and row breaks matter.
func mdCode(s string) string {
	return strings.NewReplacer("`", "'", "|", `\|`, "\n", " ").Replace(s)
}
