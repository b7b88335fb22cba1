package tui

import (
	"slices"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"promptbench/workspace"
)

// slots counts what can have focus: the messages, then the fields.
func (p *editorPane) slots() int { return len(p.form.msgs) + int(fieldCount) }

// slotMessage is the message index of a slot, or -1 for a field.
func (p *editorPane) slotMessage(slot int) int {
	if slot < len(p.form.msgs) {
		return slot
	}
	return -1
}

func (p *editorPane) slotField(slot int) fieldID { return fieldID(slot - len(p.form.msgs)) }

func (p *editorPane) focusSlot(slot int) {
	p.slot = min(max(slot, 0), p.slots()-1)
}

func (p *editorPane) startEditing() tea.Cmd {
	p.editing = true
	if i := p.slotMessage(p.slot); i >= 0 {
		return p.form.msgs[i].area.Focus()
	}
	in := &p.form.inputs[p.slotField(p.slot)]
	in.CursorEnd()
	return in.Focus()
}

func (p *editorPane) stopEditing() {
	p.editing = false
	for i := range p.form.msgs {
		p.form.msgs[i].area.Blur()
	}
	for i := range p.form.inputs {
		p.form.inputs[i].Blur()
	}
}

// typeInto passes a key or a paste to the input with focus and notes a
// change when its text changed.
func (p *editorPane) typeInto(msg tea.Msg) tea.Cmd {
	if p.asking == askMessage {
		var cmd tea.Cmd
		p.message, cmd = p.message.Update(msg)
		return cmd
	}
	var cmd tea.Cmd
	changed := false
	if i := p.slotMessage(p.slot); i >= 0 {
		a := &p.form.msgs[i].area
		before := a.Value()
		*a, cmd = a.Update(msg)
		changed = a.Value() != before
		p.fitArea(i)
	} else {
		in := &p.form.inputs[p.slotField(p.slot)]
		before := in.Value()
		*in, cmd = in.Update(msg)
		changed = in.Value() != before
	}
	if changed {
		return tea.Batch(cmd, p.changed())
	}
	return cmd
}

// changed re-reads the form after an edit and schedules the draft's save
// for when typing pauses.
func (p *editorPane) changed() tea.Cmd {
	d, errs := p.form.draft(p.base)
	p.errs = errs
	p.commitErr = ""
	// A field that does not parse differs from the version too.
	p.dirty = !sameDraft(d, p.base) || errs.any()
	p.editSeq++
	seq, name := p.editSeq, p.sel.name
	return p.c.tick(draftSaveDelay, func(time.Time) tea.Msg { return draftSaveTickMsg{name: name, seq: seq} })
}

// addMessage adds a user message after the one with focus (or at the
// end) and starts editing it.
func (p *editorPane) addMessage() tea.Cmd {
	at := len(p.form.msgs)
	if i := p.slotMessage(p.slot); i >= 0 {
		at = i + 1
	}
	role := workspace.RoleUser
	if at > 0 && p.form.msgs[at-1].role == workspace.RoleUser {
		role = workspace.RoleAssistant
	}
	m := editorMessage{role: role, area: newMessageArea(p.c.styles, "")}
	p.form.msgs = slices.Insert(p.form.msgs, at, m)
	p.sizeInputs()
	p.slot = at
	return tea.Batch(p.changed(), p.startEditing())
}

func (p *editorPane) removeMessage() tea.Cmd {
	i := p.slotMessage(p.slot)
	switch {
	case i < 0:
		return report("move onto a message to remove it")
	case len(p.form.msgs) == 1:
		return report("a version needs at least one message")
	}
	p.form.msgs = slices.Delete(p.form.msgs, i, i+1)
	p.focusSlot(min(i, len(p.form.msgs)-1))
	return tea.Batch(p.changed(), report("message "+strconv.Itoa(i+1)+" removed (D discards all edits)"))
}

func (p *editorPane) moveMessage(by int) tea.Cmd {
	i := p.slotMessage(p.slot)
	j := i + by
	if i < 0 || j < 0 || j >= len(p.form.msgs) {
		return nil
	}
	p.form.msgs[i], p.form.msgs[j] = p.form.msgs[j], p.form.msgs[i]
	p.slot = j
	return p.changed()
}

// cycleRole turns system into user into assistant and round again.
func (p *editorPane) cycleRole() tea.Cmd {
	i := p.slotMessage(p.slot)
	if i < 0 {
		return report("move onto a message to change its role")
	}
	m := &p.form.msgs[i]
	switch m.role {
	case workspace.RoleSystem:
		m.role = workspace.RoleUser
	case workspace.RoleUser:
		m.role = workspace.RoleAssistant
	default:
		m.role = workspace.RoleSystem
	}
	return p.changed()
}

// fieldLabelWidth is the column the fields' values start at.
const fieldLabelWidth = 13

// sizeInputs gives every input the pane's width.
func (p *editorPane) sizeInputs() {
	if p.width <= 0 {
		return
	}
	for i := range p.form.inputs {
		p.form.inputs[i].SetWidth(max(p.width-fieldLabelWidth-1, 1))
	}
	for i := range p.form.msgs {
		p.form.msgs[i].area.SetWidth(max(p.width, 4))
		p.fitArea(i)
	}
}

// fitArea makes a message's textarea as high as its text, within a
// share of the pane.
func (p *editorPane) fitArea(i int) {
	a := &p.form.msgs[i].area
	a.SetHeight(min(max(visualLines(a.Value(), a.Width())+1, 2), max(p.height/2, 3)))
}

// visualLines counts the rows text takes wrapped at width.
func visualLines(text string, width int) int {
	n := 0
	for _, line := range strings.Split(text, "\n") {
		n += max((ansi.StringWidth(line)+width-1)/max(width, 1), 1)
	}
	return n
}

func (p *editorPane) restyle() {
	st := p.c.styles
	p.message.SetStyles(st.TextInput)
	for i := range p.form.inputs {
		p.form.inputs[i].SetStyles(st.TextInput)
	}
	for i := range p.form.msgs {
		p.form.msgs[i].area.SetStyles(areaStyles(st))
	}
}

// click focuses the message or field clicked; a click on the one with
// focus starts editing it.
func (p *editorPane) click(y int) tea.Cmd {
	if !p.loaded || p.asking != askNone || p.offer != nil {
		return nil
	}
	slot, ok := p.slotAt(y)
	if !ok {
		return nil
	}
	if slot == p.slot && !p.editing {
		return p.startEditing()
	}
	if slot != p.slot {
		p.stopEditing()
		p.slot = slot
	}
	return nil
}
