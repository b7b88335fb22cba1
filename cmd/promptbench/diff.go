package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"promptbench/workspace"
)

type diffFlags struct {
	stat, word, exitCode bool
}

func (a *app) diffCommand() *cobra.Command {
	var f diffFlags
	cmd := &cobra.Command{
		Use:   "diff REF [REF]",
		Short: "Diff two versions, or one against its parent: messages and model config",
		Long: `With two refs, the first is the old side. With one, the version (the latest
for a bare name) is compared with its parent. Changed lines show white space
that would otherwise look the same: ␍ for a carriage return, → for a tab,
· for trailing spaces.`,
		Example: `  promptbench diff comedian
  promptbench diff comedian@1 comedian@2
  promptbench diff support-reply@production support-reply --word
  promptbench diff support-reply --stat --exit-code`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 || len(args) == 2 {
				return nil
			}
			return usagef(fmt.Sprintf("diff takes 1 or 2 refs, got %d: %s", len(args), cmd.UseLine()))
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.openWorkspace("diff")
			if err != nil {
				return err
			}
			refs := args
			if len(args) == 1 {
				_, v, err := ws.Show(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				if v.Parent == 0 {
					fmt.Fprintf(a.Out, "%s@%d is the first version; there is nothing to compare it with\n", v.Prompt, v.Number)
					return nil
				}
				refs = []string{fmt.Sprintf("%s@%d", v.Prompt, v.Parent), fmt.Sprintf("%s@%d", v.Prompt, v.Number)}
			}
			vs, err := ws.Versions(cmd.Context(), refs...)
			if err != nil {
				return err
			}
			parts := workspace.Diff(vs[0], vs[1])
			view := diffView{w: a.out(), st: a.styles(), color: a.colorOn(a.Out), terminal: a.terminal}
			switch {
			case f.stat:
				view.stat(parts)
			case f.word:
				view.words(parts)
			default:
				view.lines(parts)
			}
			if f.exitCode && workspace.Changed(parts) {
				return errDiffers
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.stat, "stat", false, "only count the lines added and removed in each message and the config")
	fl.BoolVar(&f.word, "word", false, "show changed lines word by word: [-removed-]{+added+} (colours on a terminal)")
	fl.BoolVar(&f.exitCode, "exit-code", false, "exit with 1 when the versions differ, 0 when they do not")
	return cmd
}

// errDiffers ends `diff --exit-code` with status 1 and no message, as git's
// --exit-code does.
var errDiffers = exitStatus(1)

// exitStatus is an error that only sets the exit code.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// printDiff writes parts as a unified diff, sanitised for a terminal.
func printDiff(w io.Writer, st styles, parts []workspace.DiffPart) {
	diffView{w: w, st: st, color: true, terminal: true}.lines(parts)
}
