package eval

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sync"
	"time"

	"promptbench/eval/provider"
	"promptbench/workspace"
)

// A Session is the one place that renders, calls, caches and records model
// calls: `promptbench run`, the terminal UI's Compare pane and `--eval`
// each drive one and only present its events. Its variants are prepared
// once (every variant renders its own version); cases arrive as a stream
// and are never held all at once; calls run with bounded concurrency; log
// entries and cache entries are written in batches, by count, by time and
// at the end (also after a cancel).

// Recorder is what a session needs of the workspace: *workspace.Workspace
// is the real one.
type Recorder interface {
	Prepare(ctx context.Context, ref string) (*workspace.Prepared, error)
	CacheGetMany(ctx context.Context, keys []string) (map[string][]byte, error)
	AddLogs(ctx context.Context, entries []workspace.LogEntry, cache map[string][]byte) error
}

// Variant is one column of a comparison or one arm of an evaluation: a
// version, by ref, called with a model.
type Variant struct {
	ID    string // the caller's name for it; default the model (name variants of one model)
	Ref   string
	Model string // provider/model; "" calls the version's own model
}

// Case is one input: a dataset row, the UI's form, run's variables.
type Case struct {
	ID     workspace.CaseID
	Vars   map[string]any
	Repeat int // 0-based; a repeat > 0 is a fresh call, cached on its own
}

// SessionOptions configure a session.
type SessionOptions struct {
	Recorder    Recorder  // required
	Client      Completer // required
	Concurrency int       // calls in flight; default DefaultConcurrency
	NoCache     bool      // never read nor write the response cache
	Stream      bool      // ask providers to stream (Delta events)
	Source      string    // the log entries' source: cli, tui, eval:<run>
	Run         workspace.RunID
	Now         func() time.Time // nil: time.Now
	// Score, when set, scores a call that worked before its entry is
	// recorded, so that the scores are written with it. It runs on the
	// call's goroutine: only scorers that merely compute belong there.
	Score func(variant string, c Case, e workspace.LogEntry) []workspace.Score
	// KeepStoreOpen leaves the store held open after the last batch too
	// (workspace.HoldStore), for the caller's next operations; the caller
	// must then call the Recorder's ReleaseStore.
	KeepStoreOpen bool

	// FlushCount and FlushEvery bound how much a flush waits for: the
	// first reached writes the batch. Defaults 64 entries and 1 s. While
	// a write runs, entries join the next batch (up to 16 × FlushCount
	// before calls wait for the store).
	FlushCount int
	FlushEvery time.Duration
	// CacheChunk is how many cases share one read of the response cache;
	// default 256.
	CacheChunk int
}

// ErrNoModel is returned by NewSession for a variant without a model
// whose version names none either.
var ErrNoModel = errors.New("no model")

// NoModelError names the version that lacks a model.
type NoModelError struct {
	Prompt  string
	Version int
}

func (e *NoModelError) Error() string {
	return fmt.Sprintf("%s@%d names no model", e.Prompt, e.Version)
}

// Is makes errors.Is(err, ErrNoModel) true.
func (e *NoModelError) Is(target error) bool { return target == ErrNoModel }

// ErrDuplicateVariant is returned for two variants with the same ID.
var ErrDuplicateVariant = errors.New("duplicate variant")

// Session runs cases through prepared variants; make it with NewSession.
type Session struct {
	opts     SessionOptions
	variants []preparedVariant

	mu      sync.Mutex
	cancels map[string]context.CancelFunc // per variant, while running
	stopped map[string]bool               // variants cancelled by Cancel
}

type preparedVariant struct {
	Variant
	prepared *workspace.Prepared
}

// modelChecker is implemented by completers that can tell a bad model name
// before any call (*provider.Registry).
type modelChecker interface {
	Resolve(model string) (*provider.Provider, string, error)
}

// NewSession prepares every variant: resolves its ref (and includes) in the
// store once, picks its model and checks it with the completer.
func NewSession(ctx context.Context, opts SessionOptions, variants []Variant) (*Session, error) {
	if opts.Recorder == nil || opts.Client == nil {
		return nil, errors.New("eval.NewSession: Recorder and Client are required")
	}
	if len(variants) == 0 {
		return nil, errors.New("eval.NewSession: no variants")
	}
	opts = opts.withDefaults()
	s := &Session{opts: opts, cancels: map[string]context.CancelFunc{}, stopped: map[string]bool{}}
	for _, v := range variants {
		p, err := opts.Recorder.Prepare(ctx, v.Ref)
		if err != nil {
			return nil, err
		}
		if v.Model == "" {
			v.Model = p.Version.Config.Model
		}
		if v.Model == "" {
			return nil, &NoModelError{Prompt: p.Version.Prompt, Version: p.Version.Number}
		}
		if mc, ok := opts.Client.(modelChecker); ok {
			if _, _, err := mc.Resolve(v.Model); err != nil {
				return nil, err
			}
		}
		if v.ID == "" {
			v.ID = v.Model
		}
		if slices.ContainsFunc(s.variants, func(o preparedVariant) bool { return o.ID == v.ID }) {
			return nil, fmt.Errorf("variant %s: %w", v.ID, ErrDuplicateVariant)
		}
		s.variants = append(s.variants, preparedVariant{Variant: v, prepared: p})
	}
	return s, nil
}

func (o SessionOptions) withDefaults() SessionOptions {
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.FlushCount <= 0 {
		o.FlushCount = 64
	}
	if o.FlushEvery <= 0 {
		o.FlushEvery = time.Second
	}
	if o.CacheChunk <= 0 {
		o.CacheChunk = 256
	}
	return o
}

// Variants returns the prepared variants, models filled in, in order.
func (s *Session) Variants() []Variant {
	out := make([]Variant, len(s.variants))
	for i, v := range s.variants {
		out[i] = v.Variant
	}
	return out
}

// Version returns the version a variant renders.
func (s *Session) Version(variantID string) (workspace.Version, bool) {
	for _, v := range s.variants {
		if v.ID == variantID {
			return v.prepared.Version, true
		}
	}
	return workspace.Version{}, false
}

// Cancel stops one variant of a running session: its calls in flight end
// Finished with context.Canceled and are recorded; its cases not yet started
// are skipped. The other variants go on.
func (s *Session) Cancel(variantID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopped[variantID] = true
	if cancel, ok := s.cancels[variantID]; ok {
		cancel()
	}
}

func (s *Session) isStopped(variantID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopped[variantID]
}

// Cases adapts a slice to the stream Run takes, for callers that have a
// handful of cases (run, the UI's form).
func Cases(cs ...Case) iter.Seq2[Case, error] {
	return func(yield func(Case, error) bool) {
		for _, c := range cs {
			if !yield(c, nil) {
				return
			}
		}
	}
}
