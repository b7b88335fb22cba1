package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"promptbench/workspace"
	"promptbench/workspace/exchange"
)

// gitDriver is the command git runs for a merge of export files; git puts
// the base, ours, theirs and the path in place of %O %A %B %P.
const gitDriver = "promptbench git merge-driver %O %A %B %P"

func (a *app) gitCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "git",
		Short: "Let git merge export files by meaning (setup, merge-driver)",
		Args:  exactArgs(0),
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.gitSetupCommand(), a.gitMergeDriverCommand())
	return cmd
}

func (a *app) gitSetupCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "setup [PATTERN]...",
		Short: "Write the .gitattributes line and the repository's git config for the merge driver",
		Long: `setup makes git merge export files with promptbench's merge driver: it adds
"PATTERN merge=promptbench" to .gitattributes (commit it, so teammates' clones
have it) and sets merge.promptbench.driver in this repository's .git/config
(each clone runs setup once: git never takes drivers from the repository
itself). Without PATTERN, the export_file of config.yaml (a folder: every file
under it). Running it again changes nothing.`,
		Example: `  promptbench git setup
  promptbench git setup prompts.yaml
  promptbench git setup 'prompts/**'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			cwd, err := os.Getwd()
			if err != nil {
				return err
			}
			repo, err := exchange.GitRepoRoot(cmd.Context(), cwd)
			if err != nil {
				return err
			}
			patterns := args
			if len(patterns) == 0 {
				p, err := a.exportPattern(repo)
				if err != nil {
					return err
				}
				patterns = []string{p}
			}
			changed, err := exchange.GitSetup(cmd.Context(), repo, patterns, gitDriver)
			for _, c := range changed {
				fmt.Fprintln(a.Out, c)
			}
			if err == nil && len(changed) == 0 {
				fmt.Fprintln(a.Out, "already set up: nothing changed")
			}
			if err == nil {
				a.warnDriverNotOnPath()
			}
			return err
		},
	}
}

// warnDriverNotOnPath says so when git could not find the driver it is
// told to run: git would then report every merge of an export file as a
// conflict without saying why.
func (a *app) warnDriverNotOnPath() {
	if _, err := exec.LookPath("promptbench"); err != nil {
		fmt.Fprintln(a.Err, "warning: promptbench is not on your PATH, so git cannot run the merge driver and will report export files as conflicted; install it with: go install ./cmd/promptbench (and put $(go env GOPATH)/bin on PATH)")
	}
}

// exportPattern is config.yaml's export_file as a .gitattributes pattern.
func (a *app) exportPattern(repo string) (string, error) {
	ws, err := a.openWorkspace("git setup")
	if err != nil {
		return "", err
	}
	path := ws.ExportPath()
	if path == "" {
		return "", usagef("config.yaml sets no export_file: name the export file, e.g. promptbench git setup prompts.yaml")
	}
	rel, err := filepath.Rel(repo, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", usagef(fmt.Sprintf("export_file %s is outside the repository %s", path, repo))
	}
	rel = filepath.ToSlash(rel)
	if exchange.IsDirLayout(ws.Config.ExportFile, path) {
		return strings.TrimSuffix(rel, "/") + "/**", nil
	}
	return rel, nil
}

func (a *app) gitMergeDriverCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "merge-driver BASE OURS THEIRS [PATH]",
		Short: "Merge three export files by meaning (git runs this; see git setup)",
		Long: `merge-driver is what git runs for files marked merge=promptbench: it merges
OURS and THEIRS, which share BASE, by content as import does and writes the
result to OURS, byte for byte what export writes for the merged library.
Prompts and versions of both sides are kept; when both sides added versions
to a prompt, both lines are kept and reported; a label moved on one side
follows it. A label both sides moved to different versions is a conflict:
exit 1, naming prompt and label, and OURS holds the merged file with our
side's label and comment lines at the top naming each conflict; git marks
the file as conflicted until you git add it. Files that are not export
files get git's own line merge with conflict markers (exit 2).`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 3 || len(args) == 4 {
				return nil
			}
			return usagef(fmt.Sprintf("merge-driver takes 3 or 4 arguments, got %d: promptbench git merge-driver %%O %%A %%B [%%P]", len(args)))
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			name := "the export file"
			if len(args) == 4 {
				name = args[3]
			}
			var in [3]exchange.MergeInput
			for i, role := range []string{"base", "ours", "theirs"} {
				data, err := os.ReadFile(args[i])
				if err != nil {
					return usagef(fmt.Sprintf("merge-driver: %v", err))
				}
				in[i] = exchange.MergeInput{Name: fmt.Sprintf("%s (%s)", name, role), Data: data}
			}
			merged, rep, err := exchange.MergeFiles(cmd.Context(), os.TempDir(), in[0], in[1], in[2])
			if err != nil {
				a.printError(err)
				fmt.Fprintf(a.Err, "promptbench: %s is merged line by line instead; resolve the conflict markers by hand\n", name)
				a.lineMerge(args)
				return exitStatus(exitUsage)
			}
			a.reportMerge(name, rep)
			if len(rep.Conflicts) > 0 {
				merged = append(conflictHeader(rep), merged...)
			}
			if err := workspace.WriteFileAtomic(args[1], merged); err != nil {
				return err
			}
			if len(rep.Conflicts) > 0 {
				return exitStatus(exitBelow)
			}
			return nil
		},
	}
}

func (a *app) reportMerge(name string, rep exchange.MergeReport) {
	for _, d := range rep.Divergences {
		base := fmt.Sprintf("after @%d", d.Base)
		if d.Base == 0 {
			base = "with no version in common"
		}
		fmt.Fprintf(a.Err, "promptbench: %s: %s: both sides added versions %s; ours %s, theirs %s (both kept)\n", name, d.Prompt, base, numbers(d.Local), numbers(d.Theirs))
	}
	for _, p := range rep.Kept {
		fmt.Fprintf(a.Err, "promptbench: %s: %s was deleted on one side and changed on the other: kept\n", name, p)
	}
	if rep.TaxonomyConflict {
		fmt.Fprintf(a.Err, "promptbench: %s: both sides changed the taxonomy: ours kept (it comes from config.yaml)\n", name)
	}
	for _, c := range rep.Conflicts {
		fmt.Fprintf(a.Err, "promptbench: %s: label conflict: %s@%s is version %d on our side and %d on theirs; ours kept\n", name, c.Prompt, c.Label, c.Ours, c.Theirs)
	}
}

// conflictHeader names each label conflict in comment lines above the
// merged file (import reads past them; the next export drops them).
func conflictHeader(rep exchange.MergeReport) []byte {
	var b bytes.Buffer
	b.WriteString("# promptbench git merge-driver: label conflicts; this file keeps our side of each:\n")
	for _, c := range rep.Conflicts {
		fmt.Fprintf(&b, "#   %s@%s: ours version %d, theirs version %d\n", c.Prompt, c.Label, c.Ours, c.Theirs)
	}
	b.WriteString("# To keep ours: git add this file. To take theirs: promptbench import this file,\n")
	for _, c := range rep.Conflicts {
		fmt.Fprintf(&b, "#   promptbench label %s@%d %s\n", c.Prompt, c.Theirs, c.Label)
	}
	b.WriteString("# then promptbench export over this file (export_file does it for you) and git add it.\n")
	return b.Bytes()
}

// lineMerge leaves git's ordinary three-way line merge, with conflict
// markers, in OURS.
func (a *app) lineMerge(args []string) {
	cmd := exec.Command("git", "merge-file", "-L", "ours", "-L", "base", "-L", "theirs", args[1], args[0], args[2])
	cmd.Stderr = a.Err
	_ = cmd.Run() // its exit status counts conflicts; ours is non-zero anyway
}
