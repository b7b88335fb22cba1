package main

import (
	"fmt"
	"io"
	"strings"

	"charm.land/lipgloss/v2"
)

// printTable aligns plain cells into columns two spaces apart and styles
// each cell after padding, so that escape codes never skew the widths. A
// nil header prints no header row.
func printTable(w io.Writer, header []string, rows [][]string, colStyles []lipgloss.Style, headStyle lipgloss.Style) {
	cols := len(colStyles)
	widths := make([]int, cols)
	measure := func(cells []string) {
		for i, c := range cells {
			widths[i] = max(widths[i], lipgloss.Width(c))
		}
	}
	if header != nil {
		measure(header)
	}
	for _, r := range rows {
		measure(r)
	}
	line := func(cells []string, style func(int) lipgloss.Style) {
		var sb strings.Builder
		for i, c := range cells {
			if i == len(cells)-1 {
				sb.WriteString(style(i).Render(c))
				break
			}
			pad := widths[i] - lipgloss.Width(c) + 2
			sb.WriteString(style(i).Render(c))
			sb.WriteString(strings.Repeat(" ", pad))
		}
		fmt.Fprintln(w, strings.TrimRight(sb.String(), " "))
	}
	if header != nil {
		line(header, func(int) lipgloss.Style { return headStyle })
	}
	for _, r := range rows {
		line(r, func(i int) lipgloss.Style { return colStyles[i] })
	}
}
