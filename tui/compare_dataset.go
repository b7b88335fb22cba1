package tui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"promptbench/eval/dataset"
	"promptbench/tui/termtext"
)

// maxPickRows is how many rows of a dataset file the picker reads: the
// file is a stream, and a picker of a million rows helps nobody.
const maxPickRows = 500

// datasetLoadedMsg carries the first rows of a dataset file.
type datasetLoadedMsg struct {
	path string
	rows []dataset.Row
	more bool // the file has more rows than were read
	err  error
}

// loadDataset reads up to maxPickRows rows of path; a bad row stops the
// reading with its line in the error.
func loadDataset(path string) tea.Cmd {
	path = strings.TrimSpace(path)
	return func() tea.Msg {
		if path == "" {
			return datasetLoadedMsg{err: errNoDataset}
		}
		if rest, ok := strings.CutPrefix(path, "~/"); ok {
			if home, err := os.UserHomeDir(); err == nil {
				path = filepath.Join(home, rest)
			}
		}
		msg := datasetLoadedMsg{path: path}
		for row, err := range dataset.Read(path) {
			if err != nil {
				msg.err = err
				return msg
			}
			if len(msg.rows) == maxPickRows {
				msg.more = true
				break
			}
			msg.rows = append(msg.rows, row)
		}
		return msg
	}
}

type datasetError string

func (e datasetError) Error() string { return string(e) }

const errNoDataset = datasetError("no file named; type the path of a .jsonl, .csv or .json dataset")

func (p *comparePane) datasetLoaded(msg datasetLoadedMsg) tea.Cmd {
	if msg.err != nil {
		return reportErr("read the dataset", msg.err)
	}
	if len(msg.rows) == 0 {
		return report(msg.path + " has no rows")
	}
	s := &p.setup
	s.rows, s.rowFrom, s.pick = msg.rows, msg.path, 0
	if msg.more {
		return report("showing the first 500 rows of " + msg.path)
	}
	return nil
}

// pickKey moves through the dataset rows; enter takes one as the run's
// variables, esc leaves them.
func (p *comparePane) pickKey(k tea.KeyPressMsg) tea.Cmd {
	s, shared := &p.setup, p.c.keys
	switch {
	case key.Matches(k, shared.Back):
		s.rows = nil
	case key.Matches(k, shared.Up):
		s.pick = max(s.pick-1, 0)
	case key.Matches(k, shared.Down):
		s.pick = min(s.pick+1, len(s.rows)-1)
	case key.Matches(k, shared.PageUp):
		s.pick = max(s.pick-10, 0)
	case key.Matches(k, shared.PageDown):
		s.pick = min(s.pick+10, len(s.rows)-1)
	case key.Matches(k, shared.Open):
		row := s.rows[s.pick]
		s.row, s.rows = &row, nil
		for name, v := range row.Vars {
			s.values[name] = formValue(v)
		}
		p.deriveNames()
		return report("variables from row " + termtext.Sanitize(row.ID) + " of " + s.rowFrom)
	}
	return nil
}

// formValue shows a variable's value as the form holds it: text as it is,
// anything else as JSON (which parseFormValue reads back).
func formValue(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// parseFormValue reads a typed value: a JSON object, array, true, false
// or null is that value (sections and lists need them); anything else is
// text, numbers included, which render the same either way.
func parseFormValue(s string) any {
	t := strings.TrimSpace(s)
	if t == "true" || t == "false" || t == "null" || strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
		var v any
		if json.Unmarshal([]byte(t), &v) == nil {
			return v
		}
	}
	return s
}

// rowPreview is a dataset row in one line: its id and variables.
func rowPreview(row dataset.Row) string {
	b, _ := json.Marshal(row.Vars)
	return termtext.Sanitize(row.ID) + "  " + termtext.Sanitize(string(b))
}
