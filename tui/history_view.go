package tui

import (
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"promptbench/tui/termtext"
	"promptbench/workspace"
)

// pair is the two versions the diff compares, older first: the marked
// two, or the version under the cursor and its parent; 0 where there is
// none.
func (p *historyPane) pair() [2]int {
	if len(p.marks) == 2 {
		a, b := p.marks[0], p.marks[1]
		return [2]int{min(a, b), max(a, b)}
	}
	if len(p.marks) == 1 {
		v, ok := p.current()
		if ok && v.Number != p.marks[0] {
			return [2]int{min(v.Number, p.marks[0]), max(v.Number, p.marks[0])}
		}
		return [2]int{}
	}
	v, ok := p.current()
	if !ok || v.Parent == 0 || p.indexOf(v.Parent) < 0 {
		return [2]int{}
	}
	return [2]int{v.Parent, v.Number}
}

// refreshDiff renders the diff again when the pair changed, or always
// with force (new versions, width, theme or mode).
func (p *historyPane) refreshDiff(force bool) {
	pair := p.pair()
	if pair == p.diffPair && !force {
		return
	}
	moved := pair != p.diffPair
	p.diffPair = pair
	p.resize()
	if p.width <= 0 {
		return
	}
	if pair[0] == 0 {
		p.diff.SetContent("")
		return
	}
	a, b := p.versions[p.indexOf(pair[0])], p.versions[p.indexOf(pair[1])]
	rows := renderDiff(workspace.Diff(a, b), p.words, p.st, p.width)
	p.diff.SetContent(strings.Join(rows, "\n"))
	if moved {
		p.diff.GotoTop()
	}
}

// resize splits the height between the list (up to 40%) and the diff.
func (p *historyPane) resize() {
	h := p.height
	p.listRows = max(min(len(p.versions), h*2/5), min(3, h))
	p.diff.SetWidth(p.width)
	p.diff.SetHeight(max(h-p.listRows-2, 0))
	p.scroll()
}

func (p *historyPane) View() string {
	if p.width <= 0 || p.height <= 0 {
		return ""
	}
	st := p.c.styles.Base
	if p.name == "" {
		return st.Muted.Render("Select a prompt in the Library (1).")
	}
	if !p.loaded {
		return st.Muted.Render("Loading…")
	}
	lines := make([]string, 0, p.height)
	lines = append(lines, st.Heading.Render(termtext.Sanitize(p.name))+st.Muted.Render(" · "+plural(len(p.versions), "version")+" · newest first"))
	end := min(p.offset+p.listRows, len(p.versions))
	for i := p.offset; i < end; i++ {
		lines = append(lines, p.rowView(p.versions[i], i == p.cursor))
	}
	for len(lines) < p.listRows+1 {
		lines = append(lines, "")
	}
	lines = append(lines, p.dialogOrDiff()...)
	return strings.Join(lines, "\n")
}

// rowView is one version: mark, number, age, author, message and labels.
func (p *historyPane) rowView(v workspace.Version, atCursor bool) string {
	st := p.c.styles
	// The cursor and the marks show without colour too.
	mark := "  "
	if atCursor {
		mark = "› "
	}
	if slices.Contains(p.marks, v.Number) {
		mark = mark[:len(mark)-1] + "●"
	}
	num := "v" + strconv.Itoa(v.Number)
	left := mark + " " + num + strings.Repeat(" ", max(5-len(num), 1)) +
		fit(p.c.age(v.Time), 4) + " " + fit(termtext.Sanitize(v.Author), 10) + " "
	var badges string
	for _, l := range labelsAt(p.prompt, v.Number) {
		badges += " " + st.Prompt.Label.Render(termtext.Sanitize(l))
	}
	room := p.width - ansi.StringWidth(left) - ansi.StringWidth(badges)
	msg := firstLine(termtext.Sanitize(v.Message))
	if msg == "" {
		msg = "(no message)"
	}
	msg = fit(msg, max(room, 0))
	row := left + msg
	switch {
	case atCursor && p.focused:
		row = st.Base.Selected.Render(row)
	case atCursor:
		row = st.Base.Cursor.Render(row)
	default:
		row = st.Base.Text.Render(left) + st.Base.Muted.Render(msg)
	}
	return row + badges
}

// dialogOrDiff is what fills the space under the list: a label dialog
// while one is open, else the diff with its title.
func (p *historyPane) dialogOrDiff() []string {
	st := p.c.styles.Base
	switch {
	case p.naming:
		v, _ := p.current()
		return []string{st.Heading.Render("Promote v" + strconv.Itoa(v.Number) + " to which label?"), p.label.View(),
			st.Muted.Render("enter continue · esc cancel")}
	case p.confirm != nil:
		return []string{st.Warn.Render("Move " + termtext.Sanitize(p.confirm.prompt) + " " + termtext.Sanitize(p.confirm.text()) + "?"),
			st.Muted.Render("y move it · n cancel")}
	case p.picking:
		out := []string{st.Heading.Render("Roll a label back to a version it pointed at:")}
		for i, ch := range p.choices {
			row := termtext.Sanitize(ch.text())
			switch age := p.c.age(ch.since); age {
			case "":
			case "now":
				row += " (moved just now)"
			default:
				row += " (moved " + age + " ago)"
			}
			if i == p.pick {
				out = append(out, st.Selected.Render("› "+row))
			} else {
				out = append(out, st.Text.Render("  "+row))
			}
		}
		return append(out, st.Muted.Render("enter choose · esc cancel"))
	}
	title := "── "
	switch pair := p.diffPair; {
	case pair[0] != 0:
		mode := "lines"
		if p.words {
			mode = "words"
		}
		title += "diff v" + strconv.Itoa(pair[0]) + " → v" + strconv.Itoa(pair[1]) + " · " + mode + " (w) "
	case len(p.marks) == 1:
		title += "v" + strconv.Itoa(p.marks[0]) + " marked: space on another version "
	default:
		title += "first version: nothing to compare · space marks two "
	}
	title = ansi.Truncate(title, p.width, "")
	title += strings.Repeat("─", max(p.width-ansi.StringWidth(title), 0))
	return []string{st.Muted.Render(title), p.diff.View()}
}
