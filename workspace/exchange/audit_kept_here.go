package exchange

import (
	"errors"
	"strings"
	"time"

	"promptbench/workspace"
)

// Renames, deletions, label moves and removals of the file's audit section
// that did not happen here. Import merges by name and never renames,
// deletes or removes a label, so a teammate who had a prompt before it was
// renamed, deleted, or had a label moved or removed elsewhere, keeps it as
// it was (and gets the new name as a prompt of its own). Recorded in that
// library's trail, such an event says the prompt it keeps is gone, or its
// label moved or gone: its label history and audit trail then followed it
// to the new name, ended, or ended elsewhere than the label points, and an
// export of that library no longer imported back the same, nor imported a
// second time without changes.

// happenedHere tells whether the section's event ev fits the library as
// the import leaves it; one that does not is left out of its trail. Only a
// prompt that was here before the import can make an event not fit: the
// file's own prompts are as its section says (one that took a freed name
// by a later rename had another name then).
func (im *importer) happenedHere(ev workspace.AuditEvent) (bool, error) {
	var name string
	switch ev.Action {
	case workspace.AuditRename:
		name = ev.RenamedFrom
	case workspace.AuditDelete, workspace.AuditUnlabel, workspace.AuditLabel:
		// A label move that reaches here is not one this import makes
		// (those matched before): the file does not carry the prompt, or
		// its label stays ours (a conflict, a label removed here).
		name = ev.Prompt
	}
	if ev.Action == workspace.AuditRename && ev.Prompt != "" {
		// A rename onto a name one of ours held then and holds still (a
		// prompt renamed away and back there) did not happen here either:
		// recorded, it read the next time as ours taking the name after
		// the rename away, and the same file imported again added that.
		held, err := im.heldAt(ev.Prompt, ev.Time, true)
		if err != nil || held {
			return false, err
		}
	}
	if name == "" {
		return true, nil
	}
	held, err := im.heldAt(name, ev.Time, false)
	if err != nil || !held {
		return true, err
	}
	if ev.Action != workspace.AuditUnlabel {
		return false, nil
	}
	p, err := workspace.GetPrompt(im.tx, name)
	if err != nil {
		return true, err
	}
	for _, pc := range im.m.prompts {
		if pc.name == name {
			p = pc.record // with the file's labels the import sets
		}
	}
	if _, ok := p.Labels[ev.Label]; !ok {
		return true, nil
	}
	// The label is here: removed there, unless it moved here after.
	return im.movedSince(name, ev.Label, ev.Time)
}

// heldAt tells whether a prompt of the library carried name at t and
// carries it still: made by then and not renamed to it since. A rename to
// it at t itself is the event asked about: with sameTime it counts as
// taking the name after t.
func (im *importer) heldAt(name string, t time.Time, sameTime bool) (bool, error) {
	p, err := workspace.GetPrompt(im.tx, name)
	if errors.Is(err, workspace.ErrNotFound) {
		return false, nil
	}
	if err != nil || p.Created.After(t) {
		// No prompt here carried the name then: a later one may now.
		return false, err
	}
	at, err := im.renamedInto(name)
	if err != nil {
		return false, err
	}
	// ours took the name after the event
	return !(at.After(t) || sameTime && at.Equal(t)), nil
}

// renamedInto is when a prompt of the library last took name by a rename
// (zero if none did), read from its trail once for the whole import.
func (im *importer) renamedInto(name string) (time.Time, error) {
	if im.renamesInto == nil {
		im.renamesInto = map[string]time.Time{}
		var events workspace.AuditDecoder
		err := im.tx.ScanAuditInTime(func(action string) bool { return action == workspace.AuditRename }, func(b []byte) error {
			ev, err := events.Decode(b)
			if err == nil && ev.Time.After(im.renamesInto[ev.Prompt]) {
				im.renamesInto[strings.Clone(ev.Prompt)] = ev.Time
			}
			return err
		})
		if err != nil {
			return time.Time{}, err
		}
	}
	return im.renamesInto[name], nil
}

// movedSince tells whether label of prompt name moved after t, here or in
// this import.
func (im *importer) movedSince(name, label string, t time.Time) (bool, error) {
	if im.everMoved == nil {
		var err error
		if im.everMoved, err = workspace.EveryLabelMove(im.tx); err != nil {
			return false, err
		}
	}
	for _, mv := range im.everMoved[name][label] {
		if mv.Time.After(t) {
			return true, nil
		}
	}
	for _, pc := range im.m.prompts {
		if pc.name != name {
			continue
		}
		for _, mv := range pc.moves {
			if mv.Label == label && mv.Time.After(t) {
				return true, nil
			}
		}
	}
	return false, nil
}
