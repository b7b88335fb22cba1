package workspace

import (
	"bytes"
	"encoding/json"
	"errors"
	"sort"

	"promptbench/storage"
)

// Includer is a version of another prompt that includes a prompt
// ({{> name}} or {{> name@ref}}).
type Includer struct {
	Prompt  string   `json:"prompt"`
	Version int      `json:"version"`
	Include string   `json:"include"` // as written: name or name@ref
	Latest  bool     `json:"latest,omitempty"`
	Labels  []string `json:"labels,omitempty"` // labels pointing at this version
}

// InUse tells whether rendering the includer's prompt today reaches this
// version: it is the latest or a label names it.
func (i Includer) InUse() bool { return i.Latest || len(i.Labels) > 0 }

// findIncluders lists every version of every other prompt that includes
// target, by prompt and number. Versions are immutable, so this is the
// whole list of what a rename or a delete leaves pointing at nothing. One
// pass over the library; only versions whose stored form mentions the name
// are decoded.
func findIncluders(tx *storage.Tx, target string) ([]Includer, error) {
	var out []Includer
	prompts := map[string]Prompt{}
	needle := []byte(target)
	err := tx.ScanAllVersions(func(name string, n int, b []byte) error {
		if name == target || !bytes.Contains(b, needle) {
			return nil
		}
		var v struct {
			Messages []Message `json:"messages"`
		}
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		pm, err := parseMessages(v.Messages)
		if err != nil {
			return nil // a broken version includes nothing; doctor reports it
		}
		for _, raw := range pm.partials {
			ref, err := parseIncludeRef(raw)
			if err != nil || ref.Name != target {
				continue
			}
			p, ok := prompts[name]
			if !ok {
				p, err = GetPrompt(tx, name)
				if errors.Is(err, ErrNotFound) {
					return nil // versions without a prompt record are not part of the library
				}
				if err != nil {
					return err
				}
				prompts[name] = p
			}
			if n > p.Latest {
				return nil // left by an interrupted import
			}
			out = append(out, Includer{Prompt: name, Version: n, Include: raw, Latest: n == p.Latest, Labels: p.LabelsOf(n)})
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Prompt != out[j].Prompt {
			return out[i].Prompt < out[j].Prompt
		}
		return out[i].Version < out[j].Version
	})
	return out, err
}
