package workspace

import (
	"errors"
	"fmt"
	"io"

	"promptbench/storage"
	"promptbench/workspace/exportfile"
)

// ErrInvalid marks input that breaks the rules of names, tags, refs, prompt
// files or templates: the command line turns it into exit code 2.
var ErrInvalid = exportfile.ErrInvalid

// ErrNotFound marks an unknown prompt, version, label or ref.
var ErrNotFound = errors.New("not found")

// ErrUnchanged marks a commit whose content equals the latest version.
var ErrUnchanged = errors.New("nothing to commit")

// ErrNotWorkspace marks a directory that is not a workspace.
var ErrNotWorkspace = errors.New("not a workspace")

// kindError is a message of a known kind: errors.Is matches the kind, but
// the message is only the sentence, without a "invalid input:" prefix.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string        { return e.msg }
func (e *kindError) Is(target error) bool { return target == e.kind }

// Invalidf is an ErrInvalid error worded by format: bad input that the
// front end reports with exit code 2.
func Invalidf(format string, args ...any) error {
	return &kindError{ErrInvalid, fmt.Sprintf(format, args...)}
}

func notFoundf(format string, args ...any) error {
	return &kindError{ErrNotFound, fmt.Sprintf(format, args...)}
}

func kindf(kind error, format string, args ...any) error {
	return &kindError{kind, fmt.Sprintf(format, args...)}
}

// The store's errors a front end words, named here so that front ends need
// not import the storage package.
var (
	// ErrLocked: another process held the store longer than the lock wait.
	ErrLocked = storage.ErrLocked
	// ErrNotWritable: the store directory cannot be written.
	ErrNotWritable = storage.ErrNotWritable
	// ErrNotStore: the store directory holds something else.
	ErrNotStore = storage.ErrNotStore
	// ErrNewerSchema: a newer promptbench wrote the store.
	ErrNewerSchema = storage.ErrNewerSchema
)

// TrapFatalLogs makes the store's fatal assertions errors of the call that
// hit them (exit 3 elsewhere) instead of an exit with status 1; a process
// calls it once, at start (storage.TrapFatalLogs).
func TrapFatalLogs(w io.Writer) { storage.TrapFatalLogs(w) }

// NotWorkspaceError is a directory that holds no workspace, or no
// directory at all. errors.Is(err, ErrNotWorkspace) holds; front ends say
// how to name or create one.
type NotWorkspaceError struct {
	Dir     string // "" when none could be found
	Why     string
	Missing bool // Dir could become a workspace (init)
}

func (e *NotWorkspaceError) Error() string { return e.Why }

// Is makes errors.Is(err, ErrNotWorkspace) true.
func (e *NotWorkspaceError) Is(target error) bool { return target == ErrNotWorkspace }
