package main

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"promptbench/workspace"
)

func (a *app) abRecordCommand() *cobra.Command {
	var key, variant string
	var metrics []string
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "record EXP --key K --metric NAME=VALUE... [--variant NAME]",
		Short:   "Record one key's outcome (a metric recorded again for the key replaces the old value)",
		Example: `  promptbench ab record reply-tone --key user-42 --metric resolved=1 --metric rating=4`,
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if key == "" || len(metrics) == 0 {
				return usagef("ab record needs --key K and at least one --metric NAME=VALUE")
			}
			in := workspace.OutcomeInput{Key: key, Variant: variant, Metrics: map[string]float64{}}
			for _, m := range metrics {
				name, val, ok := strings.Cut(m, "=")
				x, err := strconv.ParseFloat(val, 64)
				switch {
				case val == "true":
					x, err = 1, nil
				case val == "false":
					x, err = 0, nil
				}
				if !ok || err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
					return usagef(fmt.Sprintf("--metric %q is not NAME=NUMBER (resolved=1, rating=4.5, converted=true)", m))
				}
				in.Metrics[name] = x
			}
			ws, err := a.openWorkspace("ab record")
			if err != nil {
				return err
			}
			got, err := ws.RecordOutcome(cmd.Context(), args[0], in)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.Out, map[string]any{"experiment": args[0], "key": key, "variant": got, "metrics": in.Metrics})
			}
			fmt.Fprintf(a.Out, "recorded %s for %s (variant %s)\n", strings.Join(metrics, ", "), key, got)
			return nil
		},
	}
	cmd.Flags().StringVar(&key, "key", "", "the key (user id) the outcome is for")
	cmd.Flags().StringArrayVar(&metrics, "metric", nil, "NAME=VALUE: a number, or true/false for 1/0 (repeatable)")
	cmd.Flags().StringVar(&variant, "variant", "", "the variant the application served; checked against the key's assignment")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) abImportCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "import EXP FILE.jsonl",
		Short: "Import outcomes from JSON Lines, all or nothing",
		Long: `One JSON object a line: {"key": "user-42", "variant": "3", "metrics": {"resolved": 1}, "time": "2026-11-30T08:00:00Z"}.
variant and time are optional: the variant is derived from the key when absent
and checked against the key's assignment when present. A bad line is named with
its line number, and nothing is stored. The file is read twice as a stream, so
memory does not grow with it.`,
		Args: exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[1] == "-" {
				return usagef("ab import reads a file (twice: once to check, once to store), not stdin; save the lines to a file first")
			}
			ws, err := a.openWorkspace("ab import")
			if err != nil {
				return err
			}
			res, err := ws.ImportOutcomes(cmd.Context(), args[0], args[1])
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.Out, res)
			}
			names := make([]string, 0, len(res.Variants))
			for v := range res.Variants {
				names = append(names, v)
			}
			sort.Strings(names)
			parts := make([]string, len(names))
			for i, v := range names {
				parts[i] = fmt.Sprintf("%s %d", v, res.Variants[v])
			}
			fmt.Fprintf(a.Out, "imported %d outcomes (%d metric values) into %s: %s\n", res.Outcomes, res.Values, res.Experiment, strings.Join(parts, ", "))
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
