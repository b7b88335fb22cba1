package termtext

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Marks for white space that a diff must show, since a changed line would
// otherwise look unchanged: a carriage return, a tab, a space at a line's
// or a word's end.
const (
	CRMark    = "␍"
	TabMark   = "→"
	SpaceMark = "·"
)

// Run is a piece of a line drawn with white space made visible: text, or
// a mark standing for white space.
type Run struct {
	Text string
	Mark bool
}

// VisibleSpace cuts a removed or added line into runs in which every CR
// and tab and each space at the end of the line is a mark. A tab's arrow
// is padded to the next tab stop (every 4 columns) so columns stay where
// they were. show turns each text run into what is drawn (Sanitize for a
// terminal, nothing for a pipe); columns count what show returns.
func VisibleSpace(text string, show func(string) string) []Run {
	var runs []Run
	trail := len(strings.TrimRight(text, " \t\r"))
	col, from := 0, 0
	flush := func(to int) {
		if to > from {
			s := show(text[from:to])
			runs = append(runs, Run{Text: s})
			col += ansi.StringWidth(s)
		}
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '\r' && c != '\t' && (c != ' ' || i < trail) {
			continue
		}
		flush(i)
		m := SpaceMark
		switch c {
		case '\r':
			m = CRMark
		case '\t':
			m = TabMark + strings.Repeat(" ", 3-col%4)
		}
		runs = append(runs, Run{Text: m, Mark: true})
		col += ansi.StringWidth(m)
		from = i + 1
	}
	flush(len(text))
	return runs
}

// MarkSpace shows the CRs and tabs of a changed word run, and the spaces
// at its two ends, which a colour or a bracket would hide.
func MarkSpace(s string) string {
	lead := len(s) - len(strings.TrimLeft(s, " "))
	trail := len(strings.TrimRight(s, " "))
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\r':
			b.WriteString(CRMark)
		case c == '\t':
			b.WriteString(TabMark)
		case c == ' ' && (i < lead || i >= trail):
			b.WriteString(SpaceMark)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
