package dataset

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestCSVRows(t *testing.T) {
	src := "\xef\xbb\xbfid,customer.name,customer.tier,items:json,note,tags,expected\r\n" +
		"c1,Ana,gold,\"[1, {\"\"a\"\": 2}]\",\"multi\r\nline, with comma\",\"x, y\",billing\r\n" +
		"\r\n" +
		",Ben,,,plain,,\r\n"
	rows, err := collect(t, CSV, src)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("got %d rows, want 2", len(rows))
	}
	want := map[string]any{
		"customer": map[string]any{"name": "Ana", "tier": "gold"},
		"items":    []any{json.Number("1"), map[string]any{"a": json.Number("2")}},
		"note":     "multi\nline, with comma", // encoding/csv turns a quoted \r\n into \n
	}
	if !reflect.DeepEqual(rows[0].Vars, want) {
		t.Errorf("vars = %#v\nwant %#v", rows[0].Vars, want)
	}
	if rows[0].ID != "c1" || rows[0].Line != 2 || rows[0].Expected != "billing" || !reflect.DeepEqual(rows[0].Tags, []string{"x", "y"}) {
		t.Errorf("first row = %+v", rows[0])
	}
	// The quoted cell spans lines 2-3 and a blank line follows: the second
	// row starts on line 5; its empty id cell means "use the line number".
	if rows[1].ID != "5" || rows[1].Line != 5 || rows[1].Vars["customer"].(map[string]any)["tier"] != "" {
		t.Errorf("second row = %+v", rows[1])
	}
}

func TestCSVHeaderSpaces(t *testing.T) {
	rows, err := collect(t, CSV, "style, topic ,expected\nshort, cats ,x\n")
	if err != nil {
		t.Fatal(err)
	}
	if rows[0].Vars["topic"] != " cats " || rows[0].Expected != "x" {
		t.Errorf("header names are trimmed, cells kept as written: %#v", rows[0])
	}
}

func TestCSVEmptyCells(t *testing.T) {
	rows, err := collect(t, CSV, "q,extra:json,tags\nhello,,\n")
	if err != nil {
		t.Fatal(err)
	}
	r := rows[0]
	if r.ID != "2" || r.Vars["extra"] != nil || len(r.Tags) != 0 || r.Tags == nil {
		t.Errorf("empty cells: %+v", r)
	}
	if _, ok := r.Vars["extra"]; !ok {
		t.Error("an empty JSON cell is null, still a variable")
	}
}

func TestCSVLineNumbers(t *testing.T) {
	rows, err := collect(t, CSV, "a,b\n1,\"two\nlines\"\n\n3,4\n")
	if err != nil {
		t.Fatal(err)
	}
	if rows[0].Line != 2 || rows[1].Line != 5 || rows[1].ID != "5" {
		t.Errorf("lines %d, %d (id %s), want 2 and 5", rows[0].Line, rows[1].Line, rows[1].ID)
	}
}

func TestCSVBadInput(t *testing.T) {
	cases := []struct {
		name, src string
		line      int
		says      []string
	}{
		{"ragged short", "a,b,c\n1,2,3\n1,2\n", 3, []string{"data.csv:3:", "row has 2 fields, the header has 3"}},
		{"ragged long", "a,b\n1,2,3\n", 2, []string{"row has 3 fields, the header has 2"}},
		{"duplicate header", "a,b,a\n1,2,3\n", 1, []string{`column 3 "a" repeats column 1`}},
		{"duplicate through :json", "a,a:json\n1,2\n", 1, []string{"repeats column 1"}},
		{"value and group", "customer,customer.name\nx,y\n", 1, []string{"both a value and a group"}},
		{"empty header name", "a,,b\n1,2,3\n", 1, []string{"column 2", "empty name"}},
		{"empty dotted part", "a.,b\n1,2\n", 1, []string{"empty name"}},
		{"bad JSON cell", "a,items:json\n1,\"[1,\"\n", 2, []string{`column 2 "items" is declared JSON`}},
		{"bare quote", "a,b\n1,x\"y\n", 2, []string{"byte 4 of the line", "bare \""}},
		{"header only", "a,b\n", 0, []string{"no rows"}},
		{"empty file", "", 0, []string{"no rows"}},
		{"duplicate id", "id,a\nx,1\ny,2\nx,3\n", 4, []string{`id "x" repeats the id of line 2`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := collect(t, CSV, c.src)
			wantError(t, err, c.line, c.says...)
		})
	}
}
