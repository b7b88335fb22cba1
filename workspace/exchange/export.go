package exchange

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"

	"promptbench/storage"
	"promptbench/workspace"
	"promptbench/workspace/exportyaml"
)

// Export writes the selected prompts as one promptbench/v1 YAML document.
// The same library always gives the same bytes: prompts by name, versions by
// number, map keys sorted, no export time. It refuses to write anything
// when a version holds what looks like an API key.
func Export(ctx context.Context, ws *workspace.Workspace, w io.Writer, o ExportOptions) error {
	var out []string
	err := ws.ViewStore(ctx, func(tx *storage.Tx) error {
		var err error
		tax := ws.Config.Taxonomy
		if o.Taxonomy != nil {
			tax = *o.Taxonomy
		}
		out, err = exportTx(tx, tax, o)
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
func exportTx(tx *storage.Tx, tax workspace.Taxonomy, o ExportOptions) ([]string, error) {
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
	history, err := workspace.LabelHistory(tx, labelled)
	if err != nil {
		return nil, err
	}
	var w exportyaml.Writer
	w.Str(0, "schema", Schema)
	if !o.NoTaxonomy {
		writeTaxonomy(&w, tax)
	}
	if len(prompts) == 0 {
		w.Raw("prompts: []\n")
	} else {
		w.Open(0, "prompts")
	}
	chunks := make([]string, 0, len(prompts)+2)
	for _, p := range prompts {
		if err := writePrompt(tx, &w, p, history[p.Name]); err != nil {
			return nil, err
		}
		chunks = append(chunks, w.String())
		w.Reset()
	}
	if err := writeExperiments(tx, &w, prompts); err != nil {
		return nil, err
	}
	if o.WithLogs {
		if err := writeLogs(tx, &w, prompts, o); err != nil {
			return nil, err
		}
	}
	trail, err := workspace.AuditTrail(tx)
	if err != nil {
		return nil, err
	}
	writeAudit(&w, exportedEvents(trail, prompts, len(o.Prompts) == 0 && len(o.Tags) == 0))
	return append(chunks, w.String()), nil
}

func selectPrompts(tx *storage.Tx, o ExportOptions) ([]workspace.Prompt, error) {
	keep := func(p workspace.Prompt) bool {
		for _, t := range o.Tags {
			if !p.HasTag(t) {
				return false
			}
		}
		return true
	}
	var out []workspace.Prompt
	if len(o.Prompts) > 0 {
		names := slices.Clone(o.Prompts)
		slices.Sort(names)
		for _, name := range slices.Compact(names) {
			if err := workspace.ValidateName(name); err != nil {
				return nil, err
			}
			p, err := workspace.GetPrompt(tx, name)
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
		p, err := workspace.DecodePrompt(name, b)
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

func writeTaxonomy(w *exportyaml.Writer, tax workspace.Taxonomy) {
	w.Open(0, "taxonomy")
	w.Bool(2, "strict", tax.Strict)
	if len(tax.Facets) == 0 {
		w.Raw("  facets: {}\n")
		return
	}
	w.Open(2, "facets")
	for _, facet := range slices.Sorted(maps.Keys(tax.Facets)) {
		values := tax.Facets[facet]
		if len(values) == 0 {
			w.KeyPrefix(4, facet)
			w.Raw(" []\n")
			continue
		}
		w.Open(4, facet)
		for _, v := range values {
			w.Item(4, v)
		}
	}
}

func writePrompt(tx *storage.Tx, w *exportyaml.Writer, p workspace.Prompt, moves workspace.LabelMoves) error {
	w.Raw("- name:")
	w.Scalar(2, p.Name, false)
	if p.Description != "" {
		if workspace.LooksLikeSecretIn(p.Description) {
			return workspace.SecretError(p.Name, 0, "description")
		}
		w.Str(2, "description", p.Description)
	}
	w.Str(2, "created", workspace.FormatExportTime(p.Created))
	if len(p.Tags) > 0 {
		w.Open(2, "tags")
		for _, t := range p.Tags {
			w.Item(2, t)
		}
	}
	var versions []workspace.Version
	err := tx.ScanVersions(p.Name, func(n int, b []byte) error {
		if n > p.Latest {
			return nil // left by an interrupted import; not part of the prompt
		}
		v, err := workspace.DecodeVersion(p.Name, n, b)
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
	w.Open(2, "versions")
	for _, v := range versions {
		if err := workspace.WriteVersionYAML(w, v); err != nil {
			return err
		}
	}
	return nil
}

func writeLabels(w *exportyaml.Writer, p workspace.Prompt, moves workspace.LabelMoves, latest int) {
	if len(p.Labels) == 0 {
		return
	}
	w.Open(2, "labels")
	for _, label := range slices.Sorted(maps.Keys(p.Labels)) {
		w.Open(4, label)
		w.Int(6, "version", int64(p.Labels[label]))
		var hist []workspace.AuditEvent
		for _, ev := range moves[label] {
			if ev.Version >= 1 && ev.Version <= latest {
				hist = append(hist, ev)
			}
		}
		if len(hist) == 0 {
			continue
		}
		w.Open(6, "history")
		for _, ev := range hist {
			w.Raw("      - version: ")
			w.Raw(fmt.Sprintf("%d\n", ev.Version))
			w.Str(8, "author", ev.Author)
			w.Str(8, "time", workspace.FormatExportTime(ev.Time))
		}
	}
}
