package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"promptbench/workspace"
)

func (a *app) mvCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "mv OLD NEW",
		Short: "Rename or move a prompt; versions, logs, labels, tags and audit trail follow",
		Long: `mv gives a prompt a new name (a new folder too: support/reply → support/answer).
Its versions, log entries, labels, tags and description go with it, its audit
trail follows it, and the rename is audited. NEW must not exist.

Versions of other prompts that include OLD ({{> OLD}}, {{> OLD@ref}}) are listed:
versions cannot change, so they keep naming OLD, which no longer resolves; commit
new versions of those prompts that include NEW.`,
		Example: `  promptbench mv support/reply support/answer`,
		Args:    exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.openWorkspace("mv")
			if err != nil {
				return err
			}
			res, err := ws.Rename(cmd.Context(), args[0], args[1])
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.Out, mvJSON{From: res.From, To: res.To, Versions: res.Versions, Logs: res.Logs, Includers: includersJSON(res.Includers)})
			}
			fmt.Fprintf(a.Out, "renamed %s → %s (%s, %s)\n", res.From, res.To, plural(res.Versions, "version"), plural(res.Logs, "log entry"))
			printIncluders(a.Err, res.From, res.To, res.Includers)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print what was renamed as JSON")
	return cmd
}

// mvJSON is the stable `mv --json` document.
type mvJSON struct {
	From      string               `json:"from"`
	To        string               `json:"to"`
	Versions  int                  `json:"versions"`
	Logs      int                  `json:"logs"`
	Includers []workspace.Includer `json:"includers"`
}
