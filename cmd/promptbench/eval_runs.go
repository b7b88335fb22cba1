package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	evalmerge "promptbench/eval/merge"
	"promptbench/eval/report"
	"promptbench/workspace"
)

func (a *app) runsCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "runs",
		Short: "List the recorded evaluation runs, newest first",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ws, err := a.openWorkspace("runs")
			if err != nil {
				return err
			}
			runs, err := ws.Runs(cmd.Context())
			if err != nil {
				return err
			}
			for i := range runs {
				runs[i].Summary = nil // `report RUN` shows it
			}
			if asJSON {
				if runs == nil {
					runs = []workspace.Run{}
				}
				return writeJSON(a.Out, runs)
			}
			if len(runs) == 0 {
				fmt.Fprintln(a.Out, "no runs yet; `promptbench eval DATASET --prompt REF` makes one")
				return nil
			}
			var b strings.Builder
			fmt.Fprintf(&b, "%-20s  %-11s  %-16s  %8s  %6s  %9s\n", "RUN", "STATUS", "DATASET", "CALLS", "ERRORS", "COST")
			for _, r := range runs {
				fmt.Fprintf(&b, "%-20s  %-11s  %-16s  %8d  %6d  %9s\n", r.ID, r.Status, clipRunes(filepath.Base(r.Dataset), 16), r.Counts.Calls, r.Counts.Errors, fmt.Sprintf("$%.4f", r.Cost))
			}
			_, err = fmt.Fprint(a.Out, b.String())
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the runs as JSON (without their reports)")
	return cmd
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func (a *app) reportCommand() *cobra.Command {
	var format, output string
	var merge bool
	cmd := &cobra.Command{
		Use:   "report RUN | report --merge SHARD.json...",
		Short: "Print a recorded run's report again (the same bytes as when it ran), or join shards' reports",
		Args: func(cmd *cobra.Command, args []string) error {
			if merge {
				return nil
			}
			return exactArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(report.Formats, format) {
				return usagef(fmt.Sprintf("--format %q: use %s", format, strings.Join(report.Formats, " or ")))
			}
			if merge {
				return a.mergeReports(args, format, output)
			}
			ws, err := a.openWorkspace("report")
			if err != nil {
				return err
			}
			run, err := ws.Run(cmd.Context(), workspace.RunID(args[0]))
			if err != nil {
				return err
			}
			if len(run.Summary) == 0 {
				return usagef(fmt.Sprintf("run %s has no report: it is %s (still running, or its process was killed); finish it with `promptbench eval --resume %s`", run.ID, run.Status, run.ID))
			}
			if report.PerCase(format) || evalmerge.Sharded(run) {
				// It goes over every entry of the run, as the run did.
				boundEvalMemory(a.getenv)
			}
			var r report.Report
			if err := json.Unmarshal(run.Summary, &r); err != nil {
				return fmt.Errorf("read the report of run %s: %w", run.ID, err)
			}
			return a.writeReport(cmd.Context(), ws, run, &r, nil, format, output)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "report format: "+strings.Join(report.Formats, ", "))
	cmd.Flags().StringVarP(&output, "output", "o", "", "write the report to FILE instead of stdout")
	cmd.Flags().BoolVar(&merge, "merge", false, "join the JSON reports of a run's shards (--shard I/N) into one report over all cases")
	return cmd
}
