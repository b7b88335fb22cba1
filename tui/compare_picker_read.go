package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"

	tea "charm.land/bubbletea/v2"

	"promptbench/eval/dataset"
)

// countChunk is how many rows one count Cmd reads before it answers: a
// big file's count shows its progress, and its index grows, as it goes.
const countChunk = 100_000

// fileOpener opens a dataset file for reading and seeking; tests count the
// bytes read through it.
type fileOpener func(path string) (io.ReadSeekCloser, error)

func osOpen(path string) (io.ReadSeekCloser, error) { return os.Open(path) }

// rowPageMsg carries one page of a dataset file's rows.
type rowPageMsg struct {
	open int
	path string // the file read (~/ expanded)
	page int
	rows []dataset.Row
	end  bool  // the file ended within the page (or at a bad row)
	err  error // a bad row, or a file that cannot be read
}

// rowCountMsg carries the rows a count Cmd read: how many the file has
// up to where it stopped, the marks of where some of them start, and
// where the count goes on; or the first bad row met.
type rowCountMsg struct {
	open  int
	total int // rows read without error, from the file's start
	marks dataset.Index
	next  dataset.Mark // where the next count Cmd starts, unless done
	done  bool
	err   error
}

// readRows reads the dataset file at path from the mark from on, each row
// with its mark.
func readRows(open fileOpener, path string, from dataset.Mark) iter.Seq2[dataset.Marked, error] {
	return func(yield func(dataset.Marked, error) bool) {
		f, err := dataset.FormatOf(path)
		if err != nil {
			yield(dataset.Marked{}, err)
			return
		}
		file, err := open(path)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && !filepath.IsAbs(path) {
				if wd, werr := os.Getwd(); werr == nil {
					err = fmt.Errorf("%w (a relative path is read from %s)", err, wd)
				}
			}
			yield(dataset.Marked{}, err)
			return
		}
		defer file.Close()
		for m, err := range dataset.Resume(path, f, file, from) {
			if !yield(m, err) || err != nil {
				return
			}
		}
	}
}

// readRowPage reads page n of the file, starting at the mark from (the
// index's nearest before the page) and dropping the rows before the page.
func readRowPage(ctx context.Context, open fileOpener, pick int, path string, n int, from dataset.Mark) tea.Cmd {
	return func() tea.Msg {
		path := expandHome(path)
		msg := rowPageMsg{open: pick, path: path, page: n, end: true}
		if path == "" {
			msg.err = errNoDataset
			return msg
		}
		first := n * pickPage
		for m, err := range readRows(open, path, from) {
			if err == nil {
				err = ctx.Err()
			}
			if err != nil {
				msg.err = err
				return msg
			}
			if m.At.Row >= first {
				if len(msg.rows) == pickPage {
					msg.end = false
					break
				}
				msg.rows = append(msg.rows, m.Row)
			}
		}
		return msg
	}
}

// countRows counts up to countChunk rows of the file from the mark from,
// stopping at a row that is not well formed, and marks some of them for
// the index. Repeated ids are left to the evaluation to refuse: the set
// of ids is the one thing that would grow with the file.
func countRows(ctx context.Context, open fileOpener, pick int, path string, from dataset.Mark) tea.Cmd {
	return func() tea.Msg {
		msg := rowCountMsg{open: pick, total: from.Row, done: true}
		for m, err := range readRows(open, expandHome(path), from) {
			if err == nil {
				err = ctx.Err()
			}
			if err != nil {
				msg.err = err
				return msg
			}
			if m.At.Row-from.Row == countChunk {
				msg.next, msg.done = m.At, false
				return msg
			}
			msg.marks.Add(m.At)
			msg.total++
		}
		return msg
	}
}
