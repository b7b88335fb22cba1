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
// line may be of any length.
func decodeJSONL(name string, br *bufio.Reader) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		var line []byte
		for n := 1; ; n++ {
			var err error
			line, err = readLine(br, line[:0])
			if err != nil && !errors.Is(err, io.EOF) {
				yield(Row{}, fmt.Errorf("%s:%d: %w", name, n, err))
				return
			}
			if trimmed := bytes.TrimSpace(line); len(trimmed) > 0 {
				obj, derr := decodeObject(trimmed)
				if derr != nil {
					yield(Row{}, &Error{Path: name, Line: n, Msg: derr.Error() + "; each line must be one JSON object"})
					return
				}
				row, rerr := rowFrom(name, n, obj, strconv.Itoa(n))
				if !yield(row, rerr) || rerr != nil {
					return
				}
			}
			if err != nil { // io.EOF after the last line
				return
			}
		}
	}
}

// readLine appends the next line of br to buf, without its line ending.
func readLine(br *bufio.Reader, buf []byte) ([]byte, error) {
	for {
		chunk, err := br.ReadSlice('\n')
		buf = append(buf, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		buf = bytes.TrimSuffix(buf, []byte("\n"))
		buf = bytes.TrimSuffix(buf, []byte("\r"))
		if err == nil {
			return buf, nil
		}
		return buf, err
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
