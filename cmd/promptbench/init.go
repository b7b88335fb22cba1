package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"promptbench/workspace"
)

func (a *app) initCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create a workspace (.promptbench/ here, or --workspace DIR)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir := a.wsFlag
			if dir == "" {
				dir = a.getenv("PROMPTBENCH_WORKSPACE")
			}
			if dir == "" {
				dir = workspace.DirName
			}
			ws, created, err := workspace.Init(cmd.Context(), dir, a.options("init"))
			if err != nil {
				return err
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
	return cmd
}
