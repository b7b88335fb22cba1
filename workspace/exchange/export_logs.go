package exchange

import (
	"encoding/json"
	"errors"
	"fmt"

	"promptbench/storage"
	"promptbench/workspace"
	"promptbench/workspace/exportyaml"
)

// writeLogs writes the log entries of prompts and all runs. Entries that
// hold what looks like an API key are refused, all of them named, or with
// o.RedactSecrets written with [redacted] in place of each key.
func writeLogs(tx *storage.Tx, w *exportyaml.Writer, prompts []string, o ExportOptions) error {
	screen := workspace.NewSecretScreen(o.RedactSecrets, o.OnRedact)
	var logs []fileLog
	for _, name := range prompts {
		err := tx.ScanLogs(name, 0, func(n int, id string, b []byte) error {
			var entry any
			if err := json.Unmarshal(b, &entry); err != nil {
				return fmt.Errorf("decode log %s of %s@%d: %w", id, name, n, err)
			}
			entry = screen.Entry(workspace.SecretFinding{Prompt: name, Version: n, ID: id}, entry)
			logs = append(logs, fileLog{Prompt: name, Version: n, ID: id, Entry: entry})
			return nil
		})
		if err != nil {
			return err
		}
	}
	var runs []fileRun
	err := tx.ScanRuns(func(id string, b []byte) error {
		var entry any
		if err := json.Unmarshal(b, &entry); err != nil {
			return fmt.Errorf("decode run %s: %w", id, err)
		}
		entry = screen.Entry(workspace.SecretFinding{ID: id}, entry)
		runs = append(runs, fileRun{ID: id, Entry: entry})
		return nil
	})
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	if err := screen.Err("export", ""); err != nil {
		return err
	}
	if len(logs) == 0 {
		w.Raw("logs: []\n")
	} else {
		w.Open(0, "logs")
	}
	for _, l := range logs {
		w.Raw("- prompt:")
		w.Scalar(2, l.Prompt, false)
		w.Int(2, "version", int64(l.Version))
		w.Str(2, "id", l.ID)
		w.KeyPrefix(2, "entry")
		w.Value(2, l.Entry)
	}
	if len(runs) == 0 {
		w.Raw("runs: []\n")
	} else {
		w.Open(0, "runs")
	}
	for _, r := range runs {
		w.Raw("- id:")
		w.Scalar(2, r.ID, false)
		w.KeyPrefix(2, "entry")
		w.Value(2, r.Entry)
	}
	return nil
}
