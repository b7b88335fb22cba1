package workspace

import (
	"context"
	"fmt"
	"time"

	"promptbench/storage"
)

// AuditUnlabel is the audit action of a label removed from a prompt.
const AuditUnlabel = "unlabel"

// LabelRemoval says which label was removed and the version it named.
type LabelRemoval struct {
	Prompt  string
	Label   string
	Version int
}

// DeleteLabel removes label from the prompt name. The removal is audited
// and the export file follows; the label's earlier moves stay in the audit
// trail. An unknown label is ErrNotFound, naming the labels there are.
func (ws *Workspace) DeleteLabel(ctx context.Context, name, label string) (LabelRemoval, error) {
	if err := ValidateName(name); err != nil {
		return LabelRemoval{}, err
	}
	if err := ValidateLabel(label); err != nil {
		return LabelRemoval{}, err
	}
	author := ws.opts.Author()
	var now time.Time
	var rm LabelRemoval
	due, err := ws.write(ctx, func(tx *storage.Tx) error {
		now = ws.clockInTx()
		p, err := GetPrompt(tx, name)
		if err != nil {
			return err
		}
		n, ok := p.Labels[label]
		if !ok {
			return notFoundf("%s has no label %q (labels: %s)", name, label, p.labelList())
		}
		delete(p.Labels, label)
		if len(p.Labels) == 0 {
			p.Labels = nil
		}
		p.Updated = now
		if err := putPrompt(tx, p); err != nil {
			return err
		}
		rm = LabelRemoval{Prompt: name, Label: label, Version: n}
		return AppendAudit(tx, AuditEvent{Time: now, Author: author, Action: AuditUnlabel, Prompt: name,
			Version: n, Label: label, Detail: fmt.Sprintf("%s removed (was version %d)", label, n)})
	})
	if err != nil {
		return LabelRemoval{}, err
	}
	err = ws.Changed(ctx)
	ws.maintainIf(due)
	return rm, err
}
