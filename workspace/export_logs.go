package workspace

import (
	"encoding/json"
	"errors"
	"fmt"

	"promptbench/storage"
)

// writeLogs writes the log entries of prompts and all runs. Entries that
// hold what looks like an API key are refused, all of them named, or with
// o.RedactSecrets written with [redacted] in place of each key.
func writeLogs(tx *storage.Tx, w *yamlWriter, prompts []Prompt, o ExportOptions) error {
	screen := secretScreen{redact: o.RedactSecrets, onRedact: o.OnRedact}
	var logs []fileLog
	for _, p := range prompts {
		err := tx.ScanLogs(p.Name, 0, func(n int, id string, b []byte) error {
			var entry any
			if err := json.Unmarshal(b, &entry); err != nil {
				return fmt.Errorf("decode log %s of %s@%d: %w", id, p.Name, n, err)
			}
			entry = screen.entry(SecretFinding{Prompt: p.Name, Version: n, ID: id}, entry)
			logs = append(logs, fileLog{Prompt: p.Name, Version: n, ID: id, Entry: entry})
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
		entry = screen.entry(SecretFinding{ID: id}, entry)
		runs = append(runs, fileRun{ID: id, Entry: entry})
		return nil
	})
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	if err := screen.err("export", ""); err != nil {
		return err
	}
	if len(logs) == 0 {
		w.raw("logs: []\n")
	} else {
		w.open(0, "logs")
	}
	for _, l := range logs {
		w.raw("- prompt:")
		w.scalar(2, l.Prompt, false)
		w.int(2, "version", int64(l.Version))
		w.str(2, "id", l.ID)
		w.keyPrefix(2, "entry")
		w.value(2, l.Entry)
	}
	if len(runs) == 0 {
		w.raw("runs: []\n")
	} else {
		w.open(0, "runs")
	}
	for _, r := range runs {
		w.raw("- id:")
		w.scalar(2, r.ID, false)
		w.keyPrefix(2, "entry")
		w.value(2, r.Entry)
	}
	return nil
}
