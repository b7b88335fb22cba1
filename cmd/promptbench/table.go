package main

import (
	"bufio"
	"io"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// paint is a style reduced to the escape codes around its text, so that a
// table of thousands of cells styles each with two concatenations instead
// of a full lipgloss render.
type paint struct{ before, after string }

// marker is a private-use rune no prompt text contains.
const marker = "\uE000"

func newPaint(s lipgloss.Style) paint {
	r := s.Render(marker)
	before, after, ok := strings.Cut(r, marker)
	if !ok {
		return paint{}
	}
	return paint{before, after}
}

func (p paint) apply(s string) string {
	if s == "" || p.before == "" {
		return s
	}
	return p.before + s + p.after
}

// printTable aligns plain cells into columns two spaces apart and styles
// each cell after padding, so that escape codes never skew the widths. A
// nil header prints no header row.
func printTable(out io.Writer, header []string, rows [][]string, colStyles []lipgloss.Style, headStyle lipgloss.Style) {
	widths := make([]int, len(colStyles))
	measure := func(cells []string) {
		for i, c := range cells {
			widths[i] = max(widths[i], cellWidth(c))
		}
	}
	if header != nil {
		measure(header)
	}
	for _, r := range rows {
		measure(r)
	}
	t := newTableWriter(out, widths, colStyles)
	defer t.flush()
	if header != nil {
		t.header(header, headStyle)
	}
	for _, r := range rows {
		t.row(r)
	}
}

// tableWriter writes the lines of a table whose column widths are known.
type tableWriter struct {
	// One write per 64 KB, not per row: 10,000 rows were 10,000 writes.
	w      *bufio.Writer
	widths []int
	paints []paint
}

func newTableWriter(out io.Writer, widths []int, colStyles []lipgloss.Style) *tableWriter {
	paints := make([]paint, len(colStyles))
	for i, s := range colStyles {
		paints[i] = newPaint(s)
	}
	return &tableWriter{w: bufio.NewWriterSize(out, 64<<10), widths: widths, paints: paints}
}

func (t *tableWriter) header(cells []string, style lipgloss.Style) {
	head := newPaint(style)
	t.line(cells, func(int) paint { return head })
}

func (t *tableWriter) row(cells []string) {
	t.line(cells, func(i int) paint { return t.paints[i] })
}

func (t *tableWriter) line(cells []string, paintOf func(int) paint) {
	last := len(cells) - 1
	for last > 0 && cells[last] == "" {
		last-- // no trailing padding for empty cells
	}
	for i, c := range cells[:last+1] {
		if p := paintOf(i); c != "" && p.before != "" {
			t.w.WriteString(p.before)
			t.w.WriteString(c)
			t.w.WriteString(p.after)
		} else {
			t.w.WriteString(c)
		}
		if i < last {
			pad(t.w, t.widths[i]-cellWidth(c)+2)
		}
	}
	t.w.WriteByte('\n')
}

func (t *tableWriter) flush() { t.w.Flush() }

const spaces = "                                                                "

// pad writes n spaces.
func pad(w *bufio.Writer, n int) {
	for n > len(spaces) {
		w.WriteString(spaces)
		n -= len(spaces)
	}
	w.WriteString(spaces[:max(n, 0)])
}

// cellWidth is the display width of a cell: its length when it is plain
// ASCII, as most names and tags are, else what the terminal will use.
func cellWidth(s string) int {
	if printableASCII(s) {
		return len(s)
	}
	return ansi.StringWidth(s)
}

// printableASCII tells whether every byte of s is in 0x20–0x7e. It tests
// eight bytes at a time: a table of 10,000 rows measures 50,000 cells.
func printableASCII(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		v := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		del := v ^ 0x7f*ones
		// A byte of 0x80 or more; a byte below 0x20; a byte of 0x7f
		// (the usual "has a zero byte" test on v^0x7f7f…).
		if v&highs != 0 || (v-0x20*ones)&^v&highs != 0 || (del-ones)&^del&highs != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}
