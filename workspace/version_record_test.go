package workspace

import (
	"bytes"
	"context"
	"testing"

	"promptbench/storage"
	"promptbench/workspace/exportyaml"
)

// TestVersionRecordHash: export checks a version's hash on its record's
// own bytes; a record whose content was changed after commit must still be
// refused, however the change is spelled.
func TestVersionRecordHash(t *testing.T) {
	ws := newTestWorkspace(t)
	temp := 0.25
	d := text("Hello <{{name}}> & \"friends\"\twith é and \u2028")
	d.Config = ModelConfig{Model: "openai/gpt-4o-mini", Temperature: &temp, Stop: []string{"\n"}}
	mustCommit(t, ws, "p", d)
	var record []byte
	err := ws.ViewStore(context.Background(), func(tx *storage.Tx) error {
		var err error
		record, err = tx.GetVersion("p", 1)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	v, err := DecodeVersion("p", 1, record)
	if err != nil {
		t.Fatal(err)
	}
	if !recordHashMatches(record, v.Hash) {
		t.Fatalf("the record as committed does not match its hash: %s", record)
	}
	var parts hashedParts
	if _, ok := decodeVersionWith(&promptScanner{b: record}, &parts); !ok || !partsHashMatch(record, parts, v.Hash) {
		t.Fatalf("the record as committed does not match its hash by the bounds the decoder found: %s", record)
	}
	var w exportyaml.Writer
	if err := WriteVersionRecordYAML(&w, "p", 1, record); err != nil {
		t.Fatal(err)
	}
	var want exportyaml.Writer
	if err := WriteVersionYAML(&want, v); err != nil || w.String() != want.String() {
		t.Fatalf("record YAML differs from the version's (%v):\n%s\n%s", err, w.String(), want.String())
	}

	tampered := map[string][]byte{
		"content changed":      bytes.Replace(record, []byte("Hello"), []byte("Hallo"), 1),
		"messages repeated":    bytes.Replace(record, []byte(`"config":`), []byte(`"messages":[{"role":"user","content":"evil"}],"config":`), 1),
		"messages re-spelled":  bytes.Replace(record, []byte(`"config":`), []byte(`"Messages":[{"role":"user","content":"evil"}],"config":`), 1),
		"unknown key":          bytes.Replace(record, []byte(`"config":`), []byte(`"extra":1,"config":`), 1),
		"temperature changed":  bytes.Replace(record, []byte(`0.25`), []byte(`0.5`), 1),
		"message role changed": bytes.Replace(record, []byte(`"role":"user"`), []byte(`"role":"system"`), 1),
	}
	for name, b := range tampered {
		if bytes.Equal(b, record) {
			t.Fatalf("%s: the record did not change", name)
		}
		if recordHashMatches(b, v.Hash) {
			t.Errorf("%s: taken as matching its hash", name)
		}
		var parts hashedParts
		if _, ok := decodeVersionWith(&promptScanner{b: b}, &parts); ok && partsHashMatch(b, parts, v.Hash) {
			t.Errorf("%s: taken as matching its hash by the bounds the decoder found", name)
		}
		err := WriteVersionRecordYAML(&exportyaml.Writer{}, "p", 1, b)
		if name == "unknown key" {
			// Content unchanged: the slow check accepts it.
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: exported without complaint", name)
		}
	}
}
