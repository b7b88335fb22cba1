package workspace

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math/bits"
	"reflect"
	"testing"
	"time"

	gojson "github.com/goccy/go-json"
)

// The fast prompt decoder must decode exactly as goccy/go-json does, or
// decline.

func samePrompt(a, b Prompt) bool {
	if !a.Created.Equal(b.Created) || !a.Updated.Equal(b.Updated) ||
		a.Created.Location().String() != b.Created.Location().String() {
		return false
	}
	a.Created, b.Created, a.Updated, b.Updated = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}

func checkPromptDecode(t *testing.T, b []byte) (fast bool) {
	t.Helper()
	got, ok := decodePromptFast(b)
	if !ok {
		return false
	}
	var want Prompt
	if err := gojson.Unmarshal(b, &want); err != nil {
		t.Fatalf("%s: the fast decoder took what goccy/go-json refuses: %v", b, err)
	}
	if !samePrompt(got, want) {
		t.Fatalf("%s:\nfast  %+v\ngoccy %+v", b, got, want)
	}
	// A listing's way: strings kept in an arena, tags carved from a slab.
	var slab []string
	d := promptScanner{b: b, arena: &stringArena{}, slab: &slab}
	if listed, ok := d.prompt(); !ok || !samePrompt(listed, want) {
		t.Fatalf("%s: a listing's decoding (ok %v):\nlisted %+v\ngoccy  %+v", b, ok, listed, want)
	}
	return true
}

// TestDecodeListingApart: prompts decoded by a listing share an arena of
// strings and a slab of tags; the store's bytes they were read from are
// reused by the next record, and an append to one prompt's tags must not
// change the next prompt's.
func TestDecodeListingApart(t *testing.T) {
	listing := promptListing{wanted: func(*Prompt) bool { return true }}
	val := make([]byte, 0, 256)
	for _, rec := range []string{
		`{"name":"a","tags":["x:1","x:2"],"latest":1,"latest_hash":"h","created":"2026-01-01T00:00:00Z","updated":"2026-01-01T00:00:00Z"}`,
		`{"name":"b","tags":["y:1"],"latest":1,"latest_hash":"h","created":"2026-01-01T00:00:00Z","updated":"2026-01-01T00:00:00Z"}`,
		`{"name":"c","description":"esc\u0041ped: goccy/go-json decodes it","latest":1,"latest_hash":"h","created":"2026-01-01T00:00:00Z","updated":"2026-01-01T00:00:00Z"}`,
	} {
		val = append(val[:0], rec...)
		if err := listing.add([]byte(rec[9:10]), val); err != nil {
			t.Fatal(err)
		}
		clear(val[:cap(val)]) // as the store may reuse its memory
	}
	prompts := listing.prompts()
	if len(prompts) != 3 {
		t.Fatal(prompts)
	}
	_ = append(prompts[0].Tags, "changed")
	if !reflect.DeepEqual(prompts[0].Tags, []string{"x:1", "x:2"}) || !reflect.DeepEqual(prompts[1].Tags, []string{"y:1"}) ||
		prompts[0].Name != "a" || prompts[1].Name != "b" || prompts[2].Description != "escAped: goccy/go-json decodes it" {
		t.Fatalf("%+v", prompts)
	}
}

func TestDecodePromptFast(t *testing.T) {
	when := time.Date(2026, 11, 30, 5, 43, 19, 85317351, time.UTC)
	for _, p := range []Prompt{
		{Name: "a", Latest: 1, LatestHash: "abc", Created: when, Updated: when},
		{Name: "bench/prompt-00001", Description: "Prompt number 1 — é 日本", Tags: []string{"purpose:support", "tone:formal"},
			Labels: map[string]int{"production": 3, "staging": 10}, Latest: 10, LatestHash: "86fd", Model: "openai/gpt-4o-mini",
			Created: when, Updated: when.Add(time.Hour)},
		{Name: "q", Description: "with \"quotes\" and \\ and <html> & \u2028", Created: when.In(time.FixedZone("x", 3600))},
		{Name: "z", Labels: map[string]int{}, Tags: []string{}},
	} {
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		checkPromptDecode(t, b)
	}
	// The common record takes the fast path.
	b, _ := json.Marshal(Prompt{Name: "n", Description: "d", Tags: []string{"a:b"}, Labels: map[string]int{"l": 1}, Latest: 2, LatestHash: "h", Model: "m", Created: when, Updated: when})
	if !checkPromptDecode(t, b) {
		t.Fatalf("declined %s", b)
	}
	for _, s := range []string{`{}`, `{"name":"a"} `, `{"Name":"a"}`, `{"name":"a","name":"b"}`, `{"latest":01}`, `{"latest":-1}`,
		`{"tags":null}`, `{"labels":{"a":1,"a":2}}`, `{"created":"2026-13-01T00:00:00Z"}`, `{"extra":1}`, `{"name":"a\u0041"}`} {
		checkPromptDecode(t, []byte(s))
	}
}

func FuzzDecodePromptFast(f *testing.F) {
	when := time.Date(2026, 11, 30, 5, 43, 19, 85317351, time.UTC)
	b, _ := json.Marshal(Prompt{Name: "n", Description: "d", Tags: []string{"a:b"}, Labels: map[string]int{"l": 1}, Latest: 2, LatestHash: "h", Model: "m", Created: when, Updated: when})
	f.Add(b)
	f.Add([]byte(`{"name":"a","latest":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		checkPromptDecode(t, b)
	})
}

// specialBytes must mark the first quote, backslash or control byte of a
// word, whatever the other bytes are, and nothing in a word without one.
func TestSpecialBytes(t *testing.T) {
	special := func(b byte) bool { return b == '"' || b == '\\' || b < 0x20 }
	for _, fill := range []byte{'a', 0x20, 0x21, 0x7f, 0x80, 0xff, '[', ']', '"', 0} {
		for pos := range 8 {
			for c := range 256 {
				w := bytes.Repeat([]byte{fill}, 8)
				w[pos] = byte(c)
				first := -1
				for i, b := range w {
					if special(b) {
						first = i
						break
					}
				}
				m := specialBytes(binary.LittleEndian.Uint64(w))
				if first < 0 && m != 0 || first >= 0 && (m == 0 || bits.TrailingZeros64(m)/8 != first) {
					t.Fatalf("%q: specialBytes %#x, first special byte at %d", w, m, first)
				}
			}
		}
	}
}
