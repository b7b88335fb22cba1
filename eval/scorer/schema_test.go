package scorer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"promptbench/workspace"
)

const invoiceSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["number", "total"],
  "properties": {
    "number": {"type": "string"},
    "total": {"type": "number", "minimum": 0},
    "lines": {"type": "array", "items": {"$ref": "line.json"}}
  }
}`

func TestJSONSchema(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "invoice.json"), []byte(invoiceSchema), 0o644)
	os.WriteFile(filepath.Join(dir, "line.json"), []byte(`{"type": "object", "required": ["qty"]}`), 0o644)
	s := mustNew(t, "json-schema:invoice.json", Options{Dir: dir})
	cases := []struct {
		output string
		pass   bool
		reason string
	}{
		{`{"number": "A-1", "total": 12.5, "lines": [{"qty": 1}]}`, true, ""},
		{`{"number": "A-1", "total": "12.5"}`, false, "at '/total': got string, want number"},
		{`{"number": "A-1", "total": -1}`, false, "at '/total': minimum"},
		{`{"number": "A-1", "total": 1, "lines": [{"qty": 1}, {}]}`, false, "at '/lines/1': missing property 'qty'"},
		{`{"total": 1}`, false, "missing property 'number'"},
		{`Here you go: {}`, false, "output is not JSON"},
	}
	for _, c := range cases {
		r := score(t, s, Input{Output: c.output})
		if *r.Pass != c.pass || !strings.Contains(r.Reason, c.reason) {
			t.Errorf("%s: pass %v reason %q, want %v %q", c.output, *r.Pass, r.Reason, c.pass, c.reason)
		}
	}
}

func TestJSONSchemaThatDoesNotCompile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "bad.json"), []byte(`{"type": "whatever"}`), 0o644)
	os.WriteFile(filepath.Join(dir, "broken.json"), []byte(`{"type": `), 0o644)
	for _, spec := range []string{"json-schema:bad.json", "json-schema:broken.json", "json-schema:missing.json"} {
		_, err := New(context.Background(), spec, Options{Dir: dir})
		var se *SpecError
		if !errors.As(err, &se) || !errors.Is(err, workspace.ErrInvalid) {
			t.Errorf("%s: %v, want a *SpecError that is ErrInvalid", spec, err)
		}
	}
}
