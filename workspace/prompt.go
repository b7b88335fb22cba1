package workspace

import (
	"fmt"
	"time"

	gojson "github.com/goccy/go-json"
)

// Prompt is a named prompt: its description, taxonomy tags, labels and a
// summary of its newest version. It is the small record a listing scans.
type Prompt struct {
	Name        string         `json:"name"`
	Description string         `json:"description,omitempty"`
	Tags        []string       `json:"tags,omitempty"`   // canonical facet:value, sorted
	Labels      map[string]int `json:"labels,omitempty"` // label -> version number
	Latest      int            `json:"latest"`
	LatestHash  string         `json:"latest_hash"`
	Model       string         `json:"model,omitempty"` // of the latest version
	Created     time.Time      `json:"created"`
	Updated     time.Time      `json:"updated"`
}

// HasTag tells whether the prompt carries tag.
func (p Prompt) HasTag(tag Tag) bool {
	s := tag.String()
	for _, t := range p.Tags {
		if t == s {
			return true
		}
	}
	return false
}

// LabelsOf lists the labels pointing at version n, sorted.
func (p Prompt) LabelsOf(n int) []string {
	var out []string
	for l, v := range p.Labels {
		if v == n {
			out = append(out, l)
		}
	}
	sortStrings(out)
	return out
}

// DecodePrompt decodes a prompt record with goccy/go-json: a listing
// decodes every record of the library, and encoding/json took half of
// `list`'s time on 10,000 prompts.
func DecodePrompt(name string, b []byte) (Prompt, error) {
	if p, ok := decodePromptFast(b); ok {
		return p, nil
	}
	var p Prompt
	if err := gojson.Unmarshal(b, &p); err != nil {
		return Prompt{}, fmt.Errorf("decode prompt %s: %w", name, err)
	}
	return p, nil
}

// DecodeVersion decodes version n of prompt name as stored, with
// goccy/go-json as DecodePrompt: encoding/json took 40% of an export's
// time. Versions are written by encoding/json, so they hold valid UTF-8
// and nothing goccy/go-json reads differently.
func DecodeVersion(name string, n int, b []byte) (Version, error) {
	if v, ok := decodeVersionFast(b); ok {
		return v, nil
	}
	var v Version
	if err := gojson.Unmarshal(b, &v); err != nil {
		return Version{}, fmt.Errorf("decode %s@%d: %w", name, n, err)
	}
	return v, nil
}
