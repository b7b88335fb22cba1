package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"promptbench/workspace"
)

func (a *app) initCommand() *cobra.Command {
	var demo bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create a workspace (.promptbench/ here, or --workspace DIR); --demo loads the demo library",
		Args:  exactArgs(0),
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
			} else {
				fmt.Fprintf(a.Out, "Workspace %s already exists; nothing changed\n", ws.Dir)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&demo, "demo", false, "load the demo library (a dozen prompts with history and labels) and its datasets")
	return cmd
}
