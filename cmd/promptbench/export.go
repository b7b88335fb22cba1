package main

import (
	"github.com/spf13/cobra"

	"promptbench/workspace"
)

func (a *app) exportCommand() *cobra.Command {
	var out string
	var prompts, tags []string
	var withLogs bool
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the library (or some prompts) as one promptbench/v1 YAML file",
		Long: `export writes prompts with every version, labels with their history and the
declared taxonomy as one YAML document. The same library always gives the same
bytes, so the file belongs in git and its diffs read like a prompt review.
Anything that looks like an API key is refused, naming prompt, version and field.`,
		Example: `  promptbench export --out prompts.yaml
  promptbench export --prompt support/reply --tag tone:formal
  promptbench export --with-logs --out backup.yaml`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			parsed, err := workspace.ParseTags(tags)
			if err != nil {
				return err
			}
			ws, err := a.openWorkspace("export")
			if err != nil {
				return err
			}
			o := workspace.ExportOptions{Prompts: prompts, Tags: parsed, WithLogs: withLogs}
			if out == "" || out == "-" {
				return ws.Export(cmd.Context(), a.Out, o)
			}
			return ws.ExportTo(cmd.Context(), out, o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "out", "o", "", "write to FILE (replaced atomically) instead of stdout")
	f.StringArrayVar(&prompts, "prompt", nil, "export only this prompt (repeatable)")
	f.StringArrayVar(&tags, "tag", nil, "export only prompts carrying facet:value (repeatable; all must match)")
	f.BoolVar(&withLogs, "with-logs", false, "include log entries, scores and runs")
	return cmd
}
