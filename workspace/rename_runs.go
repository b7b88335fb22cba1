package workspace

import (
	"encoding/json"
	"fmt"
	"strings"

	"promptbench/storage"
)

// renameInRuns makes the recorded runs that ran prompt from name it to,
// in the rename's own transaction: `--resume`, `--rerun-errors` and the
// logs of a run find the prompt under its new name. The report a run kept
// (its Summary) stays as it was written, names and all.
func renameInRuns(tx *storage.Tx, from, to string) error {
	changed := map[string]Run{}
	err := tx.ScanRuns(func(id string, b []byte) error {
		var run Run
		if err := json.Unmarshal(b, &run); err != nil {
			return fmt.Errorf("decode run %s: %w", id, err)
		}
		hit := false
		for i, v := range run.Variants {
			if v.Prompt != from {
				continue
			}
			run.Variants[i].Prompt = to
			if rest, ok := strings.CutPrefix(v.Ref, from); ok && (rest == "" || rest[0] == '@') {
				run.Variants[i].Ref = to + rest
			}
			hit = true
		}
		if hit {
			changed[id] = run
		}
		return nil
	})
	if err != nil {
		return err
	}
	for id, run := range changed {
		b, err := json.Marshal(run)
		if err != nil {
			return err
		}
		if err := tx.PutRun(id, b); err != nil {
			return err
		}
	}
	return nil
}
