package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"promptbench/tui/termtext"
)

// messagePreviewLines is how many lines of a message show while another
// part of the form has focus.
const messagePreviewLines = 4

func (p *editorPane) View() string {
	if p.width <= 0 || p.height <= 0 {
		return ""
	}
	st := p.c.styles.Base
	switch {
	case p.sel.name == "":
		return st.Muted.Render("Select a prompt in the Library (1) to edit it.")
	case !p.loaded:
		return st.Muted.Render("Loading…")
	}
	head := p.headView()
	foot := p.footView()
	room := max(p.height-len(head)-len(foot), 1)
	body, starts := p.bodyView()
	from, to := starts[p.slot], starts[p.slot+1]
	// Keep the part with focus in view.
	if from < p.offset {
		p.offset = from
	}
	if to > p.offset+room {
		p.offset = min(from, to-room)
	}
	p.offset = max(min(p.offset, len(body)-room), 0)
	body = body[p.offset:min(p.offset+room, len(body))]
	lines := append(head, body...)
	for len(lines) < p.height-len(foot) {
		lines = append(lines, "")
	}
	return strings.Join(append(lines, foot...), "\n")
}

// headView names what is edited and the draft's state, and any draft
// found on disk or YAML that did not parse.
func (p *editorPane) headView() []string {
	st := p.c.styles.Base
	state := "unchanged"
	switch {
	case p.dirty && !p.savedAt.IsZero():
		state = "edited · draft saved " + p.c.age(p.savedAt)
	case p.dirty:
		state = "edited"
	}
	lines := []string{st.Heading.Render(termtext.Sanitize(p.sel.name)) +
		st.Muted.Render(" · editing v"+strconv.Itoa(p.version.Number)+" · "+state)}
	if d := p.offer; d != nil {
		when := ""
		switch age := p.c.age(d.Saved); age {
		case "":
		case "now":
			when = ", saved just now"
		default:
			when = ", saved " + age + " ago"
		}
		text := "A draft of this prompt is on disk (from v" + strconv.Itoa(d.BasedOnNum) + when + "), not committed."
		if d.BasedOn != "" && d.BasedOn != p.version.Hash {
			// Restoring puts the draft's text in place of this version's.
			text += " This is v" + strconv.Itoa(p.version.Number) + ": its changes since are not in the draft."
		}
		lines = append(lines,
			st.Warn.Render(ansi.Wrap(text, p.width, "")),
			st.Text.Render("r restore it · d discard it"))
	}
	if p.commitErr != "" {
		lines = append(lines, st.Error.Render(ansi.Wrap("✗ "+termtext.Sanitize(p.commitErr), p.width, "")))
	}
	if p.extErr != "" {
		lines = append(lines, st.Error.Render(ansi.Wrap("✗ $EDITOR: "+termtext.Sanitize(p.extErr), p.width, "")),
			st.Muted.Render("e opens your text again to fix it"))
	}
	return strings.Split(strings.Join(lines, "\n"), "\n")
}

// footView is the question being asked, if any.
func (p *editorPane) footView() []string {
	st := p.c.styles.Base
	switch p.asking {
	case askMessage:
		return []string{st.Heading.Render("Commit " + termtext.Sanitize(p.sel.name) + " as a new version"), p.message.View(),
			st.Muted.Render("enter commit · esc cancel")}
	case askQuit:
		return []string{st.Warn.Render(ansi.Truncate("Quit with uncommitted edits to "+termtext.Sanitize(p.sel.name)+"?", p.width, "…")),
			st.Muted.Render(ansi.Truncate("y quit (the draft stays on disk) · d discard it and quit · n stay", p.width, "…"))}
	case askDiscard:
		return []string{st.Warn.Render(ansi.Truncate("Discard every edit to "+termtext.Sanitize(p.sel.name)+" and its draft?", p.width, "…")),
			st.Muted.Render("y discard · n keep")}
	}
	return nil
}

// bodyView is the whole form, and the line each slot starts at (one
// more at the end: where the last one ends).
func (p *editorPane) bodyView() (lines []string, starts []int) {
	st := p.c.styles
	add := func(s string) { lines = append(lines, strings.Split(s, "\n")...) }
	add(st.Base.Muted.Render(rule("messages", p.width)))
	for i, m := range p.form.msgs {
		starts = append(starts, len(lines))
		role := st.Prompt.Role.Render(strings.ToUpper(termtext.Sanitize(m.role)))
		if i == p.slot && p.focused {
			role = st.Base.Selected.Render("›") + " " + role
		} else {
			role = "  " + role
		}
		add(role)
		if i == p.slot && p.editing {
			add(m.area.View())
		} else {
			add(p.preview(m.area.Value(), i == p.slot))
		}
		if e := p.errs.msgs; i < len(e) && e[i] != "" {
			add(st.Base.Error.Render(ansi.Wrap("  ✗ "+termtext.Sanitize(e[i]), p.width, "")))
		}
	}
	add(st.Base.Muted.Render(rule("settings", p.width)))
	for id := range fieldCount {
		starts = append(starts, len(lines))
		add(p.fieldView(id, len(p.form.msgs)+int(id) == p.slot))
		if e := p.errs.fields[id]; e != "" {
			add(st.Base.Error.Render(ansi.Wrap(strings.Repeat(" ", fieldLabelWidth)+"✗ "+termtext.Sanitize(e), p.width, "")))
		}
	}
	starts = append(starts, len(lines))
	if len(p.form.scorers) > 0 {
		// Not a field: scorers are changed in $EDITOR.
		add(st.Base.Muted.Render(ansi.Truncate(fit("  scorers", fieldLabelWidth)+" "+termtext.Sanitize(strings.Join(p.form.scorers, ", "))+" (e to change)", p.width, "…")))
	}
	return lines, starts
}

// slotAt is the message or field drawn at row y of the pane, if any.
func (p *editorPane) slotAt(y int) (int, bool) {
	line := y - len(p.headView()) + p.offset
	_, starts := p.bodyView()
	for slot := len(starts) - 2; slot >= 0; slot-- {
		if line >= starts[slot] {
			return slot, line < starts[slot+1]
		}
	}
	return 0, false
}

// preview is a message's first lines as plain text.
func (p *editorPane) preview(text string, atCursor bool) string {
	st := p.c.styles.Base
	rows := strings.Split(termtext.Sanitize(text), "\n")
	more := len(rows) - messagePreviewLines
	if more > 0 {
		rows = rows[:messagePreviewLines]
	}
	style := st.Muted
	if atCursor {
		style = st.Text
	}
	var b strings.Builder
	for i, r := range rows {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(style.Render(ansi.Truncate("│ "+r, p.width, "…")))
	}
	if more > 0 {
		b.WriteString("\n" + st.Muted.Render("│ … "+plural(more, "more line")))
	}
	return b.String()
}

func (p *editorPane) fieldView(id fieldID, atCursor bool) string {
	st := p.c.styles.Base
	label := fit(id.name(), fieldLabelWidth-2)
	switch {
	case atCursor && p.focused:
		label = st.Selected.Render("› " + label)
	default:
		label = st.Muted.Render("  " + label)
	}
	in := p.form.inputs[id]
	if atCursor && p.editing {
		return label + " " + in.View()
	}
	value := termtext.Sanitize(in.Value())
	if value == "" {
		return label + " " + st.Muted.Render("–")
	}
	return label + " " + st.Text.Render(ansi.Truncate(value, max(p.width-fieldLabelWidth, 1), "…"))
}

// rule is "── title ─────" across width.
func rule(title string, width int) string {
	s := "── " + title + " "
	return s + strings.Repeat("─", max(width-ansi.StringWidth(s), 0))
}
