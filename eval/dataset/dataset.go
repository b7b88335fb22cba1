// Package dataset reads evaluation datasets (.jsonl, .csv, .json) as a
// stream of rows, so that memory does not grow with the number of rows:
// only the set of row IDs is kept, to refuse duplicates (ReadAgain, for a
// second pass, keeps none).
package dataset

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strings"
)

// Row is one case of a dataset.
type Row struct {
	ID       string         // the row's "id", else its line number (JSONL, CSV) or 1-based index (JSON)
	Vars     map[string]any // the template variables; nested maps feed {{a.b}} and sections
	Expected any            // the reserved "expected" field; nil when absent
	Tags     []string       // the reserved "tags" field
	Line     int            // the line the row starts on, 1-based
}

// Error is bad dataset input, placed at a line of a file.
type Error struct {
	Path string
	Line int // 0 when the problem is the file as a whole
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// Format is a dataset file format.
type Format string

// The formats Read understands, by file extension.
const (
	JSONL Format = "jsonl"
	CSV   Format = "csv"
	JSON  Format = "json"
)

// FormatOf names the format of path from its extension (.jsonl or .ndjson,
// .csv, .json), or returns an *Error.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".ndjson":
		return JSONL, nil
	case ".csv":
		return CSV, nil
	case ".json":
		return JSON, nil
	}
	return "", &Error{Path: path, Msg: "unknown dataset format; use a .jsonl, .csv or .json file"}
}

// Read streams the rows of the dataset file at path. The file is opened
// when the sequence is iterated and closed when iteration stops; the first
// error ends the sequence.
func Read(path string) iter.Seq2[Row, error] { return read(path, true) }

// ReadAgain streams the rows of a dataset that Read went through without
// error, without refusing duplicate IDs again: the set of IDs that check
// keeps is the one thing that grows with the rows (an evaluation reads its
// dataset once to check every row, then again to run them).
func ReadAgain(path string) iter.Seq2[Row, error] { return read(path, false) }

func read(path string, unique bool) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		f, err := FormatOf(path)
		if err != nil {
			yield(Row{}, err)
			return
		}
		file, err := os.Open(path)
		if err != nil {
			yield(Row{}, fmt.Errorf("dataset: %w", err))
			return
		}
		defer file.Close()
		for row, err := range decode(path, f, file, unique) {
			if !yield(row, err) || err != nil {
				return
			}
		}
	}
}

// Decode streams the rows of r in format f; name places errors. It refuses
// duplicate IDs and an input without rows.
func Decode(name string, f Format, r io.Reader) iter.Seq2[Row, error] {
	return decode(name, f, r, true)
}

func decode(name string, f Format, r io.Reader, unique bool) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		seen := map[string]int{}
		for m, err := range scanStart(name, f, r) {
			row := m.Row
			if err == nil && unique {
				if first, dup := seen[row.ID]; dup {
					err = &Error{Path: name, Line: row.Line, Msg: fmt.Sprintf("id %q repeats the id of line %d; ids must be unique", row.ID, first)}
				} else {
					seen[row.ID] = row.Line
				}
			}
			if !yield(row, err) || err != nil {
				return
			}
		}
	}
}

func unknownFormat(name string, f Format) error {
	return &Error{Path: name, Msg: fmt.Sprintf("unknown dataset format %q", f)}
}

// skipBOM drops a UTF-8 byte order mark, which spreadsheet exports add,
// and says how many bytes it dropped.
func skipBOM(br *bufio.Reader) int64 {
	if b, err := br.Peek(3); err == nil && string(b) == "\xef\xbb\xbf" {
		br.Discard(3)
		return 3
	}
	return 0
}

// Hash is the hex SHA-256 of the file at path, recorded with a run so that
// a resumed or merged run can tell the dataset changed.
func Hash(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("dataset: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("dataset %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
