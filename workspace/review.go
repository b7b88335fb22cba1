package workspace

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Review steps in the audit trail. Reviews live only there, as events:
// the trail travels in export files, so a teammate's import brings the
// reviews with it, and a CI check can read them from the file.
const (
	AuditReviewRequest = "review-request"
	AuditReject        = "reject"
	// AuditApprove ("approve") approves a review.
)

// Review statuses.
const (
	ReviewOpen     = "open"
	ReviewApproved = "approved"
	ReviewRejected = "rejected"
)

// Review is a request to move a protected label to one version, and what
// became of it.
type Review struct {
	ID        string    `json:"id"`
	Prompt    string    `json:"prompt"`
	Version   int       `json:"version"`
	Hash      string    `json:"hash"`
	Label     string    `json:"label"`
	Requester string    `json:"requester"`
	Requested time.Time `json:"requested"`
	Message   string    `json:"message,omitempty"`
	Status    string    `json:"status"`
	Reviewer  string    `json:"reviewer,omitempty"`
	Reviewed  time.Time `json:"reviewed,omitzero"`
	Note      string    `json:"note,omitempty"`
}

// LabelOptions change how a label moves.
type LabelOptions struct {
	// Force moves a protected label without an approved review; the move
	// is recorded as forced.
	Force bool
}

// ReviewsFrom folds a trail (oldest first) into its reviews, in the order
// they were requested. A review follows its prompt through renames.
func ReviewsFrom(events []AuditEvent) []*Review {
	var out []*Review
	byID := map[string]*Review{}
	for _, ev := range events {
		switch ev.Action {
		case AuditReviewRequest:
			if _, dup := byID[ev.Review]; dup || ev.Review == "" {
				continue
			}
			r := &Review{ID: ev.Review, Prompt: ev.Prompt, Version: ev.Version, Hash: ev.Hash, Label: ev.Label,
				Requester: ev.Author, Requested: ev.Time, Message: ev.Detail, Status: ReviewOpen}
			byID[r.ID] = r
			out = append(out, r)
		case AuditApprove, AuditReject:
			r, ok := byID[ev.Review]
			if !ok || r.Status != ReviewOpen {
				continue
			}
			r.Status = ReviewApproved
			if ev.Action == AuditReject {
				r.Status = ReviewRejected
			}
			r.Reviewer, r.Reviewed, r.Note = ev.Author, ev.Time, ev.Detail
		case AuditRename:
			for _, r := range out {
				if r.Prompt == ev.RenamedFrom {
					r.Prompt = ev.Prompt
				}
			}
		}
	}
	return out
}

// reviewID names a review: short, and the same wherever the trail goes.
func reviewID(prompt, hash, label, requester string, t time.Time) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{prompt, hash, label, requester, FormatExportTime(t)}, "\x00")))
	return hex.EncodeToString(sum[:])[:8]
}

// findReview finds a review by its id or a unique prefix of 4 or more
// characters.
func findReview(reviews []*Review, id string) (*Review, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	if len(id) < 4 {
		return nil, Invalidf("review id %q is too short; give at least 4 characters of it", id)
	}
	var found []*Review
	for _, r := range reviews {
		if strings.HasPrefix(r.ID, id) {
			found = append(found, r)
		}
	}
	switch len(found) {
	case 0:
		return nil, notFoundf("no review %s", id)
	case 1:
		return found[0], nil
	}
	return nil, Invalidf("review id %s is ambiguous (%s, %s, …); give more of it", id, found[0].ID, found[1].ID)
}

// ApprovalProblem says why an approval by reviewer of a review of a
// version written by author does not count, or "" when it does: the
// reviewer is neither the version's author nor the requester, and is one
// of the prompt's owners when owners are declared.
func ApprovalProblem(cfg Config, r Review, author, reviewer string) string {
	switch {
	case SamePerson(reviewer, author):
		return fmt.Sprintf("%s wrote %s@%d: the approval must come from someone else", reviewer, r.Prompt, r.Version)
	case SamePerson(reviewer, r.Requester):
		return fmt.Sprintf("%s requested review %s: the approval must come from someone else", reviewer, r.ID)
	}
	owners := cfg.OwnersOf(r.Prompt)
	if len(owners) == 0 {
		return ""
	}
	for _, o := range owners {
		if SamePerson(o, reviewer) {
			return ""
		}
	}
	return fmt.Sprintf("%s is owned by %s (owners in config.yaml): %s is not one of them", r.Prompt, strings.Join(owners, ", "), reviewer)
}

// ProtectedLabelError is a move of a protected label to a version no
// approved review allows. Open names a review still waiting, if any.
type ProtectedLabelError struct {
	Prompt  string
	Label   string
	Version int
	Open    string
	Why     string // why an approved review does not count, if one exists
}

func (e *ProtectedLabelError) Error() string {
	msg := fmt.Sprintf("%s is a protected label: moving %s@%s to version %d needs a review of %s@%d for %s approved by someone other than its author",
		e.Label, e.Prompt, e.Label, e.Version, e.Prompt, e.Version, e.Label)
	switch {
	case e.Why != "":
		msg += "; the approval there is does not count: " + e.Why
	case e.Open != "":
		msg += fmt.Sprintf("; review %s is waiting for approval", e.Open)
	}
	return msg
}

// Is makes the refusal an input error (exit 2).
func (e *ProtectedLabelError) Is(target error) bool { return target == ErrInvalid }
