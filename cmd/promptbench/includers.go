package main

import (
	"fmt"
	"io"
	"strings"

	"promptbench/workspace"
)

// printIncluders lists the versions that include a prompt that is gone
// (renamed or deleted), and what to do about them: versions are immutable,
// so the fix is a new version of each including prompt.
func printIncluders(w io.Writer, gone, replacement string, incs []workspace.Includer) {
	if len(incs) == 0 {
		return
	}
	fmt.Fprintf(w, "warning: %s of other prompts include %s, which no longer resolves there:\n", plural(len(incs), "version"), gone)
	prompts := []string{}
	seen := map[string]bool{}
	for _, i := range incs {
		var notes []string
		if i.Latest {
			notes = append(notes, "latest")
		}
		notes = append(notes, i.Labels...)
		note := ""
		if len(notes) > 0 {
			note = " (" + strings.Join(notes, ", ") + ")"
		}
		fmt.Fprintf(w, "  %s@%d%s: {{> %s}}\n", i.Prompt, i.Version, note, i.Include)
		if i.InUse() && !seen[i.Prompt] {
			seen[i.Prompt] = true
			prompts = append(prompts, i.Prompt)
		}
	}
	instead := "without that include"
	if replacement != "" {
		instead = fmt.Sprintf("that includes {{> %s}} instead", replacement)
	}
	of := "each including prompt"
	if len(prompts) > 0 {
		of = strings.Join(prompts, ", ")
	}
	fmt.Fprintf(w, "Versions cannot change: commit a new version of %s %s and move its labels to it; the versions above keep the include and fail to render.\n", of, instead)
}

// includersJSON keeps the list an array in JSON even when empty.
func includersJSON(incs []workspace.Includer) []workspace.Includer {
	if incs == nil {
		return []workspace.Includer{}
	}
	return incs
}
