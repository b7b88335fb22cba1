package workspace

// AuditRename is the audit action of a prompt renamed (mv): Prompt is the
// new name, RenamedFrom the old one.
const AuditRename = "rename"

// eventsOf picks, from the whole trail (oldest first), the events of the
// prompt now called name: back through its renames to its earlier names,
// and not into an earlier prompt that had one of its names and was deleted
// or renamed away. A prompt that no longer exists gets its events up to
// its deletion.
func eventsOf(events []AuditEvent, name string) []AuditEvent {
	follow := map[string]bool{name: true} // names whose older events are its
	seen := map[string]bool{}             // names an event was taken for
	var picked []AuditEvent
	for i := len(events) - 1; i >= 0; i-- {
		ev := events[i]
		switch {
		case ev.Action == AuditRename && follow[ev.Prompt]:
			// Older events under the new name belong to another prompt;
			// those under the old name are this one's.
			picked = append(picked, ev)
			delete(follow, ev.Prompt)
			follow[ev.RenamedFrom] = true
			seen[ev.Prompt] = true
		case ev.Action == AuditRename && follow[ev.RenamedFrom]:
			// The name was renamed away from: a prompt that carries it
			// later is another one. Asked by the old name with nothing
			// newer under it, it is this rename's history.
			if seen[ev.RenamedFrom] {
				delete(follow, ev.RenamedFrom)
				continue
			}
			picked = append(picked, ev)
			seen[ev.RenamedFrom] = true
		case ev.Action == AuditDelete && follow[ev.Prompt]:
			if seen[ev.Prompt] {
				delete(follow, ev.Prompt) // an earlier prompt of that name
				continue
			}
			picked = append(picked, ev)
			seen[ev.Prompt] = true
		case follow[ev.Prompt] && ev.Prompt != "":
			picked = append(picked, ev)
			seen[ev.Prompt] = true
		}
	}
	for i, j := 0, len(picked)-1; i < j; i, j = i+1, j-1 {
		picked[i], picked[j] = picked[j], picked[i]
	}
	return picked
}

// changesLabelHistory tells whether events of action are label moves or
// those trackLabelMoves handles: a reader of label history reads only
// these (most of a trail is commits).
func changesLabelHistory(action string) bool {
	switch action {
	case AuditLabel, AuditRename, AuditDelete, AuditUnlabel:
		return true
	}
	return false
}

// trackLabelMoves applies a rename, deletion or label removal to the label
// moves collected so far (by prompt, oldest first): a renamed prompt's
// moves go with it, a deleted prompt's and a removed label's end, so that
// a prompt or label created later under the same name starts afresh.
func trackLabelMoves(all map[string]LabelMoves, ev AuditEvent) {
	followMoves(all, ev, func(moves LabelMoves, label string) LabelMoves {
		delete(moves, label)
		return moves
	})
}

// followMoves is trackLabelMoves for any form of a prompt's moves (by
// label, or as one list): unlabel drops a label's moves from a prompt's.
func followMoves[T any](all map[string]T, ev AuditEvent, unlabel func(T, string) T) {
	switch ev.Action {
	case AuditRename:
		if moves, ok := all[ev.RenamedFrom]; ok {
			all[ev.Prompt] = moves
			delete(all, ev.RenamedFrom)
		}
	case AuditDelete:
		delete(all, ev.Prompt)
	case AuditUnlabel:
		if moves, ok := all[ev.Prompt]; ok {
			all[ev.Prompt] = unlabel(moves, ev.Label)
		}
	}
}
