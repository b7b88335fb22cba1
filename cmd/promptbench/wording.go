package main

import (
	"errors"
	"fmt"

	"promptbench/workspace"
)

// wordError says what the domain's typed errors mean on the command line:
// the domain names no flags, the CLI says which flag fixes what.
func wordError(err error) string {
	msg := err.Error()
	var mv *workspace.MissingVariablesError
	var nw *workspace.NotWorkspaceError
	switch {
	case errors.As(err, &mv):
		msg += "; pass them with --var name=value or --vars FILE.json"
	case errors.As(err, &nw) && nw.Dir == "":
		msg += "; pass --workspace DIR, or create one here with `promptbench init`"
	case errors.As(err, &nw) && nw.Missing:
		msg += fmt.Sprintf("; pass the workspace folder itself, or create one with `promptbench --workspace %s init` (or `promptbench init` in the current folder)", nw.Dir)
	}
	return msg + protectedHint(err)
}
