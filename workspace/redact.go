package workspace

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// minSecretLen is the shortest value a Redactor replaces: shorter values
// are not keys, and replacing them ("x", "1") would garble every entry.
const minSecretLen = 8

// Redactor replaces the values of secret environment variables (the API
// keys providers read) by a marker naming the variable, so that a key a
// user passed as a variable or a model echoed back never reaches the
// store. The caller supplies the values: the domain never reads the
// environment itself. A nil Redactor replaces nothing.
type Redactor struct {
	replacer *strings.Replacer
	needles  [][]byte // each value raw and as JSON writes it, for a quick test
}

// NewRedactor returns a Redactor of the values by variable name, or nil
// when none is long enough to be a key. When two variables hold the same
// value the first name in sorted order is shown.
func NewRedactor(values map[string]string) *Redactor {
	type secret struct{ name, value string }
	var secrets []secret
	seen := map[string]bool{}
	for _, name := range slices.Sorted(maps.Keys(values)) {
		v := values[name]
		if len(v) < minSecretLen || seen[v] {
			continue
		}
		seen[v] = true
		secrets = append(secrets, secret{name, v})
	}
	if len(secrets) == 0 {
		return nil
	}
	// Longest first: strings.Replacer tries its pairs in order, so a key
	// that contains another is replaced whole.
	slices.SortStableFunc(secrets, func(a, b secret) int { return cmp.Compare(len(b.value), len(a.value)) })
	r := &Redactor{}
	pairs := make([]string, 0, 2*len(secrets))
	for _, s := range secrets {
		pairs = append(pairs, s.value, "[redacted:"+s.name+"]")
		r.needles = append(r.needles, []byte(s.value))
		if b, err := json.Marshal(s.value); err == nil {
			r.needles = append(r.needles, b[1:len(b)-1])
		}
	}
	r.replacer = strings.NewReplacer(pairs...)
	return r
}

// String returns s with every secret value replaced by its marker.
func (r *Redactor) String(s string) string {
	if r == nil {
		return s
	}
	return r.replacer.Replace(s)
}

// inJSON tells whether encoded JSON may hold a secret value.
func (r *Redactor) inJSON(b []byte) bool {
	if r == nil {
		return false
	}
	for _, n := range r.needles {
		if bytes.Contains(b, n) {
			return true
		}
	}
	return false
}

// JSON returns the encoded JSON b with every secret value replaced in
// every string and key, whatever field it sits in; b itself when it
// holds none.
func (r *Redactor) JSON(b []byte) ([]byte, error) {
	if !r.inJSON(b) {
		return b, nil
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber() // numbers stay exactly as written
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("redact: %w", err)
	}
	return json.Marshal(r.value(v))
}

// anyValue returns the decoded JSON or YAML value v with every secret
// value replaced; nil replaces nothing.
func (r *Redactor) anyValue(v any) any {
	if r == nil {
		return v
	}
	return r.value(v)
}

func (r *Redactor) value(v any) any {
	switch x := v.(type) {
	case string:
		return r.String(x)
	case []any:
		for i, item := range x {
			x[i] = r.value(item)
		}
		return x
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, item := range x {
			out[r.String(k)] = r.value(item)
		}
		return out
	}
	return v
}

// RedactValue replaces this workspace's own key values (Options.Secrets)
// in a decoded log entry or run by their markers, as logging here does.
func (ws *Workspace) RedactValue(v any) any { return ws.redactor.anyValue(v) }
