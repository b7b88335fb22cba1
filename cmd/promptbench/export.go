package main

import (
	"github.com/spf13/cobra"

	"promptbench/workspace"
	"promptbench/workspace/exchange"
)

func (a *app) exportCommand() *cobra.Command {
	var out, dir string
	var prompts, tags []string
	var withLogs, redact bool
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the library (or some prompts) as one promptbench/v1 YAML file",
		Long: `export writes prompts with every version, labels with their history and the
declared taxonomy as one YAML document. The same library always gives the same
bytes, so the file belongs in git and its diffs read like a prompt review.
Anything that looks like an API key is refused, naming prompt, version and field;
with --with-logs --redact-secrets, key-looking words in log entries and runs are
written as [redacted] instead.`,
		Example: `  promptbench export --out prompts.yaml
  promptbench export --prompt support/reply --tag tone:formal
  promptbench export --dir prompts/            # one file per prompt
  promptbench export --with-logs --out backup.yaml
  promptbench export --with-logs --redact-secrets --out shared.yaml`,
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
			if redact && !withLogs {
				return usagef("--redact-secrets applies to log entries and runs: add --with-logs")
			}
			var tally redactions
			o := exchange.ExportOptions{Prompts: prompts, Tags: parsed, WithLogs: withLogs, RedactSecrets: redact, OnRedact: tally.add}
			if dir != "" {
				if out != "" {
					return usagef("--out and --dir: choose one")
				}
				if withLogs {
					return usagef("--with-logs: an export folder holds no log entries or runs; export them to one file with --out")
				}
				err = exchange.ExportDir(cmd.Context(), ws, dir, o)
			} else if out == "" || out == "-" {
				err = exchange.Export(cmd.Context(), ws, a.Out, o)
			} else {
				err = exchange.ExportTo(cmd.Context(), ws, out, o)
			}
			if err != nil {
				return secretsHint(err)
			}
			a.reportRedactions(tally)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "out", "o", "", "write to FILE (replaced atomically) instead of stdout")
	f.StringVar(&dir, "dir", "", "write one export file per prompt under DIR (folders follow prompt names), plus "+exchange.LibraryFile)
	f.StringArrayVar(&prompts, "prompt", nil, "export only this prompt (repeatable)")
	f.StringArrayVar(&tags, "tag", nil, "export only prompts carrying facet:value (repeatable; all must match)")
	f.BoolVar(&withLogs, "with-logs", false, "include log entries, scores and runs")
	f.BoolVar(&redact, "redact-secrets", false, "write key-looking words in log entries and runs as [redacted] instead of refusing them")
	return cmd
}
