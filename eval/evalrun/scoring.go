package evalrun

import (
	"context"
	"errors"
	"sync"
	"time"

	"promptbench/eval/scorer"
	"promptbench/workspace"
)

// scoreJob is one output to score with its variant's scorers.
type scoreJob struct {
	key      workspace.LogKey
	scorers  []*scorer.Scorer
	in       scorer.Input
	recorded bool // the entry is already in the store (a resumed run)
}

type scored struct {
	set      workspace.ScoreSet
	errors   int
	recorded bool
}

// scoring runs scorers on a pool of workers while the calls go on, and
// writes the scores in batches once their entries are recorded: a slow
// scorer holds one worker, never the calls.
type scoring struct {
	ws       *workspace.Workspace
	now      func() time.Time
	jobs     chan scoreJob
	results  chan scored
	recorded chan []string
	workers  sync.WaitGroup
	writer   sync.WaitGroup
	onScored func(errors int)

	mu     sync.Mutex
	err    error // the store refused the scores
	errors int   // scorer errors
}

func newScoring(ctx context.Context, ws *workspace.Workspace, workers int, now func() time.Time, onScored func(int)) *scoring {
	s := &scoring{
		ws: ws, now: now, onScored: onScored,
		jobs:     make(chan scoreJob, 4*workers),
		results:  make(chan scored, 4*workers),
		recorded: make(chan []string, 64),
	}
	for range workers {
		s.workers.Go(func() {
			for j := range s.jobs {
				s.results <- s.score(ctx, j)
			}
		})
	}
	s.writer.Go(s.write)
	return s
}

func (s *scoring) score(ctx context.Context, j scoreJob) scored {
	out := scored{set: workspace.ScoreSet{Key: j.key}}
	for _, sc := range j.scorers {
		r, err := sc.Score(ctx, j.in)
		if err != nil && ctx.Err() != nil {
			return scored{} // interrupted: the resume scores it
		}
		if err != nil {
			out.errors++
			out.set.Scores = append(out.set.Scores, workspace.Score{
				Name: sc.Spec().Kind, By: sc.Spec().Spec, Time: s.now().UTC(),
				Error: err.Error(),
			})
			continue
		}
		out.set.Scores = append(out.set.Scores, sc.ToScore(r, s.now().UTC()))
	}
	out.recorded = j.recorded
	return out
}

// write joins scores with the news that their entries are recorded and
// writes them scoreBatch at a time, or every second.
func (s *scoring) write() {
	waiting := map[string]workspace.ScoreSet{}
	recorded := map[string]bool{}
	var batch []workspace.ScoreSet
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	flush := func() {
		if len(batch) == 0 {
			return
		}
		// The run may be interrupted: the scores of finished calls are kept.
		if err := s.ws.SetScores(context.Background(), batch); err != nil {
			s.mu.Lock()
			s.err = errors.Join(s.err, err)
			s.mu.Unlock()
		}
		batch = batch[:0]
	}
	add := func(set workspace.ScoreSet) {
		batch = append(batch, set)
		if len(batch) >= scoreBatch {
			flush()
		}
	}
	results, recs := s.results, s.recorded
	for results != nil || recs != nil {
		select {
		case r, ok := <-results:
			if !ok {
				results = nil
				continue
			}
			if r.set.Key.ID == "" {
				continue
			}
			s.mu.Lock()
			s.errors += r.errors
			s.mu.Unlock()
			if s.onScored != nil {
				s.onScored(r.errors)
			}
			if len(r.set.Scores) == 0 {
				continue
			}
			id := r.set.Key.ID
			if r.recorded {
				add(r.set)
				continue
			}
			if recorded[id] {
				delete(recorded, id)
				add(r.set)
				continue
			}
			waiting[id] = r.set
		case ids, ok := <-recs:
			if !ok {
				recs = nil
				continue
			}
			for _, id := range ids {
				if set, ok := waiting[id]; ok {
					delete(waiting, id)
					add(set)
				} else {
					recorded[id] = true
				}
			}
		case <-tick.C:
			flush()
		}
	}
	flush()
}

// submit queues an output for scoring.
func (s *scoring) submit(j scoreJob) { s.jobs <- j }

// markRecorded says these entries are in the store.
func (s *scoring) markRecorded(ids []string) { s.recorded <- ids }

// close waits for every score to be written; it returns the store's
// refusal, if any, and the count of scorer errors.
func (s *scoring) close() (int, error) {
	close(s.jobs)
	s.workers.Wait()
	close(s.results)
	close(s.recorded)
	s.writer.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.errors, s.err
}

// scoreBatch is how many entries' scores one write carries: each write
// opens the store, so fewer, larger writes keep up with the calls.
const scoreBatch = 512
