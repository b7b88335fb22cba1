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
	r, err := ws.Render(ctx, ref, vars)
	if err != nil {
		return err
	}
	for _, u := range r.Unused {
		a.warn(fmt.Sprintf("variable %q is not used by %s@%d", u, r.Prompt.Name, r.Version.Number))
	}
	models := f.models
	if len(models) == 0 {
		if r.Version.Config.Model == "" {
			return usagef(fmt.Sprintf("%s@%d names no model; pass --model provider/model (echo/echo answers offline)", r.Prompt.Name, r.Version.Number))
		}
		models = []string{r.Version.Config.Model}
	}
	reg, err := provider.NewRegistry(ws.Config.Providers, provider.Options{Getenv: a.getenv})
	if err != nil {
		return inputError(err)
	}
	calls := make([]eval.Call, len(models))
	for i, m := range models {
		if slices.Contains(models[:i], m) {
			return usagef(fmt.Sprintf("--model %s is given twice; each model is called once", m))
		}
		if _, _, err := reg.Resolve(m); err != nil {
			return inputError(err)
		}
		params := r.Version.Config
		params.Model = m
		calls[i] = eval.Call{ID: m, Request: eval.Request{Messages: r.Messages, Params: params, Stream: stream}}
	}
	opts := eval.Options{Client: reg, Concurrency: len(calls)}
	var cache *eval.BatchCache
	if !f.noCache {
		known, err := ws.CacheGetMany(ctx, eval.Keys(calls))
		if err != nil {
			return err
		}
		cache = eval.NewBatchCache(known)
		opts.Cache = cache
	}
	results := a.collect(eval.Run(ctx, calls, opts), calls, !f.asJSON)

	entries := make([]workspace.LogEntry, len(calls))
	out := make([]runJSON, len(calls))
	failures := 0
	for i, c := range calls {
		res := results[c.ID]
		entries[i] = eval.NewLogEntry(r, vars, c.Request, res, "cli", a.now())
		out[i] = runJSON{
			Model: c.ID, Output: res.Output, FinishReason: res.FinishReason,
			InputTokens: res.InputTokens, OutputTokens: res.OutputTokens, TokensEstimated: res.TokensEstimated,
			TTFTMillis: millis(res.TTFT), LatencyMillis: millis(res.Latency), CostUSD: res.Cost, Cached: res.Cached,
			Error: entries[i].Error, LogID: entries[i].ID,
		}
		if res.Err != nil {
			failures++
		}
	}
	// A new context: the calls' one may be cancelled (Ctrl-C), and what
	// finished must still reach the log.
	var added map[string][]byte
	if cache != nil {
		added = cache.Added()
	}
	if err := ws.AddLogs(context.WithoutCancel(ctx), entries, added); err != nil {
		return fmt.Errorf("record the calls in the log: %w", err)
	}
	if f.asJSON {
		if err := writeJSON(a.Out, out); err != nil {
			return err
		}
	}
	if failures > 0 {
		// Each failure was printed with its call (or is in the JSON).
		return fmt.Errorf("%d of %d calls failed; they are in the log (promptbench logs %s@%d)", failures, len(calls), r.Prompt.Name, r.Version.Number)
	}
	return nil
}

func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

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

// collect drains the run's events. With print set, the first call's text
// streams live while the others are buffered; when a call finishes, the
// next one's buffer is flushed and it goes live, so several models run at
// once yet print one after another, each followed by its stats line.
func (a *app) collect(events <-chan eval.Event, calls []eval.Call, print bool) map[string]eval.Result {
	results := map[string]eval.Result{}
	texts := map[string]*strings.Builder{}
	printed := map[string]int{}
	for _, c := range calls {
		texts[c.ID] = &strings.Builder{}
	}
	st := a.styles()
	live := 0
	flush := func(id string) {
		text := texts[id].String()
		fmt.Fprint(a.Out, termtext.Sanitize(text[printed[id]:]))
		printed[id] = len(text)
	}
	header := func(i int) {
		if len(calls) > 1 {
			fmt.Fprintln(a.out(), st.title.Render("── "+calls[i].ID+" ──"))
		}
	}
	// advance finishes the live call and every finished call after it.
	advance := func() {
		for live < len(calls) {
			id := calls[live].ID
			res, done := results[id]
			if !done {
				return
			}
			flush(id)
			shown := texts[id].String()
			if shown == "" {
				shown = res.Output // not streamed: the whole answer at once
				fmt.Fprint(a.Out, termtext.Sanitize(shown))
			}
			if shown != "" && !strings.HasSuffix(shown, "\n") {
				fmt.Fprintln(a.Out)
			}
			a.printStats(id, res)
			live++
			if live < len(calls) {
				header(live)
				flush(calls[live].ID)
			}
		}
	}
	if print {
		header(0)
	}
	for ev := range events {
		switch ev := ev.(type) {
		case eval.Delta:
			texts[ev.ID].WriteString(ev.Text)
			if print && live < len(calls) && calls[live].ID == ev.ID {
				flush(ev.ID)
			}
		case eval.Done:
			results[ev.ID] = ev.Result
			if ev.CacheErr != nil {
				a.warn("response cache: " + ev.CacheErr.Error())
			}
		case eval.Failed:
			results[ev.ID] = ev.Result
		}
		if print {
			advance()
		}
	}
	for _, c := range calls {
		if _, ok := results[c.ID]; !ok {
			results[c.ID] = eval.Result{Err: context.Canceled}
		}
	}
	if print {
		advance()
	}
	return results
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
