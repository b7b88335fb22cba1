package eval

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"promptbench/workspace"
)

// recorder writes a session's log entries and cache entries in batches: a
// batch is written when FlushCount entries are waiting, when FlushEvery has
// passed since the last write, and at the end. One goroutine owns the
// batch; the cache entries waiting in it stay visible to lookups, so an
// identical request made before the flush is still served from the cache.
//
// A write runs beside the batch, not in its way: entries finished while
// the store is busy join the next batch, which grows (up to maxWaiting)
// rather than hold up the calls that produced them. A slow store thus gets
// fewer, larger writes instead of a stalled session.
type recorder struct {
	opts       SessionOptions
	out        chan<- SessionEvent
	in         chan pendingLog
	done       chan struct{}
	maxWaiting int // entries waiting for a write before calls must wait

	mu      sync.Mutex
	waiting map[string][]byte // cache entries not yet written, by key
}

type pendingLog struct {
	entry  workspace.LogEntry
	ref    LogRef
	key    string
	cached []byte // the encoded Result to cache under key, or nil
}

func newRecorder(opts SessionOptions, out chan<- SessionEvent) *recorder {
	r := &recorder{opts: opts, out: out, in: make(chan pendingLog, opts.FlushCount), done: make(chan struct{}),
		maxWaiting: 16 * opts.FlushCount, waiting: map[string][]byte{}}
	go r.loop()
	return r
}

func (r *recorder) add(p pendingLog) {
	r.remember(p.key, p.cached)
	r.in <- p
}

// remember makes a fresh answer's cache entry visible to lookups until its
// batch is written.
func (r *recorder) remember(key string, cached []byte) {
	if cached == nil {
		return
	}
	r.mu.Lock()
	r.waiting[key] = cached
	r.mu.Unlock()
}

// close writes what is left and returns once it is written or refused.
func (r *recorder) close() {
	close(r.in)
	<-r.done
}

// cached answers key from the store's entries read for the chunk or from
// the entries waiting to be written.
func (r *recorder) cached(key string, known map[string][]byte) (Result, bool) {
	if key == "" {
		return Result{}, false
	}
	b, ok := known[key]
	if !ok {
		r.mu.Lock()
		b, ok = r.waiting[key]
		r.mu.Unlock()
	}
	if !ok {
		return Result{}, false
	}
	var res Result
	if json.Unmarshal(b, &res) != nil {
		return Result{}, false // an entry that no longer decodes is a miss
	}
	res.Cached, res.Err = true, nil
	res.TTFT, res.Latency, res.Cost, res.Attempts = 0, 0, 0, 0
	return res, true
}

// written is the outcome of one write: the batch back when the store
// refused it, else its emptied array for the next batch (a batch reaches
// a thousand entries of a few hundred bytes each: growing a new one for
// every write cost a 100,000-row run 200 MB of garbage).
type written struct{ refused, spare []pendingLog }

// storeReleaser is a Recorder that may keep the store open between
// batches (*workspace.Workspace).
type storeReleaser interface{ ReleaseStore() }

func (r *recorder) loop() {
	defer close(r.done)
	if rel, ok := r.opts.Recorder.(storeReleaser); ok && !r.opts.KeepStoreOpen {
		defer rel.ReleaseStore()
	}
	tick := time.NewTicker(r.opts.FlushEvery)
	defer tick.Stop()
	var (
		batch   []pendingLog
		spare   []pendingLog // the array of the last batch written
		writing chan written // nil while no write runs
		closed  bool
	)
	// start writes the batch unless a write runs or nothing waits; once the
	// input is closed, the write is the final one.
	start := func() {
		if writing != nil || len(batch) == 0 {
			return
		}
		b, final := batch, closed
		batch, spare = spare, nil
		writing = make(chan written, 1)
		go func(ch chan<- written) { ch <- r.flush(b, final) }(writing)
	}
	for !closed || writing != nil || len(batch) > 0 {
		in := r.in
		if closed || len(batch) >= r.maxWaiting {
			in = nil // the store is behind: finished calls wait for it
		}
		select {
		case p, ok := <-in:
			if !ok {
				closed = true
				start()
				continue
			}
			if batch = append(batch, p); len(batch) >= r.opts.FlushCount {
				start()
			}
		case <-tick.C:
			start()
		case w := <-writing:
			writing = nil
			if w.refused != nil {
				batch = append(w.refused, batch...)
			} else {
				spare = w.spare
			}
			// A refused batch waits for the clock, not for the next entry.
			if closed || (w.refused == nil && len(batch) >= r.opts.FlushCount) {
				start()
			}
		}
	}
}

// flush writes a batch in one durable transaction and reports it. A
// refused batch is handed back for the next try unless it was the final
// one.
func (r *recorder) flush(batch []pendingLog, final bool) written {
	entries := make([]workspace.LogEntry, len(batch))
	refs := make([]LogRef, len(batch))
	cache := map[string][]byte{}
	for i, p := range batch {
		entries[i], refs[i] = p.entry, p.ref
		if p.cached != nil {
			cache[p.key] = p.cached
		}
	}
	// Written even after a cancel: what finished must reach the log. Until
	// the last batch the store may stay open for the next (a moment only:
	// other processes get their turn).
	ctx := context.Background()
	if !final || r.opts.KeepStoreOpen {
		ctx = workspace.HoldStore(ctx)
	}
	if final && r.opts.KeepStoreOpen {
		// The caller's last operations follow at once.
		ctx = workspace.LastOperations(ctx)
	}
	if err := r.opts.Recorder.AddLogs(ctx, entries, cache); err != nil {
		r.out <- FlushFailed{Err: err, Logs: refs, Final: final}
		if final {
			return written{}
		}
		return written{refused: batch}
	}
	r.mu.Lock()
	for k := range cache {
		delete(r.waiting, k)
	}
	r.mu.Unlock()
	r.out <- Recorded{Logs: refs}
	clear(batch) // no entry stays reachable through the array
	return written{spare: batch[:0]}
}
