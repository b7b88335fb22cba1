package evalrun

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"slices"
	"strconv"

	"promptbench/eval"
	"promptbench/eval/dataset"
	"promptbench/eval/provider"
	"promptbench/eval/scorer"
	"promptbench/workspace"
)

// modelChecker tells a bad model name before any call
// (*provider.Registry).
type modelChecker interface {
	Resolve(model string) (*provider.Provider, string, error)
}

// plan is everything checked before the first call.
type plan struct {
	variants []variantSpec
	invalid  map[string]bool // row IDs skipped with --skip-invalid
	skipped  []InvalidRow
	rows     int // rows that run
	hash     string
}

// rows streams the dataset rows the options select.
func (o Options) rows() iter.Seq2[dataset.Row, error] {
	return o.selectRows(dataset.Read(o.Dataset))
}

// rowsAgain streams them once check has read them: without the check of
// duplicate IDs, whose set would stay in memory for the whole run.
func (o Options) rowsAgain() iter.Seq2[dataset.Row, error] {
	return o.selectRows(dataset.ReadAgain(o.Dataset))
}

// rowRepeats goes over a run's rows × repeats in the order a run does:
// the dataset's selected rows, without unreadable and invalid ones.
func rowRepeats(o Options, p *plan) iter.Seq2[dataset.Row, int] {
	return func(yield func(dataset.Row, int) bool) {
		for row, err := range o.rowsAgain() {
			if err != nil || p.invalid[row.ID] {
				continue
			}
			for rep := range o.repeat() {
				if !yield(row, rep) {
					return
				}
			}
		}
	}
}

func (o Options) selectRows(rows iter.Seq2[dataset.Row, error]) iter.Seq2[dataset.Row, error] {
	if o.Sample > 0 {
		rows = dataset.Sample(rows, o.Sample, o.Seed)
	}
	if o.Limit > 0 {
		rows = dataset.Limit(rows, o.Limit)
	}
	if !o.Shard.IsZero() {
		rows = dataset.Shard(rows, o.Shard.I, o.Shard.N)
	}
	return rows
}

// variantID names a variant in reports: the version, with the model when
// several models run.
func variantID(p *workspace.Prepared, model string, models int) string {
	id := p.Version.Prompt + "@" + strconv.Itoa(p.Version.Number)
	if models > 1 {
		id += " " + model
	}
	return id
}

// prepareVariants resolves the prompts × models and builds their scorers.
func prepareVariants(ctx context.Context, ws *workspace.Workspace, o Options) ([]variantSpec, error) {
	if len(o.Prompts) == 0 {
		return nil, badInput("--eval needs at least one --prompt REF")
	}
	models := o.Models
	if len(models) == 0 {
		models = []string{""}
	}
	built := map[string]*scorer.Scorer{}
	var out []variantSpec
	for _, ref := range o.Prompts {
		p, err := ws.Prepare(ctx, ref)
		if err != nil {
			return nil, err
		}
		specs := slices.Concat(p.Version.Scorers, o.Scorers)
		var scs []*scorer.Scorer
		for i, spec := range specs {
			if slices.Contains(specs[:i], spec) {
				continue
			}
			s, ok := built[spec]
			if !ok {
				if s, err = scorer.New(ctx, spec, o.ScorerOptions); err != nil {
					return nil, err
				}
				built[spec] = s
			}
			scs = append(scs, s)
		}
		for _, m := range models {
			model := m
			if model == "" {
				model = p.Version.Config.Model
			}
			if model == "" {
				return nil, &eval.NoModelError{Prompt: p.Version.Prompt, Version: p.Version.Number}
			}
			id := variantID(p, model, len(o.Models))
			if slices.ContainsFunc(out, func(v variantSpec) bool { return v.ID == id }) {
				return nil, badInput("variant %s is given twice (two refs name the same version); each variant runs once", id)
			}
			v := eval.Variant{ID: id, Ref: p.Version.Prompt + "@" + strconv.Itoa(p.Version.Number), Model: model}
			out = append(out, variantSpec{Variant: v, prepared: p, scorers: scs})
		}
	}
	return out, nil
}

// check reads the dataset once and renders every row with every variant:
// a run never starts on rows it cannot render, unless told to skip them.
func check(o Options, variants []variantSpec) (map[string]bool, []InvalidRow, int, error) {
	var bad []InvalidRow
	badIDs := map[string]bool{}
	rows := 0
	for row, err := range o.rows() {
		if err != nil {
			var de *dataset.Error
			if errors.As(err, &de) {
				return nil, nil, 0, badInput("%s", de.Error())
			}
			return nil, nil, 0, err
		}
		rows++
		for _, v := range variants {
			inv := InvalidRow{Line: row.Line, ID: row.ID, Variant: v.ID}
			if _, err := v.prepared.Render(row.Vars); err != nil {
				var mv *workspace.MissingVariablesError
				if errors.As(err, &mv) {
					inv.Missing = mv.Names
				} else {
					inv.Err = err.Error()
				}
			} else if row.Expected == nil {
				for _, s := range v.scorers {
					if s.NeedsExpected() {
						inv.Err = fmt.Sprintf("scorer %s needs an \"expected\" value", s.Spec().Spec)
						break
					}
				}
			}
			if len(inv.Missing) > 0 || inv.Err != "" {
				bad = append(bad, inv)
				badIDs[row.ID] = true
				break
			}
		}
	}
	if len(bad) > 0 && !o.SkipInvalid {
		listed := bad[:min(len(bad), MaxListed)]
		return nil, nil, 0, &InvalidRowsError{Dataset: o.Dataset, Rows: listed, Count: len(bad)}
	}
	// A shard may hold no row of a small dataset: its empty report still
	// merges with the others.
	if rows-len(badIDs) == 0 && o.Shard.IsZero() {
		return nil, nil, 0, badInput("%s: no row left to evaluate", o.Dataset)
	}
	return badIDs, bad, rows - len(badIDs), nil
}

// newPlan checks everything before the first call.
func newPlan(ctx context.Context, ws *workspace.Workspace, client eval.Completer, o Options) (*plan, error) {
	if o.Dataset == "" {
		return nil, badInput("--eval needs a dataset file (.jsonl, .csv or .json)")
	}
	if _, err := dataset.FormatOf(o.Dataset); err != nil {
		return nil, badInput("%s", err.Error())
	}
	if _, err := os.Stat(o.Dataset); err != nil {
		return nil, badInput("dataset %s: %v", o.Dataset, errors.Unwrap(err))
	}
	vs, err := prepareVariants(ctx, ws, o)
	if err != nil {
		return nil, err
	}
	if mc, ok := client.(modelChecker); ok {
		for _, v := range vs {
			if _, _, err := mc.Resolve(v.Model); err != nil && !(o.dryRun && errors.Is(err, provider.ErrNoAPIKey)) {
				return nil, err
			}
		}
	}
	invalid, skipped, rows, err := check(o, vs)
	if err != nil {
		return nil, err
	}
	hash, err := dataset.Hash(o.Dataset)
	if err != nil {
		return nil, err
	}
	return &plan{variants: vs, invalid: invalid, skipped: skipped, rows: rows, hash: hash}, nil
}
