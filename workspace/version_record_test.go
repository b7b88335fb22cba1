package workspace

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

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

// TestVersionRecordWriterInPlace: a writer decodes each record in place,
// reusing its buffers from one record to the next; what it writes must
// be what each version decoded on its own writes, and an error must not
// change when the record's bytes are reused afterwards.
func TestVersionRecordWriterInPlace(t *testing.T) {
	when := time.Date(2026, 11, 30, 5, 43, 19, 85317351, time.UTC)
	temp := 0.5
	versions := []Version{
		{Prompt: "a", Number: 1, Messages: []Message{{Role: "system", Content: "line one\nline \"two\"\t\\"}, {Role: "user", Content: "{{x}} é"}},
			Config: ModelConfig{Model: "openai/gpt-4o-mini", Temperature: &temp, Stop: []string{"\n\n", "END"}}, Message: "first\nmessage", Author: "bob", Time: when},
		{Prompt: "a", Number: 2, Parent: 1, Messages: []Message{{Role: "user", Content: "plain"}}, Config: ModelConfig{Model: "echo/echo"},
			Scorers: []string{"contains:x"}, Author: "alice", Time: when.Add(time.Second)},
		{Prompt: "a", Number: 3, Parent: 2, Messages: []Message{{Role: "user", Content: "a\u2028b\x01c"}, {Role: "assistant", Content: "x\ny\nz\n"}, {Role: "user", Content: ""}},
			Config: ModelConfig{Model: "m", ResponseFormat: &ResponseFormat{Type: "json_schema", Name: "o", Schema: json.RawMessage(`{"type":"object"}`)}}, Author: "bob", Time: when},
	}
	var vw VersionRecordWriter
	for _, v := range versions {
		v.Hash = ContentHash(v.Messages, v.Config)
		record, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var got, want exportyaml.Writer
		if err := vw.Write(&got, v.Prompt, v.Number, record); err != nil {
			t.Fatal(err)
		}
		if err := WriteVersionYAML(&want, v); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("@%d written in place:\n%s\nwant:\n%s", v.Number, got.String(), want.String())
		}
	}
	secret := versions[1]
	secret.Prompt, secret.Message = "leaky/prompt", "key sk-proj-abcdefghijklmnopqrstuvwxyz0123456789"
	secret.Hash = ContentHash(secret.Messages, secret.Config)
	record, err := json.Marshal(secret)
	if err != nil {
		t.Fatal(err)
	}
	err = vw.Write(&exportyaml.Writer{}, secret.Prompt, secret.Number, record)
	if err == nil {
		t.Fatal("a version holding a key was written")
	}
	msg := err.Error()
	for i := range record {
		record[i] = 'x'
	}
	if err.Error() != msg || !strings.Contains(msg, "leaky/prompt@2 message") {
		t.Fatalf("the error changed with the record's bytes or names the wrong version: %q, then %q", msg, err.Error())
	}
}

// TestVersionRecordLayouts: records written otherwise than commit writes
// them (another time zone, a fraction with trailing zeros, keys in
// another order) take the general decoder, and every way gives the bytes
// the decoded version gives.
func TestVersionRecordLayouts(t *testing.T) {
	temp, seed := 0.25, int64(7)
	v := Version{Prompt: "p", Number: 2, Parent: 1, Messages: []Message{{Role: "user", Content: "Hi {{name}}\n"}},
		Config:  ModelConfig{Model: "openai/gpt-4o-mini", Temperature: &temp, MaxTokens: 20, Stop: []string{"END"}, Seed: &seed},
		Scorers: []string{"contains:x"}, Message: "fix", Author: "ann", Time: time.Date(2026, 1, 2, 3, 4, 5, 500000000, time.UTC)}
	v.Hash = ContentHash(v.Messages, v.Config)
	canonical, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var want exportyaml.Writer
	if err := WriteVersionYAML(&want, v); err != nil {
		t.Fatal(err)
	}
	zoned := v
	zoned.Time = v.Time.In(time.FixedZone("", 3600))
	zonedRecord, err := json.Marshal(zoned)
	if err != nil {
		t.Fatal(err)
	}
	records := map[string][]byte{
		"as committed":   canonical,
		"another zone":   zonedRecord,
		"trailing zeros": []byte(strings.Replace(string(canonical), `05.5Z"`, `05.500Z"`, 1)),
		"keys reordered": []byte(strings.Replace(strings.Replace(string(canonical), `,"author":"ann"`, "", 1), `{"prompt"`, `{"author":"ann","prompt"`, 1)),
	}
	for name, record := range records {
		if name != "as committed" && string(record) == string(canonical) {
			t.Fatalf("%s: the record did not change", name)
		}
		var vw VersionRecordWriter
		var got exportyaml.Writer
		if err := vw.Write(&got, v.Prompt, v.Number, record); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.String() != want.String() {
			t.Errorf("%s: written\n%s\nwant\n%s", name, got.String(), want.String())
		}
	}
	if _, _, _, ok := decodeVersionInOrder(&promptScanner{b: canonical}); !ok {
		t.Error("a record as committed does not take the in-order decoder")
	}
}
