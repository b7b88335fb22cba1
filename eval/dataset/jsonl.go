package dataset

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
)

// decodeJSONL reads one JSON object per line; blank lines are skipped. A
// line may be of any length. br starts at the Mark from: a line's start.
func decodeJSONL(name string, br *bufio.Reader, from Mark) iter.Seq2[Marked, error] {
	return func(yield func(Marked, error) bool) {
		var line []byte
		at, row := from.Offset, from.Row
		for n := max(from.Line, 1); ; n++ {
			start := at
			var size int
			var err error
			line, size, err = readLine(br, line[:0])
			at += int64(size)
			if err != nil && !errors.Is(err, io.EOF) {
				yield(Marked{}, fmt.Errorf("%s:%d: %w", name, n, err))
				return
			}
			if trimmed := bytes.TrimSpace(line); len(trimmed) > 0 {
				obj, derr := decodeObject(trimmed)
				if derr != nil {
					yield(Marked{}, &Error{Path: name, Line: n, Msg: derr.Error() + "; each line must be one JSON object"})
					return
				}
				r, rerr := rowFrom(name, n, obj, strconv.Itoa(n))
				if !yield(Marked{Row: r, At: Mark{Row: row, Offset: start, Line: n}}, rerr) || rerr != nil {
					return
				}
				row++
			}
			if err != nil { // io.EOF after the last line
				return
			}
		}
	}
}

// readLine appends the next line of br to buf, without its line ending,
// and says how many bytes it took from br.
func readLine(br *bufio.Reader, buf []byte) ([]byte, int, error) {
	size := 0
	for {
		chunk, err := br.ReadSlice('\n')
		size += len(chunk)
		buf = append(buf, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		buf = bytes.TrimSuffix(buf, []byte("\n"))
		buf = bytes.TrimSuffix(buf, []byte("\r"))
		return buf, size, err
	}
}

// unmarshalNumber is json.Unmarshal with UseNumber, refusing trailing data.
func unmarshalNumber(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("unexpected data after the value at byte %d", dec.InputOffset()+1)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("unexpected data after the value at byte %d", dec.InputOffset()+1)
	}
	return nil
}
