package main

import (
	"fmt"
	"strings"

	"promptbench/eval/evalrun"
)

// printEstimate shows what --dry-run found: per variant the calls, the
// cache hits expected, tokens and cost; nothing was called.
func (a *app) printEstimate(dataset string, repeat int, est *evalrun.Estimate) error {
	var b strings.Builder
	shape := fmt.Sprintf("%d rows", est.Rows)
	if est.Rows == 1 {
		shape = "1 row"
	}
	if repeat > 1 {
		shape += fmt.Sprintf(" × %d repeats", repeat)
	}
	variants := fmt.Sprintf("%d variants", len(est.Variants))
	if len(est.Variants) == 1 {
		variants = "1 variant"
	}
	fmt.Fprintf(&b, "Dry run of %s: %s · %s; nothing called, nothing recorded\n\n", dataset, shape, variants)
	fmt.Fprintf(&b, "  %8s %8s %11s %10s %11s\n", "CALLS", "CACHED", "TOKENS IN", "OUT ≤", "COST")
	for _, v := range est.Variants {
		out, cost := "—", "no price"
		if v.OutputKnown {
			out = fmt.Sprint(v.OutputTokens)
		}
		if v.Priced {
			cost = fmt.Sprintf("$%.4f", v.CostUSD)
			if !v.OutputKnown {
				cost += "+"
			}
		}
		b.WriteString(clipRunes(v.ID+" · "+v.Model, 80) + "\n")
		fmt.Fprintf(&b, "  %8d %8d %11d %10s %11s\n", v.Calls, v.CacheHits, v.InputTokens, out, cost)
	}
	b.WriteString("\nTokens in are counted offline; OUT ≤ is max_tokens × calls (— when unset, and\nthe cost then covers the prompts only, marked +). Cached calls cost nothing.\n")
	for _, r := range est.Skipped {
		fmt.Fprintf(&b, "skipped (--skip-invalid): %s\n", r)
	}
	_, err := fmt.Fprint(a.Out, b.String())
	return err
}
