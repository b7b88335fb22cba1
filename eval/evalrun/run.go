package evalrun

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"sync"
	"time"

	"promptbench/eval"
	"promptbench/eval/report"
	"promptbench/eval/scorer"
	"promptbench/workspace"
)

// Outcome is a finished (or stopped) run.
type Outcome struct {
	Run    workspace.Run
	Report *report.Report
	// Results are the per-case results the report was computed from, for
	// the per-case formats.
	Results *report.Results
	// Interrupted: ctx ended; the run is resumable.
	Interrupted bool
	// StoreErr: log entries or scores could not be written.
	StoreErr error
	// ScorerErrors counts scorer errors of this process.
	ScorerErrors int
	// Rerun counts what --rerun-errors ran again; nil for other runs.
	Rerun *Rerun
}

// FailUnder, when set, is kept in the report as its threshold.
type FailUnder = *float64

// Run evaluates: it checks everything, saves the run record, runs the
// missing cases through one session, scores them as they finish, and
// stores the report in the run record. Errors before the first call are
// bad input (errors.Is workspace.ErrInvalid) or store failures.
func Run(ctx context.Context, ws *workspace.Workspace, client eval.Completer, o Options, failUnder FailUnder) (*Outcome, error) {
	// The sessions leave the store open for the report (KeepStoreOpen).
	defer ws.ReleaseStore()
	var run workspace.Run
	o.Gates = report.GatesOf(failUnder, o.Gates)
	if o.RerunErrors && o.Resume == "" {
		return nil, badInput("--rerun-errors needs the run whose errors to run again")
	}
	if o.Resume != "" {
		var err error
		if run, o, err = resumeOptions(ctx, ws, o); err != nil {
			return nil, err
		}
	}
	var runID workspace.RunID // known once the record is made; judges log under it
	o.ScorerOptions = withJudge(ws, client, o, func() workspace.RunID { return runID })
	p, err := newPlan(ctx, ws, client, o)
	if err != nil {
		return nil, err
	}
	if err := checkGates(o.Gates, p.variants); err != nil {
		return nil, err
	}
	var finished *done
	var rerun *Rerun
	if o.Resume != "" {
		if err := sameVariants(run, p.variants); err != nil {
			return nil, err
		}
		if run.DatasetHash != p.hash {
			return nil, badInput("%s changed since run %s started (its content hash differs); start a new run", o.Dataset, run.ID)
		}
		cases := func(yield func(eval.Case) bool) {
			for row, rep := range rowRepeats(o, p) {
				if !yield(eval.Case{ID: workspace.CaseID(row.ID), Repeat: rep}) {
					return
				}
			}
		}
		var r Rerun
		var err error
		if finished, r, err = readDone(ctx, ws, run, p.variants, cases, o.RerunErrors); err != nil {
			return nil, err
		}
		defer finished.close()
		if o.RerunErrors {
			rerun = &r
		}
	} else {
		run = newRunRecord(o, p)
	}
	run.Status, run.Ended = workspace.RunRunning, time.Time{}
	runID = run.ID
	if err := ws.SaveRun(ctx, run); err != nil {
		return nil, err
	}
	out := &Outcome{Run: run, Rerun: rerun}
	ex := &execution{ws: ws, client: client, o: o, p: p, run: run, finished: finished, expected: map[string]*expectation{}}
	if ex.spool = spoolResults(o, p); ex.spool != nil {
		defer ex.spool.close()
	}
	ex.progress.Run = run.ID
	ex.execute(ctx, out)
	return ex.finish(ctx, out)
}

// withJudge gives judge scorers their rubrics and model call, unless the
// caller chose its own.
func withJudge(ws *workspace.Workspace, client eval.Completer, o Options, run func() workspace.RunID) scorer.Options {
	so := o.ScorerOptions
	if so.Rubric == nil {
		so.Rubric = ws.Prepare
	}
	if so.Judge == nil {
		so.Judge = NewJudge(ws, client, o.NoCache, run, o.now)
	}
	return so
}

// expectation is a case's expected value while its calls are out.
type expectation struct {
	value any
	left  int
}

// execution is one process's share of a run.
type execution struct {
	ws       *workspace.Workspace
	client   eval.Completer
	o        Options
	p        *plan
	run      workspace.Run
	finished *done // of a resumed run; nil for a new one
	scoring  *scoring
	spool    *spool // the results kept as the calls finish; nil: read back

	mu       sync.Mutex
	expected map[string]*expectation // by case and repeat
	partial  map[int][]eval.Case     // by variant: cases only some variants lack
	progress Progress
	storeErr error
	// readErr is a failed read of a finished entry to score again; the
	// case iterator sets it under mu.
	readErr error
}

func (ex *execution) report(update func(*Progress)) {
	if ex.o.Events == nil {
		ex.mu.Lock()
		update(&ex.progress)
		ex.mu.Unlock()
		return
	}
	ex.mu.Lock()
	update(&ex.progress)
	p := ex.progress
	ex.mu.Unlock()
	ex.o.Events(p)
}

func (ex *execution) execute(ctx context.Context, out *Outcome) {
	workers := max(4, ex.o.Concurrency)
	ex.scoring = newScoring(ctx, ex.ws, workers, ex.o.now, func(errs int) {
		ex.report(func(p *Progress) { p.Errors += errs })
	})
	ex.partial = map[int][]eval.Case{}
	all := make([]int, len(ex.p.variants))
	for i := range all {
		all[i] = i
	}
	ex.session(ctx, all, ex.cases(ctx))
	for i := range ex.p.variants {
		if cs := ex.partial[i]; len(cs) > 0 && ctx.Err() == nil {
			ex.session(ctx, []int{i}, eval.Cases(cs...))
		}
	}
	errs, err := ex.scoring.close()
	out.ScorerErrors = errs
	if err != nil {
		ex.storeErr = errors.Join(ex.storeErr, err)
	}
	ex.mu.Lock()
	ex.storeErr = errors.Join(ex.storeErr, ex.readErr)
	ex.mu.Unlock()
}

// cases streams what the run lacks. A case every variant lacks goes to
// the shared session; one only some lack (a crash between two flushes)
// waits for a session of those variants; a finished one whose scores
// were lost is scored again.
func (ex *execution) cases(ctx context.Context) iter.Seq2[eval.Case, error] {
	return func(yield func(eval.Case, error) bool) {
		total := ex.p.rows * ex.o.repeat() * len(ex.p.variants)
		ex.report(func(p *Progress) { p.Total = total })
		ordinal := uint64(0) // as readDone numbered the rows × repeats
		var calls []doneCall
		for row, rep := range rowRepeats(ex.o, ex.p) {
			c := eval.Case{ID: workspace.CaseID(row.ID), Vars: row.Vars, Repeat: rep}
			calls = ex.finished.take(ordinal, calls)
			ordinal++
			var missing []int
			for i, v := range ex.p.variants {
				j := slices.IndexFunc(calls, func(d doneCall) bool { return d.variant == i })
				if j < 0 {
					missing = append(missing, i)
					continue
				}
				e := calls[j]
				ex.report(func(p *Progress) { p.Total--; p.Cost += e.cost })
				if !e.failed && (e.unscored || ex.o.RerunErrors && e.scorerErr) {
					ex.rescore(ctx, i, v, c, row.Expected, e)
				}
			}
			if len(missing) == 0 {
				continue
			}
			ex.expect(c, row.Expected, len(missing))
			if len(missing) < len(ex.p.variants) {
				ex.mu.Lock()
				for _, i := range missing {
					ex.partial[i] = append(ex.partial[i], c)
				}
				ex.mu.Unlock()
				continue
			}
			if !yield(c, nil) {
				return
			}
		}
	}
}

func (ex *execution) expect(c eval.Case, value any, n int) {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	ex.expected[expKey(c)] = &expectation{value: value, left: n}
}

// takeExpected returns a case's expected value, forgetting it after its
// last call.
func (ex *execution) takeExpected(c eval.Case) any {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	k := expKey(c)
	e, ok := ex.expected[k]
	if !ok {
		return nil
	}
	if e.left--; e.left <= 0 {
		delete(ex.expected, k)
	}
	return e.value
}

func expKey(c eval.Case) string { return string(c.ID) + "\x00" + strconv.Itoa(c.Repeat) }

func keyOf(e workspace.LogEntry) workspace.LogKey {
	return workspace.LogKey{Prompt: e.Prompt, Version: e.Version, ID: e.ID}
}

func (ex *execution) input(v variantSpec, c eval.Case, expected any, e workspace.LogEntry) scorer.Input {
	return scorer.Input{
		Case:     scorer.Case{ID: string(c.ID), Vars: c.Vars, Expected: expected},
		Variant:  scorer.Variant{Prompt: e.Prompt, Version: e.Version, Hash: e.Hash, Model: e.Model},
		Messages: e.Messages, Output: e.Output, Latency: e.Latency,
		TokensIn: e.InputTokens, TokensOut: e.OutputTokens, CostUSD: e.Cost,
	}
}

// session runs cases through the variants at indexes in one session.
func (ex *execution) session(ctx context.Context, indexes []int, cases iter.Seq2[eval.Case, error]) {
	variants := make([]eval.Variant, len(indexes))
	byID := map[string]variantSpec{}
	for k, i := range indexes {
		variants[k] = ex.p.variants[i].Variant
		byID[variants[k].ID] = ex.p.variants[i]
	}
	s, err := eval.NewSession(ctx, eval.SessionOptions{
		Recorder: ex.ws, Client: ex.client, Concurrency: ex.o.Concurrency, NoCache: ex.o.NoCache,
		Source: "eval:" + string(ex.run.ID), Run: ex.run.ID, Now: ex.o.Now,
		Score: func(variant string, c eval.Case, e workspace.LogEntry) []workspace.Score {
			return ex.scoreInline(ctx, byID[variant], c, e)
		},
		CacheChunk: cacheChunk,
		// The report's reads and the run record's last write follow at
		// once: they use the store the last batch leaves open (Run
		// closes it).
		KeepStoreOpen: true,
	}, variants)
	if err != nil {
		ex.storeErr = errors.Join(ex.storeErr, err)
		return
	}
	for ev := range s.Run(ctx, cases) {
		switch ev := ev.(type) {
		case eval.Finished:
			expected := ex.takeExpected(ev.Case)
			e := ev.Entry
			if ex.spool != nil {
				ex.spool.add(e)
			}
			ex.report(func(p *Progress) {
				p.Done++
				p.Cost += e.Cost
				if e.Error != "" && !e.Cancelled {
					p.Failed++
				}
			})
			if e.Cancelled || e.Error != "" {
				continue
			}
			v := byID[ev.Variant]
			ex.scoring.inline(e.Scores)
			if slow := v.slowScorers(); len(slow) > 0 {
				ex.scoring.submit(scoreJob{key: keyOf(e), scorers: slow, in: ex.input(v, ev.Case, expected, e)})
			}
		case eval.Skipped:
			ex.takeExpected(ev.Case)
		case eval.Recorded:
			// Only entries awaiting slow scores: the scoring writer keeps
			// the IDs it is told of until their scores come.
			var ids []string
			for _, l := range ev.Logs {
				if len(byID[l.Variant].slowScorers()) > 0 {
					ids = append(ids, l.ID)
				}
			}
			if len(ids) > 0 {
				ex.scoring.markRecorded(ids)
			}
		case eval.FlushFailed:
			if ev.Final {
				ex.storeErr = errors.Join(ex.storeErr, fmt.Errorf("record %d log entries: %w", len(ev.Logs), ev.Err))
			}
		}
	}
}

// finish builds the report from the store and ends the run record.
func (ex *execution) finish(ctx context.Context, out *Outcome) (*Outcome, error) {
	// Ctrl-C must not lose what finished: the last writes ignore it. They
	// use the store the last batch left open, whatever its age.
	wctx := workspace.LastOperations(context.WithoutCancel(ctx))
	run := ex.run
	run.Ended = ex.o.now().UTC()
	switch {
	case ctx.Err() != nil:
		run.Status = workspace.RunInterrupted
		out.Interrupted = true
	case ex.storeErr != nil:
		run.Status = workspace.RunFailed
	default:
		run.Status = workspace.RunDone
	}
	judge, err := judgeUsage(wctx, ex.ws, run, ex.p.variants)
	if err != nil {
		return nil, err
	}
	res, err := ex.results(wctx, reportInput(ex.o, ex.p, run, judge))
	if err != nil {
		return nil, err
	}
	rep := res.Report()
	if err := res.Err(); err != nil {
		res.Close()
		return nil, fmt.Errorf("report of run %s: %w", run.ID, err)
	}
	if run.Status == workspace.RunDone && allFailed(rep) {
		run.Status = workspace.RunFailed
		rep.Status = string(run.Status)
	}
	run.Counts = workspace.RunCounts{Cases: ex.p.rows * ex.o.repeat(), Skipped: len(ex.p.invalid)}
	for _, v := range rep.Variants {
		run.Counts.Calls += v.Calls
		run.Counts.Errors += v.Errors
	}
	run.Cost = rep.TotalCost()
	if run.Summary, err = json.Marshal(rep); err != nil {
		return nil, err
	}
	if err := ex.ws.SaveRun(wctx, run); err != nil {
		ex.storeErr = errors.Join(ex.storeErr, err)
	}
	out.Run, out.Report, out.Results, out.StoreErr = run, rep, res, ex.storeErr
	return out, nil
}

// allFailed: every call failed, the provider is down or refuses us.
func allFailed(r *report.Report) bool {
	calls, errs := 0, 0
	for _, v := range r.Variants {
		calls += v.Calls
		errs += v.Errors
	}
	return calls > 0 && errs == calls
}
