package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"promptbench/eval"
	"promptbench/eval/evalrun"
	"promptbench/eval/merge"
	"promptbench/eval/provider"
	"promptbench/eval/report"
	"promptbench/eval/scorer"
	"promptbench/workspace"
)

// evalFlags are the flags of `--eval` and `eval`.
type evalFlags struct {
	dataset     string
	prompts     []string
	models      []string
	scorers     []string
	concurrency int
	repeat      int
	limit       int
	sample      int
	seed        uint64
	failUnder   []string
	format      string
	output      string
	noCache     bool
	skipInvalid bool
	resume      string
	dryRun      bool
	judge       string
	suiteFlags
}

func addEvalFlags(fl *pflag.FlagSet, f *evalFlags) {
	fl.StringArrayVar(&f.prompts, "prompt", nil, "a prompt version to evaluate, by ref (repeatable)")
	fl.StringArrayVar(&f.models, "model", nil, "model as provider/model (repeatable; default: each version's own)")
	fl.StringArrayVar(&f.scorers, "scorer", nil, "a scorer spec added to each version's own (repeatable)")
	fl.IntVar(&f.concurrency, "concurrency", 8, "calls in flight")
	fl.IntVar(&f.repeat, "repeat", 1, "calls per row and variant")
	fl.IntVar(&f.limit, "limit", 0, "evaluate only the first N rows")
	fl.IntVar(&f.sample, "sample", 0, "evaluate a random N rows (reproducible with --seed)")
	fl.Uint64Var(&f.seed, "seed", 1, "seed of --sample and of the report's resampling")
	fl.StringArrayVar(&f.failUnder, "fail-under", nil, "exit 1 when a pass rate is below X: X (every scorer), SPEC=X, pass^k=X or pass^k:SPEC=X (repeatable)")
	fl.StringVar(&f.format, "format", "table", "report format: "+strings.Join(report.Formats, ", "))
	fl.StringVarP(&f.output, "output", "o", "", "write the report to FILE instead of stdout")
	fl.BoolVar(&f.noCache, "no-cache", false, "always call the models, never the response cache")
	fl.BoolVar(&f.skipInvalid, "skip-invalid", false, "run the rows every variant can render and report the others")
	fl.StringVar(&f.resume, "resume", "", "finish an interrupted run: only its missing cases run")
	fl.StringVar(&f.judge, "judge", "", "the model of judge:RUBRIC scorers, provider/model (default: the rubric version's own)")
	fl.BoolVar(&f.dryRun, "dry-run", false, "check everything and print the calls, expected cache hits, tokens and cost; call nothing")
	addSuiteFlags(fl, &f.suiteFlags)
}

func (a *app) evalCommand() *cobra.Command {
	var f evalFlags
	cmd := &cobra.Command{
		Use:   "eval DATASET|SUITE --prompt REF [--prompt REF]... [flags]",
		Short: "Evaluate prompt versions over a dataset (also: promptbench --eval DATASET)",
		Long: `eval runs every row of DATASET (.jsonl, .csv or .json) through every variant
(each --prompt × each --model; without --model, each version's own model),
scores each output with the version's default scorers and every --scorer,
records the calls as log entries of a run, and prints a report: per variant
pass rates with 95% Wilson intervals, latency, tokens and cost, and with two
or more variants a paired comparison of each against the first.

A SUITE (.yaml or .yml, or a .json object) names the dataset, prompts,
models, scorers, fail_under thresholds and other flags in a file kept in the
repository; flags override it, and its paths are relative to its folder.

Every row is rendered with every variant before any call: a row missing a
variable stops the run (exit 2) unless --skip-invalid. Ctrl-C stops cleanly;
--resume RUN runs only what the run lacks; --rerun-errors RUN calls again
what failed. --shard I/N runs a share of the rows; report --merge joins the
shards' JSON reports.

Exit status: 0 pass, 1 a --fail-under threshold missed, 2 bad input,
3 a provider or store failure (or an interrupted run).`,
		Example: `  promptbench eval tickets.jsonl --prompt support/ticket-classifier@1 --prompt support/ticket-classifier@2 --model echo/echo
  promptbench --eval tickets.jsonl --prompt support/ticket-classifier --fail-under 0.9 --format json -o report.json
  promptbench eval --resume 20261130-064501-ab12
  promptbench --eval evals/support.yaml --fail-under 'pass^k:icontains:billing=0.8' --repeat 3`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef(fmt.Sprintf("eval takes one dataset, got %d: %s", len(args), cmd.UseLine()))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				f.dataset = args[0]
			}
			return a.evaluate(cmd, f)
		},
	}
	addEvalFlags(cmd.Flags(), &f)
	return cmd
}

func (a *app) evaluate(cmd *cobra.Command, f evalFlags) error {
	ctx := cmd.Context()
	if err := applySuite(cmd.Flags(), &f); err != nil {
		return err
	}
	if f.dataset == "" && f.resume == "" && f.rerunErrors == "" {
		return usagef("--eval needs a dataset: promptbench --eval DATASET --prompt REF")
	}
	if !slices.Contains(report.Formats, f.format) {
		return usagef(fmt.Sprintf("--format %q: use %s", f.format, strings.Join(report.Formats, " or ")))
	}
	if f.concurrency < 1 || f.repeat < 1 || f.limit < 0 || f.sample < 0 {
		return usagef("--concurrency and --repeat must be at least 1, --limit and --sample not negative")
	}
	gates, err := parseGates(f.failUnder)
	if err != nil {
		return err
	}
	ws, err := a.openWorkspace("eval")
	if err != nil {
		return err
	}
	reg, err := provider.NewRegistry(ws.Config.Providers, provider.Options{Getenv: a.getenv})
	if err != nil {
		return inputError(err)
	}
	recorded := map[string]string{"concurrency": strconv.Itoa(f.concurrency)}
	if f.noCache {
		recorded["no_cache"] = "true"
	}
	o := evalrun.Options{
		Dataset: f.dataset, Prompts: f.prompts, Models: f.models, Scorers: f.scorers,
		Concurrency: f.concurrency, Repeat: f.repeat, Limit: f.limit, Sample: f.sample, Seed: f.seed,
		NoCache: f.noCache, SkipInvalid: f.skipInvalid, Resume: workspace.RunID(f.resume),
		ScorerOptions: scorer.Options{JudgeModel: f.judge, Dir: f.scorerDir, CmdTimeout: f.cmdTimeout}, Recorded: recorded, Now: a.now,
		Gates: gates,
	}
	if err := f.selectRows(cmd.Flags(), &o); err != nil {
		return err
	}
	if f.dryRun {
		if f.resume != "" {
			return usagef("--dry-run estimates a new run; it does not take --resume")
		}
		est, err := evalrun.DryRun(ctx, ws, reg, o)
		if err != nil {
			return evalInputError(err)
		}
		return a.printEstimate(f.dataset, f.repeat, est)
	}
	boundEvalMemory(a.getenv)
	prog := a.newProgress(reg.Throttles)
	o.Events = prog.update
	out, err := evalrun.Run(ctx, ws, reg, o, nil)
	prog.stop()
	if err != nil {
		return evalInputError(err)
	}
	defer out.Results.Close()
	if err := a.writeReport(cmd.Context(), ws, out.Run, out.Report, out.Results, f.format, f.output); err != nil {
		return err
	}
	return a.evalStatus(out)
}

// evalInputError words what stopped an evaluation before its first call.
func evalInputError(err error) error {
	var noModel *eval.NoModelError
	if errors.As(err, &noModel) {
		return usagef(fmt.Sprintf("%s; pass --model provider/model (echo/echo answers offline)", noModel))
	}
	return inputError(err)
}

// evalStatus words how the run ended and picks the exit code.
func (a *app) evalStatus(out *evalrun.Outcome) error {
	id := out.Run.ID
	if out.Rerun != nil {
		a.sayRerun(out)
	}
	switch {
	case out.Interrupted:
		fmt.Fprintf(a.Err, "promptbench: run %s interrupted; finished cases are kept. Resume it with: promptbench eval --resume %s\n", id, id)
		return exitStatus(exitFailure)
	case out.StoreErr != nil:
		fmt.Fprintf(a.Err, "promptbench: run %s failed: %s; resume it with: promptbench eval --resume %s\n", id, out.StoreErr, id)
		return exitStatus(exitFailure)
	case out.Run.Status == workspace.RunFailed:
		fmt.Fprintf(a.Err, "promptbench: run %s failed: every call failed (`promptbench providers check`); resume it with: promptbench eval --resume %s\n", id, id)
		return exitStatus(exitFailure)
	}
	if missed := out.Report.Missed(); len(missed) > 0 {
		if shard := out.Run.Options["shard"]; shard != "" {
			fmt.Fprintf(a.Err, "promptbench: run %s (shard %s): %d threshold(s) missed in this shard alone; the thresholds are checked over every shard by `promptbench report --merge`\n", id, shard, len(missed))
			return nil
		}
		fmt.Fprintf(a.Err, "promptbench: run %s: %d threshold(s) below --fail-under: %s on %s, %s (see the report)\n", id, len(missed), missed[0].Variant, missed[0].Scorer, missed[0].Text(out.Report.Repeat))
		return exitStatus(exitBelow)
	}
	return nil
}

// writeReport writes the report to stdout or to a file (whole or not at
// all). The per-case formats stream the run's entries from the store; res,
// when the run just computed them, saves reading the run twice.
func (a *app) writeReport(ctx context.Context, ws *workspace.Workspace, run workspace.Run, r *report.Report, res *report.Results, format, output string) error {
	if format == "json" && merge.Sharded(run) {
		return a.writeShardRecord(ctx, ws, run, r, output)
	}
	if report.PerCase(format) && res == nil {
		var err error
		if res, err = evalrun.CollectResults(ctx, ws, run, report.InputOf(run, r)); err != nil {
			return err
		}
		defer res.Close()
	}
	if run.LogIndex && report.PerCase(format) && format != "html" {
		// Every case: one pass over the run's entries, not a lookup each.
		res.UseSweep(evalrun.Sweep(ctx, ws, run))
	}
	write := func(w io.Writer) error { return report.Write(w, r, format, res, evalrun.Fetch(ctx, ws)) }
	if output == "" {
		return write(a.Out)
	}
	if err := workspace.WriteAtomic(output, write); err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	return nil
}
