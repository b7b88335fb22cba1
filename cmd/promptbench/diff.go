package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"promptbench/tui/termtext"
	"promptbench/workspace"
)

func (a *app) diffCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "diff REF REF",
		Short: "Unified diff of two versions: each message and the model config",
		Example: `  promptbench diff comedian@1 comedian@2
  promptbench diff support-reply@production support-reply`,
		Args: exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.openWorkspace("diff")
			if err != nil {
				return err
			}
			vs, err := ws.Versions(cmd.Context(), args[0], args[1])
			if err != nil {
				return err
			}
			printDiff(a.out(), a.styles(), workspace.Diff(vs[0], vs[1]))
			return nil
		},
	}
}

// printDiff writes the changed parts, coloured line by line; a writer
// without colour support strips the styles again.
func printDiff(w io.Writer, st styles, parts []workspace.DiffPart) {
	changed := false
	for _, p := range parts {
		if p.Unified == "" {
			continue
		}
		changed = true
		for _, line := range strings.SplitAfter(termtext.Sanitize(p.Unified), "\n") {
			if line == "" {
				continue
			}
			text := strings.TrimSuffix(line, "\n")
			switch {
			case strings.HasPrefix(text, "+++"), strings.HasPrefix(text, "---"):
				text = st.title.Render(text)
			case strings.HasPrefix(text, "@@"):
				text = st.hunk.Render(text)
			case strings.HasPrefix(text, "+"):
				text = st.add.Render(text)
			case strings.HasPrefix(text, "-"):
				text = st.del.Render(text)
			}
			fmt.Fprintln(w, text)
		}
	}
	if !changed {
		fmt.Fprintln(w, "no differences")
	}
}
