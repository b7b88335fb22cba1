package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"promptbench/workspace"
)

// promptPane shows the selected version: details, its log summary and
// each message rendered with glamour, variables and includes marked.
type promptPane struct {
	c      *common
	keys   promptKeys
	sel    selection
	loaded *promptLoadedMsg // nil until the selection's version arrived
	vp     viewport.Model
	width  int
	height int
}

var _ pane = (*promptPane)(nil)

type promptKeys struct {
	Scroll key.Binding // for help: the viewport's own keys scroll
	Copy   key.Binding
	CopyID key.Binding
}

func newPromptKeys() promptKeys {
	return promptKeys{
		Scroll: key.NewBinding(key.WithKeys("up", "down", "pgup", "pgdown"), key.WithHelp("↑↓/pgup/pgdn", "scroll")),
		Copy:   key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy messages")),
		CopyID: key.NewBinding(key.WithKeys("Y"), key.WithHelp("Y", "copy ref")),
	}
}

// promptLoadedMsg is a version with its prompt and the version's log
// summary.
type promptLoadedMsg struct {
	sel     selection
	prompt  workspace.Prompt
	version workspace.Version
	summary workspace.LogSummary
	logged  bool // the summary counts at least one call
	err     error
}

func newPromptPane(c *common) *promptPane {
	p := &promptPane{c: c, keys: newPromptKeys()}
	p.vp = viewport.New()
	p.vp.MouseWheelDelta = 3
	return p
}

// loadPrompt reads a version and its prompt's log summaries: two short
// read-only store openings.
func loadPrompt(c *common, sel selection) tea.Cmd {
	st, ctx := c.store, c.ctx
	return func() tea.Msg {
		msg := promptLoadedMsg{sel: sel}
		msg.prompt, msg.version, msg.err = st.Show(ctx, sel.ref())
		if msg.err != nil {
			return msg
		}
		sums, err := st.Summaries(ctx, sel.name)
		if err != nil {
			msg.err = err
			return msg
		}
		msg.summary, msg.logged = sums[sel.name][msg.version.Number]
		return msg
	}
}

func (p *promptPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case promptSelectedMsg:
		p.sel = msg
		if msg.name == "" {
			p.loaded = nil
			p.refresh()
			return nil
		}
		return loadPrompt(p.c, msg)
	case workspaceChangedMsg:
		// Labels, the description or the log may have changed.
		if p.sel.name != "" {
			return loadPrompt(p.c, p.sel)
		}
	case promptLoadedMsg:
		if msg.sel != p.sel {
			return nil // an older selection's answer
		}
		if msg.err != nil {
			return reportErr("show "+msg.sel.ref(), msg.err)
		}
		top := p.loaded == nil || p.loaded.version.Hash != msg.version.Hash
		p.loaded = &msg
		p.refresh()
		if top {
			p.vp.GotoTop()
		}
	case themeChangedMsg:
		p.refresh()
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, p.keys.Copy):
			if p.loaded == nil {
				return report("nothing to copy: select a prompt")
			}
			return copyText(p.sel.ref()+" messages", messagesText(p.loaded.version))
		case key.Matches(msg, p.keys.CopyID):
			return copyText(p.sel.ref(), p.sel.ref())
		case key.Matches(msg, p.c.keys.Back):
			return goBack()
		}
		var cmd tea.Cmd
		p.vp, cmd = p.vp.Update(msg)
		return cmd
	case tea.MouseWheelMsg:
		var cmd tea.Cmd
		p.vp, cmd = p.vp.Update(msg)
		return cmd
	}
	return nil
}

// refresh lays the content out again for the current width and theme;
// glamour's output is cached, so this is cheap unless the text is new.
func (p *promptPane) refresh() {
	if p.width <= 0 {
		return
	}
	if p.loaded == nil {
		p.vp.SetContent(p.c.styles.Base.Muted.Render("Select a prompt in the Library (1)."))
		return
	}
	p.vp.SetContent(p.content(p.loaded))
}

func (p *promptPane) View() string { return p.vp.View() }

func (p *promptPane) SetSize(w, h int) {
	resized := w != p.width
	p.width, p.height = w, h
	p.vp.SetWidth(w)
	p.vp.SetHeight(h)
	if resized {
		p.refresh()
	}
}

func (p *promptPane) Focus() tea.Cmd  { return nil }
func (p *promptPane) Blur()           {}
func (p *promptPane) Capturing() bool { return false }

func (p *promptPane) ShortHelp() []key.Binding {
	return []key.Binding{p.keys.Scroll, p.keys.Copy, p.keys.CopyID}
}

func (p *promptPane) FullHelp() [][]key.Binding {
	return [][]key.Binding{{p.keys.Scroll}, {p.keys.Copy, p.keys.CopyID, p.c.keys.Back}}
}

// messagesText is the version's messages as plain text, for the
// clipboard.
func messagesText(v workspace.Version) string {
	var b strings.Builder
	for i, m := range v.Messages {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(m.Role + ":\n" + m.Content)
	}
	return b.String()
}
