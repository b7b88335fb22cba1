package exportfile

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrInvalid marks input that breaks the rules of names, tags, refs, prompt
// files, templates or export files: front ends turn it into exit code 2.
// workspace.ErrInvalid is this same value.
var ErrInvalid = errors.New("invalid input")

// invalidError is an ErrInvalid error whose message is only the sentence.
type invalidError struct{ msg string }

func (e *invalidError) Error() string        { return e.msg }
func (e *invalidError) Is(target error) bool { return target == ErrInvalid }

// Invalidf is an ErrInvalid error worded by format.
func Invalidf(format string, args ...any) error {
	return &invalidError{fmt.Sprintf(format, args...)}
}

// MissingVariablesError is a render of a version that could not resolve
// some names: all of them, in full ("customer.name"), sorted, once each.
// errors.Is(err, ErrInvalid) holds. The workbench (workspace) and the
// application library (served) both render with it, so that code
// handling one handles the other; each front end says what to do (the CLI
// names --var, the TUI the setup's keys).
type MissingVariablesError struct {
	Prompt  string
	Version int
	Names   []string
}

// MissingVariables is the error of a render of prompt@version that could
// not resolve names (in any order, repeats allowed).
func MissingVariables(prompt string, version int, names []string) *MissingVariablesError {
	names = slices.Clone(names)
	slices.Sort(names)
	return &MissingVariablesError{Prompt: prompt, Version: version, Names: slices.Compact(names)}
}

func (e *MissingVariablesError) Error() string {
	return fmt.Sprintf("render %s@%d: missing variables: %s", e.Prompt, e.Version, strings.Join(e.Names, ", "))
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *MissingVariablesError) Is(target error) bool { return target == ErrInvalid }
