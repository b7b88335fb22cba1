package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/charmbracelet/x/term"

	"promptbench/eval"
	"promptbench/eval/provider"
	"promptbench/tui/termtext"
	"promptbench/workspace"
)

type runFlags struct {
	pairs    []string
	varsFile string
	models   []string
	noCache  bool
	asJSON   bool
	stream   string
}

func (a *app) runCommand() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run REF",
		Short: "Call the model(s) with a rendered version; every call is logged",
		Long: `Renders REF with the variables and makes one call per --model (the version's
own model when none is given), streamed to the terminal as it arrives, then a line
with tokens, latency and cost on stderr. Every call becomes a log entry of the
version. Identical requests are answered from the response cache unless --no-cache.
The offline echo provider (--model echo/echo) answers with the prompt itself.`,
		Example: `  promptbench run comedian --var topic=cats
  promptbench run support-reply@production --vars case.json --model openai/gpt-4o-mini --model echo/echo`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.run(cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.pairs, "var", nil, "a variable: name=text, or name:=JSON (false, [], 3); repeatable, dotted names nest")
	fl.StringVar(&f.varsFile, "vars", "", "a JSON file with an object of variables")
	fl.StringArrayVar(&f.models, "model", nil, "model as provider/model (repeatable: one call each)")
	fl.BoolVar(&f.noCache, "no-cache", false, "always call the model, never the response cache")
	fl.BoolVar(&f.asJSON, "json", false, "print the results as JSON instead of streaming text")
	fl.StringVar(&f.stream, "stream", "auto", "stream tokens: auto (on a terminal), always or never")
	return cmd
}

// runJSON is one element of the stable `run --json` array.
type runJSON struct {
	Model           string  `json:"model"`
	Output          string  `json:"output"`
	FinishReason    string  `json:"finish_reason,omitempty"`
	InputTokens     int     `json:"input_tokens"`
	OutputTokens    int     `json:"output_tokens"`
	TokensEstimated bool    `json:"tokens_estimated,omitempty"`
	TTFTMillis      float64 `json:"ttft_ms"`
	LatencyMillis   float64 `json:"latency_ms"`
	CostUSD         float64 `json:"cost_usd"`
	Cached          bool    `json:"cached"`
	Error           string  `json:"error,omitempty"`
	LogID           string  `json:"log_id"`
}

func (a *app) run(cmd *cobra.Command, ref string, f runFlags) error {
	ctx := cmd.Context()
	stream, err := a.streamMode(f.stream, f.asJSON)
	if err != nil {
		return err
	}
	vars, err := parseVars(f.varsFile, f.pairs)
	if err != nil {
		return err
	}
	ws, err := a.openWorkspace("run")
	if err != nil {
		return err
	}
	reg, err := provider.NewRegistry(ws.Config.Providers, provider.Options{Getenv: a.getenv})
	if err != nil {
		return inputError(err)
	}
	if offlineOnly(reg, f.models) {
		// The calls answer at once: one opening of the store serves the
		// reads and the log entries. Without it each opens its own.
		_ = ws.KeepStoreForWrite(ctx)
	}
	variants := []eval.Variant{{Ref: ref}}
	if len(f.models) > 0 {
		variants = variants[:0]
		for i, m := range f.models {
			if slices.Contains(f.models[:i], m) {
				return usagef(fmt.Sprintf("--model %s is given twice; each model is called once", m))
			}
			variants = append(variants, eval.Variant{ID: m, Ref: ref, Model: m})
		}
	}
	s, err := eval.NewSession(ctx, eval.SessionOptions{
		Recorder: ws, Client: reg, Concurrency: len(variants), NoCache: f.noCache,
		Stream: stream, Source: "cli", Now: a.now,
	}, variants)
	var noModel *eval.NoModelError
	switch {
	case errors.As(err, &noModel):
		return usagef(fmt.Sprintf("%s; pass --model provider/model (echo/echo answers offline)", noModel))
	case err != nil:
		return inputError(err)
	}
	variants = s.Variants()
	calls := a.collect(s.Run(ctx, eval.Cases(eval.Case{Vars: vars})), variants, !f.asJSON)
	if calls.skipped != nil {
		return calls.skipped
	}
	out := make([]runJSON, len(variants))
	failures := 0
	var last workspace.LogEntry
	for i, v := range variants {
		fin := calls.finished[v.ID]
		res, e := fin.Result, fin.Entry
		out[i] = runJSON{
			Model: v.ID, Output: res.Output, FinishReason: res.FinishReason,
			InputTokens: res.InputTokens, OutputTokens: res.OutputTokens, TokensEstimated: res.TokensEstimated,
			TTFTMillis: millis(res.TTFT), LatencyMillis: millis(res.Latency), CostUSD: res.Cost, Cached: res.Cached,
			Error: e.Error, LogID: e.ID,
		}
		if res.Err != nil {
			failures++
		}
		last = e
	}
	if calls.flushErr != nil {
		return fmt.Errorf("record the calls in the log: %w", calls.flushErr)
	}
	if f.asJSON {
		if err := writeJSON(a.Out, out); err != nil {
			return err
		}
	}
	if failures > 0 {
		// Each failure was printed with its call (or is in the JSON).
		return fmt.Errorf("%d of %d calls failed; they are in the log (promptbench logs %s@%d)", failures, len(variants), last.Prompt, last.Version)
	}
	return nil
}

func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// offlineOnly tells whether every model given is served by the offline echo
// provider (no model given: the version's own, not known yet).
func offlineOnly(reg *provider.Registry, models []string) bool {
	for _, m := range models {
		p, _, err := reg.Resolve(m)
		if err != nil || p.Kind() != provider.KindEcho {
			return false
		}
	}
	return len(models) > 0
}

// inputError marks provider configuration mistakes (unknown provider, bad
// model name, unset key variable) as input errors: exit code 2.
func inputError(err error) error {
	if errors.Is(err, provider.ErrModelFormat) || errors.Is(err, provider.ErrUnknownProvider) || errors.Is(err, provider.ErrNoAPIKey) {
		return usagef(err.Error())
	}
	if strings.Contains(err.Error(), "provider") {
		return usagef(err.Error())
	}
	return err
}

func (a *app) streamMode(mode string, asJSON bool) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
		return !asJSON && isTerminal(a.Out), nil
	}
	return false, usagef(fmt.Sprintf("--stream %q: use auto, always or never", mode))
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// runCalls is what collect gathered of a run's session.
type runCalls struct {
	finished map[string]eval.Finished // by variant
	skipped  error                    // a variant that could not render
	flushErr error                    // the log could not be written
}

// collect drains the session's events. With print set, the first call's
// text streams live while the others are buffered; when a call finishes,
// the next one's buffer is flushed and it goes live, so several models run
// at once yet print one after another, each followed by its stats line.
func (a *app) collect(events <-chan eval.SessionEvent, variants []eval.Variant, print bool) runCalls {
	rc := runCalls{finished: map[string]eval.Finished{}}
	texts := map[string]*strings.Builder{}
	printed := map[string]int{}
	shown := map[string]*textStream{} // exact to a pipe, sanitised on a terminal
	for _, v := range variants {
		texts[v.ID] = &strings.Builder{}
		shown[v.ID] = a.newTextStream(a.Out)
	}
	st := a.styles()
	live, started := 0, false
	flush := func(id string) {
		text := texts[id].String()
		shown[id].write(text[printed[id]:])
		printed[id] = len(text)
	}
	header := func(i int) {
		if len(variants) > 1 {
			fmt.Fprintln(a.out(), st.title.Render("── "+variants[i].ID+" ──"))
		}
	}
	// advance finishes the live call and every finished call after it.
	advance := func() {
		for started && live < len(variants) {
			id := variants[live].ID
			fin, done := rc.finished[id]
			if !done {
				return
			}
			flush(id)
			if texts[id].Len() == 0 {
				shown[id].write(fin.Result.Output) // not streamed: the whole answer at once
			}
			shown[id].end()
			a.printStats(id, fin.Result)
			live++
			if live < len(variants) {
				header(live)
				flush(variants[live].ID)
			}
		}
	}
	for ev := range events {
		switch ev := ev.(type) {
		case eval.Started:
			if !started {
				started = true
				for _, u := range ev.Rendered.Unused {
					a.warn(fmt.Sprintf("variable %q is not used by %s@%d", u, ev.Rendered.Prompt.Name, ev.Rendered.Version.Number))
				}
				if print {
					header(0)
				}
			}
		case eval.Streamed:
			texts[ev.Variant].WriteString(ev.Text)
			if print && started && live < len(variants) && variants[live].ID == ev.Variant {
				flush(ev.Variant)
			}
		case eval.Finished:
			rc.finished[ev.Variant] = ev
			if ev.CacheErr != nil {
				a.warn("response cache: " + ev.CacheErr.Error())
			}
		case eval.Skipped:
			if rc.skipped == nil && !errors.Is(ev.Err, context.Canceled) {
				rc.skipped = ev.Err
			}
		case eval.FlushFailed:
			if ev.Final {
				rc.flushErr = ev.Err
			}
		}
		if print {
			advance()
		}
	}
	for _, v := range variants {
		if _, ok := rc.finished[v.ID]; !ok {
			rc.finished[v.ID] = eval.Finished{Variant: v.ID, Result: eval.Result{Err: context.Canceled}}
		}
	}
	if print {
		advance()
	}
	return rc
}

func (a *app) printStats(id string, res eval.Result) {
	st := newStyles()
	if res.Err != nil {
		fmt.Fprintln(a.errOut(), st.del.Render("error: "+termtext.Sanitize(res.Err.Error())))
		return
	}
	tokens := fmt.Sprintf("%d→%d tokens", res.InputTokens, res.OutputTokens)
	if res.TokensEstimated {
		tokens += " (estimated)"
	}
	line := fmt.Sprintf("%s · %s · %s · $%.6f", id, tokens, res.Latency.Round(time.Millisecond), res.Cost)
	if res.TTFT > 0 && res.TTFT < res.Latency-time.Millisecond {
		line += fmt.Sprintf(" · first token %s", res.TTFT.Round(time.Millisecond))
	}
	if res.Cached {
		line += " · cached"
	}
	if res.Unpriced {
		line += " · no price known"
	}
	fmt.Fprintln(a.errOut(), st.dim.Render(line))
}
