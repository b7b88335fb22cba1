package workspace

import (
	"context"

	"promptbench/storage"
)

// labelGuard is what a protected label's move carries into the trail.
type labelGuard struct {
	Review string
	Forced bool
}

// guardProtected allows a move of label on p to v when the label is not
// protected there, when an approved review for exactly that version (by
// hash) and label counts, or when forced (recorded).
func (ws *Workspace) guardProtected(tx *storage.Tx, p Prompt, v Version, label string, force bool) (labelGuard, error) {
	if !ws.Config.IsProtected(p.Name, label) {
		return labelGuard{}, nil
	}
	events, err := AuditTrail(tx)
	if err != nil {
		return labelGuard{}, err
	}
	refusal := &ProtectedLabelError{Prompt: p.Name, Label: label, Version: v.Number}
	for _, r := range ReviewsFrom(events) {
		if r.Prompt != p.Name || r.Hash != v.Hash || r.Label != label {
			continue
		}
		switch r.Status {
		case ReviewOpen:
			refusal.Open = r.ID
		case ReviewApproved:
			why := ApprovalProblem(ws.Config, *r, v.Author, r.Reviewer)
			if why == "" {
				return labelGuard{Review: r.ID}, nil
			}
			refusal.Why = why
		}
	}
	if force {
		return labelGuard{Forced: true}, nil
	}
	return labelGuard{}, refusal
}

// RequestReview asks for a review of the version ref names, for moving
// label (protected on its prompt) to it.
func (ws *Workspace) RequestReview(ctx context.Context, ref, label, message string) (Review, error) {
	r, err := ParseRef(ref)
	if err != nil {
		return Review{}, err
	}
	if err := ValidateLabel(label); err != nil {
		return Review{}, err
	}
	if err := CheckUTF8("message", []byte(message)); err != nil {
		return Review{}, err
	}
	author, now := ws.Author(), ws.Now().UTC()
	var rev Review
	_, err = ws.write(ctx, func(tx *storage.Tx) error {
		p, v, err := resolveRef(tx, r)
		if err != nil {
			return err
		}
		if !ws.Config.IsProtected(p.Name, label) {
			return Invalidf("%s is not a protected label on %s (protected_labels in config.yaml): it moves without a review", label, p.Name)
		}
		events, err := AuditTrail(tx)
		if err != nil {
			return err
		}
		for _, o := range ReviewsFrom(events) {
			if o.Prompt == p.Name && o.Hash == v.Hash && o.Label == label && o.Status != ReviewRejected {
				return Invalidf("review %s already asks for %s@%d as %s (%s)", o.ID, p.Name, v.Number, label, o.Status)
			}
		}
		rev = Review{ID: reviewID(p.Name, v.Hash, label, author, now), Prompt: p.Name, Version: v.Number, Hash: v.Hash, Label: label,
			Requester: author, Requested: now, Message: message, Status: ReviewOpen}
		return AppendAudit(tx, AuditEvent{Time: now, Author: author, Action: AuditReviewRequest, Prompt: p.Name, Version: v.Number,
			Hash: v.Hash, Label: label, Review: rev.ID, Detail: message})
	})
	if err != nil {
		return Review{}, err
	}
	err = ws.Changed(ctx)
	ws.Notify(ctx, reviewHook(AuditReviewRequest, rev, "", message))
	return rev, err
}

// reviewHook is a review step as hooks see it: the review's status before
// and after, with the version and label it is about.
func reviewHook(action string, r Review, before, note string) HookEvent {
	after := map[string]any{"status": r.Status, "version": r.Version, "hash": r.Hash}
	ev := HookEvent{Event: "review", Action: action, Time: r.Requested, Author: r.Requester, Prompt: r.Prompt, Label: r.Label, Review: r.ID, Detail: note, After: after}
	if before != "" {
		ev.Time, ev.Author = r.Reviewed, r.Reviewer
		ev.Before = map[string]any{"status": before, "version": r.Version, "hash": r.Hash}
	}
	return ev
}

// ApproveReview approves review id (or a unique prefix of it). The
// approval is refused when it would not count (ApprovalProblem), when the
// review is no longer open, or when its version is gone.
func (ws *Workspace) ApproveReview(ctx context.Context, id, note string) (Review, error) {
	return ws.decideReview(ctx, id, note, AuditApprove)
}

// RejectReview rejects review id; anyone may.
func (ws *Workspace) RejectReview(ctx context.Context, id, note string) (Review, error) {
	return ws.decideReview(ctx, id, note, AuditReject)
}

func (ws *Workspace) decideReview(ctx context.Context, id, note, action string) (Review, error) {
	if err := CheckUTF8("note", []byte(note)); err != nil {
		return Review{}, err
	}
	author, now := ws.Author(), ws.Now().UTC()
	var rev Review
	_, err := ws.write(ctx, func(tx *storage.Tx) error {
		events, err := AuditTrail(tx)
		if err != nil {
			return err
		}
		r, err := findReview(ReviewsFrom(events), id)
		if err != nil {
			return err
		}
		if r.Status != ReviewOpen {
			return Invalidf("review %s is already %s by %s", r.ID, r.Status, r.Reviewer)
		}
		p, v, err := resolveRef(tx, Ref{Name: r.Prompt, Hash: r.Hash})
		if err != nil {
			return Invalidf("review %s is of %s@%d, which does not exist here (%v)", r.ID, r.Prompt, r.Version, err)
		}
		if action == AuditApprove {
			if why := ApprovalProblem(ws.Config, *r, v.Author, author); why != "" {
				return Invalidf("cannot approve review %s: %s", r.ID, why)
			}
		}
		rev = *r
		rev.Prompt, rev.Version = p.Name, v.Number
		rev.Status, rev.Reviewer, rev.Reviewed, rev.Note = ReviewApproved, author, now, note
		if action == AuditReject {
			rev.Status = ReviewRejected
		}
		return AppendAudit(tx, AuditEvent{Time: now, Author: author, Action: action, Prompt: p.Name, Version: v.Number,
			Hash: v.Hash, Label: r.Label, Review: r.ID, Detail: note})
	})
	if err != nil {
		return Review{}, err
	}
	err = ws.Changed(ctx)
	ws.Notify(ctx, reviewHook(action, rev, ReviewOpen, note))
	return rev, err
}

// Reviews lists every review, in the order they were requested.
func (ws *Workspace) Reviews(ctx context.Context) ([]Review, error) {
	var out []Review
	err := ws.view(ctx, func(tx *storage.Tx) error {
		events, err := AuditTrail(tx)
		if err != nil {
			return err
		}
		for _, r := range ReviewsFrom(events) {
			out = append(out, *r)
		}
		return nil
	})
	return out, err
}
