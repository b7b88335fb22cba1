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
type recorder struct {
	opts SessionOptions
	out  chan<- SessionEvent
	in   chan pendingLog
	done chan struct{}

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
	r := &recorder{opts: opts, out: out, in: make(chan pendingLog, opts.FlushCount), done: make(chan struct{}), waiting: map[string][]byte{}}
	go r.loop()
	return r
}

func (r *recorder) add(p pendingLog) {
	if p.cached != nil {
		r.mu.Lock()
		r.waiting[p.key] = p.cached
		r.mu.Unlock()
	}
	r.in <- p
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

func (r *recorder) loop() {
	defer close(r.done)
	var batch []pendingLog
	tick := time.NewTicker(r.opts.FlushEvery)
	defer tick.Stop()
	for {
		select {
		case p, ok := <-r.in:
			if !ok {
				r.flush(&batch, true)
				return
			}
			batch = append(batch, p)
			if len(batch) >= r.opts.FlushCount {
				r.flush(&batch, false)
			}
		case <-tick.C:
			r.flush(&batch, false)
		}
	}
}

// flush writes the batch in one durable transaction. A refused batch is
// kept for the next try unless this is the last one.
func (r *recorder) flush(batch *[]pendingLog, final bool) {
	if len(*batch) == 0 {
		return
	}
	entries := make([]workspace.LogEntry, len(*batch))
	refs := make([]LogRef, len(*batch))
	cache := map[string][]byte{}
	for i, p := range *batch {
		entries[i], refs[i] = p.entry, p.ref
		if p.cached != nil {
			cache[p.key] = p.cached
		}
	}
	// Written even after a cancel: what finished must reach the log.
	if err := r.opts.Recorder.AddLogs(context.Background(), entries, cache); err != nil {
		r.out <- FlushFailed{Err: err, Logs: refs, Final: final}
		if final {
			*batch = nil
		}
		return
	}
	r.mu.Lock()
	for k := range cache {
		delete(r.waiting, k)
	}
	r.mu.Unlock()
	*batch = (*batch)[:0]
	r.out <- Recorded{Logs: refs}
}
