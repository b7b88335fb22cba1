package workspace

import (
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// ResponseFormatFile reads a response format from a file (JSON or YAML)
// that holds either a whole response_format, as a prompt file writes it
// (type: json_schema with name and schema beside it or under
// json_schema:), or a bare JSON schema, which is then named after the file
// (person.schema.json → person).
func ResponseFormatFile(file string, data []byte) (*ResponseFormat, error) {
	if err := CheckUTF8(file, data); err != nil {
		return nil, err
	}
	var probe map[string]any
	if err := unmarshalYAML(file, data, &probe); err != nil {
		return nil, err
	}
	if probe == nil {
		return nil, Invalidf("%s: empty; give a JSON schema (an object) or a response_format with type and schema", file)
	}
	var rf *ResponseFormat
	// A JSON schema's own type is a JSON type (object, string, …), never
	// one of these.
	if t, _ := probe["type"].(string); t == "json_schema" || t == "json_object" || t == "text" {
		var rff ResponseFormatYAML
		if err := unmarshalYAML(file, data, &rff); err != nil {
			return nil, err
		}
		var err error
		if rf, err = rff.ResponseFormat(); err != nil {
			return nil, Invalidf("%s: %v", file, err)
		}
	} else {
		rfSchema := ResponseFormatYAML{Type: "json_schema", Name: schemaName(file), Schema: probe}
		var err error
		if rf, err = rfSchema.ResponseFormat(); err != nil {
			return nil, Invalidf("%s: %v", file, err)
		}
	}
	if err := ValidateContent([]Message{{Role: RoleUser, Content: "x"}}, ModelConfig{ResponseFormat: rf}); err != nil {
		return nil, Invalidf("%s: %v", file, err)
	}
	return rf, nil
}

// nameUnsafe is compiled when first used, not at start-up.
var nameUnsafe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^a-zA-Z0-9_-]+`) })

// schemaName makes a file name into a schema name OpenAI accepts
// (letters, digits, _ and -, at most 64).
func schemaName(file string) string {
	base := filepath.Base(file)
	if i := strings.IndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	name := strings.Trim(nameUnsafe().ReplaceAllString(base, "_"), "_")
	if name == "" {
		name = "response"
	}
	if len(name) > 64 {
		name = name[:64]
	}
	return name
}
