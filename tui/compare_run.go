package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"promptbench/eval"
)

// runID names one session the Compare pane started. Every message of the
// session carries it, and a column takes events only from the run that
// feeds it now: a re-run or a new run makes the old one's events stale.
type runID int

// compareRun is a session the pane started and still reads. Esc, a new
// run and quitting cancel it; its events are read until the channel
// closes either way, because the session writes the log entries of
// cancelled calls too.
type compareRun struct {
	id      runID
	cancel  context.CancelFunc
	session *eval.Session // nil until runStartedMsg
	events  <-chan eval.SessionEvent
	columns []string // the variant IDs it runs
}

// runStartedMsg says a session is prepared and running, or why not.
type runStartedMsg struct {
	run     runID
	session *eval.Session
	events  <-chan eval.SessionEvent
	err     error
	// refused are the variants that cannot run (a model without its
	// key, say), by ID, each with its reason: the others run without
	// them.
	refused map[string]error
}

// runEventsMsg carries every event the session had ready, read in one go
// so that four streams cost one update per batch, not one per token.
type runEventsMsg struct {
	run    runID
	events []eval.SessionEvent
	at     time.Time // when the batch was read: live metrics use it
	done   bool      // the channel closed: the run is over
	ch     <-chan eval.SessionEvent
}

// runFlushEvery is how long the reader gathers events after the first of
// a batch: at most ~15 updates a second however fast tokens come, so
// typing stays responsive and each column re-wraps once per batch.
const runFlushEvery = 66 * time.Millisecond

// runSpec is what one run needs, captured by value for its Cmd.
type runSpec struct {
	id       runID
	variants []eval.Variant
	c        eval.Case
	noCache  bool // a re-run asks the model again instead of the cache
}

// startRun prepares the variants (which reads the store) and starts the
// session. The events are then read by readRun.
func startRun(ctx context.Context, store Store, o CompareOptions, now func() time.Time, spec runSpec) tea.Cmd {
	return func() tea.Msg {
		opts := eval.SessionOptions{
			Recorder: store, Client: o.Client, Concurrency: len(spec.variants), NoCache: spec.noCache,
			Stream: true, Source: "tui", Now: now,
			// Each entry is written as soon as its call ends, so that a
			// score given at once finds it in the store.
			FlushCount: 1,
		}
		s, err := eval.NewSession(ctx, opts, spec.variants)
		if err == nil {
			return runStartedMsg{run: spec.id, session: s, events: s.Run(ctx, eval.Cases(spec.c))}
		}
		// A session refuses all its variants for one that cannot run:
		// each is tried alone, and those that can run do.
		refused := map[string]error{}
		var runnable []eval.Variant
		for _, v := range spec.variants {
			if _, verr := eval.NewSession(ctx, opts, []eval.Variant{v}); verr != nil {
				refused[v.ID] = verr
			} else {
				runnable = append(runnable, v)
			}
		}
		if len(runnable) == 0 || len(refused) == 0 {
			return runStartedMsg{run: spec.id, err: err, refused: refused}
		}
		if s, err = eval.NewSession(ctx, opts, runnable); err != nil {
			return runStartedMsg{run: spec.id, err: err}
		}
		return runStartedMsg{run: spec.id, session: s, events: s.Run(ctx, eval.Cases(spec.c)), refused: refused}
	}
}

// readRun waits for the run's next event, then gathers what else arrives
// within runFlushEvery into one message. The pane re-arms it after each
// message until done.
func readRun(id runID, ch <-chan eval.SessionEvent, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return runEventsMsg{run: id, at: now(), done: true, ch: ch}
		}
		msg := runEventsMsg{run: id, events: []eval.SessionEvent{ev}, ch: ch}
		flush := time.NewTimer(runFlushEvery)
		defer flush.Stop()
		for {
			select {
			case ev, ok := <-ch:
				if !ok {
					msg.done = true
					msg.at = now()
					return msg
				}
				msg.events = append(msg.events, ev)
			case <-flush.C:
				msg.at = now()
				return msg
			}
		}
	}
}

// Close waits, up to timeout, for the sessions still running when the
// program ended (quitting cancels them) to write their log entries: a
// call cut short by q is still a call in the log. The program no longer
// reads their events, so Close does, and drops them.
func (m *Model) Close(timeout time.Duration) {
	deadline := time.After(timeout)
	for _, r := range m.compare.runs {
		r.cancel()
		if r.events == nil {
			continue
		}
		for open := true; open; {
			select {
			case _, open = <-r.events:
			case <-deadline:
				return
			}
		}
	}
}
