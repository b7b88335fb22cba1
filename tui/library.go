package tui

import (
	"path"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"promptbench/workspace"
)

// libraryPane is the taxonomy tree: facet → value → prompts, plus the
// untagged ones, or with a filter the matching prompts ranked. Moving onto
// a prompt selects it for the other panes.
type libraryPane struct {
	c    *common
	keys libraryKeys

	prompts []workspace.Prompt
	failed  bool // the last load failed; it is tried again
	src     filterSource
	found   filterCache
	loaded  bool

	open  map[string]bool
	order sortOrder
	rows  []row

	cursor int // index into rows
	offset int // first row shown
	width  int
	height int

	filter    textinput.Model
	filtering bool // the filter input has the keys
	focused   bool
}

var _ pane = (*libraryPane)(nil)

// libraryRetry is how long after a failed load the Library tries again.
const libraryRetry = 3 * time.Second

// libraryRetryMsg asks the Library to load again after a failure.
type libraryRetryMsg struct{}

// libraryLoadedMsg carries the whole library, name order.
type libraryLoadedMsg struct {
	prompts []workspace.Prompt
	err     error
}

func newLibraryPane(c *common) *libraryPane {
	p := &libraryPane{c: c, keys: newLibraryKeys(), open: map[string]bool{}, found: filterCache{}}
	p.filter = textinput.New()
	p.filter.Prompt = "/ "
	p.filter.Placeholder = "name, description or tag"
	p.filter.SetStyles(c.styles.TextInput)
	return p
}

// loadLibrary reads every prompt record (not versions): one read-only
// store opening.
func loadLibrary(c *common) tea.Cmd {
	st, ctx := c.store, c.ctx
	return func() tea.Msg {
		prompts, err := st.List(ctx, workspace.Filter{})
		return libraryLoadedMsg{prompts: prompts, err: err}
	}
}

func (p *libraryPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case workspaceChangedMsg:
		return loadLibrary(p.c)
	case libraryLoadedMsg:
		if msg.err != nil {
			// A store another process holds for long, say: try again.
			p.failed = true
			retry := p.c.tick(libraryRetry, func(time.Time) tea.Msg { return libraryRetryMsg{} })
			return tea.Batch(reportErr("load the library", msg.err), retry)
		}
		p.failed = false
		return p.take(msg.prompts)
	case libraryRetryMsg:
		return loadLibrary(p.c)
	case themeChangedMsg:
		p.filter.SetStyles(p.c.styles.TextInput)
	case tea.KeyPressMsg:
		if p.filtering {
			return p.filterKey(msg)
		}
		return p.key(msg)
	case tea.PasteMsg:
		if p.filtering {
			return p.filterKey(msg)
		}
	case tea.MouseClickMsg:
		return p.clickRow(msg.Y)
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			return p.move(-3)
		case tea.MouseWheelDown:
			return p.move(3)
		}
	}
	return nil
}

// take takes a fresh library: rows are rebuilt with the cursor kept on
// the same node. A selection that followed the prompt's latest version
// moves to its new latest version; one whose prompt is gone moves to the
// cursor.
func (p *libraryPane) take(prompts []workspace.Prompt) tea.Cmd {
	sel := p.c.selected
	followed := false
	if i, ok := findPrompt(p.prompts, sel.name); ok {
		followed = sel.number == p.prompts[i].Latest
	}
	p.prompts = prompts
	p.src = newFilterSource(prompts)
	p.found = filterCache{}
	p.loaded = true
	p.rebuild()
	i, ok := findPrompt(prompts, sel.name)
	switch {
	case sel.name == "" || !ok:
		if cmd := p.selectAtCursor(); cmd != nil || sel.name == "" {
			return cmd
		}
		return selectPrompt(selection{})
	case followed && prompts[i].LatestHash != sel.hash:
		pr := prompts[i]
		return selectPrompt(selection{name: pr.Name, number: pr.Latest, hash: pr.LatestHash})
	}
	return nil
}

// findPrompt finds a prompt by name in a name-ordered list.
func findPrompt(prompts []workspace.Prompt, name string) (int, bool) {
	return slices.BinarySearchFunc(prompts, name, func(p workspace.Prompt, name string) int {
		return strings.Compare(p.Name, name)
	})
}

// rebuild makes the rows again and puts the cursor back on its node.
func (p *libraryPane) rebuild() {
	keep := ""
	if p.cursor < len(p.rows) {
		keep = p.rows[p.cursor].key
	}
	if p.filterText() != "" {
		p.rows = filterRows(p.prompts, p.src, p.found, p.filterText())
	} else {
		p.rows = buildTree(p.prompts, p.open, p.order)
	}
	p.cursor = 0
	for i, r := range p.rows {
		if r.key == keep {
			p.cursor = i
			break
		}
	}
	p.scroll()
}

func (p *libraryPane) filterText() string { return p.filter.Value() }

// clearFilter goes back to the tree with the selected prompt in view: its
// first tag's node is opened and the cursor put on it.
func (p *libraryPane) clearFilter() {
	p.filter.SetValue("")
	i, ok := findPrompt(p.prompts, p.c.selected.name)
	if !ok {
		p.rebuild()
		return
	}
	parent := "\x00untagged"
	if tags := p.prompts[i].Tags; len(tags) > 0 {
		parent = tags[0]
		facet, _, _ := strings.Cut(parent, ":")
		p.open[facet] = true
	}
	p.open[parent] = true
	if dir := path.Dir(p.prompts[i].Name); dir != "." {
		p.open[parent+"/"+dir+"/"] = true
	}
	p.rebuild()
	for at, r := range p.rows {
		if r.kind == rowPrompt && r.prompt == i {
			p.cursor = at
			break
		}
	}
	p.scroll()
}

func (p *libraryPane) key(msg tea.KeyPressMsg) tea.Cmd {
	k, sk := p.keys, p.c.keys
	switch {
	case key.Matches(msg, sk.Up):
		return p.move(-1)
	case key.Matches(msg, sk.Down):
		return p.move(1)
	case key.Matches(msg, sk.PageUp):
		return p.move(-max(p.listHeight()-1, 1))
	case key.Matches(msg, sk.PageDown):
		return p.move(max(p.listHeight()-1, 1))
	case key.Matches(msg, sk.Top):
		return p.move(-len(p.rows))
	case key.Matches(msg, sk.Bottom):
		return p.move(len(p.rows))
	case key.Matches(msg, sk.Filter):
		p.filtering = true
		return p.filter.Focus()
	case key.Matches(msg, k.Sort):
		p.order = 1 - p.order
		p.rebuild()
		return report("library sorted " + p.order.String())
	case key.Matches(msg, k.Right):
		return p.setOpen(true)
	case key.Matches(msg, k.Left):
		return p.closeOrParent()
	case key.Matches(msg, k.Toggle):
		return p.toggle()
	case key.Matches(msg, sk.Open):
		if r, ok := p.current(); ok && r.kind == rowPrompt {
			return tea.Batch(p.selectAtCursor(), focusPane(panePrompt))
		}
		return p.toggle()
	case key.Matches(msg, sk.Copy):
		if r, ok := p.current(); ok && r.kind == rowPrompt {
			name := p.prompts[r.prompt].Name
			return copyText(name, name)
		}
		return report("nothing to copy: move onto a prompt")
	case key.Matches(msg, k.Clear) && p.filterText() != "":
		p.clearFilter()
		return nil
	case key.Matches(msg, sk.Back):
		return goBack()
	}
	return nil
}

// filterKey is a key (or a paste) while the filter input has focus: the
// list follows every keystroke.
func (p *libraryPane) filterKey(msg tea.Msg) tea.Cmd {
	k, _ := msg.(tea.KeyPressMsg)
	switch {
	case key.Matches(k, p.keys.Apply):
		p.filtering = false
		p.filter.Blur()
		return p.selectAtCursor()
	case key.Matches(k, p.keys.Clear):
		p.filtering = false
		p.filter.Blur()
		p.clearFilter()
		return nil
	case key.Matches(k, p.keys.FilterUp): // arrows move; k and j are typed
		return p.move(-1)
	case key.Matches(k, p.keys.FilterDown):
		return p.move(1)
	}
	before := p.filterText()
	var cmd tea.Cmd
	p.filter, cmd = p.filter.Update(msg)
	if p.filterText() != before {
		p.cursor = 0
		p.rebuild()
		p.cursor, p.offset = 0, 0
	}
	return cmd
}

func (p *libraryPane) current() (row, bool) {
	if p.cursor < 0 || p.cursor >= len(p.rows) {
		return row{}, false
	}
	return p.rows[p.cursor], true
}

// move moves the cursor and selects the prompt it lands on.
func (p *libraryPane) move(by int) tea.Cmd {
	if len(p.rows) == 0 {
		return nil
	}
	p.cursor = min(max(p.cursor+by, 0), len(p.rows)-1)
	p.scroll()
	if p.filtering {
		return nil // selected on enter: typing stays cheap
	}
	return p.selectAtCursor()
}

// selectAtCursor sends the prompt under the cursor as the selection,
// unless it is selected already.
func (p *libraryPane) selectAtCursor() tea.Cmd {
	r, ok := p.current()
	if !ok || r.kind != rowPrompt {
		return nil
	}
	pr := p.prompts[r.prompt]
	s := selection{name: pr.Name, number: pr.Latest, hash: pr.LatestHash}
	if s == p.c.selected {
		return nil
	}
	return selectPrompt(s)
}

func (p *libraryPane) setOpen(open bool) tea.Cmd {
	r, ok := p.current()
	if !ok || r.kind == rowPrompt || p.filterText() != "" {
		return nil
	}
	p.open[r.key] = open
	p.rebuild()
	return nil
}

func (p *libraryPane) toggle() tea.Cmd {
	r, ok := p.current()
	if !ok || r.kind == rowPrompt {
		return nil
	}
	kind := r.kind
	if kind == rowUntagged {
		kind = rowFacet
	}
	return p.setOpen(!opened(p.open, kind, r.key))
}

// closeOrParent closes an open node, or moves to the node above.
func (p *libraryPane) closeOrParent() tea.Cmd {
	r, ok := p.current()
	if !ok {
		return nil
	}
	kind := r.kind
	if kind == rowUntagged {
		kind = rowFacet
	}
	if r.kind != rowPrompt && opened(p.open, kind, r.key) {
		return p.setOpen(false)
	}
	for i := p.cursor - 1; i >= 0; i-- {
		if p.rows[i].depth < r.depth {
			return p.move(i - p.cursor)
		}
	}
	return nil
}

func (p *libraryPane) clickRow(y int) tea.Cmd {
	i := p.offset + y - p.headerLines()
	if y < p.headerLines() || i >= len(p.rows) {
		return nil
	}
	if i == p.cursor {
		if r := p.rows[i]; r.kind != rowPrompt {
			return p.toggle()
		}
		return nil
	}
	return p.move(i - p.cursor)
}

func (p *libraryPane) SetSize(w, h int) {
	p.width, p.height = w, h
	p.filter.SetWidth(max(w-4, 1))
	p.scroll()
}

func (p *libraryPane) Focus() tea.Cmd {
	p.focused = true
	return nil
}

func (p *libraryPane) Blur() {
	p.focused = false
	if p.filtering {
		p.filtering = false
		p.filter.Blur()
	}
}

func (p *libraryPane) Capturing() bool { return p.filtering }
