package workspace

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"promptbench/workspace/exportyaml"
)

var auditSamples = []AuditEvent{
	{Time: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC), Author: "ann", Action: AuditCommit, Prompt: "a/b", Version: 3, Detail: "fix: \"quotes\", tabs\t and é\n"},
	{Time: time.Date(2026, 11, 1, 12, 0, 0, 123456789, time.UTC), Author: "bob <b@x>", Action: AuditLabel, Prompt: "p", Version: 2, Label: "production", From: 1, Review: "r-1", Forced: true, Detail: "production 1 -> 2"},
	{Time: time.Date(1960, 1, 1, 0, 0, 0, 0, time.FixedZone("", 3600)), Author: "c", Action: "custom-action", RenamedFrom: "old", Hash: "abc123"},
	{Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Author: "\u2028\x7f<>&", Action: AuditReviewRequest, Detail: "\U0001F600"},
}

// The fast reader decodes what encoding/json writes exactly as
// encoding/json reads it, and declines what it does not expect.
func TestDecodeAuditEventMatchesJSON(t *testing.T) {
	inputs := []string{
		`{"time":"2026-11-01T12:00:00Z","author":"a","action":"commit","unknown":1}`,
		`{"time":"2026-11-01T12:00:00Z", "author":"a","action":"commit"}`,
		`{"Author":"a","action":"commit"}`,
		`{"author":null,"action":"commit","version":-1}`,
		`{"author":"\ud83d\ude00","action":"x\u0041","forced":false}`,
		`{"author":"a"}x`,
	}
	for _, ev := range auditSamples {
		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := decodeAuditFast(&promptScanner{b: b}); !ok {
			t.Errorf("the fast reader declines %s", b)
		}
		if _, _, ok := decodeAuditInOrder(&promptScanner{b: b}); !ok {
			t.Errorf("the in-order reader declines %s", b)
		}
		inputs = append(inputs, string(b))
	}
	for _, in := range inputs {
		checkAuditDecode(t, []byte(in))
	}
}

func checkAuditDecode(t *testing.T, b []byte) {
	t.Helper()
	// The in-order reader decodes as the general one, and its time text
	// is the time as export files write it.
	if ev, text, ok := decodeAuditInOrder(&promptScanner{b: b}); ok {
		want, ok := decodeAuditFast(&promptScanner{b: b})
		if !ok || !ev.Time.Equal(want.Time) || !sameButTime(ev, want) {
			t.Fatalf("in order %q = %+v, general %+v (%v)", b, ev, want, ok)
		}
		if text != nil && string(text) != string(exportyaml.AppendTime(nil, ev.Time)) {
			t.Fatalf("in order %q: time text %q, written %q", b, text, exportyaml.AppendTime(nil, ev.Time))
		}
	}
	var want AuditEvent
	wantErr := json.Unmarshal(b, &want)
	got, err := DecodeAuditEvent(b)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("DecodeAuditEvent(%q) error %v, encoding/json %v", b, err, wantErr)
	}
	if err == nil && (!reflect.DeepEqual(got, want) && !(got.Time.Equal(want.Time) && sameButTime(got, want))) {
		t.Fatalf("DecodeAuditEvent(%q) = %+v, encoding/json %+v", b, got, want)
	}
	// Twice through one AuditDecoder: shared strings decode the same.
	var dec AuditDecoder
	for range 2 {
		got, err := dec.Decode(b)
		if (err != nil) != (wantErr != nil) || err == nil && !(got.Time.Equal(want.Time) && sameButTime(got, want)) {
			t.Fatalf("AuditDecoder.Decode(%q) = %+v, %v; encoding/json %+v, %v", b, got, err, want, wantErr)
		}
	}
}

func sameButTime(a, b AuditEvent) bool {
	a.Time, b.Time = time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}

func FuzzDecodeAuditEvent(f *testing.F) {
	for _, ev := range auditSamples {
		b, _ := json.Marshal(ev)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkAuditDecode(t, b) })
}
