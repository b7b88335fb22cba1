package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"promptbench/storage"
	"promptbench/workspace/ab"
)

// CreateExperiment starts an experiment between versions of prompt: each
// variant names a version as a ref after @ would (a label, a number or a
// hash prefix), pinned now. Weights are whole percents summing to 100.
// Bad input (a taken name, an unknown prompt or variant, two variants of
// one version, weights that do not sum to 100) stores nothing.
func (ws *Workspace) CreateExperiment(ctx context.Context, name, prompt, keyHint string, specs []VariantSpec) (Experiment, error) {
	if err := ValidateExperimentName(name); err != nil {
		return Experiment{}, err
	}
	if err := ValidateName(prompt); err != nil {
		return Experiment{}, err
	}
	if len(specs) < 2 {
		return Experiment{}, Invalidf("experiment %s needs at least two variants, each NAME:WEIGHT", name)
	}
	weights := make([]int, len(specs))
	for i, s := range specs {
		weights[i] = s.Weight
	}
	layout, err := ab.Initial(weights)
	if err != nil {
		return Experiment{}, Invalidf("experiment %s: %v", name, err)
	}
	e := Experiment{Name: name, Prompt: prompt, KeyHint: keyHint, Status: ExperimentRunning, Author: ws.opts.Author(), Created: ws.opts.Now().UTC()}
	due, err := ws.write(ctx, func(tx *storage.Tx) error {
		if _, err := tx.GetExperiment(name); err == nil {
			return kindf(ErrExists, "an experiment named %s already exists; choose another name", name)
		} else if !errors.Is(err, storage.ErrNotFound) {
			return err
		}
		e.Variants = make([]ExperimentVariant, len(specs))
		seen := map[int]string{}
		for i, s := range specs {
			v, err := resolveVariant(tx, prompt, s.Name)
			if err != nil {
				return err
			}
			if other, dup := seen[v.Number]; dup {
				return Invalidf("variants %s and %s are both %s@%d; an experiment compares different versions", other, s.Name, prompt, v.Number)
			}
			seen[v.Number] = s.Name
			e.Variants[i] = ExperimentVariant{Name: s.Name, Version: v.Number, Hash: v.Hash, Weight: s.Weight, Buckets: layout[i]}
		}
		if err := PutExperiment(tx, e); err != nil {
			return err
		}
		return AppendAudit(tx, AuditEvent{Time: e.Created, Author: e.Author, Action: AuditExperiment, Prompt: prompt, Detail: fmt.Sprintf("create %s: %s", name, variantText(e))})
	})
	return e, ws.changed(ctx, due, err)
}

// changed follows a saved change as every writer here does: the export
// file first, then compaction when due.
func (ws *Workspace) changed(ctx context.Context, due bool, err error) error {
	if err != nil {
		return err
	}
	err = ws.Changed(ctx)
	ws.maintainIf(due)
	return err
}

// resolveVariant finds the version a variant name stands for.
func resolveVariant(tx *storage.Tx, prompt, name string) (Version, error) {
	if name == "" || strings.ContainsAny(name, "@:") {
		return Version{}, Invalidf("variant %q: write a label (production), a version number (4) or a hash prefix", name)
	}
	r, err := ParseRef(prompt + "@" + name)
	if err != nil {
		return Version{}, err
	}
	_, v, err := resolveRef(tx, r)
	return v, err
}

func variantText(e Experiment) string {
	parts := make([]string, len(e.Variants))
	for i, v := range e.Variants {
		parts[i] = fmt.Sprintf("%s (v%d) %d%%", v.Name, v.Version, v.Weight)
	}
	return strings.Join(parts, ", ")
}

// SetWeights changes a running experiment's weights: every variant named
// once with its new weight, summing to 100. Keys move only from variants
// whose weight falls to variants whose weight rises (ab.Rebalance).
func (ws *Workspace) SetWeights(ctx context.Context, name string, specs []VariantSpec) (Experiment, error) {
	var e Experiment
	due, err := ws.write(ctx, func(tx *storage.Tx) error {
		var err error
		if e, err = GetExperiment(tx, name); err != nil {
			return err
		}
		if e.Status != ExperimentRunning {
			return Invalidf("experiment %s is stopped; its weights no longer matter", name)
		}
		weights := make([]int, len(e.Variants))
		given := make([]bool, len(e.Variants))
		for _, s := range specs {
			i := e.Variant(s.Name)
			if i < 0 {
				return Invalidf("experiment %s has no variant %s (it has %s)", name, s.Name, variantNames(e))
			}
			if given[i] {
				return Invalidf("variant %s is given twice", s.Name)
			}
			weights[i], given[i] = s.Weight, true
		}
		for i, g := range given {
			if !g {
				return Invalidf("give every variant its weight: %s is missing (the variants are %s)", e.Variants[i].Name, variantNames(e))
			}
		}
		layout, err := ab.Rebalance(e.Layout(), weights)
		if err != nil {
			return Invalidf("experiment %s: %v", name, err)
		}
		before := variantText(e)
		for i := range e.Variants {
			e.Variants[i].Weight, e.Variants[i].Buckets = weights[i], layout[i]
		}
		if err := PutExperiment(tx, e); err != nil {
			return err
		}
		return AppendAudit(tx, AuditEvent{Time: ws.opts.Now().UTC(), Author: ws.opts.Author(), Action: AuditExperiment, Prompt: e.Prompt, Detail: fmt.Sprintf("weights %s: %s -> %s", name, before, variantText(e))})
	})
	if err != nil {
		return Experiment{}, err
	}
	return e, ws.changed(ctx, due, nil)
}

func variantNames(e Experiment) string {
	names := make([]string, len(e.Variants))
	for i, v := range e.Variants {
		names[i] = v.Name
	}
	return strings.Join(names, ", ")
}

// StopResult is a stopped experiment and, when the winner was promoted,
// the label move.
type StopResult struct {
	Experiment Experiment
	Move       *LabelMove
}

// StopExperiment ends a running experiment. winner, when given, is a
// variant's name or a ref (name@4, 4, production) of one of the
// variants' versions; promote moves the prompt's production label to it
// in the same transaction as the stop, audited as a label move.
func (ws *Workspace) StopExperiment(ctx context.Context, name, winner string, promote bool) (StopResult, error) {
	if promote && winner == "" {
		return StopResult{}, Invalidf("promoting needs a winner: name the variant that won")
	}
	var res StopResult
	due, err := ws.write(ctx, func(tx *storage.Tx) error {
		e, err := GetExperiment(tx, name)
		if err != nil {
			return err
		}
		if e.Status != ExperimentRunning {
			return Invalidf("experiment %s was already stopped on %s", name, e.Stopped.Format("2006-01-02 15:04"))
		}
		now, author := ws.opts.Now().UTC(), ws.opts.Author()
		if winner != "" {
			i, err := winnerIndex(tx, e, winner)
			if err != nil {
				return err
			}
			e.Winner = e.Variants[i].Name
			if promote {
				p, v, err := resolveRef(tx, Ref{Name: e.Prompt, Number: e.Variants[i].Version})
				if err != nil {
					return err
				}
				if v.Hash != e.Variants[i].Hash {
					return Invalidf("%s@%d is no longer the version the experiment served (hash %s, now %s)", e.Prompt, v.Number, e.Variants[i].Hash[:12], v.ShortHash())
				}
				mv, err := ws.moveLabel(tx, p, v, "production", author, now, false)
				if err != nil {
					return err
				}
				res.Move, e.Promoted = &mv, true
			}
		}
		e.Status, e.Stopped = ExperimentStopped, now
		if err := PutExperiment(tx, e); err != nil {
			return err
		}
		res.Experiment = e
		detail := "stop " + name
		if e.Winner != "" {
			detail += fmt.Sprintf(": winner %s (v%d)", e.Winner, e.Variants[e.Variant(e.Winner)].Version)
		}
		if e.Promoted {
			detail += ", promoted to production"
		}
		return AppendAudit(tx, AuditEvent{Time: now, Author: author, Action: AuditExperiment, Prompt: e.Prompt, Detail: detail})
	})
	if err != nil {
		return StopResult{}, err
	}
	return res, ws.changed(ctx, due, nil)
}

// winnerIndex finds the variant a --winner names: its name, or a ref of
// its version.
func winnerIndex(tx *storage.Tx, e Experiment, winner string) (int, error) {
	if i := e.Variant(winner); i >= 0 {
		return i, nil
	}
	ref := winner
	if !strings.Contains(ref, "@") {
		ref = e.Prompt + "@" + winner
	}
	r, err := ParseRef(ref)
	if err != nil {
		return -1, err
	}
	if r.Name != e.Prompt {
		return -1, Invalidf("winner %s is not a version of %s, the experiment's prompt", winner, e.Prompt)
	}
	_, v, err := resolveRef(tx, r)
	if err != nil {
		return -1, err
	}
	for i, ev := range e.Variants {
		if ev.Version == v.Number {
			return i, nil
		}
	}
	return -1, Invalidf("winner %s is %s@%d, which is none of the variants (%s)", winner, e.Prompt, v.Number, variantNames(e))
}
