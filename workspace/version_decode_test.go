package workspace

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	gojson "github.com/goccy/go-json"

	"promptbench/workspace/exportyaml"
)

// The fast version decoder must decode exactly as encoding/json (which
// export used) and goccy/go-json (its fallback) do, or decline.

func sameVersion(a, b Version) bool {
	if !a.Time.Equal(b.Time) || a.Time.Location().String() != b.Time.Location().String() {
		return false
	}
	a.Time, b.Time = time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}

func checkVersionDecode(t *testing.T, b []byte) (fast bool) {
	t.Helper()
	checkVersionInOrder(t, b)
	got, ok := decodeVersionFast(b)
	if !ok {
		return false
	}
	var std, goccy Version
	if err := json.Unmarshal(b, &std); err != nil {
		t.Fatalf("%s: the fast decoder took what encoding/json refuses: %v", b, err)
	}
	if err := gojson.Unmarshal(b, &goccy); err != nil {
		t.Fatalf("%s: the fast decoder took what goccy/go-json refuses: %v", b, err)
	}
	if !sameVersion(got, std) || !sameVersion(got, goccy) {
		t.Fatalf("%s:\nfast          %+v\nencoding/json %+v\ngoccy         %+v", b, got, std, goccy)
	}
	return true
}

// checkVersionInOrder: what the in-order decoder takes, the general one
// takes too and decodes the same, with the same bounds for the hash
// check; its time text is the time as export files write it.
func checkVersionInOrder(t *testing.T, b []byte) (inOrder bool) {
	t.Helper()
	got, parts, timeText, ok := decodeVersionInOrder(&promptScanner{b: b})
	if !ok {
		return false
	}
	var general hashedParts
	want, ok := decodeVersionWith(&promptScanner{b: b}, &general)
	if !ok {
		t.Fatalf("%s: the in-order decoder took what the general one declines", b)
	}
	if general.dup || string(general.messages) != string(parts.messages) || string(general.config) != string(parts.config) {
		t.Fatalf("%s: hashed parts %q %q, the general decoder's %q %q (dup %v)", b, parts.messages, parts.config, general.messages, general.config, general.dup)
	}
	if text := string(exportyaml.AppendTime(nil, want.Time)); text != string(timeText) {
		t.Fatalf("%s: time text %q, written %q", b, timeText, text)
	}
	got.Time = want.Time
	if !sameVersion(got, want) {
		t.Fatalf("%s:\nin order %+v\ngeneral  %+v", b, got, want)
	}
	return true
}

func TestDecodeVersionFast(t *testing.T) {
	when := time.Date(2026, 11, 30, 5, 43, 19, 85317351, time.UTC)
	temp, topP, seed := 0.7, 1e-7, int64(42)
	versions := []Version{
		{Prompt: "a", Number: 1, Hash: "h", Messages: []Message{{Role: "user", Content: "hi {{x}}"}}, Config: ModelConfig{Model: "echo/echo"}, Time: when},
		{Prompt: "b/c", Number: 12, Hash: "abc", Parent: 11, Time: when.In(time.FixedZone("x", -3600)), Author: "bob", Message: "fix: \"quotes\"",
			Messages:  []Message{{Role: "system", Content: "tab\tnewline\n<html> & é 日本 \u2028 \x01 \\ /"}, {Role: "user", Content: ""}},
			Config:    ModelConfig{Model: "openai/gpt-4o-mini", Temperature: &temp, TopP: &topP, MaxTokens: 300, Stop: []string{"\n\n", "END"}, Seed: &seed},
			Variables: []string{"x", "y"}, Scorers: []string{"contains:x"}},
		{Prompt: "rf", Number: 2, Hash: "h", Messages: []Message{}, Time: when,
			Config: ModelConfig{Model: "m", Temperature: &temp, ResponseFormat: &ResponseFormat{Type: "json_schema", Name: "o", Strict: true, Schema: json.RawMessage(`{"type":"object"}`)}}},
		{Prompt: "bad", Number: 3, Hash: "h", Messages: []Message{{Role: "user", Content: "Caf\xe9"}}, Time: when},
	}
	fast, inOrder := 0, 0
	for _, v := range versions {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if checkVersionDecode(t, b) {
			fast++
		}
		if checkVersionInOrder(t, b) {
			inOrder++
		}
	}
	if fast < 3 || inOrder < 2 {
		t.Fatalf("only %d of the usual records took the fast path, %d the in-order one", fast, inOrder)
	}
	for _, s := range []string{`{"prompt":"a","number":01}`, `{"prompt":"\ud83d\ude00"}`, `{"config":{"temperature":.5}}`, `{"config":{"temperature":+1}}`,
		`{"config":{"temperature":1.}}`, `{"config":{"seed":-3}}`, `{"messages":[{"role":"a","content":"b",}]}`, `{"messages":[{"role":"a""content":"b"}]}`,
		`{"prompt":"a\u00e9\n"}`, `{"message":"x\q"}`, `{"Prompt":"x"}`} {
		checkVersionDecode(t, []byte(s))
	}
}

func FuzzDecodeVersionFast(f *testing.F) {
	when := time.Date(2026, 11, 30, 5, 43, 19, 0, time.UTC)
	temp := 0.25
	b, _ := json.Marshal(Version{Prompt: "p", Number: 2, Hash: "h", Parent: 1, Messages: []Message{{Role: "user", Content: "a\nb \"c\" <d>"}},
		Config: ModelConfig{Model: "m", Temperature: &temp, Stop: []string{"x"}}, Scorers: []string{"s"}, Message: "m", Author: "a", Time: when})
	f.Add(b)
	f.Add([]byte(`{"prompt":"a","messages":[],"config":{},"time":"2026-01-01T00:00:00Z"}`))
	f.Add([]byte(`{"prompt":"a","number":1,"hash":"h","messages":[],"config":{},"time":"2026-01-01T00:00:00.5Z"}`))
	f.Add([]byte(`{"prompt":"a","number":1,"hash":"h","messages":[{"role":"user","content":"x"}],"config":{"seed":3},"author":"b","time":"2026-01-01T00:00:00.50Z"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		checkVersionDecode(t, b)
	})
}
