package workspace

import (
	"encoding/json"
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
	return true
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
