package tui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"promptbench/workspace"
)

// editorStore is what the Editor pane needs of the workspace: drafts kept
// on disk while the user types, their commit, and the tags a commit does
// not remove by itself.
type editorStore interface {
	SaveDraft(d workspace.EditDraft) (workspace.EditDraft, error)
	LoadDraft(prompt string) (workspace.EditDraft, error)
	ListDrafts() ([]workspace.EditDraft, []*workspace.BadFileError, error)
	DiscardDraft(prompt string) error
	CommitDraft(ctx context.Context, d workspace.EditDraft, message string) (workspace.CommitResult, error)
	Retag(ctx context.Context, name string, add, remove []workspace.Tag, description *string) (workspace.Prompt, []string, error)
}

// draftSaveDelay is how long typing must pause before the draft is
// written to disk: a burst of keys is one write.
const draftSaveDelay = 400 * time.Millisecond

// askKind is a question the Editor is waiting for an answer to.
type askKind int

const (
	askNone    askKind = iota
	askMessage         // the commit message
	askQuit            // quit with uncommitted edits?
	askDiscard         // throw the edits away?
)

// editorPane edits the selected version in place: its messages (a
// textarea each), model config, description and tags, or the whole of it
// as YAML in $EDITOR. Every change is saved as a draft on disk shortly
// after typing stops; ctrl+s commits the next version after asking for a
// message.
type editorPane struct {
	c    *common
	keys editorKeys

	sel     selection
	prompt  workspace.Prompt
	version workspace.Version
	base    workspace.EditDraft // the version as a draft: "unchanged" means equal to it
	form    editorForm
	errs    formErrors
	loaded  bool
	dirty   bool

	slot    int  // the message or field with focus: messages first, then fields
	editing bool // its input has the keys
	offset  int  // first line shown

	offer   *workspace.EditDraft // a draft found on disk, not yet restored or discarded
	asking  askKind
	message textinput.Model // the commit message

	editSeq  int       // counts changes; a save tick for an older one is stale
	savedAt  time.Time // when the draft was last written
	external string    // YAML from $EDITOR that did not parse: e opens it again
	extErr   string
	// commitErr is why the last commit failed, until the next change.
	commitErr string

	listedDrafts bool
	focused      bool
	width        int
	height       int
}

var _ pane = (*editorPane)(nil)

type editorKeys struct {
	Edit     key.Binding
	Done     key.Binding
	Next     key.Binding
	Prev     key.Binding
	Add      key.Binding
	Remove   key.Binding
	MoveUp   key.Binding
	MoveDown key.Binding
	Role     key.Binding
	External key.Binding
	Commit   key.Binding
	Discard  key.Binding
	Restore  key.Binding
	Drop     key.Binding
	Yes      key.Binding
	QuitYes  key.Binding
	No       key.Binding
	Send     key.Binding
	Cancel   key.Binding
}

func newEditorKeys() editorKeys {
	return editorKeys{
		Edit:     key.NewBinding(key.WithKeys("enter", "i"), key.WithHelp("enter/i", "edit field")),
		Done:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "stop editing")),
		Next:     key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		Prev:     key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
		Add:      key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add message")),
		Remove:   key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "remove message")),
		MoveUp:   key.NewBinding(key.WithKeys("K", "alt+up"), key.WithHelp("K", "move message up")),
		MoveDown: key.NewBinding(key.WithKeys("J", "alt+down"), key.WithHelp("J", "move message down")),
		Role:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "change role")),
		External: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit in $EDITOR")),
		Commit:   key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "commit")),
		Discard:  key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "discard edits")),
		Restore:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "restore draft")),
		Drop:     key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "discard draft")),
		Yes:      key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
		QuitYes:  key.NewBinding(key.WithKeys("y", "q"), key.WithHelp("y/q", "quit, keep the draft")),
		No:       key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "no")),
		Send:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "commit")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

func newEditorPane(c *common) *editorPane {
	p := &editorPane{c: c, keys: newEditorKeys()}
	p.message = textinput.New()
	p.message.Prompt = "message: "
	p.message.Placeholder = "what changed and why"
	p.message.SetStyles(c.styles.TextInput)
	return p
}

func (p *editorPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case promptSelectedMsg:
		return p.selected(msg)
	case workspaceChangedMsg:
		return p.workspaceChanged()
	case editorLoadedMsg:
		return p.take(msg)
	case editorLoadTickMsg:
		if msg.sel == p.sel && !p.loaded {
			return loadEditor(p.c, p.sel)
		}
	case draftsListedMsg:
		return p.draftsListed(msg)
	case draftSaveTickMsg:
		if msg.seq != p.editSeq || !p.loaded || msg.name != p.sel.name {
			return nil
		}
		return p.saveDraft()
	case draftSavedMsg:
		if msg.err != nil {
			return reportErr("save the draft of "+msg.name, msg.err)
		}
		if msg.name == p.sel.name {
			p.savedAt = msg.saved
		}
	case committedMsg:
		return p.committed(msg)
	case externalReadyMsg:
		return p.runExternal(msg)
	case externalDoneMsg:
		return readExternal(msg)
	case externalParsedMsg:
		return p.takeExternal(msg)
	case themeChangedMsg:
		p.restyle()
	case tea.KeyPressMsg:
		return p.key(msg)
	case tea.PasteMsg:
		if p.editing || p.asking == askMessage {
			return p.typeInto(msg)
		}
	case tea.MouseClickMsg:
		return p.click(msg.Y)
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			p.offset = max(p.offset-3, 0)
		case tea.MouseWheelDown:
			p.offset += 3
		}
	}
	return nil
}

func (p *editorPane) key(msg tea.KeyPressMsg) tea.Cmd {
	if key.Matches(msg, p.keys.Commit) && p.asking == askNone {
		return p.startCommit()
	}
	switch {
	case p.asking != askNone:
		return p.answer(msg)
	case p.offer != nil:
		return p.offerKey(msg)
	case p.editing:
		return p.editKey(msg)
	}
	return p.navigate(msg)
}

// navigate is a key while no input has focus.
func (p *editorPane) navigate(msg tea.KeyPressMsg) tea.Cmd {
	k, sk := p.keys, p.c.keys
	if key.Matches(msg, sk.Back) {
		return goBack()
	}
	if !p.loaded {
		return nil
	}
	switch {
	case key.Matches(msg, sk.Up):
		p.focusSlot(p.slot - 1)
	case key.Matches(msg, sk.Down):
		p.focusSlot(p.slot + 1)
	case key.Matches(msg, sk.Top):
		p.focusSlot(0)
	case key.Matches(msg, sk.Bottom):
		p.focusSlot(p.slots() - 1)
	case key.Matches(msg, k.Edit):
		return p.startEditing()
	case key.Matches(msg, k.Add):
		return p.addMessage()
	case key.Matches(msg, k.Remove):
		return p.removeMessage()
	case key.Matches(msg, k.MoveUp):
		return p.moveMessage(-1)
	case key.Matches(msg, k.MoveDown):
		return p.moveMessage(1)
	case key.Matches(msg, k.Role):
		return p.cycleRole()
	case key.Matches(msg, k.External):
		return p.openExternal()
	case key.Matches(msg, k.Discard):
		if !p.dirty {
			return report("no edits to discard")
		}
		p.asking = askDiscard
	}
	return nil
}

// editKey is a key while a message or field has focus: typed into it,
// except esc, tab and shift+tab, which leave or move.
func (p *editorPane) editKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, p.keys.Done),
		key.Matches(msg, p.keys.Edit) && msg.Code == tea.KeyEnter && p.slotMessage(p.slot) < 0:
		// enter ends a one-line field; in a message it is a new line.
		p.stopEditing()
		return nil
	case key.Matches(msg, p.keys.Next):
		p.stopEditing()
		p.focusSlot(p.slot + 1)
		return p.startEditing()
	case key.Matches(msg, p.keys.Prev):
		p.stopEditing()
		p.focusSlot(p.slot - 1)
		return p.startEditing()
	}
	return p.typeInto(msg)
}

func (p *editorPane) SetSize(w, h int) {
	p.width, p.height = w, h
	p.message.SetWidth(max(w-len(p.message.Prompt)-1, 1))
	p.sizeInputs()
}

func (p *editorPane) Focus() tea.Cmd {
	p.focused = true
	if p.sel.name != "" && !p.loaded {
		return loadEditor(p.c, p.sel)
	}
	return nil
}

func (p *editorPane) Blur() {
	p.focused = false
	p.stopEditing()
	if p.asking == askMessage || p.asking == askDiscard {
		p.asking = askNone
		p.message.Blur()
	}
}

// Capturing holds while an input has the keys or a question waits for
// its answer, so that q and the digits are typed.
func (p *editorPane) Capturing() bool { return p.editing || p.asking != askNone }

// Dirty tells whether the form holds edits that are not committed; the
// root asks before quitting.
func (p *editorPane) Dirty() bool { return p.loaded && p.dirty }

func (p *editorPane) ShortHelp() []key.Binding {
	k := p.keys
	switch {
	case p.asking == askMessage:
		return []key.Binding{k.Send, k.Cancel}
	case p.asking == askQuit:
		return []key.Binding{k.QuitYes, k.Drop, k.No}
	case p.asking != askNone:
		return []key.Binding{k.Yes, k.No}
	case p.offer != nil:
		return []key.Binding{k.Restore, k.Drop}
	case p.editing:
		return []key.Binding{k.Done, k.Next, k.Commit}
	}
	return []key.Binding{k.Edit, k.Commit, k.Add, k.Role, k.External}
}

func (p *editorPane) FullHelp() [][]key.Binding {
	if p.Capturing() || p.offer != nil {
		return [][]key.Binding{p.ShortHelp()}
	}
	k, sk := p.keys, p.c.keys
	return [][]key.Binding{
		{sk.Up, sk.Down, k.Edit, k.Done, k.Next, k.Prev},
		{k.Add, k.Remove, k.MoveUp, k.MoveDown, k.Role},
		{k.External, k.Commit, k.Discard, sk.Back},
	}
}
