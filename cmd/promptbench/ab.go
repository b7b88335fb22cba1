package main

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/spf13/cobra"

	"promptbench/workspace"
)

func (a *app) abCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ab",
		Short: "A/B experiments between versions of a prompt on real traffic",
		Long: `An experiment splits keys (user ids) between versions of one prompt by weight.
The assignment is a pure function of the experiment's name and the key, so
applications (package workspace/served, or any language following the README)
and promptbench always agree. Applications report outcomes; ab report compares
the variants.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.abCreateCommand(), a.abListCommand(), a.abShowCommand(), a.abSetWeightsCommand(),
		a.abStopCommand(), a.abRecordCommand(), a.abImportCommand(), a.abReportCommand())
	return cmd
}

func parseSpecs(flags []string) ([]workspace.VariantSpec, error) {
	specs := make([]workspace.VariantSpec, 0, len(flags))
	for _, f := range flags {
		s, err := workspace.ParseVariantSpec(f)
		if err != nil {
			return nil, fmt.Errorf("--variant %w", err)
		}
		specs = append(specs, s)
	}
	return specs, nil
}

func (a *app) abCreateCommand() *cobra.Command {
	var prompt, keyHint string
	var variants []string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "create EXP --prompt NAME --variant NAME:WEIGHT --variant NAME:WEIGHT... [--key-hint WHAT]",
		Short: "Start an experiment between versions of a prompt",
		Long: `Each --variant is a version of the prompt — a label (production), a number (4) or a
hash prefix — and its weight in whole percent; weights sum to 100. Variants are
pinned to the versions they name now: moving a label later does not change what
an arm serves.`,
		Example: `  promptbench ab create reply-tone --prompt support/reply --variant production:90 --variant 3:10 --key-hint user_id`,
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if prompt == "" {
				return usagef("ab create needs --prompt NAME")
			}
			specs, err := parseSpecs(variants)
			if err != nil {
				return err
			}
			ws, err := a.openWorkspace("ab create")
			if err != nil {
				return err
			}
			e, err := ws.CreateExperiment(cmd.Context(), args[0], prompt, keyHint, specs)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.Out, e)
			}
			fmt.Fprintf(a.Out, "created experiment %s on %s: %s\n", e.Name, e.Prompt, variantLine(e))
			return nil
		},
	}
	cmd.Flags().StringVar(&prompt, "prompt", "", "the prompt whose versions compete")
	cmd.Flags().StringArrayVar(&variants, "variant", nil, "NAME:WEIGHT, a version (label, number or hash prefix) and its weight in percent (repeatable)")
	cmd.Flags().StringVar(&keyHint, "key-hint", "", "what the key is (user_id, account_id), for people reading the experiment")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the experiment as JSON")
	return cmd
}

func variantLine(e workspace.Experiment) string {
	parts := make([]string, len(e.Variants))
	for i, v := range e.Variants {
		parts[i] = fmt.Sprintf("%s (%s@%d) %d%%", v.Name, e.Prompt, v.Version, v.Weight)
	}
	return strings.Join(parts, ", ")
}

func (a *app) abListCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "List the experiments",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ws, err := a.openWorkspace("ab list")
			if err != nil {
				return err
			}
			exps, err := ws.Experiments(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				if exps == nil {
					exps = []workspace.Experiment{}
				}
				return writeJSON(a.Out, exps)
			}
			if len(exps) == 0 {
				fmt.Fprintln(a.Err, "no experiments yet; start one with `promptbench ab create EXP --prompt NAME --variant production:90 --variant N:10`")
				return nil
			}
			st := a.styles()
			rows := make([][]string, 0, len(exps))
			for _, e := range exps {
				rows = append(rows, []string{e.Name, e.Prompt, e.Status, shortVariants(e), e.Winner, e.Created.Format("2006-01-02")})
			}
			plain := lipgloss.NewStyle()
			printTable(a.out(), []string{"EXPERIMENT", "PROMPT", "STATUS", "VARIANTS", "WINNER", "CREATED"}, rows,
				[]lipgloss.Style{st.title, plain, st.label, plain, plain, st.dim}, st.dim)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func shortVariants(e workspace.Experiment) string {
	parts := make([]string, len(e.Variants))
	for i, v := range e.Variants {
		parts[i] = fmt.Sprintf("%s=v%d:%d%%", v.Name, v.Version, v.Weight)
	}
	return strings.Join(parts, " ")
}

func (a *app) abShowCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show EXP [--json]",
		Short: "Show an experiment: its variants, weights and bucket ranges",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.openWorkspace("ab show")
			if err != nil {
				return err
			}
			e, err := ws.Experiment(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.Out, e)
			}
			w := a.out()
			fmt.Fprintf(w, "experiment %s on %s (%s)\n", e.Name, e.Prompt, e.Status)
			if e.KeyHint != "" {
				fmt.Fprintf(w, "key: %s\n", e.KeyHint)
			}
			fmt.Fprintf(w, "created %s by %s\n", e.Created.Format("2006-01-02 15:04 MST"), e.Author)
			if !e.Stopped.IsZero() {
				line := "stopped " + e.Stopped.Format("2006-01-02 15:04 MST")
				if e.Winner != "" {
					line += ", winner " + e.Winner
				}
				if e.Promoted {
					line += ", promoted to production"
				}
				fmt.Fprintln(w, line)
			}
			for _, v := range e.Variants {
				buckets := make([]string, len(v.Buckets))
				for i, r := range v.Buckets {
					buckets[i] = strconv.Itoa(r.From) + "-" + strconv.Itoa(r.To-1)
				}
				fmt.Fprintf(w, "  %-12s %s@%d (%s)  %3d%%  buckets %s\n", v.Name, e.Prompt, v.Version, v.Hash[:min(12, len(v.Hash))], v.Weight, strings.Join(buckets, ", "))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) abSetWeightsCommand() *cobra.Command {
	var variants []string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "set-weights EXP --variant NAME:WEIGHT...",
		Short: "Change a running experiment's weights (every variant, summing to 100)",
		Long: `Keys move only from variants whose weight falls to variants whose weight rises:
raising a variant's weight never takes a key away from it.`,
		Example: `  promptbench ab set-weights reply-tone --variant production:50 --variant 3:50`,
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			specs, err := parseSpecs(variants)
			if err != nil {
				return err
			}
			ws, err := a.openWorkspace("ab set-weights")
			if err != nil {
				return err
			}
			e, err := ws.SetWeights(cmd.Context(), args[0], specs)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.Out, e)
			}
			fmt.Fprintf(a.Out, "experiment %s: %s\n", e.Name, variantLine(e))
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&variants, "variant", nil, "NAME:WEIGHT for every variant (repeatable)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the experiment as JSON")
	return cmd
}

func (a *app) abStopCommand() *cobra.Command {
	var winner string
	var promote, asJSON bool
	cmd := &cobra.Command{
		Use:   "stop EXP [--winner REF] [--promote]",
		Short: "Stop an experiment; --promote moves production to the winner in the same step",
		Long: `After the stop every key gets the winner (or, with none, the production version).
--winner takes a variant's name or a ref of its version (4, support/reply@4).`,
		Example: `  promptbench ab stop reply-tone --winner 3 --promote`,
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if promote && winner == "" {
				return usagef("--promote needs --winner REF: which variant goes to production")
			}
			ws, err := a.openWorkspace("ab stop")
			if err != nil {
				return err
			}
			res, err := ws.StopExperiment(cmd.Context(), args[0], winner, promote)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.Out, res.Experiment)
			}
			e := res.Experiment
			line := "stopped experiment " + e.Name
			if e.Winner != "" {
				line += fmt.Sprintf("; winner %s (%s@%d)", e.Winner, e.Prompt, e.Variants[e.Variant(e.Winner)].Version)
			}
			fmt.Fprintln(a.Out, line)
			if mv := res.Move; mv != nil {
				switch {
				case mv.From == mv.To:
					fmt.Fprintf(a.Out, "%s@production already points at version %d\n", mv.Prompt, mv.To)
				case mv.From == 0:
					fmt.Fprintf(a.Out, "%s@production → version %d\n", mv.Prompt, mv.To)
				default:
					fmt.Fprintf(a.Out, "%s@production moved from version %d to %d\n", mv.Prompt, mv.From, mv.To)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&winner, "winner", "", "the variant that won: its name or a ref of its version")
	cmd.Flags().BoolVar(&promote, "promote", false, "move the prompt's production label to the winner in the same transaction")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the experiment as JSON")
	return cmd
}
