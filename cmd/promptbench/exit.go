package main

import (
	"errors"
	"fmt"
	"strings"

	"promptbench/workspace"

	"github.com/spf13/cobra"
)

// Exit codes (DESIGN.md, Command line).
const (
	exitOK      = 0
	exitBelow   = 1 // evaluation below threshold
	exitUsage   = 2 // usage or input error
	exitFailure = 3 // runtime failure: provider unreachable, store error
)

// usageError marks a mistake in the command line itself.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(msg string) error { return usageError{msg} }

// exitCode maps an error to the documented exit codes: everything the user
// can fix in what they typed or wrote is 2, everything else 3.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ue usageError
	switch {
	case errors.As(err, &ue),
		errors.Is(err, workspace.ErrInvalid),
		errors.Is(err, workspace.ErrNotFound),
		errors.Is(err, workspace.ErrUnchanged),
		errors.Is(err, workspace.ErrExists),
		errors.Is(err, workspace.ErrNotWorkspace),
		errors.Is(err, workspace.ErrLocked),
		errors.Is(err, workspace.ErrNotWritable),
		errors.Is(err, workspace.ErrNotStore),
		errors.Is(err, workspace.ErrNewerSchema):
		return exitUsage
	}
	// cobra reports unknown commands and flags as plain errors.
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "accepts ", "requires ", "invalid argument", "flag needs an argument"} {
		if strings.HasPrefix(msg, p) {
			return exitUsage
		}
	}
	return exitFailure
}

// exactArgs is cobra.ExactArgs with a message that shows the usage line,
// e.g. "diff takes 2 arguments, got 1: promptbench diff REF REF".
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == n {
			return nil
		}
		what := "arguments"
		if n == 1 {
			what = "argument"
		}
		if n == 0 {
			return usagef(fmt.Sprintf("%s takes no arguments, got %q; see `%s --help`", cmd.Name(), args, cmd.CommandPath()))
		}
		return usagef(fmt.Sprintf("%s takes %d %s, got %d: %s", cmd.Name(), n, what, len(args), cmd.UseLine()))
	}
}
