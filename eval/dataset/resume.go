package dataset

import (
	"bufio"
	"io"
	"iter"
	"strconv"
	"strings"
)

// Mark is a place in a dataset file where reading can start again: the
// row that starts there (counted from 0), its byte offset in the file and
// the line reading resumes on, so that rows read from a Mark carry the
// same lines, ids and errors as rows read from the start. The zero Mark
// is the start of the file.
type Mark struct {
	Row    int
	Offset int64
	Line   int
}

// Marked is a row and the Mark it starts at.
type Marked struct {
	Row Row
	At  Mark
}

// Resume streams the rows of the dataset read through r (its file's
// name places errors) from the Mark from on, each with its own Mark,
// which a later Resume of the same file can start from. From the zero
// Mark it reads the whole file; from another it seeks, reading of what
// comes before only a CSV file's header. Ids are not checked for repeats
// (as ReadAgain), and the first error ends the sequence.
func Resume(name string, f Format, r io.ReadSeeker, from Mark) iter.Seq2[Marked, error] {
	if from == (Mark{}) {
		return scanStart(name, f, r)
	}
	return func(yield func(Marked, error) bool) {
		var cols []column
		if f == CSV {
			var err error
			if cols, err = readHeader(name, r); err != nil {
				yield(Marked{}, err)
				return
			}
		}
		if _, err := r.Seek(from.Offset, io.SeekStart); err != nil {
			yield(Marked{}, &Error{Path: name, Line: from.Line, Msg: "cannot read on from byte " + strconv.FormatInt(from.Offset, 10) + ": " + err.Error()})
			return
		}
		br := bufio.NewReaderSize(r, 64<<10)
		var rows iter.Seq2[Marked, error]
		switch f {
		case JSONL:
			rows = decodeJSONL(name, br, from)
		case CSV:
			rows = decodeCSV(name, br, from, cols)
		case JSON:
			// The reading starts on an element: an opening bracket before
			// it puts the decoder where it was, inside the array.
			rows = decodeJSON(name, io.MultiReader(strings.NewReader("["), br), from, true)
		default:
			yield(Marked{}, unknownFormat(name, f))
			return
		}
		for m, err := range rows {
			if !yield(m, err) || err != nil {
				return
			}
		}
	}
}

// scanStart streams every row of r from its start: a byte order mark is
// skipped, and an input without rows is an error.
func scanStart(name string, f Format, r io.Reader) iter.Seq2[Marked, error] {
	return func(yield func(Marked, error) bool) {
		br := bufio.NewReaderSize(r, 64<<10)
		at := Mark{Offset: skipBOM(br), Line: 1}
		var rows iter.Seq2[Marked, error]
		switch f {
		case JSONL:
			rows = decodeJSONL(name, br, at)
		case CSV:
			rows = decodeCSV(name, br, at, nil)
		case JSON:
			rows = decodeJSON(name, br, at, false)
		default:
			yield(Marked{}, unknownFormat(name, f))
			return
		}
		n := 0
		for m, err := range rows {
			if !yield(m, err) || err != nil {
				return
			}
			n++
		}
		if n == 0 {
			yield(Marked{}, &Error{Path: name, Msg: "the dataset has no rows"})
		}
	}
}

// readHeader reads the header of the CSV file r from its start.
func readHeader(name string, r io.ReadSeeker) ([]column, error) {
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, &Error{Path: name, Msg: "cannot read the header: " + err.Error()}
	}
	br := bufio.NewReaderSize(r, 4<<10) // csv reads through it: little past the header
	skipBOM(br)
	cols, _, err := csvHeader(name, newCSVReader(br))
	return cols, err
}
