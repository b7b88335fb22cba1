package dataset

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
)

// decodeJSON reads a top-level JSON array element by element with
// json.Decoder.Token, so the array is never held whole. r starts at the
// Mark from; resumed, the Mark is an element's and r starts with a "["
// put before it.
func decodeJSON(name string, r io.Reader, from Mark, resumed bool) iter.Seq2[Marked, error] {
	return func(yield func(Marked, error) bool) {
		lt := &lineTracker{r: r, line: max(from.Line, 1)}
		shift := from.Offset // the file's offset of the decoder's offset 0
		if resumed {
			shift-- // the bracket put before the element
		}
		dec := json.NewDecoder(lt)
		dec.UseNumber()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return // no rows: the caller says so
		}
		if d, ok := tok.(json.Delim); err != nil || !ok || d != '[' {
			yield(Marked{}, &Error{Path: name, Line: lt.lineAt(dec.InputOffset()), Msg: "a .json dataset must be an array of objects: [{...}, {...}]"})
			return
		}
		for i := from.Row + 1; dec.More(); i++ {
			prevEnd := dec.InputOffset()
			var v any
			if err := dec.Decode(&v); err != nil {
				at := dec.InputOffset()
				var se *json.SyntaxError
				if errors.As(err, &se) && se.Offset > at {
					at = se.Offset // where the bad byte is, not where the element starts
				}
				yield(Marked{}, &Error{Path: name, Line: lt.lineAt(at), Msg: fmt.Sprintf("element %d: invalid JSON: %v", i, err)})
				return
			}
			line, start := lt.valueAfter(prevEnd)
			at := Mark{Row: i - 1, Offset: shift + start, Line: line}
			obj, ok := v.(map[string]any)
			if !ok {
				yield(Marked{}, &Error{Path: name, Line: line, Msg: fmt.Sprintf("element %d: a row must be a JSON object, not %s", i, kindOf(v))})
				return
			}
			row, err := rowFrom(name, line, obj, strconv.Itoa(i))
			if !yield(Marked{Row: row, At: at}, err) || err != nil {
				return
			}
		}
		if _, err := dec.Token(); err != nil {
			yield(Marked{}, &Error{Path: name, Line: lt.lineAt(dec.InputOffset()), Msg: fmt.Sprintf("invalid JSON: %v", err)})
			return
		}
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			yield(Marked{}, &Error{Path: name, Line: lt.lineAt(dec.InputOffset()), Msg: "unexpected data after the array"})
		}
	}
}

// lineTracker turns decoder offsets into line numbers in constant memory:
// it keeps only the bytes read past the last offset asked about (the
// decoder's look-ahead), counting the newlines of what it drops.
type lineTracker struct {
	r    io.Reader
	buf  []byte // bytes from offset base on
	base int64
	line int // the line at offset base
}

func (t *lineTracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.buf = append(t.buf, p[:n]...)
	return n, err
}

// valueAfter is the line and offset of the value that follows offset off
// past white space and a comma: the decoder has read it, so it is in buf.
func (t *lineTracker) valueAfter(off int64) (int, int64) {
	line := t.lineAt(off)
	for k, c := range t.buf {
		switch c {
		case '\n':
			line++
		case ' ', '\t', '\r', ',':
		default:
			return line, t.base + int64(k)
		}
	}
	return line, t.base + int64(len(t.buf))
}

// lineAt is the 1-based line of offset off; offsets must not decrease.
func (t *lineTracker) lineAt(off int64) int {
	k := int(off - t.base)
	if k <= 0 {
		return t.line
	}
	k = min(k, len(t.buf))
	t.line += bytes.Count(t.buf[:k], []byte("\n"))
	t.buf = append(t.buf[:0], t.buf[k:]...)
	t.base += int64(k)
	return t.line
}
