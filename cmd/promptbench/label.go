package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"promptbench/workspace"
)

func (a *app) labelCommand() *cobra.Command {
	var del, asJSON, force bool
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
			mv, err := ws.SetLabelWith(cmd.Context(), args[0], args[1], workspace.LabelOptions{Force: force})
			if err != nil {
				return err
			}
			if mv.Forced && !asJSON {
				fmt.Fprintf(a.Err, "warning: %s@%s is protected and moved without an approved review: recorded as forced\n", mv.Prompt, mv.Label)
			}
			switch {
			case asJSON:
				return writeJSON(a.Out, labelJSON{Prompt: mv.Prompt, Label: mv.Label, From: mv.From, To: mv.To, Review: mv.Review, Forced: mv.Forced})
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
	cmd.Flags().BoolVar(&force, "force", false, "move a protected label without an approved review (recorded as forced; promptbench verify fails on it)")
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
	Review  string `json:"review,omitempty"` // the approved review a protected label moved with
	Forced  bool   `json:"forced,omitempty"` // moved without one (--force)
}
