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
// json.Decoder.Token, so the array is never held whole.
func decodeJSON(name string, r io.Reader) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		lt := &lineTracker{r: r, line: 1}
		dec := json.NewDecoder(lt)
		dec.UseNumber()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return // no rows: Decode says so
		}
		if d, ok := tok.(json.Delim); err != nil || !ok || d != '[' {
			yield(Row{}, &Error{Path: name, Line: lt.lineAt(dec.InputOffset()), Msg: "a .json dataset must be an array of objects: [{...}, {...}]"})
			return
		}
		for i := 1; dec.More(); i++ {
			prevEnd := dec.InputOffset()
			var v any
			if err := dec.Decode(&v); err != nil {
				at := dec.InputOffset()
				var se *json.SyntaxError
				if errors.As(err, &se) && se.Offset > at {
					at = se.Offset // where the bad byte is, not where the element starts
				}
				yield(Row{}, &Error{Path: name, Line: lt.lineAt(at), Msg: fmt.Sprintf("element %d: invalid JSON: %v", i, err)})
				return
			}
			line := lt.lineOfValueAfter(prevEnd)
			obj, ok := v.(map[string]any)
			if !ok {
				yield(Row{}, &Error{Path: name, Line: line, Msg: fmt.Sprintf("element %d: a row must be a JSON object, not %s", i, kindOf(v))})
				return
			}
			row, err := rowFrom(name, line, obj, strconv.Itoa(i))
			if !yield(row, err) || err != nil {
				return
			}
		}
		if _, err := dec.Token(); err != nil {
			yield(Row{}, &Error{Path: name, Line: lt.lineAt(dec.InputOffset()), Msg: fmt.Sprintf("invalid JSON: %v", err)})
			return
		}
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			yield(Row{}, &Error{Path: name, Line: lt.lineAt(dec.InputOffset()), Msg: "unexpected data after the array"})
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

// lineOfValueAfter is the line of the value that follows offset off past
// white space and a comma: the decoder has read it, so it is in buf.
func (t *lineTracker) lineOfValueAfter(off int64) int {
	line := t.lineAt(off)
	for _, c := range t.buf {
		switch c {
		case '\n':
			line++
		case ' ', '\t', '\r', ',':
		default:
			return line
		}
	}
	return line
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
