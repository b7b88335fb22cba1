// Package served gives applications the prompts of an export file: the
// file the team commits to git (promptbench export, or config.yaml's
// export_file) is the deployment, and this package reads it in process —
// no server, no store. It loads the file, gets a version by label
// (production by default) or by ref, renders it strictly with the same
// template engine the workbench uses (includes resolved from the file),
// and returns messages plus the model config ready for an
// OpenAI-compatible call. It assigns A/B experiment variants exactly as
// the workbench does (package ab). Parsed templates are cached; Watch
// reloads the file when it changes, atomically: a bad new file keeps the
// last good one and reports the error. With Fallbacks, a missing or
// invalid file still serves the prompts an application cannot run
// without.
//
// It imports neither the store (Badger) nor any terminal library.
package served

import (
	"errors"
	"fmt"
	"sync/atomic"

	"promptbench/workspace/exportfile"
)

// ErrNotFound marks an unknown prompt, version, label or experiment.
var ErrNotFound = errors.New("not found")

// ErrInvalid marks a bad file, ref or variables (exportfile.ErrInvalid).
var ErrInvalid = exportfile.ErrInvalid

// Message is one chat message: Role and the rendered Content.
type Message = exportfile.Message

// ModelConfig is the version's model (provider/model) and parameters.
type ModelConfig = exportfile.ModelConfig

// Fallback is a prompt served when the file is missing or invalid: plain
// messages (templates, rendered like the file's) and a model config.
type Fallback struct {
	Messages []Message
	Config   ModelConfig
}

// Options configure a Library.
type Options struct {
	// Fallbacks, by prompt name, are served while no good file has been
	// loaded; with any set, Open returns a usable Library even when the
	// file is missing or invalid.
	Fallbacks map[string]Fallback
	// OnReload hears of every reload Watch attempts after a change of the
	// file: nil on success, else why the last good file is still served.
	OnReload func(error)
	// Limits bound what the file may hold; zero means the limits import
	// applies (exportfile.DefaultLimits).
	Limits exportfile.Limits
}

// Library serves the prompts of one export file. It is safe for
// concurrent use; a reload swaps the whole file at once.
type Library struct {
	path string
	opts Options
	cur  atomic.Pointer[snapshot] // nil: no good file yet (fallbacks)
}

// Open loads the export file at path. A missing or invalid file is an
// error; with Options.Fallbacks the Library is returned as well, serving
// the fallbacks until Reload or Watch finds a good file.
func Open(path string, o Options) (*Library, error) {
	if o.Limits == (exportfile.Limits{}) {
		o.Limits = exportfile.DefaultLimits()
	}
	l := &Library{path: path, opts: o}
	snap, err := load(path, o.Limits)
	if err != nil {
		if len(o.Fallbacks) > 0 {
			return l, err
		}
		return nil, err
	}
	l.cur.Store(snap)
	return l, nil
}

// Reload reads the file again and serves it if it is good; otherwise the
// Library keeps what it served and the error says why.
func (l *Library) Reload() error {
	snap, err := load(l.path, l.opts.Limits)
	if err != nil {
		return err
	}
	l.cur.Store(snap)
	return nil
}

// Loaded tells whether a good file is being served (false: fallbacks).
func (l *Library) Loaded() bool { return l.cur.Load() != nil }

// Names lists the prompts the file holds, in no particular order.
func (l *Library) Names() []string {
	snap := l.cur.Load()
	if snap == nil {
		return nil
	}
	out := make([]string, 0, len(snap.prompts))
	for name := range snap.prompts {
		out = append(out, name)
	}
	return out
}

// notFoundError is an ErrNotFound worded as one sentence.
type notFoundError struct{ msg string }

func (e *notFoundError) Error() string        { return e.msg }
func (e *notFoundError) Is(target error) bool { return target == ErrNotFound }

func notFoundf(format string, args ...any) error {
	return &notFoundError{fmt.Sprintf(format, args...)}
}
