package tui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"promptbench/eval"
	"promptbench/eval/scorer"
	"promptbench/workspace"
)

// CompareOptions are what the Compare pane needs beyond the store: the
// one model-call engine's client, the models to offer, prices for live
// cost, and how to build a version's default scorers.
type CompareOptions struct {
	Client  eval.Completer
	Models  []string                                   // provider/model, offered with [ and ]
	Price   func(model string) (workspace.Price, bool) // nil: no live cost
	Scorers scorer.Options
	// Workspace is the workspace folder: a relative dataset path that
	// names no file from the current folder is read from there.
	Workspace string
}

// compareStore is what Compare needs of the workspace besides the
// common reads: the session's recorder, scores and remembered variables.
type compareStore interface {
	eval.Recorder
	SetScore(ctx context.Context, k workspace.LogKey, s workspace.Score) (workspace.LogEntry, error)
	SetScores(ctx context.Context, sets []workspace.ScoreSet) error
	LoadVarValues(prompt string) (map[string]string, error)
	SaveVarValues(prompt string, values map[string]string) error
}

// compareMode is the screen the pane shows.
type compareMode int

const (
	modeSetup   compareMode = iota // variants and variables
	modeOutputs                    // the columns
)

// compareInput is what the pane's one text input is doing, if anything.
type compareInput int

const (
	inputNone     compareInput = iota
	inputVariable              // editing the variable under the cursor
	inputDataset               // typing a dataset file's path
	inputScoreKey              // waiting for 1–5, p or f
	inputNote                  // typing the score's note
)

// comparePane runs 2–4 variants of the selected prompt side by side
// through eval.Session, the engine `run` and `--eval` use: it only starts
// sessions, reads their events and draws them.
type comparePane struct {
	c       *common
	o       CompareOptions
	keys    compareKeys
	width   int
	height  int
	focused bool

	mode  compareMode
	input compareInput
	field textinput.Model // the dataset path and the score's note
	area  textarea.Model  // a variable's value: it may take several lines

	setup compareSetup
	cols  []*column
	order []int // display position → index in cols (shuffled when blind)
	focus int   // display position of the focused column

	st       compareStyles
	raw      bool // show outputs as plain text instead of markdown
	diff     bool // word diff of the focused column and the next
	blind    bool // hide which variant is which until all are scored
	revealed bool
	pending  *workspace.Score // the value chosen while the note is typed
	announce string           // said with the next saved score (the reveal)

	picker *rowPicker   // rows of a dataset file to take one from; nil when not picking
	picks  int          // files opened so far: each picker's number
	files  datasetFiles // how the picker finds and opens dataset files

	runs    map[runID]*compareRun
	nextRun runID
	// leftRunning: leaving the pane cancelled calls; the status line says
	// so once they have ended.
	leftRunning bool
}

var _ pane = (*comparePane)(nil)

func newComparePane(c *common, o CompareOptions) *comparePane {
	p := &comparePane{c: c, o: o, keys: newCompareKeys(), field: textinput.New(),
		runs: map[runID]*compareRun{}, files: datasetFiles{open: osOpen, dir: o.Workspace}}
	p.field.Prompt = ""
	p.area = textarea.New()
	p.area.Prompt, p.area.ShowLineNumbers = "", false
	p.area.KeyMap.InsertNewline = p.keys.NewLine
	p.area.SetHeight(4)
	p.restyle()
	return p
}

func (p *comparePane) restyle() {
	p.st = newCompareStyles(p.c.styles)
	p.field.SetStyles(p.c.styles.TextInput)
	p.area.SetStyles(p.c.styles.TextArea)
	for _, col := range p.cols {
		col.view.dirty = true
	}
}

func (p *comparePane) SetSize(w, h int) {
	if w != p.width {
		for _, col := range p.cols {
			col.view.dirty = true
		}
	}
	p.width, p.height = w, h
	p.field.SetWidth(max(w-16, 10))
	p.area.SetWidth(max(w-24, 10))
	p.refresh()
}

func (p *comparePane) Focus() tea.Cmd {
	p.focused = true
	if sel := p.c.selected; sel.name != "" && sel.name != p.setup.prompt {
		return p.load(sel)
	}
	return nil
}

// Blur is leaving the pane: the calls still running are cancelled, as
// esc would. Their events are still read (they arrive by broadcast), so
// the columns end cancelled and the calls are logged as cancelled, with
// what arrived; nothing goes on calling the model unseen.
func (p *comparePane) Blur() {
	p.focused = false
	if p.running() {
		p.cancelAll()
		p.leftRunning = true
	}
}

// Capturing is true while a text input or the score keys have the
// keyboard: then 1–5, q and the letters reach the pane.
func (p *comparePane) Capturing() bool { return p.input != inputNone }

func (p *comparePane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return p.handleKey(msg)
	case tea.MouseClickMsg:
		return p.click(msg.X, msg.Y)
	case tea.MouseWheelMsg:
		p.wheel(msg.X, msg.Button)
	case tea.PasteMsg:
		var cmd tea.Cmd
		switch p.input {
		case inputVariable:
			p.area, cmd = p.area.Update(msg)
		case inputDataset, inputNote:
			p.field, cmd = p.field.Update(msg)
		}
		return cmd
	case promptSelectedMsg:
		if msg.name != "" && msg.name != p.setup.prompt && (p.focused || p.setup.prompt != "") {
			return p.load(msg)
		}
		if msg.name == p.setup.prompt && msg.number != 0 && msg.number != p.setup.want {
			// Another version of the same prompt (History chose one, a
			// commit made a new one): the first variant follows it.
			p.setup.want = msg.number
			return loadCompare(p.c, msg.name, msg.number)
		}
	case workspaceChangedMsg:
		if p.setup.prompt != "" && !p.running() {
			return loadCompare(p.c, p.setup.prompt, p.setup.want)
		}
	case themeChangedMsg:
		p.restyle()
		p.refresh()
	case compareLoadedMsg:
		return p.loaded(msg)
	case rowPageMsg:
		return p.rowPage(msg)
	case rowCountMsg:
		return p.rowCount(msg)
	case runStartedMsg:
		return p.started(msg)
	case runEventsMsg:
		return p.events(msg)
	case autoScoredMsg:
		return p.autoScored(msg)
	case scoreSavedMsg:
		return p.scoreSaved(msg)
	case varsSavedMsg:
		if msg.err != nil {
			return reportErr("remember the variables", msg.err)
		}
	}
	return nil
}

func (p *comparePane) handleKey(k tea.KeyPressMsg) tea.Cmd {
	switch p.input {
	case inputVariable, inputDataset, inputNote:
		return p.typing(k)
	case inputScoreKey:
		return p.scoreKey(k)
	}
	if p.mode == modeSetup {
		return p.setupKey(k)
	}
	return p.outputsKey(k)
}

// running reports whether any call is still under way.
func (p *comparePane) running() bool {
	for _, col := range p.cols {
		if col.state.running() {
			return true
		}
	}
	return false
}

// focusedCol is the column under the cursor, or nil.
func (p *comparePane) focusedCol() *column {
	if len(p.order) == 0 {
		return nil
	}
	return p.cols[p.order[min(p.focus, len(p.order)-1)]]
}

func (p *comparePane) ShortHelp() []key.Binding {
	k, s := p.keys, p.c.keys
	switch {
	case p.input == inputScoreKey:
		return []key.Binding{k.Rating, k.Pass, k.Fail, s.Back}
	case p.input == inputVariable && p.setup.cursor+1 < len(p.setup.choices)+len(p.setup.names):
		return []key.Binding{k.NextVariable, k.NewLine, k.Cancel, k.RunTyping}
	case p.input == inputVariable:
		return []key.Binding{k.Save, k.NewLine, k.Cancel, k.RunTyping}
	case p.input != inputNone:
		return []key.Binding{k.Save, k.Cancel}
	case p.mode == modeSetup && p.picking():
		return []key.Binding{s.Down, s.PageDown, s.Bottom, k.TakeRow, s.Back}
	case p.mode == modeSetup:
		return []key.Binding{k.Run, k.Enter, k.PrevVersion, k.PrevModel, k.Add, k.Dataset}
	}
	return []key.Binding{k.Left, k.Score, k.Rerun, k.Diff, k.Markdown, k.Edit}
}

func (p *comparePane) FullHelp() [][]key.Binding {
	k, s := p.keys, p.c.keys
	return [][]key.Binding{
		{k.Run, k.Enter, k.NewLine, k.PrevVersion, k.PrevModel, k.Add, k.Remove, k.Dataset, k.Blind},
		{k.Left, s.Up, k.Score, k.Rerun, k.Stop, k.CancelRuns, k.Diff, k.Markdown, k.Edit, s.Copy},
	}
}

// now is the pane's clock for the runs' log entries and scores.
func (p *comparePane) now() time.Time { return p.c.now() }
