package dataset

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
)

func TestJSONArrayRows(t *testing.T) {
	src := "\xef\xbb\xbf[\n  {\"q\": \"one\"},\n\n  {\n    \"id\": \"b\",\n    \"q\": \"two\", \"expected\": {\"x\": 1}\n  }, {\"q\": \"three\"}\n]\n"
	rows, err := collect(t, JSON, src)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintln(rows[0].ID, rows[0].Line, rows[1].ID, rows[1].Line, rows[2].ID, rows[2].Line)
	if got != "1 2 b 4 3 7\n" {
		t.Errorf("ids and lines = %s, want 1 2 b 4 3 7 (index as default id)", got)
	}
	if rows[1].Vars["q"] != "two" || rows[1].Expected == nil {
		t.Errorf("second row %+v", rows[1])
	}
}

func TestJSONArrayBadInput(t *testing.T) {
	cases := []struct {
		name, src string
		line      int
		says      []string
	}{
		{"object", "\n{\"a\": 1}\n", 2, []string{"must be an array"}},
		{"scalar", "42", 1, []string{"must be an array"}},
		{"element not object", "[\n{\"a\": 1},\n\"x\"\n]", 3, []string{"element 2", "not a string"}},
		{"broken element", "[\n{\"a\": 1},\n{\"a\": }\n]", 3, []string{"element 2: invalid JSON"}},
		{"unclosed", "[\n{\"a\": 1}\n", 0, nil},
		{"trailing data", "[{\"a\": 1}]\n[]", 2, []string{"after the array"}},
		{"empty array", "[ ]", 0, []string{"no rows"}},
		{"empty file", "", 0, []string{"no rows"}},
		{"duplicate id", "[{\"id\": \"x\"},\n{\"id\": \"x\"}]", 2, []string{"repeats the id of line 1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := collect(t, JSON, c.src)
			if c.says == nil {
				if err == nil {
					t.Fatal("an unclosed array must be an error")
				}
				return
			}
			wantError(t, err, c.line, c.says...)
		})
	}
}

// genArray produces a JSON array of n rows without holding it.
type genArray struct {
	n, i int
	buf  []byte
	done bool
}

func (g *genArray) Read(p []byte) (int, error) {
	for len(g.buf) == 0 {
		switch {
		case g.done:
			return 0, io.EOF
		case g.i == 0:
			g.buf = []byte("[\n")
		case g.i > g.n:
			g.buf, g.done = []byte("]\n"), true
			continue
		default:
			sep := ",\n"
			if g.i == g.n {
				sep = "\n"
			}
			g.buf = fmt.Appendf(nil, "{\"text\": \"%s\", \"n\": %d}%s", strings.Repeat("z", 200), g.i, sep)
		}
		g.i++
	}
	n := copy(p, g.buf)
	g.buf = g.buf[n:]
	return n, nil
}

// TestJSONArrayStreams reads 100,000 rows (about 23 MB of JSON) and checks
// the heap holds far less than the file: only the ids are kept.
func TestJSONArrayStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 100,000 rows")
	}
	const n = 100_000
	var peak uint64
	var ms runtime.MemStats
	count := 0
	for row, err := range Decode("big.json", JSON, &genArray{n: n}) {
		if err != nil {
			t.Fatal(err)
		}
		count++
		if count%25_000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		if count == n && row.Line != n+1 {
			t.Errorf("last row on line %d, want %d", row.Line, n+1)
		}
	}
	if count != n {
		t.Fatalf("read %d rows, want %d", count, n)
	}
	if peak > 20<<20 {
		t.Errorf("heap reached %d MB while streaming a 23 MB array", peak>>20)
	}
}
