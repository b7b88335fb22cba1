package workspace

import (
	"errors"
	"strings"
	"testing"
)

func TestParsePromptFile(t *testing.T) {
	tests := []struct {
		name      string
		file      string
		data      string
		forceText bool
		wantErr   string // substring; "" means success
		wantMsgs  int
		wantText  string // content of the first message
	}{
		{name: "plain text", file: "v1.txt", data: "Tell a joke about {{topic}}.\n", wantMsgs: 1, wantText: "Tell a joke about {{topic}}."},
		{name: "text that parses as a YAML mapping stays text", file: "p.txt", data: "Summary: {{text}}\n", wantMsgs: 1, wantText: "Summary: {{text}}"},
		{name: "text that parses as a YAML list stays text", file: "-", data: "- item one\n- item two\n", wantMsgs: 1, wantText: "- item one\n- item two"},
		{name: "stdin mapping with messages is a prompt file", file: "-", data: "messages:\n  - role: user\n    content: hi {{x}}\n", wantMsgs: 1, wantText: "hi {{x}}"},
		{name: "forced text", file: "p.yaml", data: "messages: []\n", forceText: true, wantMsgs: 1, wantText: "messages: []"},
		{name: "full yaml", file: "p.yaml", data: `description: Replies to support tickets
tags: [purpose:support, tone:friendly]
model: openai/gpt-4o-mini
temperature: 0
max_tokens: 300
response_format:
  type: json_schema
  name: reply
  schema:
    type: object
    properties: {reply: {type: string}}
messages:
  - role: system
    content: |
      You are a support agent.
  - role: user
    content: "{{ticket}}"
scorers: [json]
`, wantMsgs: 2, wantText: "You are a support agent.\n"},
		{name: "yaml syntax error names line", file: "bad.yaml", data: "messages:\n  - role: user\n    content: [unclosed\n", wantErr: "bad.yaml:"},
		{name: "unknown field", file: "p.yaml", data: "temprature: 0.3\nmessages:\n  - role: user\n    content: hi\n", wantErr: `p.yaml:1:1: unknown field "temprature"`},
		{name: "missing messages", file: "p.yaml", data: "description: x\n", wantErr: "missing messages"},
		{name: "unknown role", file: "p.yaml", data: "messages:\n  - role: robot\n    content: hi\n", wantErr: `unknown role "robot"`},
		{name: "bad model", file: "p.yaml", data: "model: gpt-4o\nmessages:\n  - role: user\n    content: hi\n", wantErr: "provider/model"},
		{name: "bad tag", file: "p.yaml", data: "tags: ['a b']\nmessages:\n  - role: user\n    content: hi\n", wantErr: "tags"},
		{name: "empty text", file: "empty.txt", data: "\n\n", wantErr: "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParsePromptFile(tt.file, []byte(tt.data), tt.forceText)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
				}
				if !errors.Is(err, ErrInvalid) {
					t.Fatalf("error %v is not ErrInvalid", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if len(d.Messages) != tt.wantMsgs || d.Messages[0].Content != tt.wantText {
				t.Fatalf("messages = %+v", d.Messages)
			}
		})
	}
}

func TestParsePromptFileConfig(t *testing.T) {
	d, err := ParsePromptFile("p.yaml", []byte("model: openai/gpt-4o\ntemperature: 0\nmessages:\n  - role: user\n    content: hi\n"), false)
	if err != nil {
		t.Fatal(err)
	}
	if d.Config.Temperature == nil || *d.Config.Temperature != 0 {
		t.Fatalf("temperature 0 must survive as set, got %v", d.Config.Temperature)
	}
	other := ModelConfig{Model: "openai/gpt-4o"}
	if ContentHash(d.Messages, d.Config) == ContentHash(d.Messages, other) {
		t.Fatal("temperature 0 and unset temperature must hash differently")
	}
}

func TestContentHashIgnoresSchemaFormatting(t *testing.T) {
	msgs := []Message{{Role: RoleUser, Content: "x"}}
	a := ModelConfig{ResponseFormat: &ResponseFormat{Type: "json_schema", Name: "r", Schema: []byte(`{"b": 1, "a": 2}`)}}
	b := ModelConfig{ResponseFormat: &ResponseFormat{Type: "json_schema", Name: "r", Schema: []byte(`{"a":2,"b":1}`)}}
	if ContentHash(msgs, a) != ContentHash(msgs, b) {
		t.Fatal("schema key order and spacing changed the hash")
	}
	if len(ContentHash(msgs, a)) != 64 {
		t.Fatal("hash is not sha256 hex")
	}
}

func FuzzParsePromptFile(f *testing.F) {
	f.Add("p.yaml", "messages:\n  - role: user\n    content: hi {{x}}\n", false)
	f.Add("p.txt", "Summary: {{text}}\n", false)
	f.Add("-", "messages: [{role: system, content: a}]\ntemperature: 0.5\n", false)
	f.Add("p.yaml", "response_format: {type: json_schema, name: r, schema: {type: object}}\nmessages: [{role: user, content: x}]\n", false)
	f.Add("p.yml", "&a [*a]", true)
	f.Fuzz(func(t *testing.T, file, data string, forceText bool) {
		d, err := ParsePromptFile(file, []byte(data), forceText)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v is not ErrInvalid", err)
			}
			return
		}
		if err := ValidateContent(d.Messages, d.Config); err != nil {
			t.Fatalf("accepted a draft that does not validate: %v", err)
		}
		_ = ContentHash(d.Messages, d.Config)
	})
}

func TestPromptFileErrorsSpeakYAML(t *testing.T) {
	tests := []struct{ name, file, data, want string }{
		{"number as text", "p.yaml", "temperature: warm\nmessages:\n  - role: user\n    content: hi\n", "p.yaml:1:14: temperature must be a number, not text"},
		{"template error names the file", "p.yaml", "messages:\n  - role: user\n    content: \"hi {{name\"\n", `p.yaml: messages[0] (user) content: line 1, column 4: unclosed tag`},
		{"template error in text keeps its line", "v1.txt", "line one\nhi {{name\n", `v1.txt: line 2, column 4: unclosed tag`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePromptFile(tt.file, []byte(tt.data), false)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestResponseFormatOpenAIForm(t *testing.T) {
	flat := "response_format:\n  type: json_schema\n  name: reply\n  strict: true\n  schema: {type: object}\nmessages: [{role: user, content: x}]\n"
	openai := "response_format:\n  type: json_schema\n  json_schema:\n    name: reply\n    strict: true\n    schema: {type: object}\nmessages: [{role: user, content: x}]\n"
	a, err := ParsePromptFile("a.yaml", []byte(flat), false)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParsePromptFile("b.yaml", []byte(openai), false)
	if err != nil {
		t.Fatal(err)
	}
	if ContentHash(a.Messages, a.Config) != ContentHash(b.Messages, b.Config) {
		t.Fatalf("the two forms differ: %+v vs %+v", a.Config.ResponseFormat, b.Config.ResponseFormat)
	}
}
