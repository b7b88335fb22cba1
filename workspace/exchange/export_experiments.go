package exchange

import (
	"promptbench/storage"
	"promptbench/workspace"
	"promptbench/workspace/exportyaml"
)

// writeExperiments writes the experiments of the exported prompts, by
// name, after the prompts. A library without experiments writes nothing
// here, so its export is the same bytes as before experiments existed.
func writeExperiments(tx *storage.Tx, w *exportyaml.Writer, prompts []string) error {
	selected := make(map[string]bool, len(prompts))
	for _, name := range prompts {
		selected[name] = true
	}
	var exps []workspace.Experiment
	err := tx.ScanExperiments(func(_ string, b []byte) error {
		e, err := workspace.DecodeExperiment(b)
		if err != nil {
			return err
		}
		if selected[e.Prompt] {
			exps = append(exps, e)
		}
		return nil
	})
	if err != nil || len(exps) == 0 {
		return err
	}
	w.Open(0, "experiments")
	for _, e := range exps {
		fe := e.ExperimentFile()
		w.Raw("- name:")
		w.Scalar(2, fe.Name, false)
		w.Str(2, "prompt", fe.Prompt)
		if fe.KeyHint != "" {
			w.Str(2, "key_hint", fe.KeyHint)
		}
		w.Str(2, "status", fe.Status)
		w.Str(2, "author", fe.Author)
		w.Str(2, "created", fe.Created)
		if fe.Stopped != "" {
			w.Str(2, "stopped", fe.Stopped)
		}
		if fe.Winner != "" {
			w.Str(2, "winner", fe.Winner)
		}
		w.Open(2, "variants")
		for _, v := range fe.Variants {
			w.Raw("  - name:")
			w.Scalar(4, v.Name, false)
			w.Int(4, "version", int64(v.Version))
			w.Str(4, "hash", v.Hash)
			w.Int(4, "weight", int64(v.Weight))
			w.Open(4, "buckets")
			for _, r := range v.Buckets {
				w.Item(4, r)
			}
		}
	}
	return nil
}
