package eval_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"promptbench/eval"
	"promptbench/eval/provider"
	"promptbench/workspace"
)

// newRegistry configures provider "fake" at base, with quick retries: two
// attempts, and a server's Retry-After capped to a few milliseconds.
func newRegistry(t testing.TB, base string, mod func(*workspace.ProviderConfig)) *provider.Registry {
	t.Helper()
	c := workspace.ProviderConfig{Name: "fake", BaseURL: base, Timeout: "5s",
		Prices: map[string]workspace.Price{"m": {Input: 3, Output: 15}}}
	if mod != nil {
		mod(&c)
	}
	r, err := provider.NewRegistry([]workspace.ProviderConfig{c}, provider.Options{
		Getenv: func(string) string { return "" },
		Retry: provider.RetryPolicy{MaxAttempts: 2, InitialInterval: time.Millisecond, MaxInterval: time.Millisecond,
			MaxRetryAfter: 5 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// echoRegistry has only the built-in offline echo provider.
func echoRegistry(t testing.TB) *provider.Registry {
	t.Helper()
	r, err := provider.NewRegistry(nil, provider.Options{Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// named returns n cases whose variable name is n00, n01, …: the fake
// server's answer to greet@1 is then "You said: Hello n07".
func named(n int) []eval.Case {
	cs := make([]eval.Case, n)
	for i := range cs {
		name := fmt.Sprintf("n%02d", i)
		cs[i] = eval.Case{ID: workspace.CaseID(name), Vars: map[string]any{"name": name}}
	}
	return cs
}

// callKey names one variant × case × repeat of a session.
type callKey struct {
	variant string
	c       workspace.CaseID
	repeat  int
}

// trace is what a session delivered, checked as it arrives: each call
// Started once, then its Streamed pieces, then Finished once; each
// finished entry Recorded once.
type trace struct {
	started  map[callKey]eval.Started
	streamed map[callKey]string
	finished map[callKey]eval.Finished
	skipped  map[callKey]eval.Skipped
	recorded map[string]eval.LogRef // by log entry ID
	entries  map[string]callKey     // finished log entry IDs
	flushErr []eval.FlushFailed
	problems []string
}

func newTrace() *trace {
	return &trace{started: map[callKey]eval.Started{}, streamed: map[callKey]string{}, finished: map[callKey]eval.Finished{},
		skipped: map[callKey]eval.Skipped{}, recorded: map[string]eval.LogRef{}, entries: map[string]callKey{}}
}

func (tr *trace) problem(format string, a ...any) {
	tr.problems = append(tr.problems, fmt.Sprintf(format, a...))
}

func (tr *trace) add(ev eval.SessionEvent) {
	switch ev := ev.(type) {
	case eval.Started:
		k := callKey{ev.Variant, ev.Case.ID, ev.Case.Repeat}
		if _, dup := tr.started[k]; dup {
			tr.problem("%v started twice", k)
		}
		tr.started[k] = ev
	case eval.Streamed:
		k := callKey{ev.Variant, ev.Case, ev.Repeat}
		if _, ok := tr.started[k]; !ok {
			tr.problem("%v streamed before it started", k)
		}
		if _, ok := tr.finished[k]; ok {
			tr.problem("%v streamed after it finished", k)
		}
		tr.streamed[k] += ev.Text
	case eval.Finished:
		k := callKey{ev.Variant, ev.Case.ID, ev.Case.Repeat}
		if _, ok := tr.started[k]; !ok {
			tr.problem("%v finished without starting", k)
		}
		if _, dup := tr.finished[k]; dup {
			tr.problem("%v finished twice", k)
		}
		tr.finished[k] = ev
		tr.entries[ev.Entry.ID] = k
	case eval.Skipped:
		k := callKey{ev.Variant, ev.Case.ID, ev.Case.Repeat}
		if _, ok := tr.started[k]; ok {
			tr.problem("%v started and skipped", k)
		}
		tr.skipped[k] = ev
	case eval.Recorded:
		for _, l := range ev.Logs {
			if _, ok := tr.entries[l.ID]; !ok {
				tr.problem("recorded %s before its Finished", l.ID)
			}
			if _, dup := tr.recorded[l.ID]; dup {
				tr.problem("recorded %s twice", l.ID)
			}
			tr.recorded[l.ID] = l
		}
	case eval.FlushFailed:
		tr.flushErr = append(tr.flushErr, ev)
	}
}

// check fails t for any problem seen and for a finished call whose log
// entry was not recorded.
func (tr *trace) check(t testing.TB) {
	t.Helper()
	for _, p := range tr.problems {
		t.Error(p)
	}
	for _, f := range tr.flushErr {
		t.Errorf("flush failed (final %v): %v", f.Final, f.Err)
	}
	for id, k := range tr.entries {
		if _, ok := tr.recorded[id]; !ok {
			t.Errorf("%v finished but its entry %s was never recorded", k, id)
		}
	}
}

// runTrace runs cases through s and returns the checked trace.
func runTrace(t testing.TB, ctx context.Context, s *eval.Session, cases ...eval.Case) *trace {
	t.Helper()
	tr := newTrace()
	drain(t, s.Run(ctx, eval.Cases(cases...)), tr.add)
	tr.check(t)
	return tr
}

// newSession makes a session recording into ws (unless opts names another
// recorder), failing t on error.
func newSession(t testing.TB, ws *workspace.Workspace, opts eval.SessionOptions, variants ...eval.Variant) *eval.Session {
	t.Helper()
	if opts.Recorder == nil {
		opts.Recorder = ws
	}
	s, err := eval.NewSession(context.Background(), opts, variants)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// logged reads the log entries of ref by ID.
func logged(t testing.TB, ws *workspace.Workspace, ref string) map[string]workspace.LogEntry {
	t.Helper()
	_, entries, _, err := ws.Logs(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	m := make(map[string]workspace.LogEntry, len(entries))
	for _, e := range entries {
		m[e.ID] = e
	}
	return m
}
