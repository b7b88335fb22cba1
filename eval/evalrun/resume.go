package evalrun

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"promptbench/eval/report"
	"promptbench/workspace"
)

// resumeOptions fills what a resumed run's command line leaves out from
// its record, and refuses a run that is unknown, finished (unless its
// errors are to run again) or started with other options.
func resumeOptions(ctx context.Context, ws *workspace.Workspace, o Options) (workspace.Run, Options, error) {
	run, err := ws.Run(ctx, o.Resume)
	if err != nil {
		return run, o, err
	}
	if run.Status == workspace.RunDone && !o.RerunErrors {
		return run, o, badInput("run %s is done: every case ran; `promptbench report %s` shows it again (--rerun-errors %s runs its failed cases again)", run.ID, run.ID, run.ID)
	}
	rec := run.Options
	if o.Dataset == "" {
		o.Dataset = run.Dataset
	} else if !samePath(o.Dataset, run.Dataset) {
		return run, o, badInput("run %s evaluated %s, not %s; resume it without a dataset or with the same one", run.ID, run.Dataset, o.Dataset)
	}
	if len(o.Prompts) == 0 {
		for _, v := range run.Variants {
			ref := v.Prompt + "@" + strconv.Itoa(v.Version)
			if !slices.Contains(o.Prompts, ref) {
				o.Prompts = append(o.Prompts, ref)
			}
		}
		if rec["models"] != "" {
			o.Models = strings.Split(rec["models"], " ")
		}
	}
	var differs []string
	differ := func(flag, given, had string) {
		if had == "" {
			had = "none"
		}
		differs = append(differs, fmt.Sprintf("--%s %s (the run had %s)", flag, given, had))
	}
	if len(o.Scorers) > 0 && strings.Join(o.Scorers, "\n") != rec["scorers"] {
		differ("scorer", strings.Join(o.Scorers, ", "), strings.ReplaceAll(rec["scorers"], "\n", ", "))
	}
	o.Scorers = nil
	if rec["scorers"] != "" {
		o.Scorers = strings.Split(rec["scorers"], "\n")
	}
	// Zero is "not given": the command line leaves these out to mean the
	// run's own.
	for _, f := range []struct {
		flag string
		v    *int
		def  int
	}{{"repeat", &o.Repeat, 1}, {"limit", &o.Limit, 0}, {"sample", &o.Sample, 0}} {
		had, err := strconv.Atoi(rec[f.flag])
		if err != nil {
			had = f.def
		}
		if *f.v != 0 && *f.v != had {
			hadText := strconv.Itoa(had)
			if had == 0 {
				hadText = "" // no limit, no sample
			}
			differ(f.flag, strconv.Itoa(*f.v), hadText)
		}
		*f.v = had
	}
	seed := uint64(1) // runs that did not sample recorded no seed before 2026-11-30
	if s, err := strconv.ParseUint(rec["seed"], 10, 64); err == nil {
		seed = s
	}
	if o.Seed != 0 && o.Seed != seed {
		differ("seed", strconv.FormatUint(o.Seed, 10), strconv.FormatUint(seed, 10))
	}
	o.Seed = seed
	shard, _ := ParseShard(rec["shard"])
	if !o.Shard.IsZero() && o.Shard != shard {
		differ("shard", o.Shard.String(), shard.String())
	}
	o.Shard = shard
	if len(differs) > 0 {
		return run, o, badInput("run %s was started with other options: %s; resume it without these flags, or start a new run", run.ID, strings.Join(differs, ", "))
	}
	if !o.SkipInvalid {
		o.SkipInvalid = rec["skip_invalid"] == "true"
	}
	if len(o.Gates) == 0 {
		o.Gates = recordedGates(rec)
	}
	if o.ScorerOptions.Dir == "" {
		o.ScorerOptions.Dir = rec["scorer_dir"]
	}
	return run, o, nil
}

// recordedGates reads the fail_under thresholds a run recorded.
func recordedGates(rec map[string]string) []report.Gate {
	var gates []report.Gate
	for _, line := range strings.Split(rec["fail_under"], "\n") {
		if g, err := report.ParseGate(line); err == nil && line != "" {
			gates = append(gates, g)
		}
	}
	return gates
}

// samePath: two spellings of one file (relative to here, absolute).
func samePath(a, b string) bool {
	if a == b {
		return true
	}
	aa, err1 := filepath.Abs(a)
	ab, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == ab
}

// sameVariants refuses a resume whose variants differ from the run's.
func sameVariants(run workspace.Run, vs []variantSpec) error {
	if len(run.Variants) != len(vs) {
		return badInput("run %s has %d variant(s), this command %d; resume it with the same prompts and models (or none)", run.ID, len(run.Variants), len(vs))
	}
	for i, v := range vs {
		rv := run.Variants[i]
		if rv.Hash != v.prepared.Version.Hash || rv.Model != v.Model || rv.Prompt != v.prepared.Version.Prompt {
			return badInput("run %s ran %s@%d with %s; this command has %s@%d with %s", run.ID, rv.Prompt, rv.Version, rv.Model, v.prepared.Version.Prompt, v.prepared.Version.Number, v.Model)
		}
	}
	return nil
}

// judgeSource is the source of a judge scorer's calls.
const judgeSource = "judge"

// runSince bounds a run's entries in time: none is older than the run, so
// a query reads only the entries since it started, not the version's
// whole log (the run filter reads each entry).
func runSince(run workspace.Run) time.Time {
	if run.Started.IsZero() {
		return time.Time{}
	}
	return run.Started.Add(-time.Second) // clock steps between processes
}

// RunEntries reads the log entries of a run's variants, version by
// version, without their texts (workspace.RunLogs); a judge's calls are
// the rubric's, not the run's.
func RunEntries(ctx context.Context, ws *workspace.Workspace, run workspace.Run) ([]workspace.LogEntry, error) {
	var all []workspace.LogEntry
	err := eachRunEntry(ctx, ws, run, func(e workspace.LogEntry) error {
		all = append(all, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return all, nil
}
