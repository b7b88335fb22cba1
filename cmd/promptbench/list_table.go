package main

import (
	"cmp"
	"io"
	"slices"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"

	"promptbench/tui/termtext"
	"promptbench/workspace"
)

// listTable is list's table, made row by row as the prompts are read
// (add), with the column widths measured on the way. A row's text is
// written into scratch space, then copied into a large block of text its
// cells are pieces of: no allocation per prompt, and nothing kept of the
// prompts themselves.
type listTable struct {
	blocks [][]listRow
	n      int
	widths []int
	text   strings.Builder  // the block the rows' text is copied into
	row    []byte           // scratch: the row being made
	labels []labelAtVersion // scratch: the prompt's labels
}

// listRow is a row's cells, one after the other in text; cell i ends at
// ends[i], the last at the end of text.
type listRow struct {
	text string
	ends [len(listHeader) - 1]uint32
}

type labelAtVersion struct {
	name    string
	version int
}

var listHeader = [...]string{"NAME", "VER", "LABELS", "TAGS", "DESCRIPTION"}

const (
	listTextBlock = 64 << 10
	listRowBlock  = 1024
)

func newListTable() *listTable {
	t := &listTable{widths: make([]int, len(listHeader))}
	for i, h := range listHeader {
		t.widths[i] = cellWidth(h)
	}
	return t
}

// add makes p's row: its name, latest version, labels by name, tags, and
// the first line of its description, sanitised for the terminal.
func (t *listTable) add(p *workspace.Prompt) error {
	var ends [len(listHeader)]int // where each cell ends in t.row
	b := append(t.row[:0], p.Name...)
	ends[0] = len(b)
	b = strconv.AppendInt(b, int64(p.Latest), 10)
	ends[1] = len(b)
	t.labels = t.labels[:0]
	for l, v := range p.Labels {
		t.labels = append(t.labels, labelAtVersion{l, v})
	}
	slices.SortFunc(t.labels, func(a, b labelAtVersion) int { return cmp.Compare(a.name, b.name) })
	for i, l := range t.labels {
		if i > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendInt(append(append(b, l.name...), '@'), int64(l.version), 10)
	}
	ends[2] = len(b)
	for i, tag := range p.Tags {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, tag...)
	}
	ends[3] = len(b)
	b = append(b, termtext.Sanitize(oneLine(p.Description, 60))...)
	ends[4] = len(b)
	t.row = b

	// A Builder never changes the text it has written: its String is the
	// block's text so far, without a copy.
	if t.text.Cap()-t.text.Len() < len(b) {
		t.text = strings.Builder{}
		t.text.Grow(max(listTextBlock, len(b)))
	}
	start := t.text.Len()
	t.text.Write(b)
	r := listRow{text: t.text.String()[start:]}
	from := 0
	for i, end := range ends {
		t.widths[i] = max(t.widths[i], cellWidth(r.text[from:end]))
		if i < len(r.ends) {
			r.ends[i] = uint32(end)
		}
		from = end
	}
	if len(t.blocks) == 0 || len(t.blocks[len(t.blocks)-1]) == listRowBlock {
		t.blocks = append(t.blocks, make([]listRow, 0, listRowBlock))
	}
	last := &t.blocks[len(t.blocks)-1]
	*last = append(*last, r)
	t.n++
	return nil
}

// print writes the table as printTable writes it.
func (t *listTable) print(out io.Writer, st styles) {
	plain := lipgloss.NewStyle()
	w := newTableWriter(out, t.widths, []lipgloss.Style{st.title, plain, st.label, st.tag, plain})
	defer w.flush()
	w.header(listHeader[:], st.dim)
	var cells [len(listHeader)]string
	for _, block := range t.blocks {
		for _, r := range block {
			from := 0
			for i := range cells {
				end := len(r.text)
				if i < len(r.ends) {
					end = int(r.ends[i])
				}
				cells[i] = r.text[from:end]
				from = end
			}
			w.row(cells[:])
		}
	}
}
