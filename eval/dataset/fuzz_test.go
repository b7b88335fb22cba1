package dataset

import (
	"errors"
	"strings"
	"testing"
)

// fuzzDecode checks what every parser promises on any input: no panic,
// errors are *Error with a line inside the input, rows have an id, a line
// and no reserved field among their variables.
func fuzzDecode(t *testing.T, f Format, src string) {
	lines := strings.Count(src, "\n") + 1
	seen := map[string]bool{}
	for row, err := range Decode("fuzz", f, strings.NewReader(src)) {
		if err != nil {
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("error %v is %T, want *Error", err, err)
			}
			if de.Line < 0 || de.Line > lines {
				t.Fatalf("error at line %d of a %d-line input: %v", de.Line, lines, err)
			}
			return
		}
		if row.ID == "" || row.Line < 1 || row.Line > lines || seen[row.ID] {
			t.Fatalf("bad row %+v", row)
		}
		seen[row.ID] = true
		for _, k := range []string{"id", "expected", "tags"} {
			if _, ok := row.Vars[k]; ok {
				t.Fatalf("reserved field %q left among the variables", k)
			}
		}
	}
}

func FuzzJSONL(f *testing.F) {
	f.Add("{\"id\": 1, \"a\": {\"b\": [1, 2]}}\n\n{\"tags\": [\"x\"]}\n")
	f.Add("{\"a\": 1} 2\n")
	f.Add("\xef\xbb\xbf{}\r\n")
	f.Fuzz(func(t *testing.T, src string) { fuzzDecode(t, JSONL, src) })
}

func FuzzCSV(f *testing.F) {
	f.Add("id,a.b,c:json,tags\n1,x,\"[1]\",\"p, q\"\n")
	f.Add("a,a\n1,2\n")
	f.Add("a,b\n\"x\ny\",2\n3\n")
	f.Fuzz(func(t *testing.T, src string) { fuzzDecode(t, CSV, src) })
}

func FuzzJSONArray(f *testing.F) {
	f.Add("[\n{\"id\": \"a\"},\n{\"expected\": null}\n]")
	f.Add("{\"a\": 1}")
	f.Add("[{\"a\": }]")
	f.Fuzz(func(t *testing.T, src string) { fuzzDecode(t, JSON, src) })
}
