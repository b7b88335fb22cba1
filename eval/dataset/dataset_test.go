package dataset

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// collect decodes src fully, returning the rows before the first error.
func collect(t *testing.T, f Format, src string) ([]Row, error) {
	t.Helper()
	var rows []Row
	for row, err := range Decode("data."+string(f), f, strings.NewReader(src)) {
		if err != nil {
			return rows, err
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// wantError checks err is an *Error at line whose text contains each part.
func wantError(t *testing.T, err error, line int, parts ...string) {
	t.Helper()
	var de *Error
	if !errors.As(err, &de) {
		t.Fatalf("error %v (%T), want a *dataset.Error", err, err)
	}
	if de.Line != line {
		t.Errorf("error %q at line %d, want line %d", err, de.Line, line)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not say %q", err, p)
		}
	}
}

func TestJSONLRows(t *testing.T) {
	src := "\xef\xbb\xbf{\"id\": \"t1\", \"customer\": {\"name\": \"Ana\"}, \"ticket\": \"hi\", \"expected\": \"billing\", \"tags\": [\"a\", \"b\"]}\r\n" +
		"\n   \n" +
		"{\"n\": 12345678901234567890, \"items\": [1, 2]}\n" +
		"{\"id\": 7}" // no final newline
	rows, err := collect(t, JSONL, src)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("got %d rows, want 3", len(rows))
	}
	first := rows[0]
	if first.ID != "t1" || first.Line != 1 || first.Expected != "billing" || !reflect.DeepEqual(first.Tags, []string{"a", "b"}) {
		t.Errorf("first row = %+v", first)
	}
	if !reflect.DeepEqual(first.Vars, map[string]any{"customer": map[string]any{"name": "Ana"}, "ticket": "hi"}) {
		t.Errorf("reserved fields must leave the variables: %v", first.Vars)
	}
	if rows[1].ID != "4" || rows[1].Line != 4 {
		t.Errorf("a row without id takes its line number: id %q line %d", rows[1].ID, rows[1].Line)
	}
	if n := rows[1].Vars["n"]; n != json.Number("12345678901234567890") {
		t.Errorf("large integers keep their text: %v", n)
	}
	if rows[2].ID != "7" || rows[2].Line != 5 {
		t.Errorf("numeric id: %+v", rows[2])
	}
}

func TestJSONLBadInput(t *testing.T) {
	cases := []struct {
		name, src string
		line      int
		says      []string
	}{
		{"not JSON", "{\"a\": 1}\n{\"a\": \n", 2, []string{"data.jsonl:2:", "not valid JSON", "each line must be one JSON object"}},
		{"not an object", "{\"a\": 1}\n\n[1, 2]\n", 3, []string{"a row must be a JSON object, not a list"}},
		{"two values on a line", "{\"a\": 1} {\"b\": 2}\n", 1, []string{"unexpected data"}},
		{"duplicate id", "{\"id\": \"x\"}\n{\"id\": \"y\"}\n{\"id\": \"x\"}\n", 3, []string{`id "x" repeats the id of line 1`}},
		{"id a line number already has", "{\"a\": 1}\n{\"id\": 1}\n", 2, []string{"repeats the id of line 1"}},
		{"bad id", "{\"id\": true}\n", 1, []string{`"id" must be a string or a number`}},
		{"empty id", "{\"id\": \"\"}\n", 1, []string{`"id" is empty`}},
		{"bad tags", "{\"tags\": \"a\"}\n", 1, []string{`"tags" must be a list`}},
		{"bad tag", "{\"tags\": [\"a\", 2]}\n", 1, []string{`"tags"[1] must be a string`}},
		{"empty", "\n\n  \n", 0, []string{"no rows"}},
		{"nothing", "", 0, []string{"no rows"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := collect(t, JSONL, c.src)
			wantError(t, err, c.line, c.says...)
		})
	}
}

func TestJSONLLongLine(t *testing.T) {
	long := strings.Repeat("x", 200_000)
	rows, err := collect(t, JSONL, `{"text": "`+long+`"}`+"\n{\"text\": \"short\"}\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Vars["text"] != long || rows[1].Line != 2 {
		t.Errorf("a line longer than the read buffer must stay one row: %d rows", len(rows))
	}
}

func TestReadByExtension(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cases.csv")
	if err := os.WriteFile(path, []byte("q\nhello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var got []Row
	for row, err := range Read(path) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, row)
	}
	if len(got) != 1 || got[0].Vars["q"] != "hello" || got[0].ID != "2" {
		t.Errorf("rows = %+v", got)
	}
	for _, err := range Read(filepath.Join(dir, "cases.txt")) {
		wantError(t, err, 0, "unknown dataset format")
	}
	for _, err := range Read(filepath.Join(dir, "missing.jsonl")) {
		if !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a missing file: %v", err)
		}
	}
	h, err := Hash(path)
	// printf 'q\nhello\n' | sha256sum
	if err != nil || h != "9a0c941dda8e06c2a63a6149bfc2b9885812412658731d6c77b773979b24ddf5" {
		t.Errorf("hash %q %v", h, err)
	}
	if err := os.WriteFile(path, []byte("q\nhello!\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if h2, _ := Hash(path); h2 == h {
		t.Error("a changed dataset must hash differently")
	}
}

// TestReadAgainGivesTheSameRows: the second pass over a checked dataset
// yields the rows Read yields, and still refuses an empty file.
func TestReadAgainGivesTheSameRows(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cases.jsonl")
	if err := os.WriteFile(path, []byte(`{"id": "a", "q": 1}`+"\n"+`{"q": "two"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	all := func(rows func(func(Row, error) bool)) []Row {
		var got []Row
		for row, err := range rows {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, row)
		}
		return got
	}
	if first, again := all(Read(path)), all(ReadAgain(path)); !reflect.DeepEqual(first, again) || len(again) != 2 {
		t.Errorf("Read %+v, ReadAgain %+v", first, again)
	}
	empty := filepath.Join(dir, "empty.jsonl")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, err := range ReadAgain(empty) {
		wantError(t, err, 0, "no rows")
	}
}
