package main

import (
	"errors"
	"fmt"

	"charm.land/lipgloss/v2"
	"github.com/spf13/cobra"

	"promptbench/tui/termtext"
	"promptbench/workspace"
)

func (a *app) reviewCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "review",
		Short: "Reviews for protected labels: request, list, approve, reject",
		Long: `A protected label (protected_labels in config.yaml) moves only to a version
with an approved review for exactly that version and label. Someone asks for
one (review request), someone else approves it (review approve): not the
version's author, not the requester, and one of the prompt's owners when
config.yaml declares owners for it. Reviews are kept in the audit trail, so
they travel in the export file, and promptbench verify checks them in CI.
Identities are self-declared (PROMPTBENCH_AUTHOR, git's user.name, $USER):
the guarantee comes from verify in CI behind the repository's protections.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.reviewRequestCommand(), a.reviewListCommand(), a.reviewDecideCommand("approve"), a.reviewDecideCommand("reject"))
	return cmd
}

func (a *app) reviewRequestCommand() *cobra.Command {
	var msg string
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "request REF LABEL",
		Short:   "Ask for a review of a version, to move a protected label to it",
		Example: `  promptbench review request support/reply@3 production -m "refund timing stated"`,
		Args:    exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.openWorkspace("review request")
			if err != nil {
				return err
			}
			r, err := ws.RequestReview(cmd.Context(), args[0], args[1], msg)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.Out, r)
			}
			fmt.Fprintf(a.Out, "review %s: %s@%d as %s, requested by %s\n", r.ID, r.Prompt, r.Version, r.Label, r.Requester)
			fmt.Fprintf(a.Out, "someone other than the version's author and you approves it with: promptbench review approve %s\n", r.ID)
			return nil
		},
	}
	cmd.Flags().StringVarP(&msg, "message", "m", "", "why the version should get the label")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the review as JSON")
	return cmd
}

func (a *app) reviewListCommand() *cobra.Command {
	var asJSON, open bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "The reviews, oldest first: id, version, label, status, who asked and who decided",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ws, err := a.openWorkspace("review list")
			if err != nil {
				return err
			}
			all, err := ws.Reviews(cmd.Context())
			if err != nil {
				return err
			}
			reviews := []workspace.Review{}
			for _, r := range all {
				if !open || r.Status == workspace.ReviewOpen {
					reviews = append(reviews, r)
				}
			}
			if asJSON {
				return writeJSON(a.Out, reviews)
			}
			if len(reviews) == 0 {
				fmt.Fprintln(a.Err, "no reviews")
				return nil
			}
			st := a.styles()
			rows := make([][]string, 0, len(reviews))
			for _, r := range reviews {
				by := ""
				if r.Reviewer != "" {
					by = termtext.Sanitize(r.Reviewer)
				}
				rows = append(rows, []string{r.ID, fmt.Sprintf("%s@%d", r.Prompt, r.Version), r.Label, r.Status, termtext.Sanitize(r.Requester), by, termtext.Sanitize(oneLine(r.Message, 50))})
			}
			plain := lipgloss.NewStyle()
			printTable(a.out(), []string{"ID", "VERSION", "LABEL", "STATUS", "REQUESTED BY", "DECIDED BY", "MESSAGE"}, rows,
				[]lipgloss.Style{st.dim, st.title, st.label, plain, plain, plain, plain}, st.dim)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the reviews as a JSON array")
	cmd.Flags().BoolVar(&open, "open", false, "only reviews waiting for a decision")
	return cmd
}

func (a *app) reviewDecideCommand(verb string) *cobra.Command {
	var note string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   verb + " ID",
		Short: map[string]string{"approve": "Approve a review (not your own version, not your own request; an owner where owners are declared)", "reject": "Reject a review"}[verb],
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.openWorkspace("review " + verb)
			if err != nil {
				return err
			}
			decide := ws.ApproveReview
			if verb == "reject" {
				decide = ws.RejectReview
			}
			r, err := decide(cmd.Context(), args[0], note)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.Out, r)
			}
			fmt.Fprintf(a.Out, "review %s %s by %s: %s@%d as %s\n", r.ID, r.Status, r.Reviewer, r.Prompt, r.Version, r.Label)
			if r.Status == workspace.ReviewApproved {
				fmt.Fprintf(a.Out, "move the label with: promptbench label %s@%d %s\n", r.Prompt, r.Version, r.Label)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&note, "message", "m", "", "a note for the record")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the review as JSON")
	return cmd
}

// protectedHint says what to do about a refused move of a protected label.
func protectedHint(err error) string {
	var pe *workspace.ProtectedLabelError
	if !errors.As(err, &pe) {
		return ""
	}
	ref := fmt.Sprintf("%s@%d", pe.Prompt, pe.Version)
	if pe.Open != "" && pe.Why == "" {
		return fmt.Sprintf(". Ask a teammate to approve it (promptbench review approve %s), then run promptbench label %s %s again; or pass --force, which is recorded as forced and fails promptbench verify", pe.Open, ref, pe.Label)
	}
	return fmt.Sprintf(". Ask for one with promptbench review request %s %s -m WHY, have a teammate approve it (promptbench review approve ID), then run promptbench label %s %s again; or pass --force, which is recorded as forced and fails promptbench verify", ref, pe.Label, ref, pe.Label)
}
