package evalrun

import (
	"context"
	"slices"

	"promptbench/eval"
	"promptbench/eval/scorer"
	"promptbench/workspace"
)

// cacheChunk is how many cases share one read of the response cache (the
// session's default is 256): each read opens the store and waits for the
// log writes, so a fast model would otherwise wait on the reads.
const cacheChunk = 2048

// scoreInline runs a variant's instant scorers on a finished call before
// its entry is recorded, so that the scores are written with the entry
// (one write instead of a write and a rewrite). The slow ones (cmd,
// judge) run on the scoring pool once the entry is recorded.
func (ex *execution) scoreInline(ctx context.Context, v variantSpec, c eval.Case, e workspace.LogEntry) []workspace.Score {
	var out []workspace.Score
	var in scorer.Input
	for i, sc := range v.scorers {
		if !sc.Instant() {
			continue
		}
		if out == nil {
			out = make([]workspace.Score, 0, len(v.scorers)-i)
			in = ex.input(v, c, ex.peekExpected(c), e)
		}
		r, err := sc.Score(ctx, in)
		if err != nil {
			out = append(out, workspace.Score{Name: sc.Spec().Kind, By: sc.Spec().Spec, Time: ex.o.now().UTC(), Error: err.Error()})
			continue
		}
		out = append(out, sc.ToScore(r, ex.o.now().UTC()))
	}
	return out
}

// slowScorers are the variant's scorers that start a program or call a
// model.
func (v variantSpec) slowScorers() []*scorer.Scorer {
	var out []*scorer.Scorer
	for _, s := range v.scorers {
		if !s.Instant() {
			out = append(out, s)
		}
	}
	return out
}

// unscored are the scorers without a score (or scorer error) in scores:
// an entry recorded before its slow scores were written (a crash).
func unscored(scs []*scorer.Scorer, scores []workspace.Score) []*scorer.Scorer {
	var out []*scorer.Scorer
	for _, s := range scs {
		if !slices.ContainsFunc(scores, func(x workspace.Score) bool { return x.By == s.Spec().Spec }) {
			out = append(out, s)
		}
	}
	return out
}

// peekExpected is a case's expected value, still kept for its other calls.
func (ex *execution) peekExpected(c eval.Case) any {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	if e, ok := ex.expected[expKey(c)]; ok {
		return e.value
	}
	return nil
}

// inline counts the scorer errors among scores written with their entry.
func (s *scoring) inline(scores []workspace.Score) {
	n := 0
	for _, sc := range scores {
		if sc.Error != "" {
			n++
		}
	}
	if n == 0 {
		return
	}
	s.mu.Lock()
	s.errors += n
	s.mu.Unlock()
	if s.onScored != nil {
		s.onScored(n)
	}
}
