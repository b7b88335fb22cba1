package tui

import (
	"context"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"promptbench/workspace"
)

// logsStore is what the Logs pane reads and writes.
type logsStore interface {
	QueryLogs(ctx context.Context, q workspace.LogQuery) (workspace.LogPage, error)
	SetScore(ctx context.Context, k workspace.LogKey, s workspace.Score) (workspace.LogEntry, error)
	Runs(ctx context.Context) ([]workspace.Run, error)
}

// logsView is what the Logs pane shows.
type logsView int

const (
	logsList   logsView = iota // the entries of the selection
	logsEntry                  // one entry, whole
	logsRuns                   // the recorded evaluation runs
	logsRunOne                 // one run's record
)

// sourceFilters are what the source filter cycles through.
var sourceFilters = [...]string{"", "cli", "tui", "eval"}

// logsPane lists a version's log entries, newest first, a page at a time;
// opens one; scores it; and lists the recorded evaluation runs.
type logsPane struct {
	c    *common
	keys logsKeys
	sel  selection

	view        logsView
	source      int  // index into sourceFilters
	errorsOnly  bool // only failed calls
	allVersions bool // every version of the prompt, not only the selected
	run         workspace.RunID

	gen     int // bumped by every new query; older answers are dropped
	entries []workspace.LogEntry
	next    string // cursor of the next page, "" after the last
	loading bool
	loaded  bool
	cursor  int
	offset  int

	runs      []workspace.Run
	runCursor int
	runOffset int

	detail viewport.Model // an entry or a run, whole

	scoring scoreInput
	pending *workspace.Score
	note    textinput.Model

	focused       bool
	width, height int
}

var _ pane = (*logsPane)(nil)

// scoreInput is where a score being given is.
type scoreInput int

const (
	scoreNone scoreInput = iota
	scoreValue
	scoreNote
)

type logsKeys struct {
	Source  key.Binding
	Errors  key.Binding
	All     key.Binding
	Runs    key.Binding
	Score   key.Binding
	Entries key.Binding
	scoreKeys
}

func newLogsKeys() logsKeys {
	return logsKeys{
		Source:    key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "filter source")),
		Errors:    key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "errors only")),
		All:       key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "all versions")),
		Runs:      key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "eval runs")),
		Score:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "score")),
		Entries:   key.NewBinding(key.WithKeys("l"), key.WithHelp("l", "its entries")),
		scoreKeys: newScoreKeys(),
	}
}

// logsLoadedMsg is a page of entries for the query of generation gen.
type logsLoadedMsg struct {
	gen    int
	page   workspace.LogPage
	append bool // a further page, not the first
	err    error
}

// runsLoadedMsg is the list of recorded runs.
type runsLoadedMsg struct {
	runs []workspace.Run
	err  error
}

// logScoredMsg is a score written to an entry: the entry as it is now.
type logScoredMsg struct {
	entry workspace.LogEntry
	err   error
}

func newLogsPane(c *common) *logsPane {
	p := &logsPane{c: c, keys: newLogsKeys()}
	p.detail = viewport.New()
	p.detail.MouseWheelDelta = 3
	p.note = textinput.New()
	p.note.Placeholder = "note (optional): enter saves, esc drops the score"
	p.note.CharLimit = 2000
	p.note.SetStyles(c.styles.TextInput)
	return p
}

// query is what the pane shows now, as a LogQuery.
func (p *logsPane) query() workspace.LogQuery {
	q := workspace.LogQuery{Prompt: p.sel.name, Source: sourceFilters[p.source], Errors: p.errorsOnly, Run: p.run}
	if !p.allVersions {
		q.Version = p.sel.number
	}
	return q
}

// reload asks for the first page again; limit keeps as many entries as
// are loaded now, so a change elsewhere does not shorten the list.
func (p *logsPane) reload() tea.Cmd {
	p.gen++
	if p.sel.name == "" {
		p.entries, p.next, p.loaded = nil, "", true
		return nil
	}
	p.loading = true
	q := p.query()
	q.Limit = max(len(p.entries), workspace.DefaultLogPage)
	return queryLogs(p.c, p.gen, q, false)
}

// more asks for the page after the loaded ones.
func (p *logsPane) more() tea.Cmd {
	if p.next == "" || p.loading {
		return nil
	}
	p.loading = true
	q := p.query()
	q.Before = p.next
	return queryLogs(p.c, p.gen, q, true)
}

func queryLogs(c *common, gen int, q workspace.LogQuery, appending bool) tea.Cmd {
	st, ctx := c.store, c.ctx
	return func() tea.Msg {
		page, err := st.QueryLogs(ctx, q)
		return logsLoadedMsg{gen: gen, page: page, append: appending, err: err}
	}
}

func loadRuns(c *common) tea.Cmd {
	st, ctx := c.store, c.ctx
	return func() tea.Msg {
		runs, err := st.Runs(ctx)
		return runsLoadedMsg{runs: runs, err: err}
	}
}

func (p *logsPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case promptSelectedMsg:
		if msg.name != p.sel.name {
			p.cursor, p.offset, p.run = 0, 0, ""
			p.entries = nil
			if p.view == logsEntry {
				p.view = logsList
			}
		}
		p.sel = msg
		return p.reload()
	case workspaceChangedMsg:
		cmds := []tea.Cmd{p.reload()}
		if p.view == logsRuns || p.view == logsRunOne {
			cmds = append(cmds, loadRuns(p.c))
		}
		return tea.Batch(cmds...)
	case logsLoadedMsg:
		return p.pageLoaded(msg)
	case runsLoadedMsg:
		if msg.err != nil {
			return reportErr("list runs", msg.err)
		}
		p.runs = msg.runs
		p.runCursor = min(p.runCursor, max(len(p.runs)-1, 0))
		if p.view == logsRunOne {
			p.showRun()
		}
	case logScoredMsg:
		if msg.err != nil {
			return reportErr("score", msg.err)
		}
		p.replaceEntry(msg.entry)
		return report("scored " + msg.entry.ID + " of " + msg.entry.Prompt + "@" + itoa(msg.entry.Version))
	case themeChangedMsg:
		p.note.SetStyles(p.c.styles.TextInput)
		p.refreshDetail()
	case tea.KeyPressMsg:
		return p.key(msg)
	case tea.MouseWheelMsg:
		return p.wheel(msg)
	case tea.MouseClickMsg:
		return p.click(msg)
	}
	return nil
}

// pageLoaded takes a page in, keeping the cursor on the entry it was on.
func (p *logsPane) pageLoaded(msg logsLoadedMsg) tea.Cmd {
	if msg.gen != p.gen {
		return nil
	}
	p.loading, p.loaded = false, true
	if msg.err != nil {
		return reportErr("load logs of "+p.sel.name, msg.err)
	}
	if msg.append {
		p.entries = append(p.entries, msg.page.Entries...)
	} else {
		at := ""
		if p.cursor < len(p.entries) {
			at = p.entries[p.cursor].ID
		}
		p.entries = msg.page.Entries
		p.cursor = 0
		for i, e := range p.entries {
			if e.ID == at {
				p.cursor = i
			}
		}
	}
	p.next = msg.page.Next
	p.scroll()
	if p.view == logsEntry {
		p.refreshDetail()
	}
	return nil
}

// replaceEntry puts a changed entry in place of its old copy.
func (p *logsPane) replaceEntry(e workspace.LogEntry) {
	for i := range p.entries {
		if p.entries[i].ID == e.ID {
			p.entries[i] = e
		}
	}
	if p.view == logsEntry {
		p.refreshDetail()
	}
}

func (p *logsPane) selectedEntry() *workspace.LogEntry {
	if p.cursor < 0 || p.cursor >= len(p.entries) {
		return nil
	}
	return &p.entries[p.cursor]
}

func (p *logsPane) SetSize(w, h int) {
	resized := w != p.width
	p.width, p.height = w, h
	p.detail.SetWidth(w)
	p.detail.SetHeight(max(h-1, 0))
	p.note.SetWidth(max(w-2, 1))
	p.scroll()
	if resized {
		p.refreshDetail()
	}
}

func (p *logsPane) Focus() tea.Cmd {
	p.focused = true
	return nil
}

func (p *logsPane) Blur() { p.focused = false }

// Capturing is true while a score is being given: its digits and letters
// are the score's, not pane jumps.
func (p *logsPane) Capturing() bool { return p.scoring != scoreNone }

func (p *logsPane) ShortHelp() []key.Binding {
	switch {
	case p.scoring == scoreValue:
		return []key.Binding{p.keys.Rating, p.keys.Pass, p.keys.Fail, p.c.keys.Back}
	case p.scoring == scoreNote:
		return []key.Binding{p.c.keys.Open, p.c.keys.Back}
	case p.view == logsRuns:
		return []key.Binding{p.c.keys.Up, p.c.keys.Down, p.c.keys.Open, p.c.keys.Back}
	case p.view == logsRunOne:
		return []key.Binding{p.keys.Entries, p.c.keys.Back}
	case p.view == logsEntry:
		return []key.Binding{p.keys.Score, p.c.keys.Copy, p.c.keys.Back}
	}
	return []key.Binding{p.c.keys.Open, p.keys.Score, p.keys.Source, p.keys.Errors, p.keys.All, p.keys.Runs}
}

func (p *logsPane) FullHelp() [][]key.Binding {
	k := p.c.keys
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Open, k.Back, k.Copy, p.keys.Score, p.keys.Rating, p.keys.Pass},
		{p.keys.Source, p.keys.Errors, p.keys.All, p.keys.Runs, p.keys.Entries},
	}
}
