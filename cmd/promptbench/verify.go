package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"promptbench/workspace/exchange"
)

func (a *app) verifyCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "verify EXPORT_FILE|DIR",
		Short: "CI check of an export file: hashes, protected labels' approvals, owners, forced moves",
		Long: `verify checks an export file (or an export folder) against the rules in
config.yaml, as a CI job does before a merge: every version's hash matches its
content; every protected label points at a version with an approved review for
exactly that version and label, approved by someone who is neither the
version's author nor the requester, and by one of the prompt's owners where
owners are declared; no protected label was moved with --force to a version
no approved review covers. Each offence is printed, naming the file, prompt and
label, and verify exits 1; it exits 0 when there is none, and 2 when the file
is not an export file. It needs no store: config.yaml is enough.

Identities in the file are self-declared (PROMPTBENCH_AUTHOR, git's user.name,
$USER): verify is the guarantee only behind the repository's own protections
(branch protection, required reviews of the pull request that changes the
export file and config.yaml).`,
		Example: `  promptbench verify prompts.yaml
  promptbench verify prompts/`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.openWorkspace("verify")
			if err != nil {
				return err
			}
			rep, err := exchange.Verify(args[0], ws.Config)
			if err != nil {
				return err
			}
			for _, o := range rep.Offences {
				fmt.Fprintf(a.Out, "%s\n", o)
			}
			summary := fmt.Sprintf("%s: %s, %s, %s", args[0], plural(rep.Prompts, "prompt"), plural(rep.Versions, "version"), plural(rep.Protected, "protected label"))
			if len(ws.Config.ProtectedLabels) == 0 {
				summary += " (config.yaml protects no labels: only hashes checked)"
			}
			if len(rep.Offences) > 0 {
				fmt.Fprintf(a.Out, "%s: %s\n", summary, plural(len(rep.Offences), "offence"))
				return exitStatus(exitBelow)
			}
			fmt.Fprintf(a.Out, "%s: no offences\n", summary)
			return nil
		},
	}
}
