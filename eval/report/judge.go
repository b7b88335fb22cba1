package report

import (
	"fmt"
	"strings"
)

// JudgeUsage is what the judge:RUBRIC scorers' model calls of a run took:
// they are logged as entries of the rubric's version, not of a variant, so
// they are counted here, apart, and added to the run's cost.
type JudgeUsage struct {
	Calls        int     `json:"calls"`
	Cached       int     `json:"cached"`
	Errors       int     `json:"errors"`
	InputTokens  int     `json:"input_tokens"`
	OutputTokens int     `json:"output_tokens"`
	CostUSD      float64 `json:"cost_usd"`
}

// Add sums u and v.
func (u JudgeUsage) Add(v JudgeUsage) JudgeUsage {
	return JudgeUsage{
		Calls: u.Calls + v.Calls, Cached: u.Cached + v.Cached, Errors: u.Errors + v.Errors,
		InputTokens: u.InputTokens + v.InputTokens, OutputTokens: u.OutputTokens + v.OutputTokens,
		CostUSD: u.CostUSD + v.CostUSD,
	}
}

// TotalCost is the variants' calls and the judge's.
func (r *Report) TotalCost() float64 {
	sum := 0.0
	for _, v := range r.Variants {
		sum += v.CostUSD
	}
	if r.Judge != nil {
		sum += r.Judge.CostUSD
	}
	return sum
}

func writeJudge(b *strings.Builder, r *Report) {
	if j := r.Judge; j != nil {
		fmt.Fprintf(b, "\njudge · %d calls · %d cached · %d errors · %d→%d tok · $%.4f\n", j.Calls, j.Cached, j.Errors, j.InputTokens, j.OutputTokens, j.CostUSD)
		fmt.Fprintf(b, "total cost $%.4f (variants and judge)\n", r.TotalCost())
	}
}

func writeMarkdownJudge(b *strings.Builder, r *Report) {
	if j := r.Judge; j != nil {
		fmt.Fprintf(b, "\nJudge: %d calls (%d cached, %d errors), %d / %d tokens, $%.4f; total cost $%.4f.\n", j.Calls, j.Cached, j.Errors, j.InputTokens, j.OutputTokens, j.CostUSD, r.TotalCost())
	}
}
