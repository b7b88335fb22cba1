package main

import (
	"runtime/debug"

	"github.com/spf13/cobra"

	"promptbench/workspace"
	"promptbench/workspace/exchange"
)

// An export to one file streams: it keeps little (a few MB: the jobs in
// flight, the names of the prompts, the label moves), and turns over
// several times the file's size in store blocks and buffers. At Go's
// default GOGC the collector ran about twenty times for the 10,000 × 10
// benchmark library, a tenth of the command's CPU time. exportGCPercent
// lets the heap grow to five times what is live between collections, and
// exportMemoryLimit (a soft limit) makes them come sooner once the heap
// nears it, so that resident memory stays near what it was (about 53 MB
// on that library, 48 MB at the default) for half the collections.
const (
	exportGCPercent   = 400
	exportMemoryLimit = 32 << 20
)

// tuneExportGC sets both for an export of the whole library to one file
// without log entries, whose heap stays small (an export of some prompts
// keeps their audit events, log entries are many); a GOGC or GOMEMLIMIT
// the user sets wins. It returns what restores the former settings.
func tuneExportGC(getenv func(string) string) (restore func()) {
	var undo []func()
	if getenv("GOGC") == "" {
		old := debug.SetGCPercent(exportGCPercent)
		undo = append(undo, func() { debug.SetGCPercent(old) })
	}
	if getenv("GOMEMLIMIT") == "" {
		old := debug.SetMemoryLimit(exportMemoryLimit)
		undo = append(undo, func() { debug.SetMemoryLimit(old) })
	}
	return func() {
		for _, u := range undo {
			u()
		}
	}
}

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
			} else {
				if !withLogs && len(prompts) == 0 && len(tags) == 0 {
					defer tuneExportGC(a.getenv)()
				}
				if out == "" || out == "-" {
					err = exchange.Export(cmd.Context(), ws, a.Out, o)
				} else {
					err = exchange.ExportTo(cmd.Context(), ws, out, o)
				}
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
