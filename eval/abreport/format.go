package abreport

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"promptbench/eval/stats"
)

// WriteTable writes the report for a terminal or a log: the split, then
// each metric's arms and comparisons with their verdicts.
func WriteTable(w io.Writer, r Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "experiment %s on %s (%s)", r.Experiment, r.Prompt, r.Status)
	if r.Winner != "" {
		fmt.Fprintf(&b, ", winner %s", r.Winner)
	}
	b.WriteString("\n\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "VARIANT\tVERSION\tWEIGHT\tKEYS\tOBSERVED")
	for _, v := range r.Variants {
		fmt.Fprintf(tw, "%s\t%d\t%d%%\t%d\t%.1f%%\n", v.Name, v.Version, v.Weight, v.Keys, 100*v.Observed)
	}
	tw.Flush()
	fmt.Fprintf(&b, "split against the weights: chi-square %s\n", pIs(r.SRM.P))
	if r.SRM.Mismatch {
		fmt.Fprintf(&b, "WARNING: %s\n", r.SRM.Text)
	}
	if len(r.Metrics) == 0 {
		b.WriteString("\nno outcomes yet: record them with `promptbench ab record` or `ab import`\n")
	}
	for _, m := range r.Metrics {
		fmt.Fprintf(&b, "\n%s (%s)\n", m.Name, m.Kind)
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  VARIANT\tN\t%s\t95%% CI\n", strings.ToUpper(m.Kind))
		for _, a := range m.Arms {
			fmt.Fprintf(tw, "  %s\t%d\t%s\t%s to %s\n", a.Variant, a.N, fmtValue(m.Kind, a.Value, false), fmtValue(m.Kind, a.CI.Low, false), fmtValue(m.Kind, a.CI.High, false))
		}
		tw.Flush()
		for _, c := range m.Comparisons {
			fmt.Fprintf(&b, "  %s vs %s: %s (95%% CI %s to %s), %s %s\n", c.B, c.A, fmtValue(m.Kind, c.Diff, true),
				fmtValue(m.Kind, c.CI.Low, true), fmtValue(m.Kind, c.CI.High, true), c.Test, pIs(c.P))
			if c.Means != nil {
				fmt.Fprintf(&b, "    Mann-Whitney %s\n", pIs(c.Means.PMannWhitney))
			} else if c.Proportions.Test != stats.TestFisher {
				fmt.Fprintf(&b, "    Fisher exact %s\n", pIs(c.Proportions.PFisher))
			}
			fmt.Fprintf(&b, "  verdict: %s\n", c.Verdict.Text)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes the report for a pull request or a wiki page.
func WriteMarkdown(w io.Writer, r Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### Experiment `%s` on `%s` (%s)\n\n", r.Experiment, r.Prompt, r.Status)
	if r.SRM.Mismatch {
		fmt.Fprintf(&b, "> **Warning:** %s\n\n", r.SRM.Text)
	}
	b.WriteString("| variant | version | weight | keys | observed |\n|---|---:|---:|---:|---:|\n")
	for _, v := range r.Variants {
		fmt.Fprintf(&b, "| %s | %d | %d%% | %d | %.1f%% |\n", v.Name, v.Version, v.Weight, v.Keys, 100*v.Observed)
	}
	fmt.Fprintf(&b, "\nSplit against the weights: chi-square %s.\n", pIs(r.SRM.P))
	for _, m := range r.Metrics {
		fmt.Fprintf(&b, "\n#### %s (%s)\n\n| variant | n | %s | 95%% CI |\n|---|---:|---:|---|\n", m.Name, m.Kind, m.Kind)
		for _, a := range m.Arms {
			fmt.Fprintf(&b, "| %s | %d | %s | %s to %s |\n", a.Variant, a.N, fmtValue(m.Kind, a.Value, false), fmtValue(m.Kind, a.CI.Low, false), fmtValue(m.Kind, a.CI.High, false))
		}
		b.WriteString("\n")
		for _, c := range m.Comparisons {
			fmt.Fprintf(&b, "- **%s vs %s**: %s (95%% CI %s to %s), %s %s. %s\n", c.B, c.A, fmtValue(m.Kind, c.Diff, true),
				fmtValue(m.Kind, c.CI.Low, true), fmtValue(m.Kind, c.CI.High, true), c.Test, pIs(c.P), c.Verdict.Text)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
