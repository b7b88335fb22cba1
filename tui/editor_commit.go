package tui

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"promptbench/tui/termtext"
	"promptbench/workspace"
)

// committedMsg is the answer of a commit.
type committedMsg struct {
	draft  workspace.EditDraft
	result workspace.CommitResult
	retag  bool // only the description or tags changed: saved without a version
	err    error
}

// startCommit checks the form and asks for the commit message.
func (p *editorPane) startCommit() tea.Cmd {
	if !p.loaded {
		return report("nothing to commit: select a prompt")
	}
	if p.offer != nil {
		return report("restore (r) or discard (d) the draft on disk first")
	}
	d, errs := p.form.draft(p.base)
	p.errs = errs
	switch {
	case errs.any():
		return report("not committed: fix the fields marked ✗ first")
	case sameDraft(d, p.base):
		return report("nothing to commit: the form is the same as " + p.sel.ref())
	}
	p.stopEditing()
	p.asking = askMessage
	p.message.SetValue("")
	return p.message.Focus()
}

func commitDraft(c *common, d workspace.EditDraft, base workspace.EditDraft, message string) tea.Cmd {
	st, ctx := c.store, c.ctx
	return func() tea.Msg {
		res, err := st.CommitDraft(ctx, d, message)
		retag := false
		if errors.Is(err, workspace.ErrUnchanged) && !tagsAndDescriptionSame(d, base) {
			// Same content: the description and tags change without a
			// new version, as `promptbench tag` does.
			retag = true
			res.Prompt, err = retagDraft(ctx, st, d, base)
			if err == nil {
				err = st.DiscardDraft(d.Prompt)
			}
			return committedMsg{draft: d, result: res, retag: retag, err: err}
		}
		if err == nil {
			// A commit only adds tags; the ones removed in the form go too.
			if removed := removedTags(d, base); len(removed) > 0 {
				_, _, err = st.Retag(ctx, d.Prompt, nil, removed, nil)
			}
		}
		return committedMsg{draft: d, result: res, err: err}
	}
}

func retagDraft(ctx context.Context, st Store, d, base workspace.EditDraft) (workspace.Prompt, error) {
	add, err := workspace.ParseTags(d.Tags)
	if err != nil {
		return workspace.Prompt{}, err
	}
	desc := strings.TrimSpace(d.Description)
	pr, _, err := st.Retag(ctx, d.Prompt, add, removedTags(d, base), &desc)
	return pr, err
}

func tagsAndDescriptionSame(a, b workspace.EditDraft) bool {
	b.Messages, b.Config, b.Scorers = a.Messages, a.Config, a.Scorers
	return sameDraft(a, b)
}

// removedTags are the base's tags the form no longer has.
func removedTags(d, base workspace.EditDraft) []workspace.Tag {
	var out []workspace.Tag
	for _, s := range base.Tags {
		if slices.Contains(d.Tags, s) {
			continue
		}
		if t, err := workspace.ParseTag(s); err == nil {
			out = append(out, t)
		}
	}
	return out
}

func (p *editorPane) committed(msg committedMsg) tea.Cmd {
	if msg.err != nil {
		if msg.draft.Prompt == p.sel.name {
			// Whole, above the form: the status line has room for a line.
			p.commitErr = wordError("not committed", msg.err)
		}
		return reportErr("commit "+msg.draft.Prompt, msg.err)
	}
	p.commitErr = ""
	if msg.draft.Prompt != p.sel.name {
		return nil
	}
	// The form is what was committed: nothing is left to save.
	p.editSeq++
	p.dirty = false
	changed := func() tea.Msg { return workspaceChangedMsg{} }
	if msg.retag {
		p.base = baseDraft(msg.result.Prompt, p.version)
		return tea.Batch(report(p.sel.name+": description and tags saved (same content: no new version)"), changed)
	}
	v := msg.result.Version
	text := "committed " + v.Prompt + "@" + strconv.Itoa(v.Number)
	if len(msg.result.Warnings) > 0 {
		text += " (" + strings.Join(msg.result.Warnings, "; ") + ")"
	}
	p.base = baseDraft(msg.result.Prompt, v)
	return tea.Batch(report(termtext.Sanitize(text)), selectPrompt(selection{name: v.Prompt, number: v.Number, hash: v.Hash}), changed)
}
