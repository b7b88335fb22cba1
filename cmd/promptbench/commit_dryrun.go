package main

import (
	"fmt"
	"strings"

	"promptbench/workspace"
)

// printDryRun shows the version a commit would make: number, hash, author,
// the config it has (inherited ones included) and its diff against the
// latest version.
func (a *app) printDryRun(dr workspace.DryRun, asJSON bool) error {
	for _, w := range dr.Warnings {
		a.warn(w)
	}
	v := dr.Version
	if asJSON {
		return writeJSON(a.Out, commitJSON{Prompt: dr.Prompt, Version: v, Created: dr.Created, DryRun: true})
	}
	w := a.out()
	st := a.styles()
	fmt.Fprintf(w, "would commit %s@%d (%s) by %s", v.Prompt, v.Number, v.ShortHash(), v.Author)
	if len(v.Variables) > 0 {
		fmt.Fprintf(w, "; variables: %v", v.Variables)
	}
	fmt.Fprintln(w)
	if cfg := workspace.ConfigText(v.Config, v.Scorers); cfg != "" {
		for _, line := range strings.Split(strings.TrimSuffix(a.text(cfg), "\n"), "\n") {
			fmt.Fprintln(w, st.dim.Render(line))
		}
	}
	if dr.Latest == nil {
		fmt.Fprintf(w, "%s is a new prompt; its first version:\n", v.Prompt)
		for _, m := range v.Messages {
			fmt.Fprintf(w, "\n%s\n", st.title.Render("["+m.Role+"]"))
			a.printText(w, m.Content)
		}
	} else {
		fmt.Fprintln(w)
		printDiff(w, st, workspace.Diff(*dr.Latest, v))
	}
	fmt.Fprintln(w, st.dim.Render("dry run: nothing was committed"))
	return nil
}
