package dataset

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// resumeCases are files whose rows start on lines that are not their
// number: a byte order mark, blank lines, CRLF, cells and values over
// several lines, and a bad row at the end whose line must be exact.
var resumeCases = []struct {
	f       Format
	src     string
	badLine int
}{
	{JSONL, "\xef\xbb\xbf{\"id\": \"a\", \"x\": 1}\r\n\n{\"x\": 2}\n   \n{\"id\": \"c\", \"x\": \"3\"}\n{\"x\": 4}\n\n{\"x\": \n", 8},
	{CSV, "\xef\xbb\xbfid,\"long\nname\",x\r\na,1,\"one\ntwo\"\r\n\r\n,2,two\nc,3,\"x\"\"y\"\n,\"4\n\n\",z\n,5\n", 11},
	{JSON, "\xef\xbb\xbf[\n  {\"id\": \"a\", \"x\": 1},\n\n  {\"x\": 2}  ,  {\"id\": \"c\",\n \"x\": 3},\n{\"x\": 4},\n  7\n]\n", 7},
}

// readAll reads r from the Mark from: the rows and the error ending them.
func readAll(f Format, src string, from Mark) ([]Marked, error) {
	var rows []Marked
	for m, err := range Resume("data", f, strings.NewReader(src), from) {
		if err != nil {
			return rows, err
		}
		rows = append(rows, m)
	}
	return rows, nil
}

// TestResumeFromEveryRow: reading on from any row's Mark gives the same
// rows, ids, lines and Marks as the whole reading, and the same error at
// the same line.
func TestResumeFromEveryRow(t *testing.T) {
	for _, c := range resumeCases {
		t.Run(string(c.f), func(t *testing.T) {
			all, err := readAll(c.f, c.src, Mark{})
			var de *Error
			if !errors.As(err, &de) || de.Line != c.badLine {
				t.Fatalf("whole file: error %v, want one at line %d", err, c.badLine)
			}
			if len(all) != 4 {
				t.Fatalf("whole file: %d rows before the bad one, want 4", len(all))
			}
			for i, m := range all {
				if m.At.Row != i {
					t.Fatalf("row %d marked as row %d", i, m.At.Row)
				}
				rest, rerr := readAll(c.f, c.src, m.At)
				if !reflect.DeepEqual(rest, all[i:]) {
					t.Errorf("from row %d (%+v):\n got %+v\nwant %+v", i, m.At, rest, all[i:])
				}
				if rerr == nil || rerr.Error() != err.Error() {
					t.Errorf("from row %d: error %v, want %v", i, rerr, err)
				}
			}
		})
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	*bytes.Reader
	read int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.Reader.Read(p)
	c.read += n
	return n, err
}

// TestIndexBoundsTheRead: a read of a row near the end of 100,000 rows,
// from the Index's mark before it, takes a few kilobytes, not the
// megabytes before it.
func TestIndexBoundsTheRead(t *testing.T) {
	for _, f := range []Format{JSONL, CSV, JSON} {
		t.Run(string(f), func(t *testing.T) {
			const n = 100_000
			src := []byte(benchRows(f, n))
			var x Index
			rows := 0
			for m, err := range Resume("data", f, bytes.NewReader(src), Mark{}) {
				if err != nil {
					t.Fatal(err)
				}
				x.Add(m.At)
				rows++
			}
			if rows != n {
				t.Fatalf("%d rows, %d marks", rows, x.Len())
			}
			want := n - 1234
			r := &countingReader{Reader: bytes.NewReader(src)}
			from := x.Before(want)
			for m, err := range Resume("data", f, r, from) {
				if err != nil {
					t.Fatal(err)
				}
				if m.At.Row == want {
					if id := fmt.Sprintf("t%d", want); m.Row.ID != id {
						t.Fatalf("row %d has id %q, want %q", want, m.Row.ID, id)
					}
					break
				}
			}
			if r.read > 256<<10 {
				t.Fatalf("reading row %d from %+v took %d bytes of %d", want, from, r.read, len(src))
			}
		})
	}
}

// TestIndexBefore: the mark before a row is the last at or before it.
func TestIndexBefore(t *testing.T) {
	var x Index
	for i := range 1000 {
		x.Add(Mark{Row: i, Offset: int64(i) * 10, Line: i + 1})
	}
	if got := x.Before(0); got != (Mark{Line: 1}) {
		t.Errorf("Before(0) = %+v", got)
	}
	if got := x.Before(130); got.Row != 128 {
		t.Errorf("Before(130) = %+v, want row 128", got)
	}
	if got := x.Before(5000); got.Row != 960 {
		t.Errorf("Before(5000) = %+v, want row 960", got)
	}
}

// TestIndexThins: a million marks leave at most indexMarks, still spread
// through the file: the mark before any row is close before it.
func TestIndexThins(t *testing.T) {
	var x Index
	const n = 1_000_000
	for i := range n {
		x.Add(Mark{Row: i, Offset: int64(i) * 100, Line: i + 1})
	}
	if x.Len() > indexMarks {
		t.Fatalf("%d marks kept", x.Len())
	}
	for _, row := range []int{0, 1, 4095, 500_000, 777_777, n - 1} {
		if m := x.Before(row); m.Row > row || row-m.Row >= 256 {
			t.Errorf("Before(%d) = %+v", row, m)
		}
	}
}
