package tui

import (
	"errors"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"promptbench/tui/termtext"
	"promptbench/workspace"
)

// errMsg is a failed operation, shown in the status line.
type errMsg struct {
	op  string // what was being done: "load library"
	err error
}

// infoMsg is a passing note in the status line ("copied support/reply@2").
type infoMsg struct{ text string }

// clearStatusMsg clears the status line if nothing newer was shown since.
type clearStatusMsg struct{ seq int }

func reportErr(op string, err error) tea.Cmd {
	return func() tea.Msg { return errMsg{op: op, err: err} }
}

func report(text string) tea.Cmd {
	return func() tea.Msg { return infoMsg{text: text} }
}

// How long a note and an error stay in the status line.
const (
	infoShown  = 4 * time.Second
	errorShown = 12 * time.Second
)

// status is the one-line status bar: the latest note or error.
type status struct {
	text  string
	isErr bool
	full  string // the last error in full, for the key that shows it
	// expanded shows full under the status line.
	expanded bool
	seq      int
}

func (s *status) show(c *common, text string, isErr bool) tea.Cmd {
	s.seq++
	s.text, s.isErr = text, isErr
	seq := s.seq
	d := infoShown
	if isErr {
		d = errorShown
	}
	return c.tick(d, func(time.Time) tea.Msg { return clearStatusMsg{seq: seq} })
}

func (s *status) showErr(c *common, m errMsg) tea.Cmd {
	s.full = termtext.Sanitize(wordError(m.op, m.err))
	return s.show(c, firstLine(s.full), true)
}

func (s *status) clear(seq int) {
	if seq == s.seq {
		s.text, s.isErr = "", false
	}
}

// view draws the status line, width wide: the message on the left, right
// (the selected ref, hints) on the right.
func (s *status) view(c *common, width int, right string) string {
	st := c.styles.App
	right = ansi.Truncate(right, width/2, "…")
	rw := ansi.StringWidth(right)
	left := ""
	if s.text != "" {
		room := width - rw - 1
		msg := ansi.Truncate(s.text, max(room, 0), "…")
		if s.isErr {
			left = st.StatusError.Render(msg)
		} else {
			left = st.StatusInfo.Render(msg)
		}
	}
	gap := width - ansi.StringWidth(left) - rw
	if gap < 0 {
		return ansi.Truncate(left, width, "")
	}
	return left + strings.Repeat(" ", gap) + st.StatusRight.Render(right)
}

// wordError says what failed and, where the kind is known, what to do.
// The domain's errors are sentences; the UI adds the operation and a hint
// in terms of keys.
func wordError(op string, err error) string {
	text := op + ": " + err.Error()
	var mv *workspace.MissingVariablesError
	switch {
	case errors.As(err, &mv):
		// The domain names the variables; here they are given in
		// Compare's setup (the CLI says --var instead).
		text += " (e, then enter on each to give it; a JSON false or [] leaves a section out)"
	case errors.Is(err, workspace.ErrNotFound):
		text += " (it may have been renamed or removed elsewhere)"
	case errors.Is(err, workspace.ErrLocked):
		text += " (another promptbench is holding the workspace; try again when it is done)"
	}
	return text
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}
