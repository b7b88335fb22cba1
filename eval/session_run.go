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
		var wg sync.WaitGroup
		sem := make(chan struct{}, s.opts.Concurrency)
		chunk := make([]Case, 0, s.opts.CacheChunk)
		for c, err := range cases {
			if ctx.Err() != nil {
				break
			}
			if err != nil {
				out <- Skipped{Case: c, Err: err}
				continue
			}
			if chunk = append(chunk, c); len(chunk) == cap(chunk) {
				s.runChunk(ctx, chunk, variantCtx, sem, &wg, r, out)
				chunk = chunk[:0]
			}
		}
		if len(chunk) > 0 && ctx.Err() == nil {
			s.runChunk(ctx, chunk, variantCtx, sem, &wg, r, out)
		}
		wg.Wait()
		r.close()
	}()
	return out
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

// runChunk renders a chunk of cases for every variant, reads their cached
// answers in one read of the store, and starts the calls the cache cannot
// answer, at most Concurrency at a time.
func (s *Session) runChunk(ctx context.Context, chunk []Case, variantCtx map[string]context.Context, sem chan struct{}, wg *sync.WaitGroup, r *recorder, out chan<- SessionEvent) {
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
		vctx := variantCtx[j.variant.ID]
		if vctx.Err() != nil {
			out <- Skipped{Variant: j.variant.ID, Case: j.c, Err: vctx.Err()}
			continue
		}
		// A slot first, the cache then: an identical call still running
		// when this one was read may have finished by now.
		select {
		case sem <- struct{}{}:
		case <-vctx.Done():
			out <- Skipped{Variant: j.variant.ID, Case: j.c, Err: vctx.Err()}
			continue
		}
		out <- Started{Variant: j.variant.ID, Case: j.c, Rendered: j.rendered}
		if res, ok := r.cached(j.key, known); ok {
			<-sem
			s.finish(j, res, nil, r, out)
			continue
		}
		wg.Go(func() {
			defer func() { <-sem }()
			res := s.opts.Client.Complete(vctx, j.req, func(text string) {
				out <- Streamed{Variant: j.variant.ID, Case: j.c.ID, Repeat: j.c.Repeat, Text: text}
			})
			s.finish(j, res, cacheErr, r, out)
		})
	}
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
func (s *Session) finish(j job, res Result, cacheErr error, r *recorder, out chan<- SessionEvent) {
	e := NewLogEntry(j.rendered, j.c.Vars, j.req, res, s.opts.Source, s.opts.Now())
	e.Run, e.Case, e.Repeat = s.opts.Run, j.c.ID, j.c.Repeat
	e.Cancelled = errors.Is(res.Err, context.Canceled)
	if s.opts.Score != nil && res.Err == nil {
		e.Scores = s.opts.Score(j.variant.ID, j.c, e)
	}
	out <- Finished{Variant: j.variant.ID, Case: j.c, Result: res, Entry: e, CacheErr: cacheErr}
	var cached []byte
	if j.key != "" && res.Err == nil && !res.Cached {
		res.Cached = false
		cached, _ = json.Marshal(res)
	}
	r.add(pendingLog{
		entry: e, key: j.key, cached: cached,
		ref: LogRef{Variant: j.variant.ID, Case: j.c.ID, Repeat: j.c.Repeat, Prompt: e.Prompt, Version: e.Version, ID: e.ID},
	})
}
