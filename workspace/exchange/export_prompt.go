package exchange

import (
	"promptbench/storage"
	"promptbench/workspace"
	"promptbench/workspace/exportyaml"
)

// writePrompt writes one prompt with all its versions, for the export
// folder's one file per prompt (Export streams instead: export_pipeline.go).
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
	writeLabels(w, p, moves.Records(), len(versions))
	w.Open(2, "versions")
	for _, v := range versions {
		if err := workspace.WriteVersionYAML(w, v); err != nil {
			return err
		}
	}
	return nil
}
