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

// datasetFiles is how the picker finds and opens dataset files.
type datasetFiles struct {
	// open opens a file for reading and seeking; tests count the bytes
	// read through it.
	open func(path string) (io.ReadSeekCloser, error)
	// dir is the workspace folder: a relative path that names no file
	// from the current folder is read from there (where init --demo
	// puts its datasets).
	dir string
}

func osOpen(path string) (io.ReadSeekCloser, error) { return os.Open(path) }

// locate is the file a typed path names: "~/" is the home folder, and a
// relative path missing from the current folder is taken from the
// workspace folder when it is there.
func (f datasetFiles) locate(path string) string {
	path = expandHome(path)
	if path == "" || filepath.IsAbs(path) || f.dir == "" {
		return path
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return path
	}
	if _, err := os.Stat(filepath.Join(f.dir, path)); err == nil {
		return filepath.Join(f.dir, path)
	}
	return path
}

// rowPageMsg carries one page of a dataset file's rows.
type rowPageMsg struct {
	open int
	path string // the file read (as located)
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

// rows reads the dataset file at path (as located) from the mark from
// on, each row with its mark.
func (f datasetFiles) rows(path string, from dataset.Mark) iter.Seq2[dataset.Marked, error] {
	return func(yield func(dataset.Marked, error) bool) {
		format, err := dataset.FormatOf(path)
		if err != nil {
			yield(dataset.Marked{}, err)
			return
		}
		file, err := f.open(path)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && !filepath.IsAbs(path) {
				if wd, werr := os.Getwd(); werr == nil {
					from := wd
					if f.dir != "" {
						from += " or the workspace, " + f.dir
					}
					err = fmt.Errorf("%w (a relative path is read from %s)", err, from)
				}
			}
			yield(dataset.Marked{}, err)
			return
		}
		defer file.Close()
		for m, err := range dataset.Resume(path, format, file, from) {
			if !yield(m, err) || err != nil {
				return
			}
		}
	}
}

// readRowPage reads page n of the file, starting at the mark from (the
// index's nearest before the page) and dropping the rows before the page.
func readRowPage(ctx context.Context, files datasetFiles, pick int, path string, n int, from dataset.Mark) tea.Cmd {
	return func() tea.Msg {
		path := files.locate(path)
		msg := rowPageMsg{open: pick, path: path, page: n, end: true}
		if path == "" {
			msg.err = errNoDataset
			return msg
		}
		first := n * pickPage
		for m, err := range files.rows(path, from) {
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
func countRows(ctx context.Context, files datasetFiles, pick int, path string, from dataset.Mark) tea.Cmd {
	return func() tea.Msg {
		msg := rowCountMsg{open: pick, total: from.Row, done: true}
		for m, err := range files.rows(files.locate(path), from) {
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
