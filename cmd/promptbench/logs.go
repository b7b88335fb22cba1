package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/spf13/cobra"

	"promptbench/tui/termtext"
	"promptbench/workspace"
)

func (a *app) logsCommand() *cobra.Command {
	var asJSON bool
	var limit int
	var q logFilters
	cmd := &cobra.Command{
		Use:   "logs NAME|REF",
		Short: "Logged model calls of a prompt (every version) or of one version, with summaries",
		Long: `logs NAME lists the prompt's logged calls across all its versions, newest first:
the newest --limit (20; 0 for all), narrowed by --version, --source, --errors,
--model and --since, then a summary per version over all its calls.

logs REF (name@3, name@production, name@<hash>) is one version: its newest
--limit calls, oldest of them first, and a summary over every call: count,
errors, cached, mean score, pass rate, p50/p95 latency, tokens and cost.
--json prints every entry (with NAME, the selected ones).`,
		Example: `  promptbench logs support/reply
  promptbench logs support/reply --errors --since 24h
  promptbench logs support/reply --version 3 --model openai/gpt-4o-mini --limit 0
  promptbench logs support/reply@production`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit < 0 {
				return usagef("--limit must be 0 (all) or more")
			}
			ws, err := a.openWorkspace("logs")
			if err != nil {
				return err
			}
			filtered := q.set(cmd)
			if !strings.Contains(args[0], "@") || filtered {
				return a.queryLogs(cmd, ws, args[0], q, limit, asJSON)
			}
			v, entries, sum, err := ws.Logs(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if asJSON {
				if entries == nil {
					entries = []workspace.LogEntry{}
				}
				return writeJSON(a.Out, logsJSON{Prompt: v.Prompt, Version: v.Number, Entries: entries, Summary: sum})
			}
			a.printLogs(v, entries, sum, limit)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&asJSON, "json", false, "print JSON")
	fl.IntVar(&limit, "limit", 20, "show the newest N calls; 0 shows all")
	q.flags(cmd)
	return cmd
}

// logsJSON is the stable `logs --json` document.
type logsJSON struct {
	Prompt  string               `json:"prompt"`
	Version int                  `json:"version"`
	Entries []workspace.LogEntry `json:"entries"`
	Summary workspace.LogSummary `json:"summary"`
}

func (a *app) printLogs(v workspace.Version, entries []workspace.LogEntry, sum workspace.LogSummary, limit int) {
	st := a.styles()
	w := a.out()
	if len(entries) == 0 {
		fmt.Fprintf(w, "%s@%d has no logged calls yet; `promptbench run %s@%d` makes one\n", v.Prompt, v.Number, v.Prompt, v.Number)
		return
	}
	hidden := 0
	if limit > 0 && len(entries) > limit {
		hidden = len(entries) - limit
		entries = entries[hidden:]
	}
	rows := make([][]string, 0, len(entries))
	now := a.now()
	for _, e := range entries {
		result, lat := logCells(e)
		rows = append(rows, []string{ago(now, e.Time), e.Source, e.Model, lat,
			fmt.Sprintf("%d→%d", e.InputTokens, e.OutputTokens), fmt.Sprintf("$%.5f", e.Cost), scoreText(e.Scores), result})
	}
	plain := lipgloss.NewStyle()
	printTable(w, []string{"WHEN", "SOURCE", "MODEL", "LATENCY", "TOKENS", "COST", "SCORE", "OUTPUT"}, rows,
		[]lipgloss.Style{st.dim, st.dim, plain, plain, plain, plain, st.label, plain}, st.dim)
	if hidden > 0 {
		fmt.Fprintln(w, st.dim.Render(fmt.Sprintf("… and %d older calls (--limit 0 shows all)", hidden)))
	}
	fmt.Fprintln(w)
	parts := []string{fmt.Sprintf("%d calls", sum.Count)}
	if sum.Errors > 0 {
		parts = append(parts, fmt.Sprintf("%d errors", sum.Errors))
	}
	if sum.Cached > 0 {
		parts = append(parts, fmt.Sprintf("%d cached", sum.Cached))
	}
	if sum.Scored > 0 {
		parts = append(parts, fmt.Sprintf("mean score %.2f", sum.MeanScore))
	}
	if sum.Judged > 0 {
		parts = append(parts, fmt.Sprintf("pass rate %.0f%% (%d/%d)", 100*sum.PassRate, sum.Passed, sum.Judged))
	}
	parts = append(parts,
		fmt.Sprintf("p50 %s", sum.P50Latency.Round(time.Millisecond)),
		fmt.Sprintf("p95 %s", sum.P95Latency.Round(time.Millisecond)),
		fmt.Sprintf("%d→%d tokens", sum.InputTokens, sum.OutputTokens),
		fmt.Sprintf("$%.4f", sum.Cost))
	fmt.Fprintf(w, "%s@%d: %s\n", v.Prompt, v.Number, strings.Join(parts, " · "))
}

func scoreText(scores []workspace.Score) string {
	if len(scores) == 0 {
		return ""
	}
	s := scores[len(scores)-1]
	text := strconv.FormatFloat(s.Value, 'g', 3, 64)
	if s.Pass != nil {
		text = map[bool]string{true: "pass", false: "fail"}[*s.Pass]
	}
	if len(scores) > 1 {
		text += fmt.Sprintf(" (+%d)", len(scores)-1)
	}
	return text
}

// logCells is the OUTPUT and LATENCY cells of a log entry's row: the
// output (or the error) on one line, sanitised; "cached" for a cached call.
func logCells(e workspace.LogEntry) (result, latency string) {
	result = termtext.Sanitize(oneLine(e.Output, 50))
	if e.Error != "" {
		result = "error: " + termtext.Sanitize(oneLine(e.Error, 43))
	}
	latency = e.Latency.Round(time.Millisecond).String()
	if e.Cached {
		latency = "cached"
	}
	return result, latency
}
