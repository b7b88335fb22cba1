package workspace

import (
	"encoding/json"
	"fmt"

	"promptbench/workspace/exportyaml"
)

// ModelConfigYAML is the one field block of a version's model settings as
// YAML files write them: prompt files and export files embed it inline.
// A new model parameter is added here, in Config, in WriteModelConfigYAML
// and in the export reader's field mapper (package exchange), and nowhere
// else.
type ModelConfigYAML struct {
	Model          string              `yaml:"model"`
	Temperature    *float64            `yaml:"temperature"`
	TopP           *float64            `yaml:"top_p"`
	MaxTokens      int                 `yaml:"max_tokens"`
	Stop           []string            `yaml:"stop"`
	Seed           *int64              `yaml:"seed"`
	ResponseFormat *ResponseFormatYAML `yaml:"response_format"`
}

// Config is the version's ModelConfig; only response_format can be wrong
// here (its two forms mixed), and the error says how.
func (c ModelConfigYAML) Config() (ModelConfig, error) {
	rf, err := c.ResponseFormat.responseFormat()
	if err != nil {
		return ModelConfig{}, err
	}
	return ModelConfig{
		Model:          c.Model,
		Temperature:    c.Temperature,
		TopP:           c.TopP,
		MaxTokens:      c.MaxTokens,
		Stop:           c.Stop,
		Seed:           c.Seed,
		ResponseFormat: rf,
	}, nil
}

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

// ResponseFormatYAML is response_format as YAML files write it. It takes the flat form (type, name, strict, schema) and
// OpenAI's own, where name, strict and schema sit under json_schema.
type ResponseFormatYAML struct {
	Type       string          `yaml:"type"`
	Name       string          `yaml:"name"`
	Strict     bool            `yaml:"strict"`
	Schema     any             `yaml:"schema"`
	JSONSchema *jsonSchemaYAML `yaml:"json_schema"`
}

// responseFormat turns either form into the version's ResponseFormat, the
// schema as JSON; nil stays nil.
func (rf *ResponseFormatYAML) responseFormat() (*ResponseFormat, error) {
	if rf == nil {
		return nil, nil
	}
	name, strict, schema := rf.Name, rf.Strict, rf.Schema
	if js := rf.JSONSchema; js != nil {
		if name != "" || schema != nil {
			return nil, fmt.Errorf("give name and schema either under json_schema (OpenAI's form) or beside type, not both")
		}
		name, strict, schema = js.Name, js.Strict, js.Schema
	}
	out := &ResponseFormat{Type: rf.Type, Name: name, Strict: strict}
	if schema != nil {
		b, err := json.Marshal(schema)
		if err != nil {
			return nil, fmt.Errorf("schema: %w", err)
		}
		out.Schema = b
	}
	return out, nil
}

type jsonSchemaYAML struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Strict      bool   `yaml:"strict"`
	Schema      any    `yaml:"schema"`
}
