package eval

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"iter"
	"strconv"
	"sync"

	"promptbench/workspace"
)

// job is one variant × case on its way through the session.
type job struct {
	variant  *preparedVariant
	c        Case
	rendered workspace.Rendered
	req      Request
	key      string // response-cache key; "" when not cached
}

// Run runs every case through every variant and returns the events. The
// caller must read the channel until it closes: the close comes after the
// last log entries are written. Cancelling ctx stops the calls in flight
// (they end Finished with ctx's error and are recorded), starts no more,
// and flushes what finished.
func (s *Session) Run(ctx context.Context, cases iter.Seq2[Case, error]) <-chan SessionEvent {
	out := make(chan SessionEvent, max(64, 4*s.opts.Concurrency))
	go func() {
		defer close(out)
		r := newRecorder(s.opts, out)
		variantCtx := s.variantContexts(ctx)
		defer s.clearCancels()
		// Rendering and cache reads run ahead of the calls: a slot that
		// frees starts the next call at once, instead of idling while the
		// next chunk of cases is read and rendered.
		ready := make(chan readyJob, s.opts.Concurrency)
		go s.prepare(ctx, cases, ready, out)
		s.dispatch(ready, variantCtx, r, out)
		r.close()
	}()
	return out
}

// readyJob is a job rendered and looked up in the cache, waiting for a
// slot.
type readyJob struct {
	job
	known    map[string][]byte // the cached answers read for its chunk
	cacheErr error
}

func (s *Session) variantContexts(ctx context.Context) map[string]context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	ctxs := make(map[string]context.Context, len(s.variants))
	for _, v := range s.variants {
		c, cancel := context.WithCancel(ctx)
		if s.stopped[v.ID] {
			cancel()
		}
		s.cancels[v.ID] = cancel
		ctxs[v.ID] = c
	}
	return ctxs
}

func (s *Session) clearCancels() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, cancel := range s.cancels {
		cancel()
		delete(s.cancels, id)
	}
}

// prepare reads the cases, renders each for every variant and hands the
// jobs on, with the cached answers of each chunk of cases read in one read
// of the store. The first chunks are small, so that the first calls start
// at once, and double up to CacheChunk cases; without the cache nothing is
// read and each case goes on as soon as it is rendered. After a cancel,
// the cases up to the next multiple of CacheChunk are read and skipped (a
// handful of cases, the UI's, is thus all skipped), the rest not read.
func (s *Session) prepare(ctx context.Context, cases iter.Seq2[Case, error], ready chan<- readyJob, out chan<- SessionEvent) {
	defer close(ready)
	size := 1
	if !s.opts.NoCache {
		size = min(s.opts.CacheChunk, max(1, s.opts.Concurrency/len(s.variants)))
	}
	chunk := make([]Case, 0, s.opts.CacheChunk)
	skip := func(cs ...Case) {
		for _, c := range cs {
			for _, v := range s.variants {
				out <- Skipped{Variant: v.ID, Case: c, Err: ctx.Err()}
			}
		}
	}
	read := 0
	for c, err := range cases {
		if ctx.Err() != nil {
			skip(chunk...)
			chunk = chunk[:0]
			if read%s.opts.CacheChunk == 0 {
				return
			}
		}
		read++
		switch {
		case err != nil:
			out <- Skipped{Case: c, Err: err}
		case ctx.Err() != nil:
			skip(c)
		default:
			if chunk = append(chunk, c); len(chunk) >= size {
				s.prepareChunk(ctx, chunk, ready, out)
				chunk = chunk[:0]
				if !s.opts.NoCache {
					size = min(2*size, s.opts.CacheChunk)
				}
			}
		}
	}
	if ctx.Err() != nil {
		skip(chunk...)
	} else if len(chunk) > 0 {
		s.prepareChunk(ctx, chunk, ready, out)
	}
}

// prepareChunk renders a chunk of cases for every variant and reads their
// cached answers in one read of the store.
func (s *Session) prepareChunk(ctx context.Context, chunk []Case, ready chan<- readyJob, out chan<- SessionEvent) {
	jobs := make([]job, 0, len(chunk)*len(s.variants))
	for _, c := range chunk {
		for i := range s.variants {
			v := &s.variants[i]
			if s.isStopped(v.ID) {
				out <- Skipped{Variant: v.ID, Case: c, Err: context.Canceled}
				continue
			}
			j, err := s.newJob(v, c)
			if err != nil {
				out <- Skipped{Variant: v.ID, Case: c, Err: err}
				continue
			}
			jobs = append(jobs, j)
		}
	}
	known, cacheErr := s.readCache(ctx, jobs)
	for _, j := range jobs {
		ready <- readyJob{job: j, known: known, cacheErr: cacheErr}
	}
}

// answered is a call's answer on its way to be recorded.
type answered struct {
	job
	res      Result
	cacheErr error
	cached   []byte // a fresh answer's cache entry
}

// dispatch makes the calls of the ready jobs and returns once every answer
// is handed to the recorder. Concurrency callers each take the next job
// the moment their call returns, as a plain loop of calls would: no other
// goroutine has to wake for a call to start. The answers are recorded and
// scored by as many finishers meanwhile; when they fall behind (the store
// is slow), the callers wait for them.
func (s *Session) dispatch(ready <-chan readyJob, variantCtx map[string]context.Context, r *recorder, out chan<- SessionEvent) {
	answers := make(chan answered, s.opts.Concurrency)
	var callers, finishers sync.WaitGroup
	for range s.opts.Concurrency {
		finishers.Go(func() {
			for a := range answers {
				s.finish(a.job, a.res, a.cacheErr, a.cached, r, out)
			}
		})
		callers.Go(func() {
			for j := range ready {
				vctx := variantCtx[j.variant.ID]
				if vctx.Err() != nil {
					out <- Skipped{Variant: j.variant.ID, Case: j.c, Err: vctx.Err()}
					continue
				}
				out <- Started{Variant: j.variant.ID, Case: j.c, Rendered: j.rendered}
				// The cache is asked again now: an identical call still
				// running when the chunk was read may have finished.
				if res, ok := r.cached(j.key, j.known); ok {
					answers <- answered{job: j.job, res: res}
					continue
				}
				res := s.opts.Client.Complete(vctx, j.req, func(text string) {
					out <- Streamed{Variant: j.variant.ID, Case: j.c.ID, Repeat: j.c.Repeat, Text: text}
				})
				a := answered{job: j.job, res: res, cacheErr: j.cacheErr}
				if j.key != "" && res.Err == nil && !res.Cached {
					// Known at once, not once a finisher gets to it: the
					// identical call this caller takes next is answered
					// from it.
					a.cached, _ = json.Marshal(res)
					r.remember(j.key, a.cached)
				}
				answers <- a
			}
		})
	}
	callers.Wait()
	close(answers)
	finishers.Wait()
}

func (s *Session) newJob(v *preparedVariant, c Case) (job, error) {
	rendered, err := v.prepared.Render(c.Vars)
	if err != nil {
		return job{}, err
	}
	params := rendered.Version.Config
	params.Model = v.Model
	req := Request{Messages: rendered.Messages, Params: params, Stream: s.opts.Stream}
	j := job{variant: v, c: c, rendered: rendered, req: req}
	if !s.opts.NoCache {
		j.key = repeatKey(RequestKey(req), c.Repeat)
	}
	return j, nil
}

// repeatKey makes each repeat of a case its own cache entry: repeats are
// real calls, and a re-run of the same repeat is served from the cache.
func repeatKey(key string, repeat int) string {
	if key == "" || repeat == 0 {
		return key
	}
	sum := sha256.Sum256([]byte(key + "/repeat/" + strconv.Itoa(repeat)))
	return hex.EncodeToString(sum[:])
}

// readCache reads the stored answers of jobs' keys in one read. A store
// that cannot be read leaves every job uncached: the calls still run.
func (s *Session) readCache(ctx context.Context, jobs []job) (map[string][]byte, error) {
	if s.opts.NoCache {
		return nil, nil
	}
	keys := make([]string, 0, len(jobs))
	for _, j := range jobs {
		if j.key != "" {
			keys = append(keys, j.key)
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	return s.opts.Recorder.CacheGetMany(ctx, keys)
}

// finish reports a call and hands its log entry, and a fresh answer's
// cache entry, to the recorder.
func (s *Session) finish(j job, res Result, cacheErr error, cached []byte, r *recorder, out chan<- SessionEvent) {
	e := NewLogEntry(j.rendered, j.c.Vars, j.req, res, s.opts.Source, s.opts.Now())
	e.Run, e.Case, e.Repeat = s.opts.Run, j.c.ID, j.c.Repeat
	e.Cancelled = errors.Is(res.Err, context.Canceled)
	if s.opts.Score != nil && res.Err == nil {
		e.Scores = s.opts.Score(j.variant.ID, j.c, e)
	}
	out <- Finished{Variant: j.variant.ID, Case: j.c, Result: res, Entry: e, CacheErr: cacheErr}
	r.add(pendingLog{
		entry: e, key: j.key, cached: cached,
		ref: LogRef{Variant: j.variant.ID, Case: j.c.ID, Repeat: j.c.Repeat, Prompt: e.Prompt, Version: e.Version, ID: e.ID},
	})
}
