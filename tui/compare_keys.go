package tui

import "charm.land/bubbles/v2/key"

// compareKeys are the Compare pane's own keys; up/down, enter, esc and y
// are the shared ones.
type compareKeys struct {
	// Setting up: the variants and the variables.
	PrevVersion key.Binding
	NextVersion key.Binding
	PrevModel   key.Binding
	NextModel   key.Binding
	Add         key.Binding
	Remove      key.Binding
	Dataset     key.Binding
	Run         key.Binding
	RunTyping   key.Binding // run from a field: R would be typed
	Blind       key.Binding
	Edit        key.Binding // back to the setup from the outputs

	// The outputs.
	Left     key.Binding
	Right    key.Binding
	Rerun    key.Binding
	Stop     key.Binding // cancel the focused column
	Markdown key.Binding
	Diff     key.Binding
	Score    key.Binding

	// While typing: what enter and esc do (matched as the shared keys).
	Save   key.Binding
	Cancel key.Binding
	Enter  key.Binding // in the setup: edit a variable, or run
	// TakeRow is enter in the dataset picker, as help shows it.
	TakeRow key.Binding
	// NewLine breaks a variable's value: enter finishes it.
	NewLine key.Binding
	// NextVariable is enter in a variable's value when another follows:
	// the value is kept and the next one is typed.
	NextVariable key.Binding
	// CancelRuns is esc in the outputs, as help shows it.
	CancelRuns key.Binding

	// While scoring: the value.
	scoreKeys
}

func newCompareKeys() compareKeys {
	return compareKeys{
		PrevVersion: key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/→", "version")),
		NextVersion: key.NewBinding(key.WithKeys("right", "l")),
		PrevModel:   key.NewBinding(key.WithKeys("["), key.WithHelp("[/]", "model")),
		NextModel:   key.NewBinding(key.WithKeys("]")),
		Add:         key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add variant")),
		Remove:      key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "remove variant")),
		Dataset:     key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "dataset row")),
		Run:         key.NewBinding(key.WithKeys("ctrl+r", "R"), key.WithHelp("R", "run all")),
		RunTyping:   key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "run all")),
		Blind:       key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "blind")),
		Edit:        key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "setup")),

		Left:     key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/→", "column")),
		Right:    key.NewBinding(key.WithKeys("right", "l")),
		Rerun:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-run column")),
		Stop:     key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "stop column")),
		Markdown: key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "raw/markdown")),
		Diff:     key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "word diff")),
		Score:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "score")),

		Save:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "done")),
		Cancel:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Enter:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "edit/run")),
		TakeRow:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "take row")),
		CancelRuns:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel/back")),
		NewLine:      key.NewBinding(key.WithKeys("alt+enter", "ctrl+j"), key.WithHelp("alt+⏎", "new line")),
		NextVariable: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next variable")),

		scoreKeys: newScoreKeys(),
	}
}
