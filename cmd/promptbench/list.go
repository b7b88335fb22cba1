package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"promptbench/workspace"
)

// listGCPercent is the garbage collector's GOGC while a listing runs. A
// listing keeps what it prints until it has read every prompt and makes
// little garbage besides, so a collection frees almost nothing: at Go's
// default of 100 the collector ran two or three times while listing
// 10,000 prompts, for about a seventh of the command's CPU time. A GOGC
// the user sets wins.
const listGCPercent = 1000

func (a *app) listCommand() *cobra.Command {
	var tags []string
	var search string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List prompts, filtered by tags and text",
		Example: `  promptbench list --tag purpose:support
  promptbench list --search invoice --json`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if a.getenv("GOGC") == "" {
				defer debug.SetGCPercent(debug.SetGCPercent(listGCPercent))
			}
			parsed, err := workspace.ParseTags(tags)
			if err != nil {
				return err
			}
			ws, err := a.openWorkspace("list")
			if err != nil {
				return err
			}
			filter := workspace.Filter{Tags: parsed, Search: search}
			// Each prompt is made into what is printed as it is read, and
			// printed once the store is closed: a slow reader of stdout
			// (a pager) never holds the store.
			if asJSON {
				var out jsonArray
				err := ws.EachPrompt(cmd.Context(), filter, func(p *workspace.Prompt) error {
					return out.add(func(b []byte) ([]byte, error) { return p.AppendJSON(b, "  ", "  ") })
				})
				if err != nil {
					return err
				}
				return out.writeTo(a.Out)
			}
			table := newListTable()
			if err := ws.EachPrompt(cmd.Context(), filter, table.add); err != nil {
				return err
			}
			switch {
			case table.n > 0:
				st := a.styles()
				table.print(a.out(), st)
			case len(parsed) == 0 && search == "":
				fmt.Fprintln(a.Err, "no prompts yet; commit one with `promptbench commit NAME --file FILE`, or try `promptbench init --demo` in a new workspace")
			default:
				fmt.Fprintln(a.Err, "no prompts match")
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&tags, "tag", nil, "only prompts with this tag facet:value (repeat: all must match)")
	cmd.Flags().StringVar(&search, "search", "", "only prompts whose name, description or tags contain this text")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
