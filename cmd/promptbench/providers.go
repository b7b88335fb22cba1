package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/spf13/cobra"

	"promptbench/eval/provider"
	"promptbench/tui/termtext"
)

func (a *app) providersCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "providers",
		Short: "Check the model providers: providers check [NAME]",
		Args:  exactArgs(0),
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.providersCheckCommand())
	return cmd
}

func (a *app) providersCheckCommand() *cobra.Command {
	var model string
	var timeout time.Duration
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check [NAME]",
		Short: "Make one 1-token call per provider: reachable, key accepted, latency",
		Long: `check calls each provider once (or only NAME) with a 1-token completion and
reports whether the server answered, whether it accepted the key, and the
latency. The model is --model, else the first one config.yaml prices for the
provider, else the first the server lists at GET /models, else gpt-4o-mini. Calls are not retried and not logged.

Exit status 3 when a provider named, or configured in config.yaml, is
unreachable, refuses the key or has none set; built-in providers you have not
set up (openai without OPENAI_API_KEY, ollama not running) are reported only.`,
		Example: `  promptbench providers check
  promptbench providers check local --model llama3.1`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) <= 1 {
				return nil
			}
			return usagef(fmt.Sprintf("providers check takes at most one provider name, got %d: %s", len(args), cmd.UseLine()))
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.openWorkspace("providers check")
			if err != nil {
				return err
			}
			reg, err := provider.NewRegistry(ws.Config.Providers, provider.Options{Getenv: a.getenv, Retry: provider.RetryPolicy{MaxAttempts: 1}})
			if err != nil {
				return inputError(err)
			}
			names := reg.Names()
			if len(args) == 1 {
				if !slices.Contains(names, args[0]) {
					return usagef(fmt.Sprintf("no provider named %q; providers: %s (`promptbench models` lists them)", args[0], strings.Join(names, ", ")))
				}
				names = args
			} else if model != "" {
				return usagef("--model needs a provider name: promptbench providers check NAME --model M")
			}
			results := checkAll(cmd.Context(), reg, names, model, timeout)
			if asJSON {
				if err := writeJSON(a.Out, results); err != nil {
					return err
				}
			} else {
				a.printChecks(results)
			}
			required := map[string]bool{}
			for _, p := range ws.Config.Providers {
				required[p.Name] = true
			}
			for _, r := range results {
				if (len(args) == 1 || required[r.Provider]) && !usable(r) {
					return exitStatus(exitFailure)
				}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&model, "model", "", "the model to call (with NAME)")
	fl.DurationVar(&timeout, "timeout", 20*time.Second, "how long to wait for each provider")
	fl.BoolVar(&asJSON, "json", false, "print JSON: an array of results")
	return cmd
}

// checkAll checks the providers side by side, each within timeout, and
// returns the results in the order of names.
func checkAll(ctx context.Context, reg *provider.Registry, names []string, model string, timeout time.Duration) []provider.CheckResult {
	out := make([]provider.CheckResult, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() {
			cctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			res, err := reg.Check(cctx, name, model)
			if err != nil {
				res = provider.CheckResult{Provider: name, Model: model, Auth: provider.AuthUnknown, Problem: err.Error()}
			}
			out[i] = res
		})
	}
	wg.Wait()
	return out
}

func usable(r provider.CheckResult) bool {
	return r.Reachable && (r.Auth == provider.AuthOK || r.Auth == provider.AuthNone)
}

func (a *app) printChecks(results []provider.CheckResult) {
	st := a.styles()
	w := a.out()
	plain := lipgloss.NewStyle()
	rows := make([][]string, 0, len(results))
	for _, r := range results {
		status := checkWords(r)
		latency := ""
		if r.Latency > 0 {
			latency = r.Latency.Round(time.Millisecond).String()
		}
		rows = append(rows, []string{r.Provider, r.Model, status, latency, termtext.Sanitize(oneLine(r.Problem, 120))})
	}
	printTable(w, []string{"PROVIDER", "MODEL", "STATUS", "LATENCY", "DETAIL"}, rows, []lipgloss.Style{st.title, plain, st.label, plain, st.dim}, st.dim)
}

// checkWords says in a few words what a check showed.
func checkWords(r provider.CheckResult) string {
	switch {
	case r.Auth == provider.AuthMissing:
		return "key not set: set " + r.KeyEnv
	case !r.Reachable:
		return "unreachable"
	case r.Auth == provider.AuthFailed:
		return fmt.Sprintf("reachable, key refused (HTTP %d)", r.Status)
	case r.ModelUnknown:
		return "reachable, model unknown: pass --model"
	case r.Auth == provider.AuthUnknown:
		return fmt.Sprintf("reachable, server error (HTTP %d)", r.Status)
	case r.Problem != "":
		return fmt.Sprintf("reachable, key accepted, call refused (HTTP %d)", r.Status)
	case r.Auth == provider.AuthNone:
		return "ok (no key needed)"
	}
	return "ok"
}
