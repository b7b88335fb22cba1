package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func (a *app) labelCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "label REF LABEL",
		Short: "Point a label (production, staging, …) at a version: promote or roll back",
		Example: `  promptbench label comedian@2 production   # promote
  promptbench label comedian@1 production   # roll back`,
		Args: exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.openWorkspace("label")
			if err != nil {
				return err
			}
			mv, err := ws.SetLabel(cmd.Context(), args[0], args[1])
			if err != nil {
				return err
			}
			switch {
			case mv.From == mv.To:
				fmt.Fprintf(a.Out, "%s@%s already points at version %d; nothing changed\n", mv.Prompt, mv.Label, mv.To)
			case mv.From == 0:
				fmt.Fprintf(a.Out, "%s@%s → version %d\n", mv.Prompt, mv.Label, mv.To)
			default:
				fmt.Fprintf(a.Out, "%s@%s moved from version %d to %d\n", mv.Prompt, mv.Label, mv.From, mv.To)
			}
			return nil
		},
	}
}
