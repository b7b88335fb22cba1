package exchange

import (
	"fmt"
	"slices"

	"promptbench/workspace"
)

// What the importer reads once, on first need, and checks at the end.

// labelMoves reads the local label history, for all prompts at once, the
// first time a labelled prompt that exists here needs it.
func (im *importer) labelMoves(ps *promptState) (workspace.LabelMoves, error) {
	if ps.isNew {
		return nil, nil
	}
	if im.history == nil {
		want := map[string]bool{}
		err := im.tx.ScanPrompts("", func(name string, b []byte) error {
			p, err := workspace.DecodePrompt(name, b)
			if err == nil && len(p.Labels) > 0 {
				want[name] = true
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		if im.history, err = workspace.LabelHistory(im.tx, want); err != nil {
			return nil, err
		}
	}
	return im.history[ps.parsed.name], nil
}

// everMoves returns every label move of the file's prompt here, by label,
// with those of labels removed since (workspace.EveryLabelMove).
func (im *importer) everMoves(ps *promptState) (workspace.LabelMoves, error) {
	if ps.isNew {
		return nil, nil
	}
	if im.everMoved == nil {
		var err error
		if im.everMoved, err = workspace.EveryLabelMove(im.tx); err != nil {
			return nil, err
		}
	}
	return im.everMoved[ps.parsed.name], nil
}

// finish checks what only the end of the file tells.
func (im *importer) finish() error {
	if im.schemaLine == 0 {
		return workspace.Invalidf("%s:1: missing schema; an export file starts with `schema: %s`", im.name, Schema)
	}
	if err := im.screen.Err("import", im.name); err != nil {
		return err
	}
	im.dropRenamedMoves()
	m := im.m
	m.plan.Logs, m.plan.Runs, m.plan.Audit = len(m.logs), len(m.runs), m.audit
	if im.taxonomy != nil {
		for facet := range im.taxonomy.Facets {
			if _, ok := im.ws.Config.Taxonomy.Facets[facet]; !ok && len(im.ws.Config.Taxonomy.Facets) > 0 {
				m.plan.Warnings = append(m.plan.Warnings, fmt.Sprintf("the file declares facet %q, which config.yaml does not", facet))
			}
		}
		slices.Sort(m.plan.Warnings)
	}
	return nil
}
