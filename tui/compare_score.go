package tui

import (
	"context"
	"errors"
	"strconv"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"promptbench/eval/scorer"
	"promptbench/workspace"
)

// autoScoredMsg carries the default scorers' results for one entry.
type autoScoredMsg struct {
	run    runID
	col    string
	entry  string
	scores []workspace.Score
	// skipped are scorers that compare with an expected value, which a
	// run from the form does not have: nothing is recorded for them.
	skipped []string
}

// scoreSavedMsg reports a write of scores to an entry.
type scoreSavedMsg struct {
	run   runID
	col   string
	key   workspace.LogKey
	human bool
	err   error
}

func (p *comparePane) startScore(col *column) tea.Cmd {
	switch {
	case col.entry == nil && col.state.running():
		return report("wait for the output to finish, then score it")
	case col.entry == nil:
		return report("nothing to score in this column")
	}
	p.input = inputScoreKey
	return report("score " + p.columnTitle(p.focus) + ": 1–5, p (pass) or f (fail); esc cancels")
}

// scoreKey takes the value, then asks for the optional note.
func (p *comparePane) scoreKey(k tea.KeyPressMsg) tea.Cmd {
	if key.Matches(k, p.c.keys.Back) {
		p.input = inputNone
		return report("not scored")
	}
	s, ok := p.keys.score(k)
	if !ok {
		return report("1–5, p or f scores; esc cancels")
	}
	p.pending = &s
	p.input = inputNote
	p.field.Placeholder = "note (optional) — enter saves, esc drops the score"
	p.field.SetValue("")
	return p.field.Focus()
}

// giveScore records the pending score on the focused column's entry, at
// once if the entry is in the store, else as soon as it is.
func (p *comparePane) giveScore(note string) tea.Cmd {
	s, col := p.pending, p.focusedCol()
	p.pending = nil
	if s == nil || col == nil || col.entry == nil {
		return nil
	}
	s.Comment = note
	s.Time = p.now().UTC()
	col.human = s
	col.humanQueue = s
	col.view.dirty = true
	cmd := p.flushScores(col)
	p.refresh()
	if p.blind && !p.revealed && p.allScored() {
		p.revealed, p.announce = true, "every column is scored: names revealed"
	}
	return cmd
}

func (p *comparePane) allScored() bool {
	for _, col := range p.cols {
		if col.human == nil {
			return false
		}
	}
	return true
}

// flushScores writes what waits for col's entry once it is recorded: the
// person's score and the default scorers' results.
func (p *comparePane) flushScores(col *column) tea.Cmd {
	if !col.recorded || col.entry == nil {
		return nil
	}
	k := workspace.LogKey{Prompt: col.entry.Prompt, Version: col.entry.Version, ID: col.entry.ID}
	st, ctx, run, id := p.c.store, p.c.ctx, col.run, col.id
	var cmds []tea.Cmd
	if s := col.humanQueue; s != nil {
		col.humanQueue = nil
		score := *s
		cmds = append(cmds, func() tea.Msg {
			_, err := st.SetScore(ctx, k, score)
			return scoreSavedMsg{run: run, col: id, key: k, human: true, err: err}
		})
	}
	if col.autoDone && len(col.auto) > 0 {
		col.autoDone = false // written once
		set := workspace.ScoreSet{Key: k, Scores: append([]workspace.Score(nil), col.auto...)}
		cmds = append(cmds, func() tea.Msg {
			err := st.SetScores(ctx, []workspace.ScoreSet{set})
			return scoreSavedMsg{run: run, col: id, key: k, err: err}
		})
	}
	return tea.Batch(cmds...)
}

func (p *comparePane) scoreSaved(msg scoreSavedMsg) tea.Cmd {
	if msg.err != nil {
		return reportErr("save the score of "+msg.key.String(), msg.err)
	}
	if msg.human {
		text := "scored " + msg.key.Prompt + "@" + strconv.Itoa(msg.key.Version) + ": it is in the version's log"
		if p.announce != "" {
			text, p.announce = p.announce+"; "+text, ""
		}
		return report(text)
	}
	return nil
}

// scoreAuto runs the version's default scorers on a finished output, in a
// Cmd: a judge or a cmd scorer may take a while.
func (p *comparePane) scoreAuto(col *column) tea.Cmd {
	if col.entry == nil || col.result == nil || col.result.Err != nil {
		return nil
	}
	specs := col.rendered.Version.Scorers
	if len(specs) == 0 {
		return nil
	}
	e := *col.entry
	in := scorer.Input{
		Case:      scorer.Case{ID: string(e.Case), Vars: col.vars},
		Variant:   scorer.Variant{Prompt: e.Prompt, Version: e.Version, Hash: e.Hash, Model: e.Model},
		Messages:  e.Messages,
		Output:    e.Output,
		Latency:   e.Latency,
		TokensIn:  e.InputTokens,
		TokensOut: e.OutputTokens,
		CostUSD:   e.Cost,
	}
	in.Case.Expected = col.expected
	ctx, opts, now, run, id := p.c.ctx, p.o.Scorers, p.c.now, col.run, col.id
	return func() tea.Msg {
		scores, skipped := runScorers(ctx, opts, specs, in, now)
		return autoScoredMsg{run: run, col: id, entry: e.ID, scores: scores, skipped: skipped}
	}
}

// runScorers scores one output with each spec; a scorer that cannot
// score gives a score with its error, never a zero. Scorers that need an
// expected value the input lacks are skipped and named.
func runScorers(ctx context.Context, opts scorer.Options, specs []string, in scorer.Input, now func() time.Time) (out []workspace.Score, skipped []string) {
	for _, spec := range specs {
		sc, err := scorer.New(ctx, spec, opts)
		if err != nil {
			out = append(out, workspace.Score{Name: spec, By: spec, Error: err.Error(), Time: now().UTC()})
			continue
		}
		if sc.NeedsExpected() && in.Case.Expected == nil {
			skipped = append(skipped, sc.Spec().Kind)
			continue
		}
		r, err := sc.Score(ctx, in)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil // quitting
			}
			out = append(out, workspace.Score{Name: sc.Spec().Kind, By: spec, Error: err.Error(), Time: now().UTC()})
			continue
		}
		out = append(out, sc.ToScore(r, now().UTC()))
	}
	return out, skipped
}

func (p *comparePane) autoScored(msg autoScoredMsg) tea.Cmd {
	col := p.column(msg.run, msg.col)
	if col == nil || col.entry == nil || col.entry.ID != msg.entry {
		return nil
	}
	col.auto, col.autoSkipped, col.autoDone = msg.scores, msg.skipped, true
	col.view.dirty = true
	p.refresh()
	cmds := []tea.Cmd{p.flushScores(col)}
	for _, s := range msg.scores {
		if s.Error != "" {
			cmds = append(cmds, reportErr("scorer "+s.By+" on "+p.columnTitle(p.position(col)), errors.New(s.Error)))
			break
		}
	}
	return tea.Batch(cmds...)
}
