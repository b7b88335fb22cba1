package workspace

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"promptbench/storage"
)

// Export writes the selected prompts as one promptbench/v1 YAML document.
// The same library always gives the same bytes: prompts by name, versions by
// number, map keys sorted, no export time. It refuses to write anything
// when a version holds what looks like an API key.
func (ws *Workspace) Export(ctx context.Context, w io.Writer, o ExportOptions) error {
	var out []string
	err := ws.view(ctx, func(tx *storage.Tx) error {
		var err error
		out, err = exportTx(tx, ws.Config.Taxonomy, o)
		return err
	})
	if err != nil {
		return err
	}
	for _, chunk := range out {
		if _, err := io.WriteString(w, chunk); err != nil {
			return fmt.Errorf("write export: %w", err)
		}
	}
	return nil
}

// exportTx builds the export in pieces, one per prompt, so that a large
// library is never copied into ever larger buffers; nothing is written
// until all of it is known to be exportable.
func exportTx(tx *storage.Tx, tax Taxonomy, o ExportOptions) ([]string, error) {
	prompts, err := selectPrompts(tx, o)
	if err != nil {
		return nil, err
	}
	labelled := map[string]bool{}
	for _, p := range prompts {
		if len(p.Labels) > 0 {
			labelled[p.Name] = true
		}
	}
	history, err := labelHistory(tx, labelled)
	if err != nil {
		return nil, err
	}
	var w yamlWriter
	w.str(0, "schema", Schema)
	writeTaxonomy(&w, tax)
	if len(prompts) == 0 {
		w.raw("prompts: []\n")
	} else {
		w.open(0, "prompts")
	}
	chunks := make([]string, 0, len(prompts)+2)
	for _, p := range prompts {
		if err := writePrompt(tx, &w, p, history[p.Name]); err != nil {
			return nil, err
		}
		chunks = append(chunks, w.b.String())
		w.b = strings.Builder{}
	}
	if o.WithLogs {
		if err := writeLogs(tx, &w, prompts, o); err != nil {
			return nil, err
		}
	}
	return append(chunks, w.b.String()), nil
}

func selectPrompts(tx *storage.Tx, o ExportOptions) ([]Prompt, error) {
	keep := func(p Prompt) bool {
		for _, t := range o.Tags {
			if !p.HasTag(t) {
				return false
			}
		}
		return true
	}
	var out []Prompt
	if len(o.Prompts) > 0 {
		names := slices.Clone(o.Prompts)
		slices.Sort(names)
		for _, name := range slices.Compact(names) {
			if err := ValidateName(name); err != nil {
				return nil, err
			}
			p, err := getPrompt(tx, name)
			if err != nil {
				return nil, err
			}
			if keep(p) {
				out = append(out, p)
			}
		}
		return out, nil
	}
	err := tx.ScanPrompts("", func(name string, b []byte) error {
		p, err := decodePrompt(name, b)
		if err != nil {
			return err
		}
		if keep(p) {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// labelMoves are the moves of one prompt's labels, by label, oldest first.
type labelMoves map[string][]AuditEvent

// labelHistory reads the label moves of the wanted prompts from the audit
// trail, which is where label history lives.
func labelHistory(tx *storage.Tx, want map[string]bool) (map[string]labelMoves, error) {
	out := map[string]labelMoves{}
	if len(want) == 0 {
		return out, nil
	}
	marker := []byte(`"action":"` + AuditLabel + `"`)
	// Moves follow renames and end with deletions (trackLabelMoves), so
	// every prompt's are collected before the wanted ones are picked.
	all := map[string]labelMoves{}
	err := tx.ScanAudit(func(b []byte) error {
		if !bytes.Contains(b, marker) && !changesLabelHistory(b) {
			return nil
		}
		var ev AuditEvent
		if err := json.Unmarshal(b, &ev); err != nil {
			return fmt.Errorf("decode audit event: %w", err)
		}
		if ev.Action != AuditLabel {
			trackLabelMoves(all, ev)
			return nil
		}
		label := ev.labelName()
		if label == "" {
			return nil
		}
		if all[ev.Prompt] == nil {
			all[ev.Prompt] = labelMoves{}
		}
		all[ev.Prompt][label] = append(all[ev.Prompt][label], ev)
		return nil
	})
	for name, moves := range all {
		if want[name] {
			out[name] = moves
		}
	}
	return out, err
}

// labelName is the label a label event moved: its Label field, or for
// events written before it existed the first word of the detail
// ("production 1 -> 2").
func (ev AuditEvent) labelName() string {
	if ev.Label != "" {
		return ev.Label
	}
	name, _, _ := strings.Cut(ev.Detail, " ")
	if ValidateLabel(name) != nil {
		return ""
	}
	return name
}

func writeTaxonomy(w *yamlWriter, tax Taxonomy) {
	w.open(0, "taxonomy")
	w.bool(2, "strict", tax.Strict)
	if len(tax.Facets) == 0 {
		w.raw("  facets: {}\n")
		return
	}
	w.open(2, "facets")
	for _, facet := range slices.Sorted(maps.Keys(tax.Facets)) {
		values := tax.Facets[facet]
		if len(values) == 0 {
			w.keyPrefix(4, facet)
			w.raw(" []\n")
			continue
		}
		w.open(4, facet)
		for _, v := range values {
			w.item(4, v)
		}
	}
}

func writePrompt(tx *storage.Tx, w *yamlWriter, p Prompt, moves labelMoves) error {
	w.raw("- name:")
	w.scalar(2, p.Name, false)
	if p.Description != "" {
		if looksLikeSecretIn(p.Description) {
			return secretError(p.Name, 0, "description")
		}
		w.str(2, "description", p.Description)
	}
	w.str(2, "created", formatTime(p.Created))
	if len(p.Tags) > 0 {
		w.open(2, "tags")
		for _, t := range p.Tags {
			w.item(2, t)
		}
	}
	var versions []Version
	err := tx.ScanVersions(p.Name, func(n int, b []byte) error {
		if n > p.Latest {
			return nil // left by an interrupted import; not part of the prompt
		}
		v, err := decodeVersion(p.Name, n, b)
		if err != nil {
			return err
		}
		versions = append(versions, v)
		return nil
	})
	if err != nil {
		return err
	}
	writeLabels(w, p, moves, len(versions))
	w.open(2, "versions")
	for _, v := range versions {
		if err := writeVersion(w, v); err != nil {
			return err
		}
	}
	return nil
}

func writeLabels(w *yamlWriter, p Prompt, moves labelMoves, latest int) {
	if len(p.Labels) == 0 {
		return
	}
	w.open(2, "labels")
	for _, label := range slices.Sorted(maps.Keys(p.Labels)) {
		w.open(4, label)
		w.int(6, "version", int64(p.Labels[label]))
		var hist []AuditEvent
		for _, ev := range moves[label] {
			if ev.Version >= 1 && ev.Version <= latest {
				hist = append(hist, ev)
			}
		}
		if len(hist) == 0 {
			continue
		}
		w.open(6, "history")
		for _, ev := range hist {
			w.raw("      - version: ")
			w.raw(fmt.Sprintf("%d\n", ev.Version))
			w.str(8, "author", ev.Author)
			w.str(8, "time", formatTime(ev.Time))
		}
	}
}

func writeVersion(w *yamlWriter, v Version) error {
	if field := versionSecret(v); field != "" {
		return secretError(v.Prompt, v.Number, field)
	}
	if ContentHash(v.Messages, v.Config) != v.Hash {
		return damagedVersionError(v)
	}
	w.raw(fmt.Sprintf("  - number: %d\n", v.Number))
	w.str(4, "hash", v.Hash)
	if v.Parent > 0 {
		w.int(4, "parent", int64(v.Parent))
	}
	w.str(4, "author", v.Author)
	w.str(4, "time", formatTime(v.Time))
	if v.Message != "" {
		w.str(4, "message", v.Message)
	}
	c := v.Config
	if c.Model != "" {
		w.str(4, "model", c.Model)
	}
	if c.Temperature != nil {
		w.float(4, "temperature", *c.Temperature)
	}
	if c.TopP != nil {
		w.float(4, "top_p", *c.TopP)
	}
	if c.MaxTokens != 0 {
		w.int(4, "max_tokens", int64(c.MaxTokens))
	}
	if len(c.Stop) > 0 {
		w.open(4, "stop")
		for _, s := range c.Stop {
			w.item(4, s)
		}
	}
	if c.Seed != nil {
		w.int(4, "seed", *c.Seed)
	}
	if rf := c.ResponseFormat; rf != nil {
		w.open(4, "response_format")
		w.str(6, "type", rf.Type)
		if rf.Name != "" {
			w.str(6, "name", rf.Name)
		}
		if rf.Strict {
			w.bool(6, "strict", true)
		}
		if len(rf.Schema) > 0 {
			var schema any
			if err := json.Unmarshal(rf.Schema, &schema); err != nil {
				return fmt.Errorf("%s@%d: response_format.schema: %w", v.Prompt, v.Number, err)
			}
			w.keyPrefix(6, "schema")
			w.value(6, schema)
		}
	}
	if len(v.Scorers) > 0 {
		w.open(4, "scorers")
		for _, s := range v.Scorers {
			w.item(4, s)
		}
	}
	w.open(4, "messages")
	for _, m := range v.Messages {
		w.raw("    - role:")
		w.scalar(6, m.Role, false)
		w.str(6, "content", m.Content)
	}
	return nil
}
