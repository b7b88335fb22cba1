package main

import (
	"fmt"
	"io"
	"strings"

	"charm.land/lipgloss/v2"

	"promptbench/tui/termtext"
	"promptbench/workspace"
)

// Markers that make white space visible on changed lines, where a change
// of CRLF to LF or of a tab to spaces would otherwise look like nothing.
// (termtext holds the CR, tab and space marks, which the terminal UI's
// diff shares.)
const (
	newlineMark = "↵"
	noNewline   = `\ No newline at end`
)

// diffView prints diffs. On a terminal the text is sanitised (and
// coloured when colour is on); to a pipe it is the stored text, markers
// aside.
type diffView struct {
	w        io.Writer
	st       styles
	color    bool
	terminal bool
}

// paint styles one line's piece; without colour it leaves s untouched
// (lipgloss would turn its tabs into spaces).
func (v diffView) paint(style lipgloss.Style, s string) string {
	if !v.color || s == "" {
		return s
	}
	return style.TabWidth(lipgloss.NoTabConversion).Render(s)
}

// text is stored text for one line: sanitised on a terminal.
func (v diffView) text(s string) string {
	if v.terminal {
		return termtext.Sanitize(strings.TrimSuffix(s, "\r"))
	}
	return s
}

func (v diffView) header(p workspace.DiffPart) {
	fmt.Fprintln(v.w, v.paint(v.st.title, "--- "+p.From))
	fmt.Fprintln(v.w, v.paint(v.st.title, "+++ "+p.To))
}

func (v diffView) hunkHeader(h workspace.DiffHunk) {
	from, to := 0, 0
	for _, l := range h.Lines {
		if l.Kind != workspace.DiffInsert {
			from++
		}
		if l.Kind != workspace.DiffDelete {
			to++
		}
	}
	fmt.Fprintln(v.w, v.paint(v.st.hunk, fmt.Sprintf("@@ -%s +%s @@", hunkRange(h.From, from), hunkRange(h.To, to))))
}

// hunkRange is one side of a hunk header as diff -u writes it.
func hunkRange(start, n int) string {
	switch {
	case n == 0:
		return fmt.Sprintf("%d,0", start-1)
	case n == 1:
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}

// lines prints the parts as unified diffs.
func (v diffView) lines(parts []workspace.DiffPart) {
	changed := false
	for _, p := range parts {
		if len(p.Hunks) == 0 {
			continue
		}
		changed = true
		v.header(p)
		for _, h := range p.Hunks {
			v.hunkHeader(h)
			for _, l := range h.Lines {
				switch l.Kind {
				case workspace.DiffEqual:
					fmt.Fprintln(v.w, " "+v.text(l.Text))
				case workspace.DiffDelete:
					fmt.Fprintln(v.w, v.changedLine("-", l.Text, v.st.del))
				case workspace.DiffInsert:
					fmt.Fprintln(v.w, v.changedLine("+", l.Text, v.st.add))
				}
				if l.NoNewline {
					fmt.Fprintln(v.w, v.paint(v.st.dim, noNewline))
				}
			}
		}
	}
	if !changed {
		fmt.Fprintln(v.w, "no differences")
	}
}

// changedLine is a removed or added line with its white space made
// visible: every CR and tab, and spaces at the end of the line.
func (v diffView) changedLine(prefix, text string, style lipgloss.Style) string {
	var b strings.Builder
	b.WriteString(v.paint(style, prefix))
	mark := style.Reverse(true)
	for _, r := range termtext.VisibleSpace(text, v.text) {
		if r.Mark {
			b.WriteString(v.paint(mark, r.Text))
		} else {
			b.WriteString(v.paint(style, r.Text))
		}
	}
	return b.String()
}

// stat prints the lines added and removed in each changed part.
func (v diffView) stat(parts []workspace.DiffPart) {
	width, changed, added, removed := 0, 0, 0, 0
	for _, p := range parts {
		if len(p.Hunks) > 0 {
			width = max(width, len(p.Title))
		}
	}
	for _, p := range parts {
		if len(p.Hunks) == 0 {
			continue
		}
		changed++
		added += p.Added
		removed += p.Removed
		fmt.Fprintf(v.w, " %-*s | %s %s\n", width, p.Title,
			v.paint(v.st.add, fmt.Sprintf("+%d", p.Added)), v.paint(v.st.del, fmt.Sprintf("-%d", p.Removed)))
	}
	if changed == 0 {
		fmt.Fprintln(v.w, "no differences")
		return
	}
	fmt.Fprintf(v.w, " %d of %d parts changed, %s added, %s removed\n", changed, len(parts), plural(added, "line"), plural(removed, "line"))
}
