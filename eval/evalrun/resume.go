package evalrun

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"promptbench/workspace"
)

// resumeOptions fills what a resumed run's command line leaves out from
// its record, and refuses a run that is unknown, finished or different.
func resumeOptions(ctx context.Context, ws *workspace.Workspace, o Options) (workspace.Run, Options, error) {
	run, err := ws.Run(ctx, o.Resume)
	if err != nil {
		return run, o, err
	}
	if run.Status == workspace.RunDone {
		return run, o, badInput("run %s is done: every case ran; `promptbench report %s` shows it again", run.ID, run.ID)
	}
	rec := run.Options
	if o.Dataset == "" {
		o.Dataset = run.Dataset
	} else if o.Dataset != run.Dataset {
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
	if len(o.Scorers) == 0 && rec["scorers"] != "" {
		o.Scorers = strings.Split(rec["scorers"], "\n")
	}
	atoi := func(k string) int { n, _ := strconv.Atoi(rec[k]); return n }
	if o.Repeat == 0 {
		o.Repeat = atoi("repeat")
	}
	if o.Limit == 0 {
		o.Limit = atoi("limit")
	}
	if o.Sample == 0 {
		o.Sample = atoi("sample")
		seed, _ := strconv.ParseUint(rec["seed"], 10, 64)
		o.Seed = seed
	}
	if !o.SkipInvalid {
		o.SkipInvalid = rec["skip_invalid"] == "true"
	}
	return run, o, nil
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

// done is what a run already has: for each variant × case × repeat, its
// latest finished (not cancelled) entry.
type done map[string]workspace.LogEntry

func doneKey(variant int, id workspace.CaseID, repeat int) string {
	return strconv.Itoa(variant) + "\x00" + strconv.Itoa(repeat) + "\x00" + string(id)
}

// judgeSource is the source of a judge scorer's calls.
const judgeSource = "judge"

// RunEntries reads the log entries of a run's variants, version by
// version (a judge's calls are the rubric's, not the run's).
func RunEntries(ctx context.Context, ws *workspace.Workspace, run workspace.Run) ([]workspace.LogEntry, error) {
	var all []workspace.LogEntry
	seen := map[string]bool{}
	for _, v := range run.Variants {
		pv := v.Prompt + "@" + strconv.Itoa(v.Version)
		if seen[pv] {
			continue
		}
		seen[pv] = true
		q := workspace.LogQuery{Prompt: v.Prompt, Version: v.Version, Run: run.ID, Limit: 1000}
		for {
			page, err := ws.QueryLogs(ctx, q)
			if err != nil {
				return nil, err
			}
			for _, e := range page.Entries {
				if e.Source != judgeSource {
					all = append(all, e)
				}
			}
			if page.Next == "" {
				break
			}
			q.Before = page.Next
		}
	}
	return all, nil
}

func finishedOf(entries []workspace.LogEntry, run workspace.Run) done {
	d := done{}
	for _, e := range entries {
		if e.Cancelled {
			continue
		}
		i := slices.IndexFunc(run.Variants, func(v workspace.RunVariant) bool {
			return v.Prompt == e.Prompt && v.Version == e.Version && v.Model == e.Model
		})
		if i < 0 {
			continue
		}
		k := doneKey(i, e.Case, e.Repeat)
		if old, ok := d[k]; !ok || old.ID < e.ID {
			d[k] = e
		}
	}
	return d
}
