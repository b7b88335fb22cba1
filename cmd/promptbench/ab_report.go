package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"promptbench/eval/abreport"
)

func (a *app) abReportCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "report EXP [--format table|json|markdown]",
		Short: "Compare the variants: rates or means with intervals, unpaired tests, a verdict, a sample-ratio check",
		Long: `Per metric and variant: the users with a value, the rate (when every value is
0 or 1) or the mean, with a 95% interval. Each later variant is compared with the
first (the control): the difference with its interval, a two-proportion z test
(Fisher's exact test when an expected count is under 5) for rates or Welch's t
test (and Mann-Whitney beside it) for means, and a verdict in words. A warning
comes first when the split of keys does not match the weights (chi-square p < 0.001).`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "table", "json", "markdown":
			default:
				return usagef(fmt.Sprintf("--format %q: use table, json or markdown", format))
			}
			ws, err := a.openWorkspace("ab report")
			if err != nil {
				return err
			}
			o, err := ws.Outcomes(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			r := abreport.Build(o)
			switch format {
			case "json":
				return writeJSON(a.Out, r)
			case "markdown":
				return abreport.WriteMarkdown(a.Out, r)
			}
			return abreport.WriteTable(a.Out, r)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "table, json or markdown")
	return cmd
}
