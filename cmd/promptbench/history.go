package main

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/spf13/cobra"

	"promptbench/tui/termtext"
	"promptbench/workspace"
)

func (a *app) historyCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "history NAME",
		Short: "List a prompt's versions, newest first, with labels and commit messages",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.openWorkspace("history")
			if err != nil {
				return err
			}
			p, versions, err := ws.History(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.Out, historyJSON{Prompt: p, Versions: versions})
			}
			st := a.styles()
			now := a.now()
			rows := make([][]string, 0, len(versions))
			for i := len(versions) - 1; i >= 0; i-- {
				v := versions[i]
				rows = append(rows, []string{fmt.Sprintf("%s@%d", p.Name, v.Number), v.ShortHash(),
					strings.Join(p.LabelsOf(v.Number), " "), v.Author, ago(now, v.Time), termtext.Sanitize(oneLine(v.Message, 72))})
			}
			plain := lipgloss.NewStyle()
			printTable(a.out(), nil, rows, []lipgloss.Style{st.title, st.dim, st.label, plain, st.dim, plain}, plain)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// historyJSON is the stable `history --json` document, versions oldest first.
type historyJSON struct {
	Prompt   workspace.Prompt    `json:"prompt"`
	Versions []workspace.Version `json:"versions"`
}
