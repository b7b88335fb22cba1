package main

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"promptbench/workspace"
)

func (a *app) rmCommand() *cobra.Command {
	var force, asJSON bool
	cmd := &cobra.Command{
		Use:   "rm NAME",
		Short: "Delete a prompt with its versions and logs (its history stays in the audit trail)",
		Long: `rm deletes a prompt: its versions, tags, labels and log entries. The audit
trail keeps its history and records the deletion.

rm refuses while the prompt carries labels or while the latest or a labelled
version of another prompt includes it; --force deletes it anyway.`,
		Example: `  promptbench rm scratch/draft
  promptbench label --delete support/style production && promptbench rm support/style`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.openWorkspace("rm")
			if err != nil {
				return err
			}
			res, err := ws.Remove(cmd.Context(), args[0], force)
			var refused *workspace.RemoveRefusedError
			if errors.As(err, &refused) {
				return fmt.Errorf("%w. %s", err, removeAdvice(refused))
			}
			if err != nil {
				return err
			}
			if asJSON {
				labels := res.Labels
				if labels == nil {
					labels = map[string]int{}
				}
				return writeJSON(a.Out, rmJSON{Prompt: res.Prompt, Versions: res.Versions, Logs: res.Logs, Labels: labels, Includers: includersJSON(res.Includers)})
			}
			fmt.Fprintf(a.Out, "deleted %s (%s, %s); its history stays in the audit trail\n", res.Prompt, plural(res.Versions, "version"), plural(res.Logs, "log entry"))
			printIncluders(a.Err, res.Prompt, "", res.Includers)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "delete even while the prompt carries labels or is included by another prompt's latest or labelled version")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print what was deleted as JSON")
	return cmd
}

// removeAdvice says how to clear each reason a delete was refused.
func removeAdvice(e *workspace.RemoveRefusedError) string {
	var steps []string
	for _, l := range slices.Sorted(maps.Keys(e.Labels)) {
		steps = append(steps, fmt.Sprintf("`promptbench label --delete %s %s`", e.Prompt, l))
	}
	var advice []string
	if len(steps) > 0 {
		advice = append(advice, "remove the labels with "+strings.Join(steps, " and "))
	}
	if len(e.Includers) > 0 {
		advice = append(advice, fmt.Sprintf("commit versions of the including prompts without {{> %s}} and move their labels to them", e.Prompt))
	}
	return "To delete it, " + strings.Join(advice, ", ") + "; or pass --force to delete it anyway"
}

// rmJSON is the stable `rm --json` document.
type rmJSON struct {
	Prompt    string               `json:"prompt"`
	Versions  int                  `json:"versions"`
	Logs      int                  `json:"logs"`
	Labels    map[string]int       `json:"labels"`
	Includers []workspace.Includer `json:"includers"`
}
