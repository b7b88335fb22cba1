package workspace

import (
	"context"
	"fmt"
	"time"

	"promptbench/storage"
)

// LabelMove says where a label pointed before and after a move.
type LabelMove struct {
	Prompt string
	Label  string
	From   int // 0: the label is new
	To     int
	// Review is the approved review a protected label moved with; Forced
	// marks one moved without (LabelOptions.Force).
	Review string
	Forced bool
	hash   string // of version To, for hooks
}

// SetLabel points label at the version ref names: promotion and rollback
// are both this; no history is rewritten, and the move is audited.
func (ws *Workspace) SetLabel(ctx context.Context, ref, label string) (LabelMove, error) {
	return ws.SetLabelWith(ctx, ref, label, LabelOptions{})
}

// SetLabelWith is SetLabel with options: a protected label (config.yaml)
// moves only to a version with an approved review for it, or with Force,
// which the audit trail records.
func (ws *Workspace) SetLabelWith(ctx context.Context, ref, label string, o LabelOptions) (LabelMove, error) {
	r, err := ParseRef(ref)
	if err != nil {
		return LabelMove{}, err
	}
	if err := ValidateLabel(label); err != nil {
		return LabelMove{}, err
	}
	author := ws.opts.Author()
	var now time.Time
	var mv LabelMove
	due, err := ws.write(ctx, func(tx *storage.Tx) error {
		now = ws.clockInTx()
		p, v, err := resolveRef(tx, r)
		if err != nil {
			return err
		}
		mv, err = ws.moveLabel(tx, p, v, label, author, now, o.Force)
		return err
	})
	if err != nil || mv.From == mv.To {
		return mv, err
	}
	err = ws.Changed(ctx)
	ws.Notify(ctx, HookEvent{Event: "label", Action: AuditLabel, Time: now, Author: author, Prompt: mv.Prompt, Label: label,
		Review: mv.Review, Forced: mv.Forced, Before: versionState(mv.From, ""), After: versionState(mv.To, mv.hash)})
	ws.maintainIf(due)
	return mv, err
}

// moveLabel points p's label at v inside tx, with the audit event, after
// checking that the includes it then reaches close no cycle and, for a
// protected label, that an approved review allows it (or force, which the
// event records). A label already there changes nothing (From == To).
func (ws *Workspace) moveLabel(tx *storage.Tx, p Prompt, v Version, label, author string, now time.Time, force bool) (LabelMove, error) {
	mv := LabelMove{Prompt: p.Name, Label: label, From: p.Labels[label], To: v.Number, hash: v.Hash}
	if mv.From == mv.To {
		return mv, nil
	}
	guard, err := ws.guardProtected(tx, p, v, label, force)
	if err != nil {
		return mv, err
	}
	mv.Review, mv.Forced = guard.Review, guard.Forced
	if p.Labels == nil {
		p.Labels = map[string]int{}
	}
	p.Labels[label] = v.Number
	p.Updated = now
	if err := putPrompt(tx, p); err != nil {
		return mv, err
	}
	// Includes follow labels, so moving one can close a cycle: walk
	// the includes of the version the label now names, with the move
	// applied, and refuse it if they lead back here.
	pm, err := parseMessages(v.Messages)
	if err != nil {
		return mv, err
	}
	if err := checkIncludes(tx, p.Name, pm.partials, true); err != nil {
		return mv, fmt.Errorf("label %s@%s → %d: %w", p.Name, label, v.Number, err)
	}
	detail := fmt.Sprintf("%s -> %d", label, v.Number)
	if mv.From > 0 {
		detail = fmt.Sprintf("%s %d -> %d", label, mv.From, v.Number)
	}
	return mv, AppendAudit(tx, AuditEvent{Time: now, Author: author, Action: AuditLabel, Prompt: p.Name, Version: v.Number, Detail: detail, Label: label, From: mv.From, Review: mv.Review, Forced: mv.Forced})
}
