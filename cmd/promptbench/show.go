package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"promptbench/workspace"
)

func (a *app) showCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show REF",
		Short: "Show a prompt version: messages, config, labels, tags",
		Long:  "REF is name (latest), name@3 (number), name@production (label) or name@a1b2c3 (hash prefix).",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.openWorkspace("show")
			if err != nil {
				return err
			}
			p, v, err := ws.Show(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.Out, showJSON{Prompt: p, Version: v})
			}
			a.printVersion(a.out(), p, v)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// showJSON is the stable `show --json` document.
type showJSON struct {
	Prompt  workspace.Prompt  `json:"prompt"`
	Version workspace.Version `json:"version"`
}

func (a *app) printVersion(w io.Writer, p workspace.Prompt, v workspace.Version) {
	st := a.styles()
	head := fmt.Sprintf("%s@%d", p.Name, v.Number)
	fmt.Fprintf(w, "%s  %s", st.title.Render(head), st.dim.Render(v.ShortHash()))
	if labels := p.LabelsOf(v.Number); len(labels) > 0 {
		fmt.Fprintf(w, "  %s", st.label.Render(strings.Join(labels, " ")))
	}
	if v.Number != p.Latest {
		fmt.Fprintf(w, "  %s", st.dim.Render(fmt.Sprintf("(latest is %d)", p.Latest)))
	}
	fmt.Fprintln(w)
	if p.Description != "" {
		a.printText(w, p.Description)
	}
	if len(p.Tags) > 0 {
		fmt.Fprintf(w, "tags:      %s\n", st.tag.Render(strings.Join(p.Tags, " ")))
	}
	fmt.Fprintf(w, "committed: %s by %s", v.Time.Local().Format("2006-01-02 15:04"), a.text(v.Author))
	if v.Message != "" {
		fmt.Fprintf(w, ": %s", a.text(v.Message))
	}
	fmt.Fprintln(w)
	if len(v.Variables) > 0 {
		fmt.Fprintf(w, "variables: %s\n", strings.Join(v.Variables, ", "))
	}
	if cfg := workspace.ConfigText(v.Config, v.Scorers); cfg != "" {
		fmt.Fprintln(w)
		for _, line := range strings.Split(strings.TrimSuffix(a.text(cfg), "\n"), "\n") {
			fmt.Fprintln(w, st.dim.Render(line))
		}
	}
	for _, m := range v.Messages {
		fmt.Fprintf(w, "\n%s\n", st.title.Render("["+m.Role+"]"))
		a.printText(w, m.Content)
	}
}
