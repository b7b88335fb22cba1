// Package eval runs prompts against models: the run-and-record session
// every front end drives, and, later, datasets, scorers and reports on top
// of it.
package eval

import (
	"context"

	"promptbench/eval/provider"
)

// Request and Result are the provider package's, named here for the
// session's callers.
type (
	Request = provider.Request
	Result  = provider.Result
)

// Completer makes one model call, passing stream deltas to onDelta as
// they arrive; *provider.Registry is the real one.
type Completer interface {
	Complete(ctx context.Context, req Request, onDelta func(string)) Result
}

// DefaultConcurrency is the number of calls a session has in flight when
// SessionOptions leaves it unset.
const DefaultConcurrency = 8
