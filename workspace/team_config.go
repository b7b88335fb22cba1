package workspace

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
)

// ProtectedLabel is a label that moves only with an approved review
// (config.yaml protected_labels): on every prompt, or on the prompts
// matching one of Prompts. config.yaml writes it as the bare label
// ("production") or as {label: staging, prompts: ["support/**"]}.
type ProtectedLabel struct {
	Label   string   `yaml:"label"`
	Prompts []string `yaml:"prompts,omitempty"`
}

// UnmarshalYAML takes the bare label or the mapping.
func (p *ProtectedLabel) UnmarshalYAML(unmarshal func(any) error) error {
	var label string
	if err := unmarshal(&label); err == nil {
		*p = ProtectedLabel{Label: label}
		return nil
	}
	type plain ProtectedLabel
	var v plain
	if err := unmarshal(&v); err != nil {
		return err
	}
	*p = ProtectedLabel(v)
	return nil
}

// OwnerRule gives the prompts matching Pattern to People.
type OwnerRule struct {
	Pattern string
	People  []string
}

// Owners maps prompt patterns to the people whose approval a review of a
// matching prompt needs, in the order config.yaml lists them: as in
// CODEOWNERS, the last pattern that matches a prompt decides.
type Owners []OwnerRule

// UnmarshalYAML reads the mapping keeping its order.
func (o *Owners) UnmarshalYAML(unmarshal func(any) error) error {
	var m yaml.MapSlice
	if err := unmarshal(&m); err != nil {
		return err
	}
	*o = nil
	for _, item := range m {
		pattern := fmt.Sprint(item.Key)
		var people []string
		switch v := item.Value.(type) {
		case string:
			people = []string{v}
		case []any:
			for _, p := range v {
				people = append(people, fmt.Sprint(p))
			}
		default:
			return fmt.Errorf("owners.%s: give a list of people, e.g. [alice, bob]", pattern)
		}
		*o = append(*o, OwnerRule{Pattern: pattern, People: people})
	}
	return nil
}

// validateTeam checks protected_labels and owners: every label and
// pattern is well formed, every owners pattern has people.
func validateTeam(path string, cfg Config) error {
	if _, err := cfg.ProtectedFrom(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	// Hooks of the workspace's config.yaml run from the folder holding
	// the workspace (the repository), as export_file is found.
	if err := checkHooks(path, filepath.Dir(filepath.Dir(path)), cfg.Hooks); err != nil {
		return err
	}
	for i, p := range cfg.ProtectedLabels {
		if err := ValidateLabel(p.Label); err != nil {
			return fmt.Errorf("%s: protected_labels[%d]: %w", path, i, err)
		}
		for _, pat := range p.Prompts {
			if _, err := ParsePromptPattern(pat); err != nil {
				return fmt.Errorf("%s: protected_labels[%d].prompts: %w", path, i, err)
			}
		}
	}
	for _, r := range cfg.Owners {
		if _, err := ParsePromptPattern(r.Pattern); err != nil {
			return fmt.Errorf("%s: owners: %w", path, err)
		}
		if len(r.People) == 0 {
			return Invalidf("%s: owners.%s: no people; list who owns these prompts, e.g. [alice, bob]", path, r.Pattern)
		}
		for _, p := range r.People {
			if strings.TrimSpace(p) == "" {
				return Invalidf("%s: owners.%s: an empty name", path, r.Pattern)
			}
		}
	}
	return nil
}

// IsProtected tells whether label moves on prompt need an approved review.
func (c Config) IsProtected(prompt, label string) bool {
	for _, p := range c.ProtectedLabels {
		if p.Label != label {
			continue
		}
		if len(p.Prompts) == 0 {
			return true
		}
		for _, pat := range p.Prompts {
			if pp, err := ParsePromptPattern(pat); err == nil && pp.Match(prompt) {
				return true
			}
		}
	}
	return false
}

// OwnersOf is who owns prompt: the people of the last owners pattern
// that matches it; nil when none does (anyone but the author may approve).
func (c Config) OwnersOf(prompt string) []string {
	var people []string
	for _, r := range c.Owners {
		if pp, err := ParsePromptPattern(r.Pattern); err == nil && pp.Match(prompt) {
			people = r.People
		}
	}
	return people
}

// SamePerson compares two self-declared identities, ignoring case and
// surrounding space.
func SamePerson(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// ProtectedFrom is protected_since: label moves before it are not checked
// (labels a team set before it protected them); zero when unset.
func (c Config) ProtectedFrom() (time.Time, error) {
	if c.ProtectedSince == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
		if t, err := time.Parse(layout, c.ProtectedSince); err == nil {
			return t, nil
		}
	}
	return time.Time{}, Invalidf("protected_since %q is not a date (2026-11-30) or an RFC 3339 time", c.ProtectedSince)
}
