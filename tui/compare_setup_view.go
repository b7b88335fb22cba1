package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"promptbench/tui/termtext"
)

// setupView draws the variants and the variables of the next run, or
// the rows of a dataset file to pick one from.
func (p *comparePane) setupView() []string {
	s, st := &p.setup, p.st
	if !s.loaded {
		return []string{st.muted.Render("Select a prompt in the Library (1), then come back to compare its versions and models.")}
	}
	head := st.title.Render("Compare " + s.prompt)
	if p.blind {
		head += st.warn.Render("  blind")
	}
	if len(p.cols) > 0 {
		head += st.muted.Render("  (esc: back to the outputs)")
	}
	lines := []string{head, st.muted.Render("Variants — ←/→ version · [/] model · a add · x remove · enter or R runs")}
	for i, ch := range s.choices {
		lines = append(lines, p.cursorLine(i, p.variantName(i)+"  "+p.choiceLabel(ch)))
	}
	lines = append(lines, "")
	if p.picking() {
		return append(lines, p.rowsView()...)
	}
	if s.row != nil {
		lines = append(lines, st.muted.Render("Variables from row "+oneLine(s.row.ID)+" of "+s.rowFrom+" — edit one to use the form instead · o: another row"))
	} else {
		lines = append(lines, st.muted.Render("Variables — enter edits · o: a row of a dataset file"))
	}
	if len(s.names) == 0 {
		lines = append(lines, st.muted.Render("  (these versions use no variables)"))
	}
	nameWidth := 0
	for _, n := range s.names {
		nameWidth = max(nameWidth, ansi.StringWidth(n))
	}
	for i, name := range s.names {
		row := len(s.choices) + i
		value := oneLineValue(s.values[name])
		if p.input == inputVariable && s.cursor == row {
			for j, l := range strings.Split(p.area.View(), "\n") {
				lead := strings.Repeat(" ", nameWidth+5)
				if j == 0 {
					lead = " › " + padRight(name, nameWidth) + "  "
				}
				lines = append(lines, lead+l)
			}
			continue
		}
		if value == "" {
			value = st.muted.Render("(empty: not given)")
		}
		lines = append(lines, p.cursorLine(row, padRight(name, nameWidth)+"  "+value))
	}
	if p.input == inputDataset {
		lines = append(lines, "", st.accent.Render("dataset: ")+p.field.View())
	}
	return keepVisible(lines, p.height, 2+s.cursor)
}

// cursorLine marks the row under the cursor.
func (p *comparePane) cursorLine(row int, text string) string {
	if row == p.setup.cursor && p.input == inputNone && !p.picking() {
		return p.st.cursor.Render(" › " + text)
	}
	return "   " + text
}

// oneLineValue shows a typed value on one line.
func oneLineValue(v string) string {
	return strings.ReplaceAll(termtext.Sanitize(v), "\n", "⏎")
}

// keepVisible cuts lines to height, keeping line at in view.
func keepVisible(lines []string, height, at int) []string {
	if len(lines) <= height || height <= 0 {
		return lines
	}
	start := min(max(at-height/2, 0), len(lines)-height)
	return lines[start : start+height]
}
