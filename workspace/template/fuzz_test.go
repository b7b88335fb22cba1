package template

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func addSeeds(f *testing.F, add func(src string)) {
	for _, cases := range [][]specCase{interpolationCases, sectionCases, invertedCases, commentCases, delimiterCases, partialCases} {
		for _, tc := range cases {
			add(tc.template)
			for _, p := range tc.partials {
				add(p)
			}
		}
	}
	add(benchPrompt)
	add("{{#a}}{{^b}}{{> c@1}}{{/b}}{{/a}}{{=| |=}}|x.y|")
}

// selfResolver resolves every ref to tmpl itself, so includes nest until a
// cycle stops them.
func selfResolver(tmpl *Template) Resolver {
	return func(ref string) (string, *Template, error) { return ref, tmpl, nil }
}

func FuzzParse(f *testing.F) {
	addSeeds(f, func(src string) { f.Add(src) })
	f.Fuzz(func(t *testing.T, src string) {
		tmpl, err := Parse(src)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line < 1 || se.Column < 1 {
				t.Fatalf("Parse(%q) = %v, want a *SyntaxError with a position", src, err)
			}
			return
		}
		tmpl.Variables()
		tmpl.Partials()
		got, err := tmpl.Render(map[string]any{}, selfResolver(tmpl))
		if !strings.Contains(src, "{{") && (err != nil || got.Text != src) {
			t.Fatalf("Render of tagless %q = %q, %v; want it unchanged", src, got.Text, err)
		}
	})
}

func FuzzRender(f *testing.F) {
	addSeeds(f, func(src string) {
		f.Add(src, `{"a":{"b":[1,"x",null,{"c":true}]},"xs":[{"title":"t"}],"name":"n","flag":false}`)
	})
	f.Add("{{#a}}{{.}}{{/a}}{{a.b}}", `{"a":[[],{},0,"",1e300,-0.0]}`)
	f.Fuzz(func(t *testing.T, src, data string) {
		tmpl, err := Parse(src)
		if err != nil {
			return
		}
		var d map[string]any
		if json.Unmarshal([]byte(data), &d) != nil {
			return
		}
		got, err := tmpl.Render(d, selfResolver(tmpl))
		if err == nil && !strings.Contains(src, "{{") && got.Text != src {
			t.Fatalf("Render of tagless %q = %q", src, got.Text)
		}
	})
}
