package tui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"promptbench/workspace"
)

// labelChoice is a label move the user may confirm: label from one
// version to another (from 0: the label is new).
type labelChoice struct {
	prompt   string
	label    string
	from, to int
	since    time.Time // rollback: when the label last left version to
}

// text is the move as the confirmation says it: "production: v3 → v5".
func (c labelChoice) text() string {
	from := "(new)"
	if c.from > 0 {
		from = "v" + strconv.Itoa(c.from)
	}
	return c.label + ": " + from + " → v" + strconv.Itoa(c.to)
}

// labelHistoryMsg is the prompt's audit trail, read for a rollback.
type labelHistoryMsg struct {
	name   string
	events []workspace.AuditEvent
	err    error
}

// labelMovedMsg is the answer of a label move.
type labelMovedMsg struct {
	move labelChoice
	done workspace.LabelMove
	err  error
}

func moveLabel(c *common, ch labelChoice) tea.Cmd {
	st, ctx := c.store, c.ctx
	return func() tea.Msg {
		mv, err := st.SetLabel(ctx, ch.prompt+"@"+strconv.Itoa(ch.to), ch.label)
		return labelMovedMsg{move: ch, done: mv, err: err}
	}
}

func loadLabelHistory(c *common, name string) tea.Cmd {
	st, ctx := c.store, c.ctx
	return func() tea.Msg {
		evs, err := st.Audit(ctx, name)
		return labelHistoryMsg{name: name, events: evs, err: err}
	}
}

// startPromote asks which label to point at the version under the
// cursor, production unless typed otherwise.
func (p *historyPane) startPromote() tea.Cmd {
	if _, ok := p.current(); !ok {
		return report("nothing to promote: select a prompt")
	}
	p.naming = true
	p.label.SetValue("production")
	p.label.CursorEnd()
	return p.label.Focus()
}

func (p *historyPane) nameKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, p.keys.Cancel):
		p.cancelMove()
		return nil
	case key.Matches(msg, p.keys.Accept):
		label := strings.TrimSpace(p.label.Value())
		if err := workspace.ValidateLabel(label); err != nil {
			return reportErr("label", err)
		}
		v, ok := p.current()
		if !ok {
			p.cancelMove()
			return nil
		}
		p.naming = false
		p.label.Blur()
		ch := labelChoice{prompt: p.name, label: label, from: p.prompt.Labels[label], to: v.Number}
		if ch.from == ch.to {
			return report(fmt.Sprintf("%s already points at v%d", label, ch.to))
		}
		p.confirm = &ch
		return nil
	}
	var cmd tea.Cmd
	p.label, cmd = p.label.Update(msg)
	return cmd
}

// startRollback reads where the labels pointed before.
func (p *historyPane) startRollback() tea.Cmd {
	if p.name == "" || !p.loaded {
		return report("nothing to roll back: select a prompt")
	}
	if len(p.prompt.Labels) == 0 {
		return report(p.name + " has no labels; promote a version with p")
	}
	return loadLabelHistory(p.c, p.name)
}

func (p *historyPane) takeLabelHistory(msg labelHistoryMsg) tea.Cmd {
	if msg.name != p.name {
		return nil
	}
	if msg.err != nil {
		return reportErr("label history of "+msg.name, msg.err)
	}
	p.choices = rollbackChoices(p.prompt, msg.events, func(n int) bool { return p.indexOf(n) >= 0 })
	if len(p.choices) == 0 {
		return report("no label of " + p.name + " has pointed at another version yet")
	}
	p.picking, p.pick = true, 0
	return nil
}

// rollbackChoices lists, for each label the prompt has now, the versions
// it pointed at before (that still exist), the most recent first. Pure.
func rollbackChoices(pr workspace.Prompt, events []workspace.AuditEvent, exists func(int) bool) []labelChoice {
	var out []labelChoice
	for _, label := range sortedLabels(pr.Labels) {
		now := pr.Labels[label]
		seen := map[int]bool{now: true}
		for i := len(events) - 1; i >= 0; i-- {
			ev := events[i]
			name := ev.Label
			if name == "" { // written before events named their label
				name, _, _ = strings.Cut(ev.Detail, " ")
			}
			if ev.Action != workspace.AuditLabel || name != label {
				continue
			}
			// The version the label left at this move, and the one it
			// reached (an earlier move's target is a former position too).
			for _, n := range []int{ev.From, ev.Version} {
				if n > 0 && !seen[n] && exists(n) {
					seen[n] = true
					out = append(out, labelChoice{prompt: pr.Name, label: label, from: now, to: n, since: ev.Time})
				}
			}
		}
	}
	return out
}

func (p *historyPane) pickKey(msg tea.KeyPressMsg) tea.Cmd {
	sk := p.c.keys
	switch {
	case key.Matches(msg, p.keys.Cancel):
		p.cancelMove()
	case key.Matches(msg, sk.Up):
		p.pick = max(p.pick-1, 0)
	case key.Matches(msg, sk.Down):
		p.pick = min(p.pick+1, len(p.choices)-1)
	case key.Matches(msg, p.keys.Accept):
		ch := p.choices[p.pick]
		p.picking = false
		p.confirm = &ch
	}
	return nil
}

func (p *historyPane) confirmKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, p.keys.Yes):
		ch := *p.confirm
		p.confirm = nil
		return moveLabel(p.c, ch)
	case key.Matches(msg, p.keys.No):
		p.cancelMove()
		return report("nothing moved")
	}
	return nil
}

func (p *historyPane) cancelMove() {
	p.naming, p.picking, p.confirm, p.choices = false, false, nil, nil
	p.label.Blur()
}

// moved reports a label move and reloads every pane that shows labels.
func (p *historyPane) moved(msg labelMovedMsg) tea.Cmd {
	if msg.err != nil {
		return reportErr("move "+msg.move.label, msg.err)
	}
	text := msg.move.text()
	if msg.done.From != msg.move.from {
		// Another process moved it meanwhile: say what really happened.
		text = labelChoice{label: msg.done.Label, from: msg.done.From, to: msg.done.To}.text()
	}
	changed := func() tea.Msg { return workspaceChangedMsg{} }
	return tea.Batch(report(msg.done.Prompt+" "+text), changed)
}

// labelsAt lists the labels on a version, production first.
func labelsAt(pr workspace.Prompt, number int) []string {
	var out []string
	for _, l := range sortedLabels(pr.Labels) {
		if pr.Labels[l] == number {
			out = append(out, l)
		}
	}
	return slices.Clip(out)
}
