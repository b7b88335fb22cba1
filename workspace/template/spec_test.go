package template

import (
	"errors"
	"slices"
	"testing"
)

// specCase adapts one case of the mustache spec (github.com/mustache/spec,
// specs/*.yml), named "file/Case Name". Adaptations: nothing is HTML
// escaped; a name that does not resolve is an error listing it (missing)
// instead of rendering empty; an unknown partial is an error (err) instead of
// rendering empty; a partial including itself is a cycle error; a standalone
// partial whose output does not end with a newline is followed by its line's
// own ending (text prompts are stored without a final newline, and the
// spec would run them into the next line).
type specCase struct {
	name     string
	data     string // JSON object
	template string
	partials map[string]string
	want     string
	missing  []string // want a *MissingError with these names
	err      error    // want an error matching this (errors.Is)
	cycle    bool     // want a *CycleError
}

func TestSpec(t *testing.T) {
	var cases []specCase
	cases = append(cases, interpolationCases...)
	cases = append(cases, sectionCases...)
	cases = append(cases, invertedCases...)
	cases = append(cases, commentCases...)
	cases = append(cases, delimiterCases...)
	cases = append(cases, partialCases...)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tmpl := mustParse(t, tc.template)
			got, err := tmpl.Render(decode(t, tc.data), mapResolver(t, tc.partials))
			switch {
			case tc.missing != nil:
				var me *MissingError
				if !errors.As(err, &me) || !slices.Equal(me.Names, tc.missing) {
					t.Fatalf("err = %v, want missing %v", err, tc.missing)
				}
			case tc.err != nil:
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
			case tc.cycle:
				var ce *CycleError
				if !errors.As(err, &ce) {
					t.Fatalf("err = %v, want a cycle", err)
				}
			case err != nil:
				t.Fatalf("Render: %v", err)
			case got.Text != tc.want:
				t.Fatalf("Render =\n%q\nwant\n%q", got.Text, tc.want)
			}
		})
	}
}

var interpolationCases = []specCase{
	{name: "interpolation/No Interpolation", template: "Hello from {Mustache}!\n", want: "Hello from {Mustache}!\n"},
	{name: "interpolation/Basic Interpolation", data: `{"subject":"world"}`, template: "Hello, {{subject}}!\n", want: "Hello, world!\n"},
	{name: "interpolation/HTML Escaping (not escaped)", data: `{"forbidden":"& \" < >"}`, template: "These: {{forbidden}}\n", want: "These: & \" < >\n"},
	{name: "interpolation/Triple Mustache", data: `{"forbidden":"& \" < >"}`, template: "These: {{{forbidden}}}\n", want: "These: & \" < >\n"},
	{name: "interpolation/Ampersand", data: `{"forbidden":"& \" < >"}`, template: "These: {{&forbidden}}\n", want: "These: & \" < >\n"},
	{name: "interpolation/Basic Integer Interpolation", data: `{"mph":85}`, template: `"{{mph}} miles an hour!"`, want: `"85 miles an hour!"`},
	{name: "interpolation/Triple Mustache Integer Interpolation", data: `{"mph":85}`, template: `"{{{mph}}} miles an hour!"`, want: `"85 miles an hour!"`},
	{name: "interpolation/Ampersand Integer Interpolation", data: `{"mph":85}`, template: `"{{&mph}} miles an hour!"`, want: `"85 miles an hour!"`},
	{name: "interpolation/Basic Decimal Interpolation", data: `{"power":1.210}`, template: `"{{power}} jiggawatts!"`, want: `"1.21 jiggawatts!"`},
	{name: "interpolation/Triple Mustache Decimal Interpolation", data: `{"power":1.210}`, template: `"{{{power}}} jiggawatts!"`, want: `"1.21 jiggawatts!"`},
	{name: "interpolation/Ampersand Decimal Interpolation", data: `{"power":1.210}`, template: `"{{&power}} jiggawatts!"`, want: `"1.21 jiggawatts!"`},
	{name: "interpolation/Basic Null Interpolation", data: `{"cannot":null}`, template: "I ({{cannot}}) be seen!", want: "I () be seen!"},
	{name: "interpolation/Basic Context Miss Interpolation", template: "I ({{cannot}}) be seen!", missing: []string{"cannot"}},
	{name: "interpolation/Triple Mustache Context Miss Interpolation", template: "I ({{{cannot}}}) be seen!", missing: []string{"cannot"}},
	{name: "interpolation/Ampersand Context Miss Interpolation", template: "I ({{&cannot}}) be seen!", missing: []string{"cannot"}},
	{name: "interpolation/Dotted Names - Basic Interpolation", data: `{"person":{"name":"Joe"}}`, template: `"{{person.name}}" == "{{#person}}{{name}}{{/person}}"`, want: `"Joe" == "Joe"`},
	{name: "interpolation/Dotted Names - Triple Mustache Interpolation", data: `{"person":{"name":"Joe"}}`, template: `"{{{person.name}}}" == "{{#person}}{{{name}}}{{/person}}"`, want: `"Joe" == "Joe"`},
	{name: "interpolation/Dotted Names - Ampersand Interpolation", data: `{"person":{"name":"Joe"}}`, template: `"{{&person.name}}" == "{{#person}}{{&name}}{{/person}}"`, want: `"Joe" == "Joe"`},
	{name: "interpolation/Dotted Names - Arbitrary Depth", data: `{"a":{"b":{"c":{"d":{"e":{"name":"Phil"}}}}}}`, template: `"{{a.b.c.d.e.name}}" == "Phil"`, want: `"Phil" == "Phil"`},
	{name: "interpolation/Dotted Names - Broken Chains", data: `{"a":{}}`, template: `"{{a.b.c}}" == ""`, missing: []string{"a.b.c"}},
	{name: "interpolation/Dotted Names - Broken Chain Resolution", data: `{"a":{"b":{}},"c":{"name":"Jim"}}`, template: `"{{a.b.c.name}}" == ""`, missing: []string{"a.b.c.name"}},
	{name: "interpolation/Dotted Names - Initial Resolution", data: `{"a":{"b":{"c":{"d":{"e":{"name":"Phil"}}}}},"b":{"c":{"d":{"e":{"name":"Wrong"}}}}}`, template: `"{{#a}}{{b.c.d.e.name}}{{/a}}" == "Phil"`, want: `"Phil" == "Phil"`},
	{name: "interpolation/Dotted Names - Context Precedence", data: `{"a":{"b":{}},"b":{"c":"ERROR"}}`, template: "{{#a}}{{b.c}}{{/a}}", missing: []string{"b.c"}},
	{name: "interpolation/Interpolation - Surrounding Whitespace", data: `{"string":"---"}`, template: "| {{string}} |", want: "| --- |"},
	{name: "interpolation/Triple Mustache - Surrounding Whitespace", data: `{"string":"---"}`, template: "| {{{string}}} |", want: "| --- |"},
	{name: "interpolation/Ampersand - Surrounding Whitespace", data: `{"string":"---"}`, template: "| {{&string}} |", want: "| --- |"},
	{name: "interpolation/Interpolation - Standalone", data: `{"string":"---"}`, template: "  {{string}}\n", want: "  ---\n"},
	{name: "interpolation/Triple Mustache - Standalone", data: `{"string":"---"}`, template: "  {{{string}}}\n", want: "  ---\n"},
	{name: "interpolation/Ampersand - Standalone", data: `{"string":"---"}`, template: "  {{&string}}\n", want: "  ---\n"},
	{name: "interpolation/Interpolation With Padding", data: `{"string":"---"}`, template: "|{{ string }}|", want: "|---|"},
	{name: "interpolation/Triple Mustache With Padding", data: `{"string":"---"}`, template: "|{{{ string }}}|", want: "|---|"},
	{name: "interpolation/Ampersand With Padding", data: `{"string":"---"}`, template: "|{{& string }}|", want: "|---|"},
}

var sectionCases = []specCase{
	{name: "sections/Truthy", data: `{"boolean":true}`, template: `"{{#boolean}}This should be rendered.{{/boolean}}"`, want: `"This should be rendered."`},
	{name: "sections/Falsey", data: `{"boolean":false}`, template: `"{{#boolean}}This should not be rendered.{{/boolean}}"`, want: `""`},
	{name: "sections/Null is falsey", data: `{"null":null}`, template: `"{{#null}}This should not be rendered.{{/null}}"`, want: `""`},
	{name: "sections/Context", data: `{"context":{"name":"Joe"}}`, template: `"{{#context}}Hi {{name}}.{{/context}}"`, want: `"Hi Joe."`},
	{name: "sections/Parent contexts", data: `{"a":"foo","b":"wrong","sec":{"b":"bar"},"c":{"d":"baz"}}`, template: `"{{#sec}}{{a}}, {{b}}, {{c.d}}{{/sec}}"`, want: `"foo, bar, baz"`},
	{name: "sections/Variable test", data: `{"foo":"bar"}`, template: `"{{#foo}}{{.}} is {{foo}}{{/foo}}"`, want: `"bar is bar"`},
	{
		name:     "sections/List Contexts",
		data:     `{"tops":[{"tname":{"upper":"A","lower":"a"},"middles":[{"mname":"1","bottoms":[{"bname":"x"},{"bname":"y"}]}]}]}`,
		template: "{{#tops}}{{#middles}}{{tname.lower}}{{mname}}.{{#bottoms}}{{tname.upper}}{{mname}}{{bname}}.{{/bottoms}}{{/middles}}{{/tops}}",
		want:     "a1.A1x.A1y.",
	},
	{
		name: "sections/Deeply Nested Contexts",
		data: `{"a":{"one":1},"b":{"two":2},"c":{"three":3,"d":{"four":4,"five":5}}}`,
		template: "{{#a}}\n{{one}}\n{{#b}}\n{{one}}{{two}}{{one}}\n{{#c}}\n{{one}}{{two}}{{three}}{{two}}{{one}}\n" +
			"{{#d}}\n{{one}}{{two}}{{three}}{{four}}{{three}}{{two}}{{one}}\n{{#five}}\n" +
			"{{one}}{{two}}{{three}}{{four}}{{five}}{{four}}{{three}}{{two}}{{one}}\n" +
			"{{one}}{{two}}{{three}}{{four}}{{.}}6{{.}}{{four}}{{three}}{{two}}{{one}}\n" +
			"{{one}}{{two}}{{three}}{{four}}{{five}}{{four}}{{three}}{{two}}{{one}}\n{{/five}}\n" +
			"{{one}}{{two}}{{three}}{{four}}{{three}}{{two}}{{one}}\n{{/d}}\n" +
			"{{one}}{{two}}{{three}}{{two}}{{one}}\n{{/c}}\n{{one}}{{two}}{{one}}\n{{/b}}\n{{one}}\n{{/a}}\n",
		want: "1\n121\n12321\n1234321\n123454321\n12345654321\n123454321\n1234321\n12321\n121\n1\n",
	},
	{name: "sections/List", data: `{"list":[{"item":1},{"item":2},{"item":3}]}`, template: `"{{#list}}{{item}}{{/list}}"`, want: `"123"`},
	{name: "sections/Empty List", data: `{"list":[]}`, template: `"{{#list}}Yay lists!{{/list}}"`, want: `""`},
	{name: "sections/Strings Not Lists", data: `{"section":"123"}`, template: `"{{#section}}foo{{/section}}"`, want: `"foo"`},
	{name: "sections/Doubled", data: `{"bool":true,"two":"second"}`, template: "{{#bool}}\n* first\n{{/bool}}\n* {{two}}\n{{#bool}}\n* third\n{{/bool}}\n", want: "* first\n* second\n* third\n"},
	{name: "sections/Nested (Truthy)", data: `{"bool":true}`, template: "| A {{#bool}}B {{#bool}}C{{/bool}} D{{/bool}} E |", want: "| A B C D E |"},
	{name: "sections/Nested (Falsey)", data: `{"bool":false}`, template: "| A {{#bool}}B {{#bool}}C{{/bool}} D{{/bool}} E |", want: "| A  E |"},
	{name: "sections/Context Misses", template: "[{{#missing}}Found key 'missing'!{{/missing}}]", missing: []string{"missing"}},
	{name: "sections/Implicit Iterator - String", data: `{"list":["a","b","c","d","e"]}`, template: `"{{#list}}({{.}}){{/list}}"`, want: `"(a)(b)(c)(d)(e)"`},
	{name: "sections/Implicit Iterator - Integer", data: `{"list":[1,2,3,4,5]}`, template: `"{{#list}}({{.}}){{/list}}"`, want: `"(1)(2)(3)(4)(5)"`},
	{name: "sections/Implicit Iterator - Decimal", data: `{"list":[1.10,2.20,3.30,4.40,5.50]}`, template: `"{{#list}}({{.}}){{/list}}"`, want: `"(1.1)(2.2)(3.3)(4.4)(5.5)"`},
	{name: "sections/Implicit Iterator - Array", data: `{"list":[[1,2,3],["a","b","c"]]}`, template: `"{{#list}}({{#.}}{{.}}{{/.}}){{/list}}"`, want: `"(123)(abc)"`},
	{name: "sections/Implicit Iterator - HTML Escaping (not escaped)", data: `{"list":["&","\"","<",">"]}`, template: `"{{#list}}({{.}}){{/list}}"`, want: `"(&)(")(<)(>)"`},
	{name: "sections/Implicit Iterator - Triple mustache", data: `{"list":["&","\"","<",">"]}`, template: `"{{#list}}({{{.}}}){{/list}}"`, want: `"(&)(")(<)(>)"`},
	{name: "sections/Implicit Iterator - Ampersand", data: `{"list":["&","\"","<",">"]}`, template: `"{{#list}}({{&.}}){{/list}}"`, want: `"(&)(")(<)(>)"`},
	{name: "sections/Dotted Names - Truthy", data: `{"a":{"b":{"c":true}}}`, template: `"{{#a.b.c}}Here{{/a.b.c}}" == "Here"`, want: `"Here" == "Here"`},
	{name: "sections/Dotted Names - Falsey", data: `{"a":{"b":{"c":false}}}`, template: `"{{#a.b.c}}Here{{/a.b.c}}" == ""`, want: `"" == ""`},
	{name: "sections/Dotted Names - Broken Chains", data: `{"a":{}}`, template: `"{{#a.b.c}}Here{{/a.b.c}}" == ""`, missing: []string{"a.b.c"}},
	{name: "sections/Surrounding Whitespace", data: `{"boolean":true}`, template: " | {{#boolean}}\t|\t{{/boolean}} | \n", want: " | \t|\t | \n"},
	{name: "sections/Internal Whitespace", data: `{"boolean":true}`, template: " | {{#boolean}} {{! Important Whitespace }}\n {{/boolean}} | \n", want: " |  \n  | \n"},
	{name: "sections/Indented Inline Sections", data: `{"boolean":true}`, template: " {{#boolean}}YES{{/boolean}}\n {{#boolean}}GOOD{{/boolean}}\n", want: " YES\n GOOD\n"},
	{name: "sections/Standalone Lines", data: `{"boolean":true}`, template: "| This Is\n{{#boolean}}\n|\n{{/boolean}}\n| A Line\n", want: "| This Is\n|\n| A Line\n"},
	{name: "sections/Indented Standalone Lines", data: `{"boolean":true}`, template: "| This Is\n  {{#boolean}}\n|\n  {{/boolean}}\n| A Line\n", want: "| This Is\n|\n| A Line\n"},
	{name: "sections/Standalone Line Endings", data: `{"boolean":true}`, template: "|\r\n{{#boolean}}\r\n{{/boolean}}\r\n|", want: "|\r\n|"},
	{name: "sections/Standalone Without Previous Line", data: `{"boolean":true}`, template: "  {{#boolean}}\n#{{/boolean}}\n/", want: "#\n/"},
	{name: "sections/Standalone Without Newline", data: `{"boolean":true}`, template: "#{{#boolean}}\n/\n  {{/boolean}}", want: "#\n/\n"},
	{name: "sections/Padding", data: `{"boolean":true}`, template: "|{{# boolean }}={{/ boolean }}|", want: "|=|"},
}

var invertedCases = []specCase{
	{name: "inverted/Falsey", data: `{"boolean":false}`, template: `"{{^boolean}}This should be rendered.{{/boolean}}"`, want: `"This should be rendered."`},
	{name: "inverted/Null", data: `{"boolean":null}`, template: `"{{^boolean}}This should be rendered.{{/boolean}}"`, want: `"This should be rendered."`},
	{name: "inverted/Truthy", data: `{"boolean":true}`, template: `"{{^boolean}}This should not be rendered.{{/boolean}}"`, want: `""`},
	{name: "inverted/Truthy - Strings", data: `{"string":"rendered"}`, template: `"{{^string}}This should not be {{string}}.{{/string}}"`, want: `""`},
	{name: "inverted/Context", data: `{"context":{"name":"Joe"}}`, template: `"{{^context}}Hi {{name}}.{{/context}}"`, want: `""`},
	{name: "inverted/List", data: `{"list":[{"n":1},{"n":2},{"n":3}]}`, template: `"{{^list}}{{n}}{{/list}}"`, want: `""`},
	{name: "inverted/Empty List", data: `{"list":[]}`, template: `"{{^list}}Yay lists!{{/list}}"`, want: `"Yay lists!"`},
	{name: "inverted/Doubled", data: `{"t":false,"two":"second"}`, template: "{{^t}}\n* first\n{{/t}}\n* {{two}}\n{{^t}}\n* third\n{{/t}}\n", want: "* first\n* second\n* third\n"},
	{name: "inverted/Nested (Falsey)", data: `{"t":false}`, template: "| A {{^t}}B {{^t}}C{{/t}} D{{/t}} E |", want: "| A B C D E |"},
	{name: "inverted/Nested (Truthy)", data: `{"t":true}`, template: "| A {{^t}}B {{^t}}C{{/t}} D{{/t}} E |", want: "| A  E |"},
	{name: "inverted/Context Misses", template: "[{{^missing}}Found key 'missing'!{{/missing}}]", missing: []string{"missing"}},
	{name: "inverted/Dotted Names - Truthy", data: `{"a":{"b":{"c":true}}}`, template: `"{{^a.b.c}}Not Here{{/a.b.c}}" == ""`, want: `"" == ""`},
	{name: "inverted/Dotted Names - Falsey", data: `{"a":{"b":{"c":false}}}`, template: `"{{^a.b.c}}Not Here{{/a.b.c}}" == "Not Here"`, want: `"Not Here" == "Not Here"`},
	{name: "inverted/Dotted Names - Broken Chains", data: `{"a":{}}`, template: `"{{^a.b.c}}Not Here{{/a.b.c}}" == "Not Here"`, missing: []string{"a.b.c"}},
	{name: "inverted/Surrounding Whitespace", data: `{"boolean":false}`, template: " | {{^boolean}}\t|\t{{/boolean}} | \n", want: " | \t|\t | \n"},
	{name: "inverted/Internal Whitespace", data: `{"boolean":false}`, template: " | {{^boolean}} {{! Important Whitespace }}\n {{/boolean}} | \n", want: " |  \n  | \n"},
	{name: "inverted/Indented Inline Sections", data: `{"boolean":false}`, template: " {{^boolean}}NO{{/boolean}}\n {{^boolean}}WAY{{/boolean}}\n", want: " NO\n WAY\n"},
	{name: "inverted/Standalone Lines", data: `{"boolean":false}`, template: "| This Is\n{{^boolean}}\n|\n{{/boolean}}\n| A Line\n", want: "| This Is\n|\n| A Line\n"},
	{name: "inverted/Standalone Indented Lines", data: `{"boolean":false}`, template: "| This Is\n  {{^boolean}}\n|\n  {{/boolean}}\n| A Line\n", want: "| This Is\n|\n| A Line\n"},
	{name: "inverted/Standalone Line Endings", data: `{"boolean":false}`, template: "|\r\n{{^boolean}}\r\n{{/boolean}}\r\n|", want: "|\r\n|"},
	{name: "inverted/Standalone Without Previous Line", data: `{"boolean":false}`, template: "  {{^boolean}}\n^{{/boolean}}\n/", want: "^\n/"},
	{name: "inverted/Standalone Without Newline", data: `{"boolean":false}`, template: "^{{^boolean}}\n/\n  {{/boolean}}", want: "^\n/\n"},
	{name: "inverted/Padding", data: `{"boolean":false}`, template: "|{{^ boolean }}={{/ boolean }}|", want: "|=|"},
}

var commentCases = []specCase{
	{name: "comments/Inline", template: "12345{{! Comment Block! }}67890", want: "1234567890"},
	{name: "comments/Multiline", template: "12345{{!\n  This is a\n  multi-line comment...\n}}67890\n", want: "1234567890\n"},
	{name: "comments/Standalone", template: "Begin.\n{{! Comment Block! }}\nEnd.\n", want: "Begin.\nEnd.\n"},
	{name: "comments/Indented Standalone", template: "Begin.\n  {{! Indented Comment Block! }}\nEnd.\n", want: "Begin.\nEnd.\n"},
	{name: "comments/Standalone Line Endings", template: "|\r\n{{! Standalone Comment }}\r\n|", want: "|\r\n|"},
	{name: "comments/Standalone Without Previous Line", template: "  {{! I'm Still Standalone }}\n!", want: "!"},
	{name: "comments/Standalone Without Newline", template: "!\n  {{! I'm Still Standalone }}", want: "!\n"},
	{name: "comments/Multiline Standalone", template: "Begin.\n{{!\nSomething's going on here...\n}}\nEnd.\n", want: "Begin.\nEnd.\n"},
	{name: "comments/Indented Multiline Standalone", template: "Begin.\n  {{!\n    Something's going on here...\n  }}\nEnd.\n", want: "Begin.\nEnd.\n"},
	{name: "comments/Indented Inline", template: "  12 {{! 34 }}\n", want: "  12 \n"},
	{name: "comments/Surrounding Whitespace", template: "12345 {{! Comment Block! }} 67890", want: "12345  67890"},
}

var delimiterCases = []specCase{
	{name: "delimiters/Pair Behavior", data: `{"text":"Hey!"}`, template: "{{=<% %>=}}(<%text%>)", want: "(Hey!)"},
	{name: "delimiters/Special Characters", data: `{"text":"It worked!"}`, template: "({{=[ ]=}}[text])", want: "(It worked!)"},
	{
		name:     "delimiters/Sections",
		data:     `{"section":true,"data":"I got interpolated."}`,
		template: "[\n{{#section}}\n  {{data}}\n  |data|\n{{/section}}\n\n{{= | | =}}\n|#section|\n  {{data}}\n  |data|\n|/section|\n]\n",
		want:     "[\n  I got interpolated.\n  |data|\n\n  {{data}}\n  I got interpolated.\n]\n",
	},
	{
		name:     "delimiters/Inverted Sections",
		data:     `{"section":false,"data":"I got interpolated."}`,
		template: "[\n{{^section}}\n  {{data}}\n  |data|\n{{/section}}\n\n{{= | | =}}\n|^section|\n  {{data}}\n  |data|\n|/section|\n]\n",
		want:     "[\n  I got interpolated.\n  |data|\n\n  {{data}}\n  I got interpolated.\n]\n",
	},
	{
		name:     "delimiters/Partial Inheritence",
		data:     `{"value":"yes"}`,
		template: "[ {{>include}} ]\n{{= | | =}}\n[ |>include| ]\n",
		partials: map[string]string{"include": ".{{value}}."},
		want:     "[ .yes. ]\n[ .yes. ]\n",
	},
	{
		name:     "delimiters/Post-Partial Behavior",
		data:     `{"value":"yes"}`,
		template: "[ {{>include}} ]\n[ .{{value}}.  .|value|. ]\n",
		partials: map[string]string{"include": ".{{value}}. {{= | | =}} .|value|."},
		want:     "[ .yes.  .yes. ]\n[ .yes.  .|value|. ]\n",
	},
	{name: "delimiters/Surrounding Whitespace", template: "| {{=@ @=}} |", want: "|  |"},
	{name: "delimiters/Outlying Whitespace (Inline)", template: " | {{=@ @=}}\n", want: " | \n"},
	{name: "delimiters/Standalone Tag", template: "Begin.\n{{=@ @=}}\nEnd.\n", want: "Begin.\nEnd.\n"},
	{name: "delimiters/Indented Standalone Tag", template: "Begin.\n  {{=@ @=}}\nEnd.\n", want: "Begin.\nEnd.\n"},
	{name: "delimiters/Standalone Line Endings", template: "|\r\n{{= @ @ =}}\r\n|", want: "|\r\n|"},
	{name: "delimiters/Standalone Without Previous Line", template: "  {{=@ @=}}\n=", want: "="},
	{name: "delimiters/Standalone Without Newline", template: "=\n  {{=@ @=}}", want: "=\n"},
	{name: "delimiters/Pair with Padding", template: "|{{= @   @ =}}|", want: "||"},
}

var partialCases = []specCase{
	{name: "partials/Basic Behavior", template: `"{{>text}}"`, partials: map[string]string{"text": "from partial"}, want: `"from partial"`},
	{name: "partials/Failed Lookup", template: `"{{>text}}"`, err: errNoPartial},
	{name: "partials/Context", data: `{"text":"content"}`, template: `"{{>partial}}"`, partials: map[string]string{"partial": "*{{text}}*"}, want: `"*content*"`},
	{
		// Prompts do not recurse: including a prompt inside itself is a cycle.
		name:     "partials/Recursion",
		data:     `{"content":"X","nodes":[{"content":"Y","nodes":[]}]}`,
		template: "{{>node}}",
		partials: map[string]string{"node": "{{content}}<{{#nodes}}{{>node}}{{/nodes}}>"},
		cycle:    true,
	},
	{name: "partials/Nested", data: `{"a":"hello","b":"world"}`, template: "{{>outer}}", partials: map[string]string{"outer": "*{{a}} {{>inner}}*", "inner": "{{b}}!"}, want: "*hello world!*"},
	{name: "partials/Surrounding Whitespace", template: "| {{>partial}} |", partials: map[string]string{"partial": "\t|\t"}, want: "| \t|\t |"},
	{name: "partials/Inline Indentation", data: `{"data":"|"}`, template: "  {{data}}  {{> partial}}\n", partials: map[string]string{"partial": ">\n>"}, want: "  |  >\n>\n"},
	// The spec wants "|\r\n>|" and "  >\n  >>": the partial runs into the next line.
	{name: "partials/Standalone Line Endings (line kept)", template: "|\r\n{{>partial}}\r\n|", partials: map[string]string{"partial": ">"}, want: "|\r\n>\r\n|"},
	{name: "partials/Standalone Without Previous Line (line kept)", template: "  {{>partial}}\n>", partials: map[string]string{"partial": ">\n>"}, want: "  >\n  >\n>"},
	{name: "partials/Standalone Without Newline", template: ">\n  {{>partial}}", partials: map[string]string{"partial": ">\n>"}, want: ">\n  >\n  >"},
	{
		// As in the spec: the indentation goes before every line of the
		// partial's template, not into a multi-line value it interpolates
		// ("->" stays at the margin).
		name:     "partials/Standalone Indentation",
		data:     `{"content":"<\n->"}`,
		template: "\\\n {{>partial}}\n/\n",
		partials: map[string]string{"partial": "|\n{{{content}}}\n|\n"},
		want:     "\\\n |\n <\n->\n |\n/\n",
	},
	// Variants of Standalone Indentation: values inside a line, CRLF line
	// endings, and nested includes, whose indentations add up.
	{
		name:     "partials/Standalone Indentation, values inside a line",
		data:     `{"content":"<\n->"}`,
		template: "\\\n {{>partial}}\n/\n",
		partials: map[string]string{"partial": "|\n{{{content}}}a b{{{content}}}c\n|\n"},
		want:     "\\\n |\n <\n->a b<\n->c\n |\n/\n",
	},
	{
		name:     "partials/Standalone Indentation, CRLF",
		data:     `{"content":"<\r\n->"}`,
		template: "\\\r\n {{>partial}}\r\n/\r\n",
		partials: map[string]string{"partial": "|\r\n{{{content}}}\r\n|\r\n"},
		want:     "\\\r\n |\r\n <\r\n->\r\n |\r\n/\r\n",
	},
	{
		name:     "partials/Standalone Indentation, nested with CRLF",
		template: "  {{> a}}\r\n",
		partials: map[string]string{"a": "x\r\n  {{> b}}\r\ny\r\n", "b": "1\r\n2\r\n"},
		want:     "  x\r\n    1\r\n    2\r\n  y\r\n",
	},
	{
		name:     "partials/Standalone Indentation, nested with tabs and a multi-line value",
		data:     `{"v":"V1\nV2"}`,
		template: "\t{{> a}}\nafter\n",
		partials: map[string]string{"a": "a1\n\n\t{{> b}}\na2\n", "b": "b1 {{v}}\n{{#v}}\nb2\n{{/v}}\n"},
		want:     "\ta1\n\t\n\t\tb1 V1\nV2\n\t\tb2\n\ta2\nafter\n",
	},
	{name: "partials/Padding Whitespace", data: `{"boolean":true}`, template: "|{{> partial }}|", partials: map[string]string{"partial": "[]"}, want: "|[]|"},
}
