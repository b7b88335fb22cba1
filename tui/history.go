package tui

import (
	"context"
	"slices"
	"strconv"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"promptbench/workspace"
)

// historyStore is what the History pane needs of the workspace beyond
// reading versions: moving labels and reading where they pointed before.
type historyStore interface {
	SetLabel(ctx context.Context, ref, label string) (workspace.LabelMove, error)
	Audit(ctx context.Context, prompt string) ([]workspace.AuditEvent, error)
}

// historyPane lists the selected prompt's versions newest first. The diff
// below the list compares the two marked versions, or with fewer marks the
// version under the cursor with its parent. Labels are promoted to the
// version under the cursor or rolled back to one they pointed at before,
// each after a confirmation saying what will move.
type historyPane struct {
	c    *common
	keys historyKeys
	st   diffStyles

	name     string
	prompt   workspace.Prompt
	versions []workspace.Version // newest first
	loaded   bool

	cursor, offset int
	marks          []int // marked version numbers, oldest mark first, at most two
	words          bool
	follow         int // a version selected before it was loaded
	diff           viewport.Model
	diffPair       [2]int // the versions the diff shows (0: none)

	// Label moves: naming a label to promote, picking a rollback, then
	// confirming the move.
	naming   bool
	label    textinput.Model
	picking  bool
	choices  []labelChoice
	pick     int
	confirm  *labelChoice
	focused  bool
	width    int
	height   int
	listRows int // rows of the version list, the rest is the diff
}

var _ pane = (*historyPane)(nil)

type historyKeys struct {
	Mark     key.Binding
	Select   key.Binding
	Words    key.Binding
	Promote  key.Binding
	Rollback key.Binding
	CopyRef  key.Binding
	Unmark   key.Binding
	Yes      key.Binding
	No       key.Binding
	Accept   key.Binding
	Cancel   key.Binding
}

func newHistoryKeys() historyKeys {
	return historyKeys{
		Mark:     key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "mark for diff")),
		Select:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "show version")),
		Words:    key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "lines/words diff")),
		Promote:  key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "promote to label")),
		Rollback: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "roll a label back")),
		CopyRef:  key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy ref")),
		Unmark:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear marks/back")),
		Yes:      key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes, move it")),
		No:       key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "cancel")),
		Accept:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// historyLoadedMsg is a prompt with all its versions, oldest first.
type historyLoadedMsg struct {
	name     string
	prompt   workspace.Prompt
	versions []workspace.Version
	err      error
}

func newHistoryPane(c *common) *historyPane {
	p := &historyPane{c: c, keys: newHistoryKeys(), st: newDiffStyles(c.styles)}
	p.diff = viewport.New()
	p.diff.MouseWheelDelta = 3
	p.label = textinput.New()
	p.label.Prompt = "label: "
	p.label.SetStyles(c.styles.TextInput)
	return p
}

func loadHistory(c *common, name string) tea.Cmd {
	st, ctx := c.store, c.ctx
	return func() tea.Msg {
		p, vs, err := st.History(ctx, name)
		return historyLoadedMsg{name: name, prompt: p, versions: vs, err: err}
	}
}

func (p *historyPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case promptSelectedMsg:
		return p.selected(msg)
	case workspaceChangedMsg:
		if p.name != "" && p.loaded {
			return loadHistory(p.c, p.name)
		}
	case historyLoadTickMsg:
		if msg.name == p.name && !p.loaded {
			return loadHistory(p.c, p.name)
		}
	case historyLoadedMsg:
		if msg.name != p.name {
			return nil
		}
		if msg.err != nil {
			return reportErr("history of "+msg.name, msg.err)
		}
		p.take(msg.prompt, msg.versions)
	case labelHistoryMsg:
		return p.takeLabelHistory(msg)
	case labelMovedMsg:
		return p.moved(msg)
	case themeChangedMsg:
		p.st = newDiffStyles(p.c.styles)
		p.label.SetStyles(p.c.styles.TextInput)
		p.refreshDiff(true)
	case tea.KeyPressMsg:
		return p.key(msg)
	case tea.MouseClickMsg:
		if i := p.offset + msg.Y - 1; msg.Y >= 1 && msg.Y <= p.listRows && i < len(p.versions) {
			p.cursor = i
			p.scroll()
			p.refreshDiff(false)
		}
	case tea.MouseWheelMsg:
		var cmd tea.Cmd
		p.diff, cmd = p.diff.Update(msg)
		return cmd
	}
	return nil
}

// selected follows the selection: a new prompt is loaded, a version of
// the shown one gets the cursor.
func (p *historyPane) selected(s selection) tea.Cmd {
	if s.name != p.name {
		p.name, p.loaded, p.versions, p.marks = s.name, false, nil, nil
		p.cursor, p.offset = 0, 0
		p.cancelMove()
		p.refreshDiff(true)
		if s.name == "" {
			return nil
		}
		return p.load()
	}
	if i := p.indexOf(s.number); i >= 0 {
		p.cursor = i
		p.scroll()
		p.refreshDiff(false)
		return nil
	}
	p.follow = s.number // a version committed since: go to it once loaded
	return loadHistory(p.c, s.name)
}

// selectionLoadDelay is how long a pane without focus waits before it
// reads a new selection: moving through the Library opens the store for
// the prompt the cursor rests on, not for every prompt it passes.
const selectionLoadDelay = 150 * time.Millisecond

// historyLoadTickMsg asks to load name if it is still the selection.
type historyLoadTickMsg struct{ name string }

func (p *historyPane) load() tea.Cmd {
	if p.focused {
		return loadHistory(p.c, p.name)
	}
	name := p.name
	return p.c.tick(selectionLoadDelay, func(time.Time) tea.Msg { return historyLoadTickMsg{name: name} })
}

// take shows freshly read versions, newest first, keeping the cursor on
// the version it was on and the marks that still exist.
func (p *historyPane) take(pr workspace.Prompt, versions []workspace.Version) {
	at := p.c.selected.number
	if p.loaded && p.cursor < len(p.versions) && p.follow == 0 {
		at = p.versions[p.cursor].Number
	}
	p.follow = 0
	vs := slices.Clone(versions)
	slices.Reverse(vs)
	p.prompt, p.versions, p.loaded = pr, vs, true
	p.marks = slices.DeleteFunc(p.marks, func(n int) bool { return p.indexOf(n) < 0 })
	p.cursor = max(p.indexOf(at), 0)
	p.scroll()
	p.refreshDiff(true)
}

func (p *historyPane) indexOf(number int) int {
	for i, v := range p.versions {
		if v.Number == number {
			return i
		}
	}
	return -1
}

func (p *historyPane) key(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case p.naming:
		return p.nameKey(msg)
	case p.confirm != nil:
		return p.confirmKey(msg)
	case p.picking:
		return p.pickKey(msg)
	}
	k, sk := p.keys, p.c.keys
	switch {
	case key.Matches(msg, sk.Up):
		return p.move(-1)
	case key.Matches(msg, sk.Down):
		return p.move(1)
	case key.Matches(msg, sk.Top):
		return p.move(-len(p.versions))
	case key.Matches(msg, sk.Bottom):
		return p.move(len(p.versions))
	case key.Matches(msg, sk.PageUp):
		p.diff.PageUp()
	case key.Matches(msg, sk.PageDown):
		p.diff.PageDown()
	case key.Matches(msg, k.Mark):
		return p.toggleMark()
	case key.Matches(msg, k.Words):
		p.words = !p.words
		p.refreshDiff(true)
		if p.words {
			return report("diff word by word")
		}
		return report("diff line by line")
	case key.Matches(msg, k.Select):
		v, ok := p.current()
		if !ok {
			return nil
		}
		return tea.Batch(selectPrompt(selection{name: p.name, number: v.Number, hash: v.Hash}), focusPane(panePrompt))
	case key.Matches(msg, k.CopyRef):
		if v, ok := p.current(); ok {
			ref := p.name + "@" + strconv.Itoa(v.Number)
			return copyText(ref, ref)
		}
		return report("nothing to copy: select a prompt")
	case key.Matches(msg, k.Promote):
		return p.startPromote()
	case key.Matches(msg, k.Rollback):
		return p.startRollback()
	case key.Matches(msg, k.Unmark):
		if len(p.marks) > 0 {
			p.marks = nil
			p.refreshDiff(true)
			return nil
		}
		return goBack()
	}
	return nil
}

func (p *historyPane) current() (workspace.Version, bool) {
	if p.cursor < 0 || p.cursor >= len(p.versions) {
		return workspace.Version{}, false
	}
	return p.versions[p.cursor], true
}

func (p *historyPane) move(by int) tea.Cmd {
	if len(p.versions) == 0 {
		return nil
	}
	p.cursor = min(max(p.cursor+by, 0), len(p.versions)-1)
	p.scroll()
	p.refreshDiff(false)
	return nil
}

// toggleMark marks or unmarks the version under the cursor; a third mark
// replaces the oldest, so the diff always shows the last two chosen.
func (p *historyPane) toggleMark() tea.Cmd {
	v, ok := p.current()
	if !ok {
		return nil
	}
	if i := slices.Index(p.marks, v.Number); i >= 0 {
		p.marks = slices.Delete(p.marks, i, i+1)
	} else {
		p.marks = append(p.marks, v.Number)
		if len(p.marks) > 2 {
			p.marks = p.marks[1:]
		}
	}
	p.refreshDiff(false)
	if len(p.marks) == 1 {
		return report("v" + strconv.Itoa(p.marks[0]) + " marked: mark another version to compare with it")
	}
	return nil
}

// scroll keeps the cursor in the list's view.
func (p *historyPane) scroll() {
	p.offset = scrolled(p.cursor, p.offset, max(p.listRows, 1), len(p.versions))
}

func (p *historyPane) SetSize(w, h int) {
	resized := w != p.width
	p.width, p.height = w, h
	p.label.SetWidth(max(w-len(p.label.Prompt)-2, 1))
	p.resize()
	if resized {
		p.refreshDiff(true)
	}
}

func (p *historyPane) Focus() tea.Cmd {
	p.focused = true
	if p.name != "" && !p.loaded {
		return loadHistory(p.c, p.name)
	}
	return nil
}

func (p *historyPane) Blur() {
	p.focused = false
	p.cancelMove()
}

// Capturing holds while a label name is typed or a move awaits its
// answer, so that q and the digits do not act globally.
func (p *historyPane) Capturing() bool { return p.naming || p.picking || p.confirm != nil }

func (p *historyPane) ShortHelp() []key.Binding {
	switch {
	case p.naming:
		return []key.Binding{p.keys.Accept, p.keys.Cancel}
	case p.confirm != nil:
		return []key.Binding{p.keys.Yes, p.keys.No}
	case p.picking:
		return []key.Binding{p.keys.Accept, p.keys.Cancel}
	}
	return []key.Binding{p.keys.Mark, p.keys.Select, p.keys.Words, p.keys.Promote, p.keys.Rollback}
}

func (p *historyPane) FullHelp() [][]key.Binding {
	if short := p.ShortHelp(); p.Capturing() {
		return [][]key.Binding{short}
	}
	sk := p.c.keys
	return [][]key.Binding{
		{sk.Up, sk.Down, sk.Top, sk.Bottom, sk.PageUp, sk.PageDown},
		{p.keys.Mark, p.keys.Select, p.keys.Words, p.keys.Unmark},
		{p.keys.Promote, p.keys.Rollback, p.keys.CopyRef},
	}
}
