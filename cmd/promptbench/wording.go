package main

import (
	"errors"

	"promptbench/workspace"
)

// wordError says what the domain's typed errors mean on the command line:
// the domain names no flags, the CLI says which flag fixes what.
func wordError(err error) string {
	msg := err.Error()
	var mv *workspace.MissingVariablesError
	if errors.As(err, &mv) {
		msg += "; pass them with --var name=value or --vars FILE.json"
	}
	return msg
}
