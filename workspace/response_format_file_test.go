package workspace

import (
	"errors"
	"testing"
)

func TestResponseFormatFile(t *testing.T) {
	tests := []struct {
		name, file, data string
		wantType         string
		wantName         string
		wantErr          bool
	}{
		{"bare schema named after the file", "person.schema.json", `{"type": "object", "properties": {"a": {"type": "string"}}}`, "json_schema", "person", false},
		{"flat response_format", "rf.yaml", "type: json_schema\nname: invoice\nstrict: true\nschema: {type: object}\n", "json_schema", "invoice", false},
		{"OpenAI's form", "rf.json", `{"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}}`, "json_schema", "x", false},
		{"json_object", "rf.json", `{"type": "json_object"}`, "json_object", "", false},
		{"json_schema without schema", "rf.json", `{"type": "json_schema", "name": "x"}`, "", "", true},
		{"not a mapping", "s.json", `[1, 2]`, "", "", true},
		{"empty", "s.json", ``, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rf, err := ResponseFormatFile(tt.file, []byte(tt.data))
			if tt.wantErr {
				if !errors.Is(err, ErrInvalid) {
					t.Fatalf("err = %v, want an input error", err)
				}
				return
			}
			if err != nil || rf.Type != tt.wantType || rf.Name != tt.wantName {
				t.Fatalf("got %+v, %v", rf, err)
			}
		})
	}
}
