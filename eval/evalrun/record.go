package evalrun

import (
	"path/filepath"
	"strconv"
	"strings"

	"promptbench/workspace"
)

// newRunRecord is a new run's record: what it evaluates and the options
// that shape it, which a resume, --rerun-errors and a shard's merge read.
func newRunRecord(o Options, p *plan) workspace.Run {
	now := o.now()
	run := workspace.Run{
		ID: workspace.NewRunID(now), Status: workspace.RunRunning, Source: "eval",
		Dataset: o.Dataset, DatasetHash: p.hash, Started: now.UTC(),
		Options: map[string]string{}, LogIndex: true,
	}
	for k, v := range o.Recorded {
		run.Options[k] = v
	}
	run.Options["repeat"] = strconv.Itoa(o.repeat())
	if o.Limit > 0 {
		run.Options["limit"] = strconv.Itoa(o.Limit)
	}
	if o.Sample > 0 {
		run.Options["sample"] = strconv.Itoa(o.Sample)
	}
	run.Options["seed"] = strconv.FormatUint(o.Seed, 10)
	if dir, err := filepath.Abs(o.ScorerOptions.Dir); err == nil && o.ScorerOptions.Dir != "" {
		run.Options["scorer_dir"] = dir // a suite's folder, for its scorers' files
	}
	if o.SkipInvalid {
		run.Options["skip_invalid"] = "true"
	}
	if !o.Shard.IsZero() {
		run.Options["shard"] = o.Shard.String()
	}
	delete(run.Options, "fail_under")
	if len(o.Gates) > 0 {
		gates := make([]string, len(o.Gates))
		for i, g := range o.Gates {
			gates[i] = g.String()
		}
		run.Options["fail_under"] = strings.Join(gates, "\n")
	}
	if len(o.Models) > 0 {
		run.Options["models"] = strings.Join(o.Models, " ")
	}
	if len(o.Scorers) > 0 {
		run.Options["scorers"] = strings.Join(o.Scorers, "\n")
	}
	for _, v := range p.variants {
		run.Variants = append(run.Variants, workspace.RunVariant{
			ID: v.ID, Ref: v.Ref, Prompt: v.prepared.Version.Prompt, Version: v.prepared.Version.Number,
			Hash: v.prepared.Version.Hash, Model: v.Model,
		})
		for _, s := range v.scorers {
			if spec := s.Spec().Spec; !contains(run.Scorers, spec) {
				run.Scorers = append(run.Scorers, spec)
			}
		}
	}
	return run
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
