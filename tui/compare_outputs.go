package tui

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"promptbench/eval"
	"promptbench/eval/provider"
	"promptbench/workspace"
)

// runAll starts every variant on the form's variables (or the dataset
// row) in one session, cancelling whatever still runs.
func (p *comparePane) runAll() tea.Cmd {
	s := &p.setup
	if !s.loaded || len(s.choices) < 2 {
		return report("choose 2–4 variants first")
	}
	p.cancelAll()
	p.cols = p.cols[:0]
	for i, ch := range s.choices {
		p.cols = append(p.cols, &column{id: p.variantName(i), choice: ch, ref: p.refOf(ch),
			label: p.versionLabel(ch.version), model: p.modelOf(ch)})
	}
	p.order = make([]int, len(p.cols))
	for i := range p.order {
		p.order[i] = i
	}
	p.revealed = false
	if p.blind {
		rng := rand.New(rand.NewPCG(uint64(p.now().UnixNano()), uint64(len(p.cols))))
		rng.Shuffle(len(p.order), func(i, j int) { p.order[i], p.order[j] = p.order[j], p.order[i] })
	}
	p.focus, p.diff, p.mode = 0, false, modeOutputs
	c, expected := p.currentCase()
	cmds := []tea.Cmd{p.start(p.cols, false, c, expected)}
	if s.row == nil {
		st, name, values := p.c.store, s.prompt, cloneValues(s.values)
		cmds = append(cmds, func() tea.Msg { return varsSavedMsg{err: st.SaveVarValues(name, values)} })
	}
	p.refresh()
	return tea.Batch(cmds...)
}

// rerun calls the focused column's variant again, afresh (not from the
// response cache), leaving the other columns as they are.
func (p *comparePane) rerun() tea.Cmd {
	col := p.focusedCol()
	if col == nil {
		return nil
	}
	p.stopColumn(col)
	p.diff = false
	return p.start([]*column{col}, true, col.input, col.expected)
}

// start resets cols and starts one session running them on c; expected
// is what scorers compare with (a dataset row's), if anything.
func (p *comparePane) start(cols []*column, noCache bool, c eval.Case, expected any) tea.Cmd {
	p.nextRun++
	id := p.nextRun
	p.leftRunning = false // a new run: the note about the old one is moot
	ctx, cancel := context.WithCancel(p.c.ctx)
	run := &compareRun{id: id, cancel: cancel}
	spec := runSpec{id: id, noCache: noCache, c: c}
	for _, col := range cols {
		col.reset(id)
		col.input, col.expected = c, expected
		run.columns = append(run.columns, col.id)
		spec.variants = append(spec.variants, eval.Variant{ID: col.id, Ref: col.ref, Model: col.choice.model})
	}
	p.runs[id] = run
	p.refresh()
	return startRun(ctx, p.c.store, p.o, p.c.now, spec)
}

// currentCase is the next run's input: the dataset row (with its
// expected value), or the form.
func (p *comparePane) currentCase() (eval.Case, any) {
	s := &p.setup
	if s.row != nil {
		return eval.Case{ID: workspace.CaseID(s.row.ID), Vars: s.row.Vars}, s.row.Expected
	}
	vars := map[string]any{}
	for _, name := range s.names {
		if v, ok := s.values[name]; ok && v != "" {
			vars[name] = parseFormValue(v)
		}
	}
	return eval.Case{ID: "form", Vars: vars}, nil
}

func cloneValues(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// cancelAll cancels every run; their events still arrive and are read,
// the cancelled calls end as such and are logged.
func (p *comparePane) cancelAll() {
	for _, r := range p.runs {
		r.cancel()
	}
}

// stopColumn cancels the call feeding col, not the others of its run.
func (p *comparePane) stopColumn(col *column) {
	r := p.runs[col.run]
	switch {
	case r == nil || !col.state.running():
	case r.session != nil:
		r.session.Cancel(col.id)
	case len(r.columns) == 1:
		r.cancel()
	}
}

func (p *comparePane) outputsKey(k tea.KeyPressMsg) tea.Cmd {
	keys, shared := p.keys, p.c.keys
	col := p.focusedCol()
	switch {
	case key.Matches(k, shared.Back):
		if p.diff {
			p.diff = false
			p.refresh()
			return nil
		}
		if p.running() {
			p.cancelAll()
			return report("cancelled; what arrived is kept and logged")
		}
		return goBack()
	case key.Matches(k, keys.Edit):
		p.mode = modeSetup
		return nil
	case key.Matches(k, keys.Run):
		return p.runAll()
	case key.Matches(k, keys.Left):
		p.focus = max(p.focus-1, 0)
	case key.Matches(k, keys.Right):
		p.focus = min(p.focus+1, len(p.order)-1)
	case col == nil:
		return nil
	case key.Matches(k, shared.Up):
		col.view.scrollBy(-1)
	case key.Matches(k, shared.Down):
		col.view.scrollBy(1)
	case key.Matches(k, shared.PageUp):
		col.view.scrollBy(-p.bodyHeight())
	case key.Matches(k, shared.PageDown):
		col.view.scrollBy(p.bodyHeight())
	case key.Matches(k, shared.Top):
		col.view.scrollTo(0)
	case key.Matches(k, shared.Bottom):
		col.view.scrollTo(len(col.view.lines))
	case key.Matches(k, keys.Rerun):
		return p.rerun()
	case key.Matches(k, keys.Stop):
		p.stopColumn(col)
	case key.Matches(k, keys.Markdown):
		p.raw = !p.raw
		for _, c := range p.cols {
			c.view.dirty = true
		}
	case key.Matches(k, keys.Diff):
		if len(p.order) < 2 {
			return report("a word diff needs two columns")
		}
		p.diff = !p.diff
	case key.Matches(k, keys.Blind):
		return p.toggleBlind()
	case key.Matches(k, keys.Score):
		return p.startScore(col)
	case key.Matches(k, shared.Copy):
		return copyText("the output of "+p.columnTitle(p.focus), col.output())
	}
	p.refresh()
	return nil
}

// toggleBlind hides (shuffling the columns) or shows which column is
// which; once every column is scored the names come back by themselves.
func (p *comparePane) toggleBlind() tea.Cmd {
	p.blind = !p.blind
	if !p.blind {
		slices.Sort(p.order)
		p.refresh()
		return report("blind mode off")
	}
	p.revealed = false
	rng := rand.New(rand.NewPCG(uint64(p.now().UnixNano()), 7))
	rng.Shuffle(len(p.order), func(i, j int) { p.order[i], p.order[j] = p.order[j], p.order[i] })
	p.refresh()
	return report("blind: columns shuffled; score each to reveal them")
}

func (p *comparePane) started(msg runStartedMsg) tea.Cmd {
	r := p.runs[msg.run]
	if r == nil {
		return nil
	}
	var report tea.Cmd
	if msg.session == nil && len(msg.refused) == 0 {
		report = reportErr("compare", withModelHint(msg.err))
	}
	for _, col := range p.cols {
		err, own := msg.refused[col.id]
		if !own && msg.session == nil {
			err = msg.err
		}
		if col.run != msg.run || err == nil {
			continue
		}
		col.state, col.err = colFailed, oneLine(err.Error())
		col.view.dirty = true
		if report == nil {
			report = reportErr("compare "+p.columnTitle(p.position(col)), withModelHint(err))
		}
	}
	p.refresh()
	if msg.session == nil {
		delete(p.runs, msg.run)
		return report
	}
	r.session, r.events = msg.session, msg.events
	return tea.Batch(report, readRun(msg.run, msg.events, p.c.now))
}

// events applies a batch of a run's events to the columns it still feeds
// and reads on until the run is over.
func (p *comparePane) events(msg runEventsMsg) tea.Cmd {
	var cmds []tea.Cmd
	for _, ev := range msg.events {
		cmds = append(cmds, p.apply(msg.run, ev, msg))
	}
	if msg.done {
		if r := p.runs[msg.run]; r != nil {
			r.cancel() // releases the context
			delete(p.runs, msg.run)
		}
		for _, col := range p.cols {
			if col.run == msg.run && col.state.running() {
				// The session ended without a word of this call: it
				// was stopped before it started.
				col.state, col.err = colCancelled, "cancelled"
				col.view.dirty = true
			}
		}
		if p.leftRunning && !p.running() {
			p.leftRunning = false
			cmds = append(cmds, report("compare: leaving the pane cancelled its calls; what arrived is logged as cancelled"))
		}
	} else {
		cmds = append(cmds, readRun(msg.run, msg.ch, p.c.now))
	}
	p.refresh()
	return tea.Batch(cmds...)
}

// column returns the column a run's event is for, nil when stale.
func (p *comparePane) column(run runID, variant string) *column {
	for _, col := range p.cols {
		if col.id == variant && col.run == run {
			return col
		}
	}
	return nil
}

func (p *comparePane) apply(run runID, ev eval.SessionEvent, msg runEventsMsg) tea.Cmd {
	switch ev := ev.(type) {
	case eval.Started:
		if col := p.column(run, ev.Variant); col != nil {
			col.apply(ev, msg.at)
		}
	case eval.Streamed:
		if col := p.column(run, ev.Variant); col != nil {
			col.apply(ev, msg.at)
		}
	case eval.Skipped:
		if col := p.column(run, ev.Variant); col != nil {
			col.apply(ev, msg.at)
			if col.state == colFailed {
				return reportErr("compare "+col.id, ev.Err)
			}
		}
	case eval.Finished:
		col := p.column(run, ev.Variant)
		if col == nil {
			return nil
		}
		col.apply(ev, msg.at)
		if col.state == colFailed {
			return tea.Batch(reportErr(p.columnTitle(p.position(col)), ev.Result.Err), p.scoreAuto(col))
		}
		return p.scoreAuto(col)
	case eval.Recorded:
		var cmds []tea.Cmd
		for _, ref := range ev.Logs {
			if col := p.column(run, ref.Variant); col != nil && col.entry != nil && col.entry.ID == ref.ID {
				col.recorded = true
				cmds = append(cmds, p.flushScores(col))
			}
		}
		return tea.Batch(cmds...)
	case eval.FlushFailed:
		if ev.Final {
			return reportErr("record the calls in the log", ev.Err)
		}
	}
	return nil
}

// position is col's display position.
func (p *comparePane) position(col *column) int {
	for pos, i := range p.order {
		if p.cols[i] == col {
			return pos
		}
	}
	return 0
}

// columnAt is the display position of the column at x inside the pane.
func (p *comparePane) columnAt(x int) (int, bool) {
	if p.mode != modeOutputs || len(p.order) == 0 {
		return 0, false
	}
	pos := x / (p.colWidth() + colGapWidth)
	return pos, pos < len(p.order)
}

// click focuses the column clicked.
func (p *comparePane) click(x, y int) tea.Cmd {
	if pos, ok := p.columnAt(x); ok && p.input == inputNone {
		p.focus = pos
		p.refresh()
	}
	return nil
}

// wheel scrolls the column under the pointer.
func (p *comparePane) wheel(x int, button tea.MouseButton) {
	pos, ok := p.columnAt(x)
	if !ok {
		return
	}
	col := p.cols[p.order[pos]]
	switch button {
	case tea.MouseWheelUp:
		col.view.scrollBy(-3)
	case tea.MouseWheelDown:
		col.view.scrollBy(3)
	}
	p.refresh()
}

// withModelHint adds what to do to the errors of a variant's model.
func withModelHint(err error) error {
	if errors.Is(err, eval.ErrNoModel) || errors.Is(err, provider.ErrNoAPIKey) ||
		errors.Is(err, provider.ErrUnknownProvider) || errors.Is(err, provider.ErrModelFormat) {
		return fmt.Errorf("%w (e, then [ and ] choose another model for the variant)", err)
	}
	return err
}
