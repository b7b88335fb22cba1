package main

import (
	"fmt"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/spf13/cobra"

	"promptbench/tui/termtext"
	"promptbench/workspace"
)

// listGCPercent is the garbage collector's GOGC while a listing runs. A
// listing keeps every prompt it reads until it has printed them all and
// makes little garbage besides (it allocates about three times what it
// keeps), so a collection frees almost nothing: at Go's default of 100
// the collector ran two or three times while listing 10,000 prompts, for
// about a seventh of the command's CPU time. At 1000 it does not run up to
// about 15,000 prompts and seldom beyond, and the peak memory stays what
// it was (44 MB at 10,000 prompts). A GOGC the user sets wins.
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
	plain := lipgloss.NewStyle()
	printTable(a.out(), []string{"NAME", "VER", "LABELS", "TAGS", "DESCRIPTION"}, listRows(prompts),
		[]lipgloss.Style{st.title, plain, st.label, st.tag, plain}, st.dim)
	return nil
}

// listRows are the cells of list's table. The text made for them (version
// numbers, labels, tags) is written into one builder and the cells are
// pieces of it, and all rows share one array of cells: two allocations
// for the table instead of several per prompt.
func listRows(prompts []workspace.Prompt) [][]string {
	const cols = 5
	var text strings.Builder
	ends := make([]int, 0, 3*len(prompts)) // where each row's version, labels and tags end in text
	var num [20]byte
	var labels []string
	for _, p := range prompts {
		text.Write(strconv.AppendInt(num[:0], int64(p.Latest), 10))
		ends = append(ends, text.Len())
		labels = labels[:0]
		for l := range p.Labels {
			labels = append(labels, l)
		}
		sort.Strings(labels)
		for i, l := range labels {
			if i > 0 {
				text.WriteByte(' ')
			}
			text.WriteString(l)
			text.WriteByte('@')
			text.Write(strconv.AppendInt(num[:0], int64(p.Labels[l]), 10))
		}
		ends = append(ends, text.Len())
		for i, t := range p.Tags {
			if i > 0 {
				text.WriteByte(' ')
			}
			text.WriteString(t)
		}
		ends = append(ends, text.Len())
	}
	all := text.String()
	cells := make([]string, cols*len(prompts))
	rows := make([][]string, len(prompts))
	start := 0
	for i, p := range prompts {
		row := cells[i*cols : (i+1)*cols : (i+1)*cols]
		row[0] = p.Name
		for j := range 3 {
			end := ends[3*i+j]
			row[1+j] = all[start:end]
			start = end
		}
		row[4] = termtext.Sanitize(oneLine(p.Description, 60))
		rows[i] = row
	}
	return rows
}
