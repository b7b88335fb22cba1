package dataset

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
)

// column is one CSV header cell: a dotted path into the row and whether
// its cells are JSON.
type column struct {
	path []string
	json bool
}

// jsonSuffix declares a column's cells JSON: "items:json".
const jsonSuffix = ":json"

// decodeCSV reads RFC 4180 CSV: the header row names the variables; cells
// are strings unless the column is declared JSON ("items:json"); a dotted
// header ("customer.name") builds a nested map; "tags" is split on commas.
// r starts at the Mark from; cols is the header when it is behind it (nil:
// r starts with the header).
func decodeCSV(name string, r io.Reader, from Mark, cols []column) iter.Seq2[Marked, error] {
	return func(yield func(Marked, error) bool) {
		cr := newCSVReader(r)
		base := from // lines and offsets of cr are counted from here
		base.Line = max(base.Line, 1)
		next := base
		if cols == nil {
			var err error
			if cols, next, err = csvHeader(name, cr); err != nil || cols == nil {
				if err != nil {
					yield(Marked{}, err)
				}
				return // no rows: the caller says so
			}
			next.Offset += base.Offset
		}
		for {
			at := next
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				yield(Marked{}, csvError(name, base.Line, err))
				return
			}
			first, _ := cr.FieldPos(0)
			line := base.Line + first - 1
			last, _ := cr.FieldPos(len(rec) - 1)
			// The record ends on its last cell's line, past the newlines
			// quoted in that cell; the next one starts after it.
			next = Mark{Row: at.Row + 1, Offset: base.Offset + cr.InputOffset(),
				Line: base.Line + last - 1 + strings.Count(rec[len(rec)-1], "\n") + 1}
			if len(rec) != len(cols) {
				yield(Marked{}, &Error{Path: name, Line: line, Msg: fmt.Sprintf("row has %d fields, the header has %d; quote cells that contain commas", len(rec), len(cols))})
				return
			}
			row, err := csvRow(name, line, cols, rec)
			if !yield(Marked{Row: row, At: at}, err) || err != nil {
				return
			}
		}
	}
}

func newCSVReader(r io.Reader) *csv.Reader {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // ragged rows are reported by decodeCSV, with both counts
	cr.ReuseRecord = true
	return cr
}

// csvHeader reads the header row of cr, which starts at line 1, and says
// where the first row starts (its offset counted from cr's start). No
// header and no error: the input is empty.
func csvHeader(name string, cr *csv.Reader) ([]column, Mark, error) {
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, Mark{}, nil
	}
	if err != nil {
		return nil, Mark{}, csvError(name, 1, err)
	}
	last, _ := cr.FieldPos(len(header) - 1)
	next := Mark{Offset: cr.InputOffset(), Line: last + strings.Count(header[len(header)-1], "\n") + 1}
	cols, err := parseHeader(name, header)
	return cols, next, err
}

// csvError places a CSV reader's error; its lines count from line from.
func csvError(name string, from int, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Error{Path: name, Line: from + pe.Line - 1, Msg: fmt.Sprintf("byte %d of the line: %v; quote a cell that holds quotes and double each quote inside it", pe.Column, pe.Err)}
	}
	return fmt.Errorf("%s: %w", name, err)
}

func parseHeader(name string, header []string) ([]column, error) {
	cols := make([]column, len(header))
	byName := map[string]int{}
	for i, h := range header {
		c := column{}
		key := strings.TrimSpace(h) // "a, b" headers from hand-written files
		if strings.HasSuffix(key, jsonSuffix) {
			key, c.json = strings.TrimSuffix(key, jsonSuffix), true
		}
		if first, dup := byName[key]; dup {
			return nil, &Error{Path: name, Line: 1, Msg: fmt.Sprintf("column %d %q repeats column %d; header names must be unique", i+1, h, first+1)}
		}
		byName[key] = i
		c.path = strings.Split(key, ".")
		for _, p := range c.path {
			if p == "" {
				return nil, &Error{Path: name, Line: 1, Msg: fmt.Sprintf("column %d %q: empty name; name every column (dots separate nested names)", i+1, h)}
			}
		}
		cols[i] = c
	}
	// "a" and "a.b" cannot both be: a would be a value and a map at once.
	for key, i := range byName {
		parts := strings.Split(key, ".")
		for k := 1; k < len(parts); k++ {
			if j, ok := byName[strings.Join(parts[:k], ".")]; ok {
				return nil, &Error{Path: name, Line: 1, Msg: fmt.Sprintf("column %d %q and column %d %q: a name cannot be both a value and a group", j+1, header[j], i+1, header[i])}
			}
		}
	}
	return cols, nil
}

func csvRow(name string, line int, cols []column, rec []string) (Row, error) {
	obj := make(map[string]any, len(cols))
	for i, c := range cols {
		var v any = rec[i]
		switch {
		case len(c.path) == 1 && c.path[0] == fieldID && rec[i] == "":
			continue // no id: the line number stands in
		case c.json && strings.TrimSpace(rec[i]) == "":
			v = nil
		case c.json:
			if err := unmarshalNumber([]byte(rec[i]), &v); err != nil {
				return Row{}, &Error{Path: name, Line: line, Msg: fmt.Sprintf("column %d %q is declared JSON: %v", i+1, strings.Join(c.path, "."), err)}
			}
		case len(c.path) == 1 && c.path[0] == fieldTags:
			v = splitTags(rec[i])
		}
		put(obj, c.path, v)
	}
	return rowFrom(name, line, obj, strconv.Itoa(line))
}

// put sets path in obj, making the maps on the way.
func put(obj map[string]any, path []string, v any) {
	for _, p := range path[:len(path)-1] {
		next, ok := obj[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			obj[p] = next
		}
		obj = next
	}
	obj[path[len(path)-1]] = v
}

func splitTags(s string) []any {
	tags := []any{}
	for t := range strings.SplitSeq(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	return tags
}
