package workspace

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"promptbench/storage"
)

// LabelMoves are the moves of one prompt's labels, by label, oldest first.
type LabelMoves map[string][]AuditEvent

// LabelHistory reads the label moves of the wanted prompts from the audit
// trail, which is where label history lives.
func LabelHistory(tx *storage.Tx, want map[string]bool) (map[string]LabelMoves, error) {
	out := map[string]LabelMoves{}
	if len(want) == 0 {
		return out, nil
	}
	all, err := AllLabelHistory(tx)
	for name, moves := range all {
		if want[name] {
			out[name] = moves
		}
	}
	return out, err
}

// AllLabelHistory reads the label moves of every prompt whose labels ever
// moved, by prompt, for a reader of the whole library that cannot hold the
// prompts' records to say which it wants.
func AllLabelHistory(tx *storage.Tx) (map[string]LabelMoves, error) {
	marker := []byte(`"action":"` + AuditLabel + `"`)
	// Moves follow renames and end with deletions (trackLabelMoves), so
	// every prompt's are collected before the wanted ones are picked.
	all := map[string]LabelMoves{}
	var events []AuditEvent
	// In time order: events a teammate's export file brought in are
	// written after ours, whenever they happened.
	err := tx.ScanAuditInTime(func(b []byte) error {
		if !bytes.Contains(b, marker) && !changesLabelHistory(b) {
			return nil
		}
		var ev AuditEvent
		if err := json.Unmarshal(b, &ev); err != nil {
			return fmt.Errorf("decode audit event: %w", err)
		}
		events = append(events, ev)
		return nil
	})
	for _, ev := range events {
		if ev.Action != AuditLabel {
			trackLabelMoves(all, ev)
			continue
		}
		label := ev.labelName()
		if label == "" {
			continue
		}
		if all[ev.Prompt] == nil {
			all[ev.Prompt] = LabelMoves{}
		}
		all[ev.Prompt][label] = append(all[ev.Prompt][label], ev)
	}
	return all, err
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
