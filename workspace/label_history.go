package workspace

import (
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
	// Moves follow renames and end with deletions (trackLabelMoves), so
	// every prompt's are collected before the wanted ones are picked.
	return scanLabelMoves(tx, changesLabelHistory, true)
}

// scanLabelMoves collects the label moves of the trail's events of the
// wanted actions, by prompt and label, in time order (events a teammate's
// export file brought in are written after ours, whenever they happened).
// With track, renames, deletions and removals apply as trackLabelMoves
// says.
func scanLabelMoves(tx *storage.Tx, want func(action string) bool, track bool) (map[string]LabelMoves, error) {
	all := map[string]LabelMoves{}
	err := tx.ScanAuditInTime(want, func(b []byte) error {
		ev, err := DecodeAuditEvent(b)
		if err != nil {
			return err
		}
		if ev.Action != AuditLabel {
			if track {
				trackLabelMoves(all, ev)
			}
			return nil
		}
		label := ev.labelName()
		if label == "" {
			return nil
		}
		if all[ev.Prompt] == nil {
			all[ev.Prompt] = LabelMoves{}
		}
		all[ev.Prompt][label] = append(all[ev.Prompt][label], ev)
		return nil
	})
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

// EveryLabelMove reads every label move in the trail by prompt and label,
// the moves a later removal ended included (AllLabelHistory leaves those
// out): an import tells by them that a label its file still has was
// removed here after every move the file knows of. Renames are not
// followed.
func EveryLabelMove(tx *storage.Tx) (map[string]LabelMoves, error) {
	return scanLabelMoves(tx, func(action string) bool { return action == AuditLabel }, false)
}
