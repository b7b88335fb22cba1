// Package tui is the terminal workbench: a root model holding six numbered
// panes (Library, Prompt, History, Editor, Compare, Logs), the layout, the
// global keys and the status line. pane.go says how a pane fits in.
package tui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"promptbench/themes"
	"promptbench/tui/markdown"
)

// Options are what the command line hands the UI.
type Options struct {
	Store Store
	// Theme is a name themes.Lookup knows; "" follows the terminal.
	Theme string
	// Now is the clock ages are measured with; nil: time.Now.
	Now func() time.Time
	// CheckEvery is how often the workspace's change mark is read; 0: 1s.
	CheckEvery time.Duration
	// Location names the workspace in the tab bar.
	Location string
	// Overrides are the user theme file's colours (and default theme).
	Overrides themes.Overrides
	// Compare is what the Compare pane runs models with.
	Compare CompareOptions
}

// mdCacheMax is how many rendered texts the shared markdown renderer keeps.
const mdCacheMax = 512

// Model is the root model. Run it with tea.NewProgram(m, …).
type Model struct {
	c      *common
	cancel context.CancelFunc
	keys   globalKeys

	library *libraryPane
	prompt  *promptPane
	history *historyPane
	editor  *editorPane
	compare *comparePane
	logs    *logsPane

	focus  paneID
	main   paneID // the pane of 2–6 shown beside the Library
	zoomed bool

	help     help.Model
	status   status
	layout   layout
	theme    string
	override themes.Overrides
	location string

	checkEvery time.Duration
	mark       string // the change mark last seen
	seenMark   bool
	// quitAnswered: the Editor asked about uncommitted edits and the
	// user said quit.
	quitAnswered bool
}

// New builds the UI; it fails only on an unknown theme name.
func New(ctx context.Context, o Options) (*Model, error) {
	if o.Theme == "" {
		o.Theme = o.Overrides.Theme
	}
	pal, err := themes.Lookup(o.Theme, true) // dark until the terminal says
	if err != nil {
		return nil, err
	}
	pal = o.Overrides.Apply(pal)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.CheckEvery <= 0 {
		o.CheckEvery = time.Second
	}
	ctx, cancel := context.WithCancel(ctx)
	c := &common{ctx: ctx, store: o.Store, styles: themes.New(pal, true), keys: newSharedKeys(), now: o.Now, tick: tea.Tick,
		md: markdown.New(mdCacheMax)}
	m := &Model{
		c: c, cancel: cancel, keys: newGlobalKeys(),
		library: newLibraryPane(c), prompt: newPromptPane(c), history: newHistoryPane(c),
		editor: newEditorPane(c), compare: newComparePane(c, o.Compare), logs: newLogsPane(c),
		focus: paneLibrary, main: panePrompt,
		help: help.New(), theme: o.Theme, override: o.Overrides, location: o.Location, checkEvery: o.CheckEvery,
	}
	m.help.Styles = c.styles.Help
	return m, nil
}

// pane returns the pane of an id.
func (m *Model) pane(id paneID) pane {
	switch id {
	case panePrompt:
		return m.prompt
	case paneHistory:
		return m.history
	case paneEditor:
		return m.editor
	case paneCompare:
		return m.compare
	case paneLogs:
		return m.logs
	}
	return m.library
}

// Init asks the terminal for its background (for the auto theme) and reads
// the change mark, which loads the library.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, checkChanges(m.c.store), m.library.Focus())
}

// Update handles the root's own messages (size, status, selection, focus,
// the change check), sends keys and pastes to the focused pane, mouse
// events to the pane under the pointer, and everything else to all panes.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.width, m.c.height = msg.Width, msg.Height
		m.relayout()
		return m, nil
	case tea.BackgroundColorMsg:
		return m, m.restyle(msg.IsDark())
	case errMsg:
		return m, m.status.showErr(m.c, msg)
	case infoMsg:
		return m, m.status.show(m.c, msg.text, false)
	case clearStatusMsg:
		m.status.clear(msg.seq)
		return m, nil
	case changeTickMsg:
		return m, checkChanges(m.c.store)
	case changeMarkMsg:
		return m, m.changeMark(msg.mark)
	case promptSelectedMsg:
		m.c.selected = msg
		return m, m.broadcast(msg)
	case focusMsg:
		return m, m.setFocus(msg.id)
	case backMsg:
		return m, m.back()
	case quitConfirmedMsg:
		m.quitAnswered = true
		return m, m.quit()
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	case tea.PasteMsg, tea.PasteStartMsg, tea.PasteEndMsg:
		// Pasted text is typing: only the focused pane gets it.
		return m, m.pane(m.focus).Update(msg)
	case tea.MouseClickMsg:
		return m, m.click(msg)
	case tea.MouseWheelMsg:
		return m, m.wheel(msg)
	}
	return m, m.broadcast(msg)
}

// broadcast passes a message to every pane; each picks its own types.
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, paneCount)
	for id := range paneCount {
		cmds = append(cmds, m.pane(id).Update(msg))
	}
	return tea.Batch(cmds...)
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if key.Matches(msg, k.ForceQuit) {
		return m.quit()
	}
	if m.layout.tooSmall {
		if key.Matches(msg, k.Quit) {
			return m.quit()
		}
		return nil
	}
	p := m.pane(m.focus)
	if p.Capturing() {
		return p.Update(msg)
	}
	switch {
	case m.status.expanded && key.Matches(msg, m.c.keys.Back):
		// The full error is the last thing opened: esc closes it first.
		m.status.expanded = false
		m.relayout()
		return nil
	case key.Matches(msg, k.Quit):
		return m.quit()
	case key.Matches(msg, k.Help):
		// The full error takes the help's place: ? shows the help.
		m.help.ShowAll = !m.help.ShowAll || m.status.expanded
		m.status.expanded = false
		m.relayout()
		return nil
	case key.Matches(msg, k.Next):
		return m.setFocus((m.focus + 1) % paneCount)
	case key.Matches(msg, k.Prev):
		return m.setFocus((m.focus + paneCount - 1) % paneCount)
	case key.Matches(msg, k.Zoom):
		m.zoomed = !m.zoomed
		m.relayout()
		return nil
	case key.Matches(msg, k.Theme):
		m.theme = nextTheme(m.theme)
		cmd := m.restyle(m.c.styles.IsDark)
		label := m.c.styles.Name
		if m.theme == themes.Auto {
			label = "auto (" + label + ")"
		}
		return tea.Batch(cmd, report("theme: "+label))
	case key.Matches(msg, k.Error):
		if m.status.full == "" {
			return report("no error so far")
		}
		m.status.expanded = !m.status.expanded
		m.relayout()
		return nil
	}
	for i, b := range k.Panes {
		if key.Matches(msg, b) {
			return m.setFocus(paneID(i))
		}
	}
	return p.Update(msg)
}

// quit ends the program. Work started with common.ctx (store reads, model
// calls) is cancelled. A pane that must ask first (an unsaved draft) is
// the place to add a check here, by its typed field.
func (m *Model) quit() tea.Cmd {
	if m.editor.Dirty() && !m.quitAnswered {
		return tea.Batch(m.setFocus(paneEditor), m.editor.askQuit())
	}
	m.cancel()
	return tea.Quit
}

func (m *Model) setFocus(id paneID) tea.Cmd {
	if id == m.focus {
		return nil
	}
	m.pane(m.focus).Blur()
	m.focus = id
	if id != paneLibrary {
		m.main = id
	}
	if m.zoomed {
		m.relayout()
	}
	return m.pane(id).Focus()
}

// back is esc the focused pane had no use for: leave zoom, else go back
// to the Library.
func (m *Model) back() tea.Cmd {
	if m.zoomed {
		m.zoomed = false
		m.relayout()
		return nil
	}
	return m.setFocus(paneLibrary)
}

// rectOf is the frame a pane is drawn in.
func (m *Model) rectOf(id paneID) rect {
	switch {
	case m.zoomed && id == m.focus:
		return m.layout.library // the whole body when zoomed
	case id == paneLibrary:
		return m.layout.library
	}
	return m.layout.main
}

// relayout recomputes the rectangles and gives every pane its size.
func (m *Model) relayout() {
	w, h := m.c.width, m.c.height
	m.help.SetWidth(w)
	helpLines := lipgloss.Height(m.bottom())
	m.layout = computeLayout(w, h, helpLines, m.zoomed)
	m.c.zoomed = m.zoomed
	if m.layout.tooSmall {
		return
	}
	for id := range paneCount {
		in := m.rectOf(id).inner()
		m.pane(id).SetSize(in.w, in.h)
	}
}

// nextTheme is the theme after name in themes.Names, round.
func nextTheme(name string) string {
	names := themes.Names()
	if name == "" {
		name = themes.Auto
	}
	for i, n := range names {
		if n == name {
			return names[(i+1)%len(names)]
		}
	}
	return names[0]
}

// restyle rebuilds the styles after the terminal told its background or
// the theme changed.
func (m *Model) restyle(isDark bool) tea.Cmd {
	pal, err := themes.Lookup(m.theme, isDark)
	if err != nil {
		return reportErr("theme", err)
	}
	m.c.styles = themes.New(m.override.Apply(pal), isDark)
	m.help.Styles = m.c.styles.Help
	return m.broadcast(themeChangedMsg{})
}

// checkChanges reads the workspace's change mark: a few bytes of a file,
// never the store.
func checkChanges(st Store) tea.Cmd {
	return func() tea.Msg { return changeMarkMsg{mark: st.ChangeMark()} }
}

// changeMark reloads the panes when the mark moved, then checks again
// after a while.
func (m *Model) changeMark(mark string) tea.Cmd {
	next := m.c.tick(m.checkEvery, func(time.Time) tea.Msg { return changeTickMsg{} })
	if m.seenMark && mark == m.mark {
		return next
	}
	m.mark, m.seenMark = mark, true
	return tea.Batch(next, m.broadcast(workspaceChangedMsg{}))
}

// ShortHelp merges the focused pane's keys with the global ones.
// While the pane is capturing text only its own keys and ctrl+c act, so
// the global letter keys are left out.
func (m *Model) ShortHelp() []key.Binding {
	p := m.pane(m.focus)
	if p.Capturing() {
		return append(p.ShortHelp(), m.keys.ForceQuit)
	}
	return append(p.ShortHelp(), m.keys.ShortHelp()...)
}

// FullHelp shows the focused pane's columns, then the global ones.
func (m *Model) FullHelp() [][]key.Binding {
	return append(m.pane(m.focus).FullHelp(), m.keys.FullHelp()...)
}

// View draws the screen in the alternate screen with mouse reporting.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	return v
}

// render draws the whole screen.
func (m *Model) render() string {
	l := m.layout
	if l.width == 0 {
		return ""
	}
	if l.tooSmall {
		return tooSmallView(m.c, l.width, l.height)
	}
	var body string
	if m.zoomed {
		body = m.framed(m.focus)
	} else {
		body = lipgloss.JoinHorizontal(lipgloss.Top, m.framed(paneLibrary), m.framed(m.main))
	}
	right := m.c.selected.ref()
	parts := []string{m.tabBar(), body, m.status.view(m.c, l.width, right), m.bottom()}
	return strings.Join(parts, "\n")
}

// bottom is what is under the status line: the last error in full when
// asked for, else the key help.
func (m *Model) bottom() string {
	if m.status.expanded && m.status.full != "" {
		return m.c.styles.App.StatusError.Render(ansi.Wrap(m.status.full+"  (! or esc hides it)", max(m.c.width, 1), ""))
	}
	if m.help.ShowAll {
		return m.help.View(m)
	}
	// The short help adds a key that does not fit when the "…" would
	// not fit either: cut the line to the screen instead.
	return ansi.Truncate(m.help.View(m), m.c.width, "…")
}

func (m *Model) framed(id paneID) string {
	title := tabLabel(id)
	return frame(m.c, title, m.pane(id).View(), m.rectOf(id), id == m.focus)
}
