package exportfile

import (
	"errors"
	"fmt"
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
