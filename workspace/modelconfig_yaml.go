package workspace

import (
	"encoding/json"
	"fmt"

	"promptbench/workspace/exportfile"
	"promptbench/workspace/exportyaml"
)

// ModelConfigYAML is the one field block of a version's model settings as
// YAML files write them (exportfile.ModelConfigYAML).
type ModelConfigYAML = exportfile.ModelConfigYAML

// ResponseFormatYAML is response_format as YAML files write it.
type ResponseFormatYAML = exportfile.ResponseFormatYAML

// WriteModelConfigYAML writes the fields of c that are set, at indent, in
// the order export files have always had them.
func WriteModelConfigYAML(w *exportyaml.Writer, indent int, c ModelConfig) error {
	if c.Model != "" {
		w.Str(indent, "model", c.Model)
	}
	if c.Temperature != nil {
		w.Float(indent, "temperature", *c.Temperature)
	}
	if c.TopP != nil {
		w.Float(indent, "top_p", *c.TopP)
	}
	if c.MaxTokens != 0 {
		w.Int(indent, "max_tokens", int64(c.MaxTokens))
	}
	if len(c.Stop) > 0 {
		w.Open(indent, "stop")
		for _, s := range c.Stop {
			w.Item(indent, s)
		}
	}
	if c.Seed != nil {
		w.Int(indent, "seed", *c.Seed)
	}
	if rf := c.ResponseFormat; rf != nil {
		w.Open(indent, "response_format")
		w.Str(indent+2, "type", rf.Type)
		if rf.Name != "" {
			w.Str(indent+2, "name", rf.Name)
		}
		if rf.Strict {
			w.Bool(indent+2, "strict", true)
		}
		if len(rf.Schema) > 0 {
			var schema any
			if err := json.Unmarshal(rf.Schema, &schema); err != nil {
				return fmt.Errorf("response_format.schema: %w", err)
			}
			w.KeyPrefix(indent+2, "schema")
			w.Value(indent+2, schema)
		}
	}
	return nil
}
