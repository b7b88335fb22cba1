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
// when a version holds what looks like an API key: the document streams
// into a spool file first (memory stays small however large the library)
// and is copied to w only once all of it is known to be exportable.
// ExportTo streams straight into its temporary file instead.
func Export(ctx context.Context, ws *workspace.Workspace, w io.Writer, o ExportOptions) error {
	spool := newSpool()
	defer spool.Close()
	if err := exportStream(ctx, ws, spool, o); err != nil {
		return err
	}
	return spool.copyTo(w)
}

// exportStream writes the export to w as it is read, one prompt after the
// other; on an error w holds part of it, which the caller discards.
func exportStream(ctx context.Context, ws *workspace.Workspace, w io.Writer, o ExportOptions) error {
	return ws.ViewStore(ctx, func(tx *storage.Tx) error {
		tax := ws.Config.Taxonomy
		if o.Taxonomy != nil {
			tax = *o.Taxonomy
		}
		return exportTx(tx, w, tax, o)
	})
}

// exportTx writes the whole document to sink, reading the prompt records
// one by one as their versions are read: nothing grows with the library
// but the names kept for experiments and logs.
func exportTx(tx *storage.Tx, sink io.Writer, tax workspace.Taxonomy, o ExportOptions) error {
	w := exportyaml.NewWriter(sink)
	w.Str(0, "schema", Schema)
	if !o.NoTaxonomy {
		writeTaxonomy(w, tax)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write export: %w", err)
	}
	names, err := writePrompts(tx, sink, o)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		w.Raw("prompts: []\n")
	}
	if err := writeExperiments(tx, w, names); err != nil {
		return err
	}
	if o.WithLogs {
		if err := writeLogs(tx, w, names, o); err != nil {
			return err
		}
	}
	if err := writeAuditSection(tx, w, names, len(o.Prompts) == 0 && len(o.Tags) == 0); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write export: %w", err)
	}
	return nil
}

// forEachPrompt calls fn with each selected prompt in name order.
func forEachPrompt(tx *storage.Tx, o ExportOptions, fn func(workspace.Prompt) error) error {
	keep := func(p workspace.Prompt) bool {
		for _, t := range o.Tags {
			if !p.HasTag(t) {
				return false
			}
		}
		return true
	}
	if len(o.Prompts) > 0 {
		names := slices.Clone(o.Prompts)
		slices.Sort(names)
		for _, name := range slices.Compact(names) {
			if err := workspace.ValidateName(name); err != nil {
				return err
			}
			p, err := workspace.GetPrompt(tx, name)
			if err != nil {
				return err
			}
			if keep(p) {
				if err := fn(p); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return tx.ScanPrompts("", func(name string, b []byte) error {
		p, err := workspace.DecodePrompt(name, b)
		if err != nil {
			return err
		}
		if keep(p) {
			return fn(p)
		}
		return nil
	})
}

// selectPrompts is the selected prompts in name order, for the export
// folder, which writes one file per prompt.
func selectPrompts(tx *storage.Tx, o ExportOptions) ([]workspace.Prompt, error) {
	var out []workspace.Prompt
	err := forEachPrompt(tx, o, func(p workspace.Prompt) error {
		out = append(out, p)
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

func writeLabels(w *exportyaml.Writer, p workspace.Prompt, moves workspace.MoveRecords, latest int) {
	if len(p.Labels) == 0 {
		return
	}
	w.Open(2, "labels")
	// A prompt has a label or two: sorted in place, and each label's
	// moves picked from the prompt's as they are written, an export of
	// 10,000 labelled prompts makes no allocation here (it made five per
	// prompt, a twentieth of its time).
	var few [4]string
	labels := few[:0]
	for label := range p.Labels {
		labels = append(labels, label)
	}
	slices.Sort(labels)
	inHistory := func(m workspace.MoveRecord, label string) bool {
		return m.Label == label && m.Version >= 1 && m.Version <= latest
	}
	for _, label := range labels {
		w.Open(4, label)
		w.Int(6, "version", int64(p.Labels[label]))
		opened := false
		for _, ev := range moves {
			if !inHistory(ev, label) {
				continue
			}
			if !opened {
				w.Open(6, "history")
				opened = true
			}
			w.Raw("      - version: ")
			w.Number(int64(ev.Version))
			w.Raw("\n")
			w.Str(8, "author", ev.Author)
			w.KeyPrefix(8, "time")
			w.Time(ev.Time)
		}
	}
}
