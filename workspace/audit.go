package workspace

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"promptbench/storage"
)

// Audit actions.
const (
	AuditCommit  = "commit"
	AuditTag     = "tag"
	AuditLabel   = "label"
	AuditApprove = "approve"
	AuditImport  = "import"
	AuditDelete  = "delete"
)

// AuditEvent is one change to the library; the trail is append-only.
type AuditEvent struct {
	Time    time.Time `json:"time"`
	Author  string    `json:"author"`
	Action  string    `json:"action"`
	Prompt  string    `json:"prompt,omitempty"`
	Version int       `json:"version,omitempty"`
	Detail  string    `json:"detail,omitempty"`
	// Label and From describe a label move (Action label): which label,
	// and the version it left (0 for a new label).
	Label string `json:"label,omitempty"`
	From  int    `json:"from,omitempty"`
	// RenamedFrom is the prompt's name before a rename (Action rename).
	RenamedFrom string `json:"renamed_from,omitempty"`
	// Review is the review a review step or an approved label move
	// belongs to; Forced marks a protected label moved without one.
	Review string `json:"review,omitempty"`
	Forced bool   `json:"forced,omitempty"`
	// Hash is the content hash of the version a review step is about.
	Hash string `json:"hash,omitempty"`
}

// AppendAudit adds ev to the audit trail in tx; the store keys it by its
// clock, so events stay in the order they were written.
func AppendAudit(tx *storage.Tx, ev AuditEvent) error {
	b, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("encode audit event: %w", err)
	}
	return tx.AppendAudit(b)
}

// Audit returns the audit trail, oldest first; prompt "" means all. The
// events of a prompt follow it through renames (eventsOf).
func (ws *Workspace) Audit(ctx context.Context, prompt string) ([]AuditEvent, error) {
	var events []AuditEvent
	err := ws.view(ctx, func(tx *storage.Tx) error {
		return tx.ScanAudit(func(b []byte) error {
			ev, err := DecodeAuditEvent(b)
			if err != nil {
				return err
			}
			events = append(events, ev)
			return nil
		})
	})
	if err != nil || prompt == "" {
		return events, err
	}
	return eventsOf(events, prompt), nil
}
