package tui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"promptbench/tui/termtext"
	"promptbench/workspace"
)

// editorLoadedMsg is the selected version to edit and the prompt's draft
// on disk, if there is one.
type editorLoadedMsg struct {
	sel      selection
	prompt   workspace.Prompt
	version  workspace.Version
	draft    workspace.EditDraft
	hasDraft bool
	badDraft *workspace.BadFileError // a draft file that cannot be read
	err      error
}

// draftsListedMsg is every draft on disk, read once at start.
type draftsListedMsg struct {
	drafts []workspace.EditDraft
	bad    []*workspace.BadFileError
	err    error
}

// draftSaveTickMsg fires when typing paused; seq says after which change.
type draftSaveTickMsg struct {
	name string
	seq  int
}

// draftSavedMsg is a draft written (or, unchanged, removed) on disk.
type draftSavedMsg struct {
	name  string
	saved time.Time
	err   error
}

// quitConfirmedMsg tells the root that quitting may go on.
type quitConfirmedMsg struct{}

func loadEditor(c *common, sel selection) tea.Cmd {
	st, ctx := c.store, c.ctx
	return func() tea.Msg {
		msg := editorLoadedMsg{sel: sel}
		msg.prompt, msg.version, msg.err = st.Show(ctx, sel.ref())
		if msg.err != nil {
			return msg
		}
		d, err := st.LoadDraft(sel.name)
		var bad *workspace.BadFileError
		switch {
		case err == nil:
			msg.draft, msg.hasDraft = d, true
		case errors.As(err, &bad):
			msg.badDraft = bad // the version still opens
		case !errors.Is(err, workspace.ErrNotFound):
			msg.err = err
		}
		return msg
	}
}

func listDrafts(c *common) tea.Cmd {
	st := c.store
	return func() tea.Msg {
		drafts, bad, err := st.ListDrafts()
		return draftsListedMsg{drafts: drafts, bad: bad, err: err}
	}
}

// saveDraftCmd writes d, or removes the draft file when d is what the
// version already says.
func saveDraftCmd(c *common, d workspace.EditDraft, unchanged bool) tea.Cmd {
	st := c.store
	return func() tea.Msg {
		if unchanged {
			return draftSavedMsg{name: d.Prompt, err: st.DiscardDraft(d.Prompt)}
		}
		saved, err := st.SaveDraft(d)
		return draftSavedMsg{name: d.Prompt, saved: saved.Saved, err: err}
	}
}

func (p *editorPane) saveDraft() tea.Cmd {
	d, _ := p.form.draft(p.base)
	return saveDraftCmd(p.c, d, !p.dirty)
}

// selected follows the selection. Edits of the version shown are saved
// to disk at once first: they are offered again when it is opened next.
func (p *editorPane) selected(s selection) tea.Cmd {
	if s == p.sel && p.loaded {
		return nil
	}
	var save tea.Cmd
	if p.Dirty() {
		save = p.saveDraft()
	}
	p.sel, p.loaded, p.dirty, p.offer = s, false, false, nil
	p.stopEditing()
	p.asking = askNone
	p.editSeq++ // a pending save tick is for the old prompt
	if s.name == "" {
		return save
	}
	return tea.Batch(save, p.load())
}

// editorLoadTickMsg asks to load sel if it is still the selection.
type editorLoadTickMsg struct{ sel selection }

// load reads the selection now with focus, else once the Library's
// cursor rests (selectionLoadDelay).
func (p *editorPane) load() tea.Cmd {
	if p.focused {
		return loadEditor(p.c, p.sel)
	}
	sel := p.sel
	return p.c.tick(selectionLoadDelay, func(time.Time) tea.Msg { return editorLoadTickMsg{sel: sel} })
}

func (p *editorPane) workspaceChanged() tea.Cmd {
	var list tea.Cmd
	if !p.listedDrafts {
		p.listedDrafts = true
		list = listDrafts(p.c)
	}
	// Labels or the description may have changed; edits in progress stay.
	if p.sel.name == "" || !p.loaded || p.dirty || p.editing || p.asking != askNone {
		return list
	}
	return tea.Batch(list, loadEditor(p.c, p.sel))
}

func (p *editorPane) take(msg editorLoadedMsg) tea.Cmd {
	if msg.sel != p.sel || (p.loaded && p.dirty) {
		return nil
	}
	if msg.err != nil {
		return reportErr("open "+msg.sel.ref()+" in the editor", msg.err)
	}
	p.prompt, p.version = msg.prompt, msg.version
	p.base = baseDraft(msg.prompt, msg.version)
	p.form = newForm(p.c.styles, p.base)
	p.errs = formErrors{msgs: make([]string, len(p.form.msgs))}
	p.loaded, p.dirty, p.external, p.extErr = true, false, "", ""
	p.focusSlot(p.slot)
	p.sizeInputs()
	p.offer = nil
	if msg.hasDraft && !sameDraft(msg.draft, p.base) {
		d := msg.draft
		p.offer = &d
	}
	if msg.badDraft != nil {
		return reportErr("the draft of "+msg.sel.name+" (editing replaces it)", msg.badDraft)
	}
	return nil
}

func (p *editorPane) draftsListed(msg draftsListedMsg) tea.Cmd {
	var cmds []tea.Cmd
	if msg.err != nil {
		cmds = append(cmds, reportErr("list drafts", msg.err))
	}
	for _, b := range msg.bad {
		cmds = append(cmds, reportErr("read a draft", b))
	}
	if n := len(msg.drafts); n > 0 {
		names := make([]string, 0, n)
		for _, d := range msg.drafts {
			names = append(names, d.Prompt)
		}
		cmds = append(cmds, report(fmt.Sprintf("uncommitted %s of %s on disk: select it and open the Editor (4) to restore or discard",
			pluralWord(n, "draft"), termtext.Sanitize(strings.Join(names, ", ")))))
	}
	return tea.Batch(cmds...)
}

func pluralWord(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// offerKey answers the draft found on disk: restore or discard it.
func (p *editorPane) offerKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, p.keys.Restore):
		d := *p.offer
		p.offer = nil
		d.Prompt, d.BasedOn, d.BasedOnNum = p.base.Prompt, p.base.BasedOn, p.base.BasedOnNum
		p.form = newForm(p.c.styles, d)
		p.sizeInputs()
		p.focusSlot(p.slot)
		return tea.Batch(p.changed(), report("draft restored: ctrl+s commits it, D discards it"))
	case key.Matches(msg, p.keys.Drop):
		p.offer = nil
		return saveDraftCmd(p.c, p.base, true)
	case key.Matches(msg, p.c.keys.Back):
		return goBack()
	}
	return nil
}

// askQuit is the root asking before it quits with edits not committed;
// asked again (ctrl+c twice) it lets the quit go on.
func (p *editorPane) askQuit() tea.Cmd {
	if p.asking == askQuit {
		return p.quitKeepingDraft()
	}
	p.stopEditing()
	p.message.Blur()
	p.asking = askQuit
	return nil
}

// quitKeepingDraft writes the draft before letting the quit go on, so the
// last keystrokes are on disk too.
func (p *editorPane) quitKeepingDraft() tea.Cmd {
	save := p.saveDraft()
	return func() tea.Msg {
		if msg, ok := save().(draftSavedMsg); ok && msg.err != nil {
			return errMsg{op: "save the draft of " + msg.name + " (not quitting)", err: msg.err}
		}
		return quitConfirmedMsg{}
	}
}

// answer is a key while a question is asked.
func (p *editorPane) answer(msg tea.KeyPressMsg) tea.Cmd {
	k := p.keys
	switch p.asking {
	case askMessage:
		switch {
		case key.Matches(msg, k.Cancel):
			p.asking = askNone
			p.message.Blur()
			return report("not committed; the edits stay")
		case key.Matches(msg, k.Send):
			text := strings.TrimSpace(p.message.Value())
			if text == "" {
				return report("a commit needs a message: say what changed")
			}
			d, _ := p.form.draft(p.base)
			p.asking = askNone
			p.message.Blur()
			return commitDraft(p.c, d, p.base, text)
		}
		return p.typeInto(msg)
	case askQuit:
		switch {
		case key.Matches(msg, k.QuitYes):
			return p.quitKeepingDraft()
		case key.Matches(msg, k.Drop):
			name := p.sel.name
			st := p.c.store
			return func() tea.Msg {
				if err := st.DiscardDraft(name); err != nil {
					return errMsg{op: "discard the draft of " + name, err: err}
				}
				return quitConfirmedMsg{}
			}
		case key.Matches(msg, k.No):
			p.asking = askNone
		}
	case askDiscard:
		switch {
		case key.Matches(msg, k.Yes):
			p.asking = askNone
			p.form = newForm(p.c.styles, p.base)
			p.sizeInputs()
			p.focusSlot(p.slot)
			p.errs = formErrors{msgs: make([]string, len(p.form.msgs))}
			p.dirty = false
			p.editSeq++
			return tea.Batch(saveDraftCmd(p.c, p.base, true), report("edits discarded"))
		case key.Matches(msg, k.No):
			p.asking = askNone
		}
	}
	return nil
}
