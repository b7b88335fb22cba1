package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func (a *app) labelCommand() *cobra.Command {
	var del, asJSON bool
	cmd := &cobra.Command{
		Use:   "label REF LABEL | label --delete NAME LABEL",
		Short: "Point a label (production, staging, …) at a version: promote or roll back; --delete removes it",
		Example: `  promptbench label comedian@2 production   # promote
  promptbench label comedian@1 production   # roll back
  promptbench label --delete comedian staging`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 2 {
				return nil
			}
			return usagef(fmt.Sprintf("label takes 2 arguments, got %d: promptbench label REF LABEL, or promptbench label --delete NAME LABEL", len(args)))
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.openWorkspace("label")
			if err != nil {
				return err
			}
			if del {
				rm, err := ws.DeleteLabel(cmd.Context(), args[0], args[1])
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(a.Out, labelJSON{Prompt: rm.Prompt, Label: rm.Label, From: rm.Version, Deleted: true})
				}
				fmt.Fprintf(a.Out, "%s@%s removed (it pointed at version %d)\n", rm.Prompt, rm.Label, rm.Version)
				return nil
			}
			mv, err := ws.SetLabel(cmd.Context(), args[0], args[1])
			if err != nil {
				return err
			}
			switch {
			case asJSON:
				return writeJSON(a.Out, labelJSON{Prompt: mv.Prompt, Label: mv.Label, From: mv.From, To: mv.To})
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
	cmd.Flags().BoolVar(&del, "delete", false, "remove the label LABEL from the prompt NAME")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the change as JSON")
	return cmd
}

// labelJSON is the stable `label --json` document: from is 0 for a new
// label, to is absent for a removed one.
type labelJSON struct {
	Prompt  string `json:"prompt"`
	Label   string `json:"label"`
	From    int    `json:"from,omitempty"`
	To      int    `json:"to,omitempty"`
	Deleted bool   `json:"deleted,omitempty"`
}
