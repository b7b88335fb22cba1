package workspace

import (
	"context"
	"slices"
	"strings"
	"time"

	"promptbench/storage"
)

// AuditTrail reads the whole audit trail in tx, in time order, events of
// the same time in the order they were written (events an import brought
// in are written after ours, whenever they happened: the store keeps the
// trail in time order too).
func AuditTrail(tx *storage.Tx) ([]AuditEvent, error) {
	var events []AuditEvent
	err := tx.ScanAuditInTime(nil, func(b []byte) error {
		ev, err := DecodeAuditEvent(b)
		if err != nil {
			return err
		}
		events = append(events, ev)
		return nil
	})
	return events, err
}

// EventsOf picks from a trail (oldest first) the events of the prompt now
// called name, following its renames (as Audit does).
func EventsOf(events []AuditEvent, name string) []AuditEvent { return eventsOf(events, name) }

// Identity names an event across libraries: an export file carries the
// trail, and an import adds only the events it does not have. Version
// numbers are left out (they change when an import renumbers a line).
// A label move's review and forced mark are left out too: an import
// makes the move from the label's history, which does not carry them.
func (ev AuditEvent) Identity() string {
	if ev.Action == AuditLabel {
		return strings.Join([]string{FormatExportTime(ev.Time), ev.Author, ev.Action, ev.Prompt, ev.labelName()}, "\x00")
	}
	return strings.Join([]string{FormatExportTime(ev.Time), ev.Author, ev.Action, ev.Prompt, ev.Label, ev.RenamedFrom, ev.Review}, "\x00")
}

// AuditFilter narrows the audit trail: a prompt (following its renames),
// events at or after Since, and an author (any part of the name, in any
// case). Zero values select everything.
type AuditFilter struct {
	Prompt string
	Since  time.Time
	Author string
}

// AuditQuery returns the events of the trail f selects, oldest first.
func (ws *Workspace) AuditQuery(ctx context.Context, f AuditFilter) ([]AuditEvent, error) {
	if f.Prompt != "" {
		if err := ValidateName(f.Prompt); err != nil {
			return nil, err
		}
	}
	var events []AuditEvent
	err := ws.view(ctx, func(tx *storage.Tx) error {
		var err error
		events, err = AuditTrail(tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	if f.Prompt != "" {
		events = eventsOf(events, f.Prompt)
	}
	author := strings.ToLower(f.Author)
	return slices.DeleteFunc(events, func(ev AuditEvent) bool {
		return ev.Time.Before(f.Since) || author != "" && !strings.Contains(strings.ToLower(ev.Author), author)
	}), nil
}
