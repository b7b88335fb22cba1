package workspace

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	gojson "github.com/goccy/go-json"
)

// AppendJSON must write the bytes goccy/go-json's MarshalIndent writes,
// which `list --json` printed before it.
func checkPromptJSON(t *testing.T, p Prompt) {
	t.Helper()
	for _, in := range [][2]string{{"  ", "  "}, {"", "\t"}, {"", ""}} {
		want, werr := gojson.MarshalIndent(&p, in[0], in[1])
		got, err := p.AppendJSON([]byte("keep"), in[0], in[1])
		if (err != nil) != (werr != nil) {
			t.Fatalf("%+v: error %v, goccy/go-json %v", p, err, werr)
		}
		if err == nil && !bytes.Equal(got, append([]byte("keep"), want...)) {
			t.Fatalf("%+v:\ngot  %s\nwant keep%s", p, got, want)
		}
	}
}

func TestPromptAppendJSON(t *testing.T) {
	when := time.Date(2026, 11, 30, 5, 43, 19, 85317351, time.UTC)
	for _, p := range []Prompt{
		{},
		{Name: "a", Latest: 1, LatestHash: "abc", Created: when, Updated: when},
		{Name: "bench/prompt-00001", Description: "Prompt number 1 — é 日本", Tags: []string{"purpose:support", "tone:formal"},
			Labels: map[string]int{"production": 3, "staging": 10, "dev": -1}, Latest: 10, LatestHash: "86fd", Model: "openai/gpt-4o-mini",
			Created: when, Updated: when.Add(time.Hour)},
		{Name: "q", Description: "\"quotes\" \\ <html> & \u2028\u2029 \b\f\x7f\x00\x1f\t\r\n \xff\xc3( \xed\xa0\x80 \U0001F600",
			Tags: []string{"<&>"}, Labels: map[string]int{"a\"b": 1}, Created: when.In(time.FixedZone("x", 3600)),
			Updated: when.In(time.FixedZone("y", -5*3600-1800))},
		{Name: "z", Labels: map[string]int{}, Tags: []string{}, Created: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		// Names written without encoding, in their order; more labels than
		// that way takes; names sorting otherwise once quoted.
		{Name: "p", Labels: map[string]int{"staging": 1, "production": 2, "dev": 3, "a-b": 4, "a_b": 5, "a": 6, "a0": 7, "Z": 8}},
		{Name: "p", Labels: map[string]int{"l1": 1, "l2": 2, "l3": 3, "l4": 4, "l5": 5, "l6": 6, "l7": 7, "l8": 8, "l": 9}},
		{Name: "p", Labels: map[string]int{"a": 1, "a!": 2, "a b": 3, "a#": 4, "ab": 5}},
		{Name: "y", Updated: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		checkPromptJSON(t, p)
	}
	// A field added to Prompt must be written by AppendJSON too: this
	// count is the reminder.
	if n := reflect.TypeFor[Prompt]().NumField(); n != 9 {
		t.Fatalf("Prompt has %d fields; AppendJSON writes 9: add the new ones, then change this count", n)
	}
}

func FuzzPromptAppendJSON(f *testing.F) {
	f.Add("bench/prompt-00001", "Prompt number 1 — é 日本 <&>", "purpose:support", "production", 3, int64(1764481399085317351))
	f.Add("", "\b\f\x7f\xff\u2028", "", "", 0, int64(0))
	f.Fuzz(func(t *testing.T, name, desc, tag, label string, n int, nanos int64) {
		when := time.Unix(nanos/4096, nanos%1_000_000_000).UTC() // years before 0 and past 9999 too
		p := Prompt{Name: name, Description: desc, Latest: n, LatestHash: tag + label, Model: desc, Created: when, Updated: when.Add(time.Duration(n))}
		if tag != "" {
			p.Tags = []string{tag, name}
		}
		if label != "" {
			if label != name && bytes.Equal(appendJSONString(nil, label), appendJSONString(nil, name)) {
				t.Skip("two names that encode alike: goccy/go-json orders them by chance")
			}
			p.Labels = map[string]int{label: n, name: -n}
		}
		checkPromptJSON(t, p)
	})
}

// appendRecordTime must write what time.Time.AppendText writes, and fail
// where it fails.
func TestAppendRecordTime(t *testing.T) {
	for _, tm := range []time.Time{
		{},
		time.Date(2028, 2, 29, 23, 59, 59, 999999999, time.UTC),
		time.Date(2026, 11, 30, 5, 4, 3, 100, time.UTC),
		time.Date(2026, 11, 30, 5, 4, 3, 120000000, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 1, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(26, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 30, 5, 4, 3, 0, time.FixedZone("zero", 0)),
		time.Date(2026, 11, 30, 5, 4, 3, 5, time.FixedZone("east", 5*3600+1800)),
		time.Date(2026, 11, 30, 5, 4, 3, 5, time.Local),
		time.Unix(1764481399, 85317351).UTC(),
	} {
		want, werr := tm.AppendText([]byte("x"))
		got, err := appendRecordTime([]byte("x"), tm)
		if (err != nil) != (werr != nil) || string(got) != string(want) {
			t.Errorf("%v: %q %v, AppendText %q %v", tm, got, err, want, werr)
		}
	}
}

// safeWord must find a byte a JSON string escapes at any place of the
// word, whatever the other bytes are.
func TestSafeWord(t *testing.T) {
	for _, fill := range []byte{'a', 0x20, 0x7f, 0x80, 0xff, '"', '=', '?'} {
		for pos := range 8 {
			for c := range 256 {
				w := bytes.Repeat([]byte{fill}, 8)
				w[pos] = byte(c)
				want := true
				for _, b := range w {
					if b < 0x20 || b >= 0x80 || bytes.IndexByte([]byte(`"\<>&`), b) >= 0 {
						want = false
					}
				}
				if got := safeWord(string(w)); got != want {
					t.Fatalf("%q: safeWord %v", w, got)
				}
			}
		}
	}
}
