package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"promptbench/workspace"
	"promptbench/workspace/exchange"
)

// planListLimit bounds the lines of new prompts and of new versions import
// prints; divergences and labels are always listed in full.
const planListLimit = 50

func (a *app) importCommand() *cobra.Command {
	var dryRun, theirs, redact bool
	cmd := &cobra.Command{
		Use:   "import FILE|DIR",
		Short: "Merge an export file into the library (all or nothing)",
		Long: `import merges an export file by content: versions already here are skipped,
new ones are appended with their original author, time and message. When both
sides added versions after a common one, both lines are kept (the imported one
numbered after ours) and reported. A label the file moved on from ours follows
it; when both moved, ours stays unless --theirs. The file is checked in full
before anything is written, so a bad file changes nothing. FILE - reads stdin.
DIR is a folder export --dir wrote: every file in it, in one step.
The file is read as a stream in bounded memory; it must be UTF-8, and files
past the import limits (256 MB, 100,000 prompts, 1 MB per text, 8 MB per
version, …; see README) are refused at the line where they go past them.`,
		Example: `  git pull && promptbench import prompts.yaml
  promptbench import teammate.yaml --dry-run
  ssh host promptbench export | promptbench import -`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if fi, err := os.Stat(args[0]); err == nil && fi.IsDir() {
				return a.importDir(cmd, args[0], exchange.ImportOptions{DryRun: dryRun, Theirs: theirs, RedactSecrets: redact})
			}
			in, err := a.openImportFile(args[0])
			if err != nil {
				return err
			}
			defer in.Close()
			ws, err := a.openWorkspace("import")
			if err != nil {
				return err
			}
			name := args[0]
			if name == "-" {
				name = "stdin"
			}
			var tally redactions
			plan, err := exchange.Import(cmd.Context(), ws, name, in, exchange.ImportOptions{DryRun: dryRun, Theirs: theirs, RedactSecrets: redact, OnRedact: tally.add})
			if plan.File != "" {
				a.printPlan(plan, dryRun)
				a.reportRedactions(tally)
			}
			return secretsHint(err)
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the plan and change nothing")
	cmd.Flags().BoolVar(&theirs, "theirs", false, "on label and experiment conflicts take the file's instead of keeping ours")
	cmd.Flags().BoolVar(&redact, "redact-secrets", false, "import key-looking words in log entries and runs as [redacted] instead of refusing the file")
	return cmd
}

// openImportFile opens FILE, or stdin for "-", refusing a file over the
// import limit before reading it; Import reads it a piece at a time and
// refuses stdin once it goes past the limit.
func (a *app) openImportFile(path string) (io.ReadCloser, error) {
	if path == "-" {
		return io.NopCloser(a.In), nil
	}
	limit := int64(workspace.MaxImportSize)
	fi, err := os.Stat(path)
	if err != nil {
		return nil, usagef(fmt.Sprintf("import: %v", err))
	}
	if fi.IsDir() {
		return nil, usagef(fmt.Sprintf("import: %s is a directory", path))
	}
	if fi.Size() > limit {
		return nil, usagef(fmt.Sprintf("import: %s is %d MB; import files are limited to %d MB", path, fi.Size()>>20, limit>>20))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, usagef(fmt.Sprintf("import: %v", err))
	}
	return f, nil
}

func (a *app) printPlan(p exchange.ImportPlan, dryRun bool) {
	w := a.Out
	kept := 0
	for _, l := range p.Labels {
		if l.Action == exchange.LabelActionKeep {
			kept++
		}
	}
	fmt.Fprintf(w, "%s: %s, %s (%d already here), %s, %s",
		p.File, plural(len(p.NewPrompts), "new prompt"), plural(p.NewVersionCount, "new version"), p.Skipped,
		plural(len(p.Divergences), "divergence"), plural(len(p.Labels)-kept, "label change"))
	if kept > 0 {
		fmt.Fprintf(w, ", %s", plural(kept, "label conflict"))
	}
	if p.Logs+p.Runs > 0 {
		fmt.Fprintf(w, ", %s, %s", plural(p.Logs, "log entry"), plural(p.Runs, "run"))
	}
	if len(p.Experiments) > 0 {
		fmt.Fprintf(w, ", %s", plural(len(p.Experiments), "experiment"))
	}
	if p.Audit > 0 {
		fmt.Fprintf(w, ", %s", plural(p.Audit, "audit event"))
	}
	fmt.Fprintln(w)
	for i, name := range p.NewPrompts {
		if i == planListLimit {
			fmt.Fprintf(w, "  … and %d more new prompts\n", len(p.NewPrompts)-planListLimit)
			break
		}
		fmt.Fprintf(w, "  new prompt   %s\n", name)
	}
	for i, v := range p.NewVersions {
		if i == planListLimit {
			fmt.Fprintf(w, "  … and %d more new versions\n", p.NewVersionCount-planListLimit)
			break
		}
		renumbered := ""
		if v.FileNumber != v.Number {
			renumbered = fmt.Sprintf(" (@%d in the file)", v.FileNumber)
		}
		fmt.Fprintf(w, "  new version  %s@%d%s  %s  %s  %s\n", v.Prompt, v.Number, renumbered, v.Hash[:12], v.Author, oneLine(v.Message, 60))
	}
	for _, d := range p.Divergences {
		base := fmt.Sprintf("after %s@%d", d.Prompt, d.Base)
		if d.Base == 0 {
			base = "with no version in common"
		}
		fmt.Fprintf(w, "  divergence   %s: both sides added versions %s; ours %s, imported %s (both kept)\n",
			d.Prompt, base, numbers(d.Local), numbers(d.Theirs))
	}
	for _, l := range p.Labels {
		switch l.Action {
		case exchange.LabelActionNew:
			fmt.Fprintf(w, "  label        %s@%s → %d (new)\n", l.Prompt, l.Label, l.To)
		case exchange.LabelActionMove:
			fmt.Fprintf(w, "  label        %s@%s %d → %d (moved on in the file)\n", l.Prompt, l.Label, l.From, l.To)
		case exchange.LabelActionTheirs:
			fmt.Fprintf(w, "  label        %s@%s %d → %d (conflict; --theirs)\n", l.Prompt, l.Label, l.From, l.To)
		case exchange.LabelActionKeep:
			fmt.Fprintf(w, "  conflict     %s@%s stays %d; the file has %d (both moved; --theirs takes the file's)\n", l.Prompt, l.Label, l.From, l.To)
		}
	}
	for _, name := range p.Experiments {
		fmt.Fprintf(w, "  experiment   %s\n", name)
	}
	for _, warning := range p.Warnings {
		a.warn(warning)
	}
	switch {
	case dryRun:
		fmt.Fprintln(w, "dry run: nothing changed")
	case !p.Changes():
		fmt.Fprintln(w, "nothing to import: the library already has everything in the file")
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "entry") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(noun, "y"))
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func numbers(ns []int) string {
	if len(ns) == 0 {
		return "none"
	}
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprintf("@%d", n)
	}
	return strings.Join(s, ", ")
}

// importDir imports an export folder (export --dir) in one step.
func (a *app) importDir(cmd *cobra.Command, dir string, o exchange.ImportOptions) error {
	ws, err := a.openWorkspace("import")
	if err != nil {
		return err
	}
	var tally redactions
	o.OnRedact = tally.add
	plan, err := exchange.ImportDir(cmd.Context(), ws, dir, o)
	if plan.File != "" {
		a.printPlan(plan, o.DryRun)
		a.reportRedactions(tally)
	}
	return secretsHint(err)
}
