package tui

import (
	"context"
	"errors"
	"strings"
	"time"

	"promptbench/eval"
	mdrender "promptbench/tui/markdown"
	"promptbench/tui/termtext"
	"promptbench/workspace"
)

// columnState is where a column's call is.
type columnState int

const (
	colIdle      columnState = iota // nothing run yet
	colWaiting                      // the run is being prepared or queued
	colStreaming                    // the call started; text may be arriving
	colDone
	colFailed
	colCancelled
)

func (s columnState) running() bool { return s == colWaiting || s == colStreaming }

// column is one variant's output: what arrived, its metrics, its scores,
// and the lines drawn from it at the column's width.
type column struct {
	id     string // the variant ID in sessions: "A" … "D"
	choice variantChoice
	// ref, label and model say what the column runs, fixed when it is
	// made: the setup may move on to another prompt meanwhile.
	ref, label, model string
	input             eval.Case // what it ran on; a re-run runs on it again
	expected          any       // the dataset row's expected value, if any
	run               runID     // the run that feeds it; other runs' events are stale

	state    columnState
	text     strings.Builder // sanitised output so far
	clean    termtext.Stream // sanitises deltas across chunk boundaries
	started  time.Time       // when the call started, as the reader saw it
	first    time.Time       // when the first text arrived
	last     time.Time       // the latest batch with text
	deltas   int             // pieces of text streamed: tokens, roughly
	rendered workspace.Rendered
	vars     map[string]any
	result   *eval.Result
	entry    *workspace.LogEntry
	recorded bool   // the entry is in the store: scores can be written
	err      string // one sanitised line

	auto        []workspace.Score // the version's default scorers
	autoSkipped []string          // those that need a dataset row's expected value
	autoDone    bool
	human       *workspace.Score // this session's score of the entry
	humanQueue  *workspace.Score // given before the entry was recorded

	view columnView
}

// reset prepares the column for a new call of run.
func (col *column) reset(run runID) {
	*col = column{id: col.id, choice: col.choice, ref: col.ref, label: col.label, model: col.model,
		input: col.input, expected: col.expected, run: run, state: colWaiting, view: columnView{follow: true}}
}

// output is the text to show and diff: the final answer once there is
// one, the streamed text before.
func (col *column) output() string { return col.text.String() }

// apply takes one event of the column's run: the call's start, a piece
// of its text, its end or its skipping.
func (col *column) apply(ev eval.SessionEvent, at time.Time) {
	switch ev := ev.(type) {
	case eval.Started:
		col.state, col.started, col.rendered, col.vars = colStreaming, at, ev.Rendered, ev.Case.Vars
	case eval.Streamed:
		if col.first.IsZero() {
			col.first = at
		}
		col.last = at
		col.deltas++
		col.text.WriteString(col.clean.Feed(ev.Text))
	case eval.Finished:
		res, e := ev.Result, ev.Entry
		col.result, col.entry = &res, &e
		// The final answer replaces the streamed pieces: a call served
		// from the cache or without streaming arrives whole.
		col.text.Reset()
		col.text.WriteString(termtext.Sanitize(res.Output))
		col.view.dirty = true
		switch {
		case errors.Is(res.Err, context.Canceled):
			col.state, col.err = colCancelled, "cancelled"
		case res.Err != nil:
			col.state, col.err = colFailed, oneLine(res.Err.Error())
		default:
			col.state = colDone
		}
	case eval.Skipped:
		col.state = colFailed
		if errors.Is(ev.Err, context.Canceled) {
			col.state = colCancelled
		}
		col.err = oneLine(ev.Err.Error())
	}
	col.view.dirty = true
}

// oneLine is untrusted text made safe and cut to its first line.
func oneLine(s string) string { return firstLine(termtext.Sanitize(s)) }

// columnView caches a column's body lines for one width and mode.
type columnView struct {
	width  int
	md     bool
	dirty  bool
	lines  []string
	plain  plainWrap
	stream *mdrender.Stream
	scroll int      // first body line shown
	follow bool     // keep the end in view while text arrives
	diff   []string // this column's side of the word diff
	diffOf bool     // the column is one side of the diff shown
}

// plainWrap wraps a growing text, re-wrapping only its last line: the
// lines before the last newline cannot change.
type plainWrap struct {
	width int
	done  []string // the wrapped lines of text[:upTo]
	upTo  int      // just after the last newline wrapped
	text  string   // text[:upTo], to notice a text that is not an extension
}

func (w *plainWrap) lines(text string, width int) []string {
	if width != w.width || !strings.HasPrefix(text, w.text) {
		*w = plainWrap{width: width}
	}
	if nl := strings.LastIndexByte(text, '\n'); nl+1 > w.upTo {
		w.done = append(w.done, wrapLines(text[w.upTo:nl], width)...)
		w.upTo, w.text = nl+1, text[:nl+1]
	}
	return append(w.done[:len(w.done):len(w.done)], wrapLines(text[w.upTo:], width)...)
}

// wrapLines wraps plain text at word boundaries, breaking words longer
// than the width.
func wrapLines(s string, width int) []string {
	return strings.Split(wrapText(s, width), "\n")
}
