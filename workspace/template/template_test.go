package template

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestStrict(t *testing.T) {
	tests := []struct {
		name     string
		template string
		data     string
		partials map[string]string
		want     string
		missing  []string
		unused   []string
	}{
		{
			name:     "all missing names in one error, dotted in full, sorted and unique",
			template: "Dear {{customer.name}}, {{topic}}. {{#items}}{{title}};{{/items}}{{customer.name}}",
			data:     `{"customer":{"id":1},"items":[{"title":"a"},{}]}`,
			missing:  []string{"customer.name", "title", "topic"},
		},
		{
			name:     "null is present, renders empty and is falsy",
			template: "[{{x}}]{{#x}}no{{/x}}{{^x}}yes{{/x}}",
			data:     `{"x":null}`,
			want:     "[]yes",
		},
		{
			name:     "null inside a dotted name is not resolvable",
			template: "{{a.b}}",
			data:     `{"a":null}`,
			missing:  []string{"a.b"},
		},
		{
			name:     "section over a missing name",
			template: "{{#flag}}x{{/flag}}",
			missing:  []string{"flag"},
		},
		{
			name:     "inverted section over a missing name",
			template: "{{^flag}}x{{/flag}}",
			missing:  []string{"flag"},
		},
		{
			name:     "names in a falsy section are not looked up",
			template: "a{{#show}}{{secret}}{{> nope}}{{/show}}{{#none}}{{x.y}}{{/none}}b",
			data:     `{"show":false,"none":[]}`,
			want:     "ab",
		},
		{
			name:     "names in an inverted section over a truthy value are not looked up",
			template: "{{^list}}{{x}}{{/list}}.",
			data:     `{"list":[1]}`,
			want:     ".",
		},
		{
			name:     "supplied variables nothing looked up are unused",
			template: "{{a}}{{#b}}{{c}}{{/b}}",
			data:     `{"a":1,"b":false,"c":2,"d":3}`,
			want:     "1",
			unused:   []string{"c", "d"},
		},
		{
			name:     "a key shadowed by the item is unused",
			template: "{{#items}}{{title}}{{/items}}",
			data:     `{"items":[{"title":"x"}],"title":"t"}`,
			want:     "x",
			unused:   []string{"title"},
		},
		{
			name:     "dotted lookups use the top-level key",
			template: "{{customer.name}}",
			data:     `{"customer":{"name":"Ann","age":3}}`,
			want:     "Ann",
		},
		{
			name:     "missing names inside partials are merged",
			template: "{{a}}{{> p}}{{> p}}",
			partials: map[string]string{"p": "{{b}}{{a}}"},
			missing:  []string{"a", "b"},
		},
		{
			name:     "lookups inside partials count as used",
			template: "{{> p}}",
			data:     `{"b":1,"z":2}`,
			partials: map[string]string{"p": "{{b}}"},
			want:     "1",
			unused:   []string{"z"},
		},
		{
			name:     "an empty string and zero are truthy, as in the spec",
			template: "{{#s}}s{{/s}}{{#n}}n{{/n}}",
			data:     `{"s":"","n":0}`,
			want:     "sn",
		},
		{
			name:     "JSON values render like JSON",
			template: `{{i}} {{f}} {{big}} {{small}} {{t}} {{m}} {{l}} {{e}}`,
			data:     `{"i":3,"f":1.5,"big":1e21,"small":0.0000001,"t":true,"m":{"k":"<v> & \"q\""},"l":[1,"a",null],"e":{}}`,
			want:     `3 1.5 1e+21 1e-7 true {"k":"<v> & \"q\""} [1,"a",null] {}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := mustParse(t, tc.template).Render(decode(t, tc.data), mapResolver(t, tc.partials))
			if tc.missing != nil {
				var me *MissingError
				if !errors.As(err, &me) || !slices.Equal(me.Names, tc.missing) {
					t.Fatalf("err = %v, want missing %v", err, tc.missing)
				}
				if want := "missing variables: " + strings.Join(tc.missing, ", "); err.Error() != want {
					t.Fatalf("err = %q, want %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if got.Text != tc.want {
				t.Errorf("Text = %q, want %q", got.Text, tc.want)
			}
			if !slices.Equal(got.Unused, tc.unused) {
				t.Errorf("Unused = %q, want %q", got.Unused, tc.unused)
			}
		})
	}
}

func TestGoTypedData(t *testing.T) {
	data := map[string]any{
		"n":     42,
		"i64":   int64(-7),
		"num":   json.Number("3.10"),
		"f32":   float32(0.5),
		"tags":  []string{"a", "b"},
		"rows":  []map[string]any{{"k": "x"}, {"k": "y"}},
		"attrs": map[string]string{"color": "red"},
	}
	src := "{{n}} {{i64}} {{num}} {{f32}} {{#tags}}<{{.}}>{{/tags}} {{#rows}}{{k}}{{/rows}} {{attrs.color}} {{tags}}"
	got, err := mustParse(t, src).Render(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := `42 -7 3.10 0.5 <a><b> xy red ["a","b"]`; got.Text != want {
		t.Fatalf("Text = %q, want %q", got.Text, want)
	}
}

func TestUnrenderableValue(t *testing.T) {
	_, err := mustParse(t, "{{m}}").Render(map[string]any{"m": map[string]any{"x": math.NaN()}}, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "render m: json: unsupported value") {
		t.Fatalf("err = %v, want a JSON encoding error naming m", err)
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
		line, col       int
	}{
		{"unclosed tag", "Hello\n  {{name", `line 2, column 3: unclosed tag "{{"`, 2, 3},
		{"unclosed tag at end", "x{{", `line 1, column 2: unclosed tag "{{"`, 1, 2},
		{"unclosed triple", "{{{a}}", `line 1, column 1: unclosed tag "{{"`, 1, 1},
		{"unclosed tag with custom delimiters", "{{=<% %>=}}\n<%a", `line 2, column 1: unclosed tag "<%"`, 2, 1},
		{"column counts runes", "héllo {{", `line 1, column 7: unclosed tag "{{"`, 1, 7},
		{"unclosed section", "a\n{{#items}}\nx\n", "line 4, column 1: {{#items}} opened at line 2, column 1 is never closed", 4, 1},
		{"unclosed inner section", "{{#a}}{{^b}}", "line 1, column 13: {{^b}} opened at line 1, column 7 is never closed", 1, 13},
		{"mismatched close", "{{#a}}\n {{/b}}", "line 2, column 2: {{/b}} does not close {{#a}} opened at line 1, column 1", 2, 2},
		{"stray close", "x{{/a}}", "line 1, column 2: {{/a}} closes no open section", 1, 2},
		{"empty variable name", "a {{ }}", "line 1, column 3: empty tag name", 1, 3},
		{"empty section name", "{{#}}{{/}}", "line 1, column 1: empty tag name", 1, 1},
		{"empty partial name", "{{>}}", "line 1, column 1: empty tag name", 1, 1},
		{"name with a space", "{{a b}}", `line 1, column 1: invalid name "a b"`, 1, 1},
		{"empty dotted part", "{{a..b}}", `line 1, column 1: invalid name "a..b"`, 1, 1},
		{"trailing dot", "{{a.}}", `line 1, column 1: invalid name "a."`, 1, 1},
		{"uppercase partial", "{{> Footer}}", `line 1, column 1: invalid partial name "Footer"`, 1, 1},
		{"empty partial ref", "{{> footer@}}", `line 1, column 1: invalid partial name "footer@"`, 1, 1},
		{"one delimiter", "ok\n{{=<%=}}", `line 2, column 1: bad set-delimiter tag "{{=<%=}}": want two delimiters separated by a space, like {{=<% %>=}}`, 2, 1},
		{"three delimiters", "{{=a b c=}}", `line 1, column 1: bad set-delimiter tag "{{=a b c=}}": want two delimiters separated by a space, like {{=<% %>=}}`, 1, 1},
		{"no delimiters", "{{= =}}", `line 1, column 1: bad set-delimiter tag "{{= =}}": want two delimiters separated by a space, like {{=<% %>=}}`, 1, 1},
		{"unterminated set-delimiter", "{{=<% %>}}", `line 1, column 1: unclosed tag "{{"`, 1, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.src)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) err = %v, want a *SyntaxError", tc.src, err)
			}
			if err.Error() != tc.want || se.Line != tc.line || se.Column != tc.col {
				t.Fatalf("err = %q (%d:%d), want %q (%d:%d)", err, se.Line, se.Column, tc.want, tc.line, tc.col)
			}
		})
	}
}

func TestVariablesAndPartials(t *testing.T) {
	tmpl := mustParse(t, "{{customer.name}} {{#items}}{{title}}{{> row}}{{/items}} {{^vip}}{{upsell}}{{/vip}} {{.}} "+
		"{{> footer}}{{> footer@3}}{{customer.id}}{{> footer}}")
	if got, want := tmpl.Variables(), []string{"customer", "items", "upsell", "vip"}; !slices.Equal(got, want) {
		t.Errorf("Variables = %q, want %q", got, want)
	}
	if got, want := tmpl.Partials(), []string{"footer", "footer@3", "row"}; !slices.Equal(got, want) {
		t.Errorf("Partials = %q, want %q", got, want)
	}
	plain := mustParse(t, "no tags")
	if plain.Variables() != nil || plain.Partials() != nil {
		t.Errorf("plain text: Variables %q, Partials %q, want none", plain.Variables(), plain.Partials())
	}
}

func TestConcurrentRender(t *testing.T) {
	tmpl := mustParse(t, "{{#xs}}{{.}},{{/xs}}{{> p}}")
	resolve := mapResolver(t, map[string]string{"p": "{{name}}"})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				got, err := tmpl.Render(map[string]any{"xs": []any{1.0, 2.0}, "name": "n"}, resolve)
				if err != nil || got.Text != "1,2,n" {
					t.Errorf("Render = %q, %v", got.Text, err)
					return
				}
			}
		})
	}
	wg.Wait()
}
