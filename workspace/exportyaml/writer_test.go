package exportyaml

import (
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
)

// roundTripString writes s under a key and as a list item and reads both
// back with go-yaml.
func roundTripString(t *testing.T, s string) {
	t.Helper()
	var w Writer
	w.Open(0, "outer")
	w.Str(2, "value", s)
	w.Open(2, "list")
	w.Item(2, s)
	w.Str(2, "after", "x")
	var got struct {
		Outer struct {
			Value string   `yaml:"value"`
			List  []string `yaml:"list"`
			After string   `yaml:"after"`
		} `yaml:"outer"`
	}
	if err := yaml.UnmarshalWithOptions([]byte(w.String()), &got, yaml.DisallowUnknownField()); err != nil {
		t.Fatalf("%q: %v\n%s", s, err, w.String())
	}
	want := string([]rune(s)) // invalid bytes become U+FFFD one by one, as encoding/json does
	if got.Outer.Value != want || len(got.Outer.List) != 1 || got.Outer.List[0] != want || got.Outer.After != "x" {
		t.Fatalf("%q read back as %q / %q\n%s", s, got.Outer.Value, got.Outer.List, w.String())
	}
}

func TestYAMLStrings(t *testing.T) {
	for _, s := range []string{
		"", "plain", "two words", "purpose:support", "fix: typo", "a # b", "#x", "- x", "true", "True", "null", "~",
		"123", "1.5", "0x1f", "1e3", ".inf", "2026-11-01", "yes", "on", "@x", "'q'", `"d"`, "a\\b", "x ", " x",
		"line one\nline two", "line one\nline two\n", "a\n\n\n", "  indented\nnext", "\nleading", "a\n  b\n\tc\n",
		"trailing space \nx", "tab\tinside", "\x00\x01\x7f", "bell\a", "é ü 日本 🎉", "\u2028sep", "\ufeffbom",
		"a\r\nb", "bad \xff utf8", "{{name}}", "[x]", "{a: b}", "key: value\nother: x\n", "- a\n- b\n",
		"|\nx", ">\nx", "!tag", "&anchor", "*alias", "%dir", "`tick`", "a,b", "x:", "multi\n\nparagraph\n\nend",
		"   \n", "\t\n x", "last line  ", strings.Repeat("long ", 100),
	} {
		roundTripString(t, s)
	}
}

func FuzzYAMLString(f *testing.F) {
	for _, s := range []string{"plain", "a\nb\n", " x\ny", "a: b", "\t", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		roundTripString(t, s)
	})
}

// Time writes what Scalar writes of the time's text.
func TestTimeMatchesScalar(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(2026, 11, 30, 10, 49, 1, 0, time.UTC),
		time.Date(2026, 11, 30, 10, 49, 1, 120_000_000, time.FixedZone("", -7*3600)),
		time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(-3, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(12026, 1, 1, 0, 0, 0, 0, time.UTC),
		{},
	} {
		var got, want Writer
		got.Time(at)
		want.Scalar(0, at.UTC().Format(time.RFC3339Nano), true)
		if got.String() != want.String() {
			t.Errorf("Time(%v) = %q, Scalar %q", at, got.String(), want.String())
		}
	}
}

// AppendTime writes what the general formatter writes, for every kind of
// time an export meets: whole seconds, nanoseconds with and without
// trailing zeros, zones other than UTC, years outside 0–9999.
func TestAppendTimeAsFormat(t *testing.T) {
	times := []time.Time{
		{},
		time.Date(2026, 11, 30, 13, 38, 41, 657119738, time.UTC),
		time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		time.Date(2026, 12, 31, 23, 59, 59, 100, time.FixedZone("x", 5*3600+1800)),
		time.Date(1, 1, 1, 0, 0, 0, 120000000, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2000, 2, 29, 12, 0, 0, 10, time.FixedZone("y", -7*3600)),
	}
	for i := range 2000 {
		times = append(times, time.Unix(int64(i)*7919*86413, int64(i*i*104729)%1e9).In(time.FixedZone("z", (i%27-13)*3600)))
	}
	for _, tm := range times {
		want := tm.UTC().Format(time.RFC3339Nano)
		if got := string(AppendTime(nil, tm)); got != want {
			t.Fatalf("%v: %q, want %q", tm, got, want)
		}
	}
}
