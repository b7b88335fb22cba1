package exportfile

import (
	"encoding/json"
	"fmt"
)

// Roles a chat message may have.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// Message is one chat message of a version; Content is a template.
type Message struct {
	Role    string `json:"role" yaml:"role"`
	Content string `json:"content" yaml:"content"`
}

// ResponseFormat asks the model for plain text, any JSON object or JSON
// matching a schema.
type ResponseFormat struct {
	Type   string          `json:"type" yaml:"type"` // text | json_object | json_schema
	Name   string          `json:"name,omitempty" yaml:"name,omitempty"`
	Strict bool            `json:"strict,omitempty" yaml:"strict,omitempty"`
	Schema json.RawMessage `json:"schema,omitempty" yaml:"-"`
}

// ModelConfig is the model and its sampling parameters. Pointers tell an
// unset parameter from a zero one, so that "temperature: 0" survives.
type ModelConfig struct {
	Model          string          `json:"model,omitempty" yaml:"model,omitempty"` // provider/model
	Temperature    *float64        `json:"temperature,omitempty" yaml:"temperature,omitempty"`
	TopP           *float64        `json:"top_p,omitempty" yaml:"top_p,omitempty"`
	MaxTokens      int             `json:"max_tokens,omitempty" yaml:"max_tokens,omitempty"`
	Stop           []string        `json:"stop,omitempty" yaml:"stop,omitempty"`
	Seed           *int64          `json:"seed,omitempty" yaml:"seed,omitempty"`
	ResponseFormat *ResponseFormat `json:"response_format,omitempty" yaml:"response_format,omitempty"`
}

// ModelConfigYAML is the one field block of a version's model settings as
// YAML files write them: prompt files and export files embed it inline.
// A new model parameter is added here, in ModelConfig, in
// workspace.WriteModelConfigYAML and in the fast reader's field mapper
// (toModelField), and nowhere else.
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
	rf, err := c.ResponseFormat.ResponseFormat()
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

// ResponseFormatYAML is response_format as YAML files write it. It takes
// the flat form (type, name, strict, schema) and OpenAI's own, where name,
// strict and schema sit under json_schema.
type ResponseFormatYAML struct {
	Type       string          `yaml:"type"`
	Name       string          `yaml:"name"`
	Strict     bool            `yaml:"strict"`
	Schema     any             `yaml:"schema"`
	JSONSchema *jsonSchemaYAML `yaml:"json_schema"`
}

// ResponseFormat turns either form into the version's ResponseFormat, the
// schema as JSON; nil stays nil.
func (rf *ResponseFormatYAML) ResponseFormat() (*ResponseFormat, error) {
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
