package template

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
)

// decode turns a JSON object into render data, as the eval runner does.
func decode(t testing.TB, js string) map[string]any {
	t.Helper()
	if js == "" {
		return map[string]any{}
	}
	var data map[string]any
	if err := json.Unmarshal([]byte(js), &data); err != nil {
		t.Fatalf("bad test data %s: %v", js, err)
	}
	return data
}

var errNoPartial = errors.New("no such prompt")

// mapResolver resolves refs from source texts; the key is the ref without
// its @version, as the workspace uses the prompt name.
func mapResolver(t testing.TB, partials map[string]string) Resolver {
	return func(ref string) (string, *Template, error) {
		src, ok := partials[ref]
		if !ok {
			return "", nil, errNoPartial
		}
		tmpl, err := Parse(src)
		if err != nil {
			return "", nil, fmt.Errorf("parse %s: %w", ref, err)
		}
		name := ref
		for i := range ref {
			if ref[i] == '@' {
				name = ref[:i]
				break
			}
		}
		return name, tmpl, nil
	}
}

func mustParse(t testing.TB, src string) *Template {
	t.Helper()
	tmpl, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return tmpl
}
