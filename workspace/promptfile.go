package workspace

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"github.com/goccy/go-yaml"

	"promptbench/workspace/template"
)

// Draft is what a commit turns into a new version: the content plus the
// prompt-level description and tags it may change.
type Draft struct {
	Messages    []Message
	Config      ModelConfig
	Scorers     []string
	Description *string // nil keeps the prompt's description
	Tags        []Tag   // added to the prompt's tags
	Message     string  // the commit message
	// Inherit takes the model config and default scorers of the prompt's
	// latest version, inside the commit's own transaction, for what Config
	// and Scorers leave unset: new wording keeps the model settings. A new
	// prompt has nothing to inherit.
	Inherit bool
}

// promptFileYAML is the YAML form of a prompt file. Unknown fields are refused
// so that a typo such as "temprature" does not silently do nothing.
type promptFileYAML struct {
	Description     *string   `yaml:"description"`
	Tags            []string  `yaml:"tags"`
	Messages        []Message `yaml:"messages"`
	ModelConfigYAML `yaml:",inline"`
	Scorers         []string `yaml:"scorers"`
}

// ParsePromptFile reads a prompt file. A file named *.yaml or *.yml must be
// a prompt file; any other file (and stdin, file "-") is one only when it is
// a YAML mapping with a "messages" key, otherwise its whole text is one user
// message, so that "Summary: {{text}}" or "- item" stay text. forceText
// skips the YAML reading altogether.
func ParsePromptFile(file string, data []byte, forceText bool) (Draft, error) {
	name := file
	if file == "-" {
		name = "stdin"
	}
	if err := CheckUTF8(name, data); err != nil {
		return Draft{}, err
	}
	if !forceText && (isYAMLName(file) || looksLikePromptYAML(data)) {
		return parsePromptYAML(name, data)
	}
	text := strings.TrimSuffix(string(data), "\n")
	if strings.TrimSpace(text) == "" {
		return Draft{}, Invalidf("%s is empty; a prompt needs some text", name)
	}
	if _, err := template.Parse(text); err != nil {
		// The template's lines are the file's lines.
		return Draft{}, Invalidf("%s: %v", name, err)
	}
	return Draft{Messages: []Message{{Role: RoleUser, Content: text}}}, nil
}

func isYAMLName(file string) bool {
	ext := strings.ToLower(filepath.Ext(file))
	return ext == ".yaml" || ext == ".yml"
}

func looksLikePromptYAML(data []byte) bool {
	var probe map[string]any
	if err := unmarshalYAML("", data, &probe); err != nil {
		return false
	}
	_, ok := probe["messages"]
	return ok
}

func parsePromptYAML(name string, data []byte) (Draft, error) {
	var pf promptFileYAML
	if err := unmarshalYAML(name, data, &pf, yaml.DisallowUnknownField()); err != nil {
		return Draft{}, err
	}
	if len(pf.Messages) == 0 {
		return Draft{}, Invalidf("%s: missing messages; a prompt file needs at least one message, e.g.\nmessages:\n  - role: user\n    content: Tell a joke about {{topic}}", name)
	}
	d := Draft{
		Messages:    pf.Messages,
		Description: pf.Description,
		Scorers:     pf.Scorers,
	}
	var err error
	if d.Config, err = pf.ModelConfigYAML.Config(); err != nil {
		return Draft{}, Invalidf("%s: response_format: %v", name, err)
	}
	tags, err := ParseTags(pf.Tags)
	if err != nil {
		return Draft{}, fmt.Errorf("%s: tags: %w", name, err)
	}
	d.Tags = tags
	if err := ValidateContent(d.Messages, d.Config); err != nil {
		return Draft{}, fmt.Errorf("%s: %w", name, err)
	}
	for i, m := range d.Messages {
		if _, err := template.Parse(m.Content); err != nil {
			return Draft{}, Invalidf("%s: messages[%d] (%s) content: %v", name, i, m.Role, err)
		}
	}
	return d, nil
}

// ValidateContent checks the messages and model config of a version.
func ValidateContent(messages []Message, cfg ModelConfig) error {
	if len(messages) == 0 {
		return Invalidf("a version needs at least one message")
	}
	for i, m := range messages {
		switch m.Role {
		case RoleSystem, RoleUser, RoleAssistant:
		default:
			return Invalidf("messages[%d]: unknown role %q; use system, user or assistant", i, m.Role)
		}
		if strings.TrimSpace(m.Content) == "" {
			return Invalidf("messages[%d] (%s) has no content", i, m.Role)
		}
	}
	if cfg.Model != "" {
		provider, model, ok := strings.Cut(cfg.Model, "/")
		if !ok || provider == "" || model == "" {
			return Invalidf("model %q must be written provider/model, e.g. openai/gpt-4o-mini", cfg.Model)
		}
	}
	if t := cfg.Temperature; t != nil && (math.IsNaN(*t) || *t < 0 || *t > 2) {
		return Invalidf("temperature %v is outside 0..2", *t)
	}
	if p := cfg.TopP; p != nil && (math.IsNaN(*p) || *p < 0 || *p > 1) {
		return Invalidf("top_p %v is outside 0..1", *p)
	}
	if cfg.MaxTokens < 0 {
		return Invalidf("max_tokens %d is negative", cfg.MaxTokens)
	}
	if rf := cfg.ResponseFormat; rf != nil {
		switch rf.Type {
		case "text", "json_object":
			if len(rf.Schema) > 0 {
				return Invalidf("response_format.schema needs type json_schema, not %q", rf.Type)
			}
		case "json_schema":
			if len(rf.Schema) == 0 {
				return Invalidf("response_format type json_schema needs a schema")
			}
			if rf.Name == "" {
				return Invalidf("response_format type json_schema needs a name")
			}
		default:
			return Invalidf("response_format.type %q: use text, json_object or json_schema", rf.Type)
		}
	}
	return nil
}
