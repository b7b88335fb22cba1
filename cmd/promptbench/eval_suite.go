package main

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"

	"promptbench/eval/evalrun"
	"promptbench/eval/report"
	"promptbench/eval/suite"
	"promptbench/workspace"
)

// suiteFlags are the eval flags of suites, shards and re-runs.
type suiteFlags struct {
	datasetFlag string
	shard       string
	rerunErrors string
	cmdTimeout  time.Duration
	scorerDir   string // the suite's folder: relative scorer files resolve there
	suitePath   string // the suite file, recorded with the run
}

func addSuiteFlags(fl *pflag.FlagSet, f *suiteFlags) {
	fl.StringVar(&f.datasetFlag, "dataset", "", "the dataset `FILE` (overrides a suite's dataset)")
	fl.StringVar(&f.shard, "shard", "", "run shard I of N (`I/N`, 1-based): the rows whose id hashes to I; join the shards' JSON reports with report --merge")
	fl.StringVar(&f.rerunErrors, "rerun-errors", "", "call again the cases of `RUN` whose call failed and score again the outputs a scorer failed on (amends RUN)")
	fl.DurationVar(&f.cmdTimeout, "cmd-timeout", 0, "time limit of each cmd: scorer run (default 30s)")
}

// applySuite reads the suite file given as the dataset, if it is one, and
// takes from it every value no flag gives.
func applySuite(fl *pflag.FlagSet, f *evalFlags) error {
	if f.cmdTimeout < 0 {
		return usagef(fmt.Sprintf("--cmd-timeout %s: give a positive duration such as 30s", f.cmdTimeout))
	}
	if f.datasetFlag != "" && f.dataset != "" && !suite.IsSuite(f.dataset) {
		return usagef(fmt.Sprintf("two datasets: %s and --dataset %s; give one", f.dataset, f.datasetFlag))
	}
	if f.dataset == "" || !suite.IsSuite(f.dataset) {
		if f.datasetFlag != "" {
			f.dataset = f.datasetFlag
		}
		return nil
	}
	s, err := suite.Load(f.dataset)
	if err != nil {
		return inputError(err)
	}
	f.dataset = s.Dataset
	if f.datasetFlag != "" {
		f.dataset = f.datasetFlag
	}
	if f.dataset == "" {
		return usagef(fmt.Sprintf("%s names no dataset: add `dataset: FILE` (relative to the suite's folder) or pass --dataset FILE", s.Path))
	}
	f.scorerDir = s.Dir
	f.suitePath = filepath.Join(s.Dir, filepath.Base(s.Path))
	take := func(flag, field string, set func()) {
		if !fl.Changed(flag) && s.Has(field) {
			set()
		}
	}
	take("prompt", "prompts", func() { f.prompts = s.Prompts })
	take("model", "models", func() { f.models = s.Models })
	take("scorer", "scorers", func() { f.scorers = s.Scorers })
	take("concurrency", "concurrency", func() { f.concurrency = s.Concurrency })
	take("judge", "judge", func() { f.judge = s.Judge })
	take("repeat", "repeat", func() { f.repeat = s.Repeat })
	take("limit", "limit", func() { f.limit = s.Limit })
	take("sample", "sample", func() { f.sample = s.Sample })
	take("seed", "seed", func() { f.seed = s.Seed; fl.Lookup("seed").Changed = true })
	take("skip-invalid", "skip_invalid", func() { f.skipInvalid = s.SkipInvalid })
	take("no-cache", "no_cache", func() { f.noCache = s.NoCache })
	take("cmd-timeout", "cmd_timeout", func() { f.cmdTimeout = s.CmdTimeout })
	take("fail-under", "fail_under", func() {
		f.failUnder = nil
		for _, g := range s.FailUnder {
			f.failUnder = append(f.failUnder, g.String())
		}
	})
	if len(f.prompts) == 0 && f.resume == "" && f.rerunErrors == "" {
		return usagef(fmt.Sprintf("%s names no prompts: add `prompts: [REF, …]` or pass --prompt REF", s.Path))
	}
	// A suite's values are given values: a resume compares them with the run's.
	for flag, field := range map[string]string{"repeat": "repeat", "limit": "limit", "sample": "sample"} {
		if s.Has(field) {
			fl.Lookup(flag).Changed = true
		}
	}
	return nil
}

// parseGates reads the --fail-under thresholds.
func parseGates(texts []string) ([]report.Gate, error) {
	var gates []report.Gate
	for _, t := range texts {
		g, err := report.ParseGate(t)
		if err != nil {
			return nil, usagef("--fail-under " + err.Error())
		}
		gates = append(gates, g)
	}
	return gates, nil
}

// selectRows sets the shard and, for a resume or a re-run, leaves out the
// row selection the command line did not give: the run's own is used, and
// one given that differs from it is refused.
func (f *evalFlags) selectRows(fl *pflag.FlagSet, o *evalrun.Options) error {
	if f.suitePath != "" && o.Recorded != nil {
		o.Recorded["suite"] = f.suitePath
	}
	if f.shard != "" {
		s, err := evalrun.ParseShard(f.shard)
		if err != nil {
			return usagef("--shard " + err.Error())
		}
		o.Shard = s
	}
	if f.rerunErrors != "" {
		if f.resume != "" && f.resume != f.rerunErrors {
			return usagef("--resume and --rerun-errors name two runs; give one")
		}
		o.Resume, o.RerunErrors = workspace.RunID(f.rerunErrors), true
		if f.dryRun {
			return usagef("--dry-run estimates a new run; it does not take --rerun-errors")
		}
	}
	if o.Resume == "" {
		return nil
	}
	for flag, v := range map[string]*int{"repeat": &o.Repeat, "limit": &o.Limit, "sample": &o.Sample} {
		if !fl.Changed(flag) {
			*v = 0 // the run's own
		}
	}
	if !fl.Changed("seed") {
		o.Seed = 0
	}
	return nil
}

// sayRerun tells what --rerun-errors did.
func (a *app) sayRerun(out *evalrun.Outcome) {
	r := *out.Rerun
	if r.Calls == 0 && r.Rescored == 0 {
		fmt.Fprintf(a.Err, "promptbench: run %s has no failed call and no scorer error: nothing ran again\n", out.Run.ID)
		return
	}
	fmt.Fprintf(a.Err, "promptbench: run %s amended: %d failed call(s) made again, %d output(s) scored again after a scorer error\n", out.Run.ID, r.Calls, r.Rescored)
}
