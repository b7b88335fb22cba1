package main

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/spf13/cobra"

	"promptbench/workspace"
)

// logFilters are the flags that narrow `logs NAME`.
type logFilters struct {
	version int
	source  string
	model   string
	errors  bool
	since   string
}

func (f *logFilters) flags(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.IntVar(&f.version, "version", 0, "only calls of version N")
	fl.StringVar(&f.source, "source", "", "only calls from source S (cli, tui, eval:RUN)")
	fl.StringVar(&f.model, "model", "", "only calls to model P/M")
	fl.BoolVar(&f.errors, "errors", false, "only calls that failed")
	fl.StringVar(&f.since, "since", "", "only calls since DATE (2026-11-01, RFC 3339) or DURATION ago (90m, 24h, 7d)")
}

// set tells whether any filter was given.
func (f *logFilters) set(cmd *cobra.Command) bool {
	for _, name := range []string{"version", "source", "model", "errors", "since"} {
		if cmd.Flags().Changed(name) {
			return true
		}
	}
	return false
}

// parseSince reads --since: a date, a time, or a duration before now
// (Go's units plus d for days).
func parseSince(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04", "2006-01-02 15:04", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.ParseFloat(days, 64); err == nil && n >= 0 {
			return now.Add(-time.Duration(n * 24 * float64(time.Hour))), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, usagef(fmt.Sprintf("--since %q: give a date (2026-11-01), a time (2026-11-01T09:30:00Z) or a duration ago (90m, 24h, 7d)", s))
}

// logsQueryJSON is the stable `logs NAME --json` document: the selected
// entries newest first, more when older ones may match, and every
// version's summary over all its calls.
type logsQueryJSON struct {
	Prompt   string               `json:"prompt"`
	Entries  []workspace.LogEntry `json:"entries"`
	More     bool                 `json:"more,omitempty"`
	Versions []versionSummary     `json:"versions"`
}

type versionSummary struct {
	Version int                  `json:"version"`
	Summary workspace.LogSummary `json:"summary"`
}

// queryLogs is `logs NAME` (or a REF with filters): entries newest first
// across versions through workspace.QueryLogs, then per-version summaries.
func (a *app) queryLogs(cmd *cobra.Command, ws *workspace.Workspace, arg string, f logFilters, limit int, asJSON bool) error {
	ctx := cmd.Context()
	since, err := parseSince(f.since, a.now())
	if err != nil {
		return err
	}
	if f.version < 0 {
		return usagef("--version must be a version number, 1 or more")
	}
	name := arg
	if strings.Contains(arg, "@") {
		// A ref with filters: its version, filtered.
		_, v, err := ws.Show(ctx, arg)
		if err != nil {
			return err
		}
		if f.version != 0 && f.version != v.Number {
			return usagef(fmt.Sprintf("%s is version %d, but --version asks for %d; give one of them", arg, v.Number, f.version))
		}
		name, f.version = v.Prompt, v.Number
	}
	q := workspace.LogQuery{Prompt: name, Version: f.version, Source: f.source, Model: f.model, Errors: f.errors, Since: since, Limit: limit}
	if limit == 0 {
		q.Limit = workspace.DefaultLogPage
	}
	var entries []workspace.LogEntry
	more := false
	for {
		page, err := ws.QueryLogs(ctx, q)
		if err != nil {
			return err
		}
		entries = append(entries, page.Entries...)
		if page.Next == "" {
			break
		}
		if limit > 0 && len(entries) >= limit {
			more = true
			break
		}
		q.Before = page.Next
	}
	sums, err := ws.Summaries(ctx, name)
	if err != nil {
		return err
	}
	var versions []versionSummary
	for _, n := range slices.Sorted(maps.Keys(sums[name])) {
		if f.version == 0 || n == f.version {
			versions = append(versions, versionSummary{n, sums[name][n]})
		}
	}
	if asJSON {
		if entries == nil {
			entries = []workspace.LogEntry{}
		}
		if versions == nil {
			versions = []versionSummary{}
		}
		return writeJSON(a.Out, logsQueryJSON{Prompt: name, Entries: entries, More: more, Versions: versions})
	}
	a.printLogQuery(name, entries, more, versions)
	return nil
}

func (a *app) printLogQuery(name string, entries []workspace.LogEntry, more bool, versions []versionSummary) {
	st := a.styles()
	w := a.out()
	plain := lipgloss.NewStyle()
	if len(versions) == 0 {
		fmt.Fprintf(w, "%s has no logged calls yet; `promptbench run %s` makes one\n", name, name)
		return
	}
	if len(entries) == 0 {
		fmt.Fprintf(w, "no calls of %s match the filters\n", name)
	} else {
		rows := make([][]string, 0, len(entries))
		now := a.now()
		for _, e := range entries {
			result, lat := logCells(e)
			rows = append(rows, []string{ago(now, e.Time), "@" + strconv.Itoa(e.Version), e.Source, e.Model, lat,
				fmt.Sprintf("%d→%d", e.InputTokens, e.OutputTokens), fmt.Sprintf("$%.5f", e.Cost), scoreText(e.Scores), result})
		}
		printTable(w, []string{"WHEN", "VER", "SOURCE", "MODEL", "LATENCY", "TOKENS", "COST", "SCORE", "OUTPUT"}, rows,
			[]lipgloss.Style{st.dim, st.title, st.dim, plain, plain, plain, plain, st.label, plain}, st.dim)
		if more {
			fmt.Fprintln(w, st.dim.Render("… older calls may match (--limit N shows more, --limit 0 all)"))
		}
	}
	fmt.Fprintln(w)
	rows := make([][]string, 0, len(versions))
	for _, v := range versions {
		s := v.Summary
		score, pass := "", ""
		if s.Scored > 0 {
			score = fmt.Sprintf("%.2f", s.MeanScore)
		}
		if s.Judged > 0 {
			pass = fmt.Sprintf("%.0f%% (%d/%d)", 100*s.PassRate, s.Passed, s.Judged)
		}
		rows = append(rows, []string{fmt.Sprintf("%s@%d", name, v.Version), strconv.Itoa(s.Count), strconv.Itoa(s.Errors), score, pass,
			s.P50Latency.Round(time.Millisecond).String(), s.P95Latency.Round(time.Millisecond).String(),
			fmt.Sprintf("%d→%d", s.InputTokens, s.OutputTokens), fmt.Sprintf("$%.4f", s.Cost)})
	}
	printTable(w, []string{"VERSION", "CALLS", "ERRORS", "SCORE", "PASS", "P50", "P95", "TOKENS", "COST"}, rows,
		[]lipgloss.Style{st.title, plain, plain, st.label, st.label, plain, plain, plain, plain}, st.dim)
}
