package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"promptbench/workspace"
)

// startScore asks for the selected entry's score: a key, then a note.
func (p *logsPane) startScore() tea.Cmd {
	e := p.selectedEntry()
	if e == nil {
		return report("no entry to score")
	}
	p.scoring = scoreValue
	return report("score " + e.ID + ": 1–5, p (pass) or f (fail); esc cancels")
}

func (p *logsPane) scoreValueKey(k tea.KeyPressMsg) tea.Cmd {
	if key.Matches(k, p.c.keys.Back) {
		p.scoring = scoreNone
		return report("not scored")
	}
	s, ok := p.keys.score(k)
	if !ok {
		return report("1–5, p or f scores; esc cancels")
	}
	p.pending = &s
	p.scoring = scoreNote
	p.note.SetValue("")
	return p.note.Focus()
}

func (p *logsPane) noteKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, p.c.keys.Back):
		p.scoring, p.pending = scoreNone, nil
		p.note.Blur()
		return report("not scored")
	case key.Matches(k, p.c.keys.Open):
		s, e := p.pending, p.selectedEntry()
		p.scoring, p.pending = scoreNone, nil
		p.note.Blur()
		if s == nil || e == nil {
			return nil
		}
		s.Comment = p.note.Value()
		return saveScore(p.c, workspace.LogKey{Prompt: e.Prompt, Version: e.Version, ID: e.ID}, *s)
	}
	var cmd tea.Cmd
	p.note, cmd = p.note.Update(k)
	return cmd
}

// saveScore writes a person's score to an entry, replacing their earlier
// one of the same name.
func saveScore(c *common, k workspace.LogKey, s workspace.Score) tea.Cmd {
	st, ctx := c.store, c.ctx
	return func() tea.Msg {
		e, err := st.SetScore(ctx, k, s)
		return logScoredMsg{entry: e, err: err}
	}
}
