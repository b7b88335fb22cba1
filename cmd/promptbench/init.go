package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"promptbench/workspace"
	"promptbench/workspace/exchange"
)

func (a *app) initCommand() *cobra.Command {
	var demo bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create a workspace (.promptbench/ here, or --workspace DIR); --demo loads the demo library",
		Long: `init creates a workspace: .promptbench/ in the current folder, or the directory
named by --workspace. Running it again changes nothing. --demo loads the demo
library into a new or empty workspace (it refuses one that holds prompts of its
own, so that the demo never mixes into them) and writes its datasets.`,
		Example: `  promptbench init
  promptbench --workspace /tmp/demo init --demo`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir := a.wsFlag
			if dir == "" {
				dir = a.getenv("PROMPTBENCH_WORKSPACE")
			}
			if dir == "" {
				dir = workspace.DirName
			}
			dir, err := workspace.ResolveGiven(dir)
			if err != nil {
				return err
			}
			_, statErr := os.Stat(filepath.Join(dir, workspace.GitignoreName))
			hadIgnore := statErr == nil
			ws, created, err := workspace.Init(cmd.Context(), dir, a.options("init"))
			if err != nil {
				return err
			}
			if demo {
				return a.loadDemo(cmd.Context(), ws, created)
			}
			if created {
				fmt.Fprintf(a.Out, "Created workspace %s\n", ws.Dir)
				fmt.Fprintf(a.Out, "Next: promptbench commit NAME -m \"first version\" --file prompt.txt\n")
			} else if !hadIgnore {
				fmt.Fprintf(a.Out, "Workspace %s already exists; added %s (the store stays out of git)\n", ws.Dir, workspace.GitignoreName)
			} else {
				fmt.Fprintf(a.Out, "Workspace %s already exists; nothing changed\n", ws.Dir)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&demo, "demo", false, "load the demo library (a dozen prompts with history and labels) and its datasets into a new or empty workspace")
	return cmd
}

// demoElsewhere is the workspace the refusal of a non-empty one suggests.
const demoElsewhere = "/tmp/promptbench-demo"

// loadDemo loads the demo library into an empty workspace and says what
// it did.
func (a *app) loadDemo(ctx context.Context, ws *workspace.Workspace, created bool) error {
	d, err := exchange.LoadDemo(ctx, ws)
	var ne *exchange.NotEmptyError
	if errors.As(err, &ne) {
		return fmt.Errorf("%w. The demo goes into a workspace of its own: promptbench --workspace %s init --demo", err, demoElsewhere)
	}
	if err != nil {
		return err
	}
	plan := d.Plan
	switch {
	case !plan.Changes():
		fmt.Fprintf(a.Out, "Workspace %s already holds the demo library; nothing changed\n", ws.Dir)
	case created:
		fmt.Fprintf(a.Out, "Created workspace with the demo library: %s: %s, %s\n", ws.Dir,
			plural(len(plan.NewPrompts), "prompt"), plural(plan.NewVersionCount, "version"))
	default:
		fmt.Fprintf(a.Out, "Loaded the demo library into %s: %s, %s\n", ws.Dir,
			plural(len(plan.NewPrompts), "prompt"), plural(plan.NewVersionCount, "version"))
	}
	if len(d.Datasets) > 0 {
		fmt.Fprintf(a.Out, "Datasets in %s: %s\n", d.Dir, strings.Join(d.Datasets, ", "))
	}
	if len(d.Evals) > 0 {
		fmt.Fprintf(a.Out, "Evaluation suites in %s: %s (promptbench --eval %s)\n", d.EvalsDir, strings.Join(d.Evals, ", "), filepath.Join(d.EvalsDir, d.Evals[0]))
	}
	fmt.Fprintf(a.Out, "Next: promptbench list, promptbench history support/reply, promptbench render fun/joke --var style=short --var topic=cats\n")
	return nil
}
