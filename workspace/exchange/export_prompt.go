package exchange

import (
	"promptbench/storage"
	"promptbench/workspace"
	"promptbench/workspace/exportyaml"
)

// promptWriter writes one prompt after another with all its versions, for
// the export folder's one file per prompt (Export streams instead:
// export_pipeline.go), as Export writes them: through one iterator over
// the versions of all prompts, each version decoded in place. An iterator
// per prompt, and each version decoded into strings of its own, made
// most of what a folder export of a large library allocated.
type promptWriter struct {
	versions *storage.VersionReader
	records  workspace.VersionRecordWriter
	// body holds the versions: the labels, written before them, need
	// their count.
	body exportyaml.Writer
}

func newPromptWriter(tx *storage.Tx) *promptWriter {
	return &promptWriter{versions: tx.VersionReader()}
}

// close releases the iterator.
func (pw *promptWriter) close() { pw.versions.Close() }

// write writes p as an item of the prompts list.
func (pw *promptWriter) write(w *exportyaml.Writer, p workspace.Prompt, moves workspace.MoveRecords) error {
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
	if pw.body.Cap() > keepBuffer {
		pw.body = exportyaml.Writer{} // grown by a large version: not kept
	}
	pw.body.Reset()
	versions := 0
	err := pw.versions.Versions(p.Name, func(n int, b []byte) error {
		if n > p.Latest {
			return nil // left by an interrupted import; not part of the prompt
		}
		versions++
		return pw.records.Write(&pw.body, p.Name, n, b)
	})
	if err != nil {
		return err
	}
	writeLabels(w, p, moves, versions)
	w.Open(2, "versions")
	return w.WriteThrough(pw.body.Bytes())
}
