package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/spf13/cobra"

	"promptbench/tui/termtext"
	"promptbench/workspace"
)

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
			parsed, err := workspace.ParseTags(tags)
			if err != nil {
				return err
			}
			ws, err := a.openWorkspace("list")
			if err != nil {
				return err
			}
			prompts, err := ws.List(cmd.Context(), workspace.Filter{Tags: parsed, Search: search})
			if err != nil {
				return err
			}
			if asJSON {
				if prompts == nil {
					prompts = []workspace.Prompt{}
				}
				return writeJSONArray(a.Out, prompts, (*workspace.Prompt).AppendJSON)
			}
			if len(prompts) == 0 && len(parsed) == 0 && search == "" {
				fmt.Fprintln(a.Err, "no prompts yet; commit one with `promptbench commit NAME --file FILE`, or try `promptbench init --demo` in a new workspace")
				return nil
			}
			return a.printList(prompts)
		},
	}
	cmd.Flags().StringArrayVar(&tags, "tag", nil, "only prompts with this tag facet:value (repeat: all must match)")
	cmd.Flags().StringVar(&search, "search", "", "only prompts whose name, description or tags contain this text")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) printList(prompts []workspace.Prompt) error {
	if len(prompts) == 0 {
		fmt.Fprintln(a.Err, "no prompts match")
		return nil
	}
	st := a.styles()
	rows := make([][]string, 0, len(prompts))
	for _, p := range prompts {
		labels := make([]string, 0, len(p.Labels))
		for l, n := range p.Labels {
			labels = append(labels, fmt.Sprintf("%s@%d", l, n))
		}
		sort.Strings(labels)
		rows = append(rows, []string{p.Name, strconv.Itoa(p.Latest), strings.Join(labels, " "), strings.Join(p.Tags, " "), termtext.Sanitize(oneLine(p.Description, 60))})
	}
	plain := lipgloss.NewStyle()
	printTable(a.out(), []string{"NAME", "VER", "LABELS", "TAGS", "DESCRIPTION"}, rows,
		[]lipgloss.Style{st.title, plain, st.label, st.tag, plain}, st.dim)
	return nil
}
