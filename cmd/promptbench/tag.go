package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"promptbench/workspace"
)

func (a *app) tagCommand() *cobra.Command {
	var add, remove []string
	var description string
	cmd := &cobra.Command{
		Use:   "tag NAME [--add F:V]... [--remove F:V]... [--description D]",
		Short: "Change a prompt's tags or description (no new version)",
		Example: `  promptbench tag support-reply --add tone:friendly --remove tone:formal
  promptbench tag support-reply --description "Replies to support tickets"`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addTags, err := workspace.ParseTags(add)
			if err != nil {
				return err
			}
			removeTags, err := workspace.ParseTags(remove)
			if err != nil {
				return err
			}
			var desc *string
			if cmd.Flags().Changed("description") {
				desc = &description
			}
			if len(addTags) == 0 && len(removeTags) == 0 && desc == nil {
				return usagef("tag: nothing to change; give --add, --remove or --description")
			}
			ws, err := a.openWorkspace("tag")
			if err != nil {
				return err
			}
			p, warnings, err := ws.Retag(cmd.Context(), args[0], addTags, removeTags, desc)
			for _, w := range warnings {
				a.warn(w)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(a.Out, "%s: tags %s\n", p.Name, strings.Join(p.Tags, " "))
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&add, "add", nil, "add a tag facet:value (repeatable)")
	cmd.Flags().StringArrayVar(&remove, "remove", nil, "remove a tag facet:value (repeatable)")
	cmd.Flags().StringVar(&description, "description", "", "set the prompt's description")
	return cmd
}
