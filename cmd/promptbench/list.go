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
			var rows listRows
			if err := ws.EachPrompt(cmd.Context(), filter, rows.add); err != nil {
				return err
			}
			if len(rows.rows) == 0 && len(parsed) == 0 && search == "" {
				fmt.Fprintln(a.Err, "no prompts yet; commit one with `promptbench commit NAME --file FILE`, or try `promptbench init --demo` in a new workspace")
				return nil
			}
			return a.printList(rows.rows)
		},
	}
	cmd.Flags().StringArrayVar(&tags, "tag", nil, "only prompts with this tag facet:value (repeat: all must match)")
	cmd.Flags().StringVar(&search, "search", "", "only prompts whose name, description or tags contain this text")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) printList(rows [][]string) error {
	if len(rows) == 0 {
		fmt.Fprintln(a.Err, "no prompts match")
		return nil
	}
	st := a.styles()
	plain := lipgloss.NewStyle()
	printTable(a.out(), []string{"NAME", "VER", "LABELS", "TAGS", "DESCRIPTION"}, rows,
		[]lipgloss.Style{st.title, plain, st.label, st.tag, plain}, st.dim)
	return nil
}

// listRows are the cells of list's table, made from each prompt as it is
// read (listRows.add). A row's text is written into scratch space, then
// copied into a large block of text its cells are pieces of; the cells of
// many rows share one array: a few allocations for every 500 rows instead
// of several per prompt, and nothing kept of the prompts themselves.
type listRows struct {
	rows   [][]string
	text   strings.Builder // the block the rows' text is copied into
	cells  []string        // the block cells are carved from
	row    []byte          // scratch: the row being made
	labels []string        // scratch: the prompt's labels, sorted
}

const (
	listCols      = 5
	listTextBlock = 64 << 10
	listCellBlock = 512 * listCols
)

func (r *listRows) add(p *workspace.Prompt) error {
	var ends [listCols]int // where each cell ends in r.row
	b := append(r.row[:0], p.Name...)
	ends[0] = len(b)
	b = strconv.AppendInt(b, int64(p.Latest), 10)
	ends[1] = len(b)
	r.labels = r.labels[:0]
	for l := range p.Labels {
		r.labels = append(r.labels, l)
	}
	sort.Strings(r.labels)
	for i, l := range r.labels {
		if i > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendInt(append(append(b, l...), '@'), int64(p.Labels[l]), 10)
	}
	ends[2] = len(b)
	for i, t := range p.Tags {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, t...)
	}
	ends[3] = len(b)
	b = append(b, termtext.Sanitize(oneLine(p.Description, 60))...)
	ends[4] = len(b)
	r.row = b

	// A Builder never changes the text it has written: its String is
	// the block's text so far, without a copy.
	if r.text.Cap()-r.text.Len() < len(b) {
		r.text = strings.Builder{}
		r.text.Grow(max(listTextBlock, len(b)))
	}
	start := r.text.Len()
	r.text.Write(b)
	all := r.text.String()[start:]
	if len(r.cells)+listCols > cap(r.cells) {
		r.cells = make([]string, 0, listCellBlock)
	}
	cells := r.cells[len(r.cells) : len(r.cells)+listCols : len(r.cells)+listCols]
	r.cells = r.cells[:len(r.cells)+listCols]
	from := 0
	for i, end := range ends {
		cells[i] = all[from:end]
		from = end
	}
	r.rows = append(r.rows, cells)
	return nil
}
