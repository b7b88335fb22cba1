package evalrun

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"promptbench/eval"
	"promptbench/workspace"
)

// done is what a run already has: for each variant × case × repeat, its
// latest finished (not cancelled) call, reduced to what a resume decides
// with. The entries' texts stay in the store: a resume of a run with
// long outputs holds a few dozen bytes per case, and reads the whole
// entry only of a call it scores again.
type done map[string]doneCall

// doneCall is one finished call of a run.
type doneCall struct {
	id        string // its log entry's id
	cost      float64
	failed    bool // the call ended with a provider error
	unscored  bool // a scorer of its variant has not scored it (a crash came between)
	scorerErr bool // a scorer failed on it
}

func doneKey(variant int, id workspace.CaseID, repeat int) string {
	return strconv.Itoa(variant) + "\x00" + strconv.Itoa(repeat) + "\x00" + string(id)
}

// readDone reads what run has of variants vs (the run's own, in its
// order), one version's entries at a time and without their texts.
func readDone(ctx context.Context, ws *workspace.Workspace, run workspace.Run, vs []variantSpec) (done, error) {
	d := done{}
	err := eachRunEntry(ctx, ws, run, func(e workspace.LogEntry) error {
		if e.Cancelled {
			return nil
		}
		i := variantOf(run, e)
		if i < 0 {
			return nil
		}
		k := doneKey(i, e.Case, e.Repeat)
		if old, ok := d[k]; ok && old.id > e.ID {
			return nil
		}
		d[k] = doneCall{id: e.ID, cost: e.Cost, failed: e.Error != "",
			unscored: len(unscored(vs[i].scorers, e.Scores)) > 0, scorerErr: hasScorerError(e)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// rescore reads the whole entry of a finished call of variant i and scores
// it again: by the scorers that have not scored it, or with
// --rerun-errors after a scorer error by all of them.
func (ex *execution) rescore(ctx context.Context, i int, v variantSpec, c eval.Case, expected any, d doneCall) {
	rv := ex.run.Variants[i]
	entries, err := ex.ws.LogsByKey(ctx, []workspace.LogKey{{Prompt: rv.Prompt, Version: rv.Version, ID: d.id}})
	if err != nil {
		ex.mu.Lock()
		ex.readErr = errors.Join(ex.readErr, fmt.Errorf("read log %s to score it again: %w", d.id, err))
		ex.mu.Unlock()
		return
	}
	e := entries[0]
	if e.ID == "" {
		return // removed meanwhile
	}
	scorers := unscored(v.scorers, e.Scores)
	if ex.o.RerunErrors && hasScorerError(e) {
		scorers = v.scorers
	}
	if len(scorers) > 0 {
		ex.scoring.submit(scoreJob{key: keyOf(e), scorers: scorers, in: ex.input(v, c, expected, e), recorded: true})
	}
}
