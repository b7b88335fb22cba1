package template

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestPartials(t *testing.T) {
	tests := []struct {
		name     string
		key      string // RenderAs key of the template itself
		template string
		data     string
		partials map[string]string
		want     string
		wantErr  string
		chain    []string // want a *CycleError with this chain
		is       error    // want errors.Is(err, is)
	}{
		{
			name:     "include with a ref",
			template: "Hi.\n{{> footer@3}}\n",
			data:     `{"who":"Ann"}`,
			partials: map[string]string{"footer@3": "-- {{who}}\n"},
			want:     "Hi.\n-- Ann\n",
		},
		{
			name:     "indentation of a standalone partial",
			template: "list:\n  {{> items}}\nend\n",
			data:     `{"xs":["a","b"]}`,
			partials: map[string]string{"items": "{{#xs}}\n- {{.}}\n{{/xs}}\n"},
			want:     "list:\n  - a\n  - b\nend\n",
		},
		{
			name:     "nested standalone partials add their indentation",
			template: "  {{> a}}\n",
			partials: map[string]string{"a": "x\n  {{> b}}\ny\n", "b": "1\n2\n"},
			want:     "  x\n    1\n    2\n  y\n",
		},
		{
			// Text prompts are stored without a final newline; the spec
			// would join "2" and "next".
			name:     "a standalone partial without a final newline keeps its line's ending",
			template: "  {{> a}}\nnext\r\n  {{> a}}\r\nlast",
			partials: map[string]string{"a": "1\n2"},
			want:     "  1\n  2\nnext\r\n  1\n  2\r\nlast",
		},
		{
			name:     "a standalone partial that renders nothing leaves no line",
			template: "a\n  {{> p}}\nb",
			data:     `{"on":false}`,
			partials: map[string]string{"p": "{{#on}}x{{/on}}"},
			want:     "a\nb",
		},
		{
			name:     "standalone partial inside a section, per item",
			template: "{{#xs}}\n  {{> row}}\n{{/xs}}\n",
			data:     `{"xs":["a","b"]}`,
			partials: map[string]string{"row": "- {{.}}\n  more\n"},
			want:     "  - a\n    more\n  - b\n    more\n",
		},
		{
			name:     "indentation before an inline tag and after a section close",
			template: " {{> p}}\n",
			data:     `{"on":true,"v":"V"}`,
			partials: map[string]string{"p": "{{#on}}a\n{{/on}}b\n{{v}}{{! c }}\n{{! c }}d"},
			want:     " a\n b\n V\n d\n",
		},
		{
			name:     "an inline partial is not indented",
			template: "> {{> p}}\n",
			partials: map[string]string{"p": "1\n2"},
			want:     "> 1\n2\n",
		},
		{
			name:     "cycle a -> b -> a from a known top-level key",
			key:      "a",
			template: "{{> b}}",
			partials: map[string]string{"b": "{{> a}}", "a": "{{> b}}"},
			chain:    []string{"a", "b", "a"},
			wantErr:  "include cycle: a -> b -> a",
		},
		{
			name:     "cycle a -> b -> a through includes",
			template: "top {{> a}}",
			partials: map[string]string{"a": "{{> b}}", "b": "{{#x}}{{/x}}{{> a@2}}", "a@2": "x"},
			data:     `{"x":false}`,
			chain:    []string{"a", "b", "a"},
		},
		{
			name:     "self-include",
			key:      "a",
			template: "x{{> a@production}}",
			partials: map[string]string{"a@production": "x"},
			chain:    []string{"a", "a"},
		},
		{
			name:     "self-include of an included prompt",
			template: "{{> a}}",
			partials: map[string]string{"a": "x{{> a}}"},
			chain:    []string{"a", "a"},
		},
		{
			name:     "the same prompt twice side by side is no cycle",
			key:      "main",
			template: "{{> a}}{{> b}}{{> a}}",
			partials: map[string]string{"a": "A{{> c}}", "b": "B{{> c}}", "c": "C"},
			want:     "ACBCAC",
		},
		{
			name:     "unknown include error from the resolver",
			template: "x\n{{> footer}}",
			is:       errNoPartial,
			wantErr:  "include footer: no such prompt",
		},
		{
			name:     "unknown include inside an include",
			template: "{{> a}}",
			partials: map[string]string{"a": "{{> b}}"},
			is:       errNoPartial,
			wantErr:  "include b: no such prompt",
		},
		{
			name:     "include in a falsy section is not resolved",
			template: "{{#x}}{{> missing}}{{/x}}ok",
			data:     `{"x":false}`,
			want:     "ok",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := mustParse(t, tc.template).RenderAs(tc.key, decode(t, tc.data), mapResolver(t, tc.partials))
			if tc.chain != nil {
				var ce *CycleError
				if !errors.As(err, &ce) || !slices.Equal(ce.Chain, tc.chain) {
					t.Fatalf("err = %v, want cycle %v", err, tc.chain)
				}
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want %v", err, tc.is)
			}
			if tc.wantErr != "" && (err == nil || err.Error() != tc.wantErr) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
			if tc.chain != nil || tc.is != nil || tc.wantErr != "" {
				return
			}
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if got.Text != tc.want {
				t.Fatalf("Text = %q, want %q", got.Text, tc.want)
			}
		})
	}
}

func TestDepthGuard(t *testing.T) {
	// Each prompt pN includes a new prompt pN+1, so no key repeats.
	resolve := func(ref string) (string, *Template, error) {
		n, err := strconv.Atoi(strings.TrimPrefix(ref, "p"))
		if err != nil {
			return "", nil, err
		}
		tmpl, err := Parse(fmt.Sprintf("{{> p%d}}", n+1))
		return ref, tmpl, err
	}
	_, err := mustParse(t, "{{> p0}}").Render(nil, resolve)
	if !errors.Is(err, ErrTooDeep) {
		t.Fatalf("err = %v, want ErrTooDeep", err)
	}
	if !strings.HasPrefix(err.Error(), fmt.Sprintf("include p%d: ", MaxDepth)) {
		t.Errorf("err = %q, want it to name the include that went too deep", err)
	}
}

func TestResolverUse(t *testing.T) {
	t.Run("nil resolver", func(t *testing.T) {
		_, err := mustParse(t, "{{> footer}}").Render(nil, nil)
		if err == nil || err.Error() != "include footer: no resolver for partials" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("nil template", func(t *testing.T) {
		_, err := mustParse(t, "{{> footer}}").Render(nil, func(string) (string, *Template, error) { return "f", nil, nil })
		if err == nil || err.Error() != "include footer: resolver returned no template" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("resolved once per ref and rendering", func(t *testing.T) {
		calls := 0
		row := mustParse(t, "[{{.}}]")
		resolve := func(string) (string, *Template, error) { calls++; return "row", row, nil }
		got, err := mustParse(t, "{{#xs}}{{> row}}{{/xs}}").Render(map[string]any{"xs": []any{"a", "b", "c"}}, resolve)
		if err != nil || got.Text != "[a][b][c]" || calls != 1 {
			t.Fatalf("Render = %q, %v after %d resolver calls, want [a][b][c] after 1", got.Text, err, calls)
		}
	})
}
