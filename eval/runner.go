// Package eval runs model calls concurrently and, later, datasets,
// scorers and reports on top of them.
package eval

import (
	"context"
	"errors"
	"sync"

	"promptbench/eval/provider"
)

// Request and Result are the provider package's, named here for callers
// of the runner.
type (
	Request = provider.Request
	Result  = provider.Result
)

// Completer makes one model call, passing stream deltas to onDelta as
// they arrive; *provider.Registry is the real one.
type Completer interface {
	Complete(ctx context.Context, req Request, onDelta func(string)) Result
}

// Call is one unit of work: the caller's ID (a variant × input, say) and
// the request.
type Call struct {
	ID      string
	Request Request
}

// Event is what a run delivers: Delta, Done or Failed, each carrying its
// call's ID. Every started call ends with exactly one Done or Failed.
type Event interface {
	CallID() string
	event()
}

// Delta is a piece of streamed output.
type Delta struct {
	ID   string
	Text string
}

// Done is a finished call. Result.Cached is set when the answer came from
// the cache; then its latency, cost and attempts are zero, for nothing was
// spent. CacheErr reports a cache that failed to read or store; the result
// stands.
type Done struct {
	ID       string
	Result   Result
	CacheErr error
}

// Failed is a call that ended with Result.Err set; Result keeps any
// partial output.
type Failed struct {
	ID     string
	Result Result
}

func (e Delta) CallID() string  { return e.ID }
func (e Done) CallID() string   { return e.ID }
func (e Failed) CallID() string { return e.ID }
func (Delta) event()            {}
func (Done) event()             {}
func (Failed) event()           {}

// DefaultConcurrency is the number of calls in flight when Options leaves
// it unset.
const DefaultConcurrency = 8

// Options configure a run.
type Options struct {
	Client      Completer // required
	Cache       Cache     // nil: no cache
	Concurrency int       // calls in flight at once; default DefaultConcurrency
}

// Run starts calls, at most opts.Concurrency at a time and in order, and
// returns the channel their events arrive on; it is closed when every
// started call has finished. Per-provider concurrency and rate limits
// apply on top, inside the Completer.
//
// Cancelling ctx stops in-flight calls at once (they end Failed with ctx's
// error and any partial output) and starts no more. Events are sent with
// select on ctx.Done(), so a consumer that stops reading after cancelling
// never blocks the run; one that drains the channel until it closes still
// gets every event that fits the buffer, the terminal events of calls
// that finished as the cancel landed included. Results are written to the
// cache before their Done is sent, so nothing finished is lost to an
// interrupted run.
func Run(ctx context.Context, calls []Call, opts Options) <-chan Event {
	if opts.Client == nil {
		panic("eval.Run: Options.Client is nil")
	}
	n := opts.Concurrency
	if n <= 0 {
		n = DefaultConcurrency
	}
	ch := make(chan Event, max(64, 4*n))
	go func() {
		var wg sync.WaitGroup
		defer close(ch)
		defer wg.Wait()
		sem := make(chan struct{}, n)
		for _, c := range calls {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			if ctx.Err() != nil {
				return
			}
			wg.Go(func() {
				defer func() { <-sem }()
				runCall(ctx, c, opts, ch)
			})
		}
	}()
	return ch
}

func runCall(ctx context.Context, c Call, opts Options, ch chan<- Event) {
	var key string
	var cacheErr error
	if opts.Cache != nil {
		key = RequestKey(c.Request)
	}
	if key != "" {
		res, ok, err := opts.Cache.Get(key)
		switch {
		case err != nil:
			cacheErr = err
		case ok:
			res.Cached, res.Err = true, nil
			res.TTFT, res.Latency, res.Cost, res.Attempts = 0, 0, 0, 0
			send(ctx, ch, Done{ID: c.ID, Result: res})
			return
		}
	}
	res := opts.Client.Complete(ctx, c.Request, func(text string) {
		send(ctx, ch, Delta{ID: c.ID, Text: text})
	})
	if res.Err != nil {
		send(ctx, ch, Failed{ID: c.ID, Result: res})
		return
	}
	if key != "" {
		if err := opts.Cache.Put(key, res); err != nil {
			cacheErr = errors.Join(cacheErr, err)
		}
	}
	send(ctx, ch, Done{ID: c.ID, Result: res, CacheErr: cacheErr})
}

// send delivers ev unless ctx is done and the buffer is full: room in the
// buffer is taken even after a cancel, so a draining consumer loses
// nothing that fits.
func send(ctx context.Context, ch chan<- Event, ev Event) bool {
	select {
	case ch <- ev:
		return true
	default:
	}
	select {
	case ch <- ev:
		return true
	case <-ctx.Done():
		return false
	}
}
