package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// logFixture writes n entries per version of "p" (two versions), a second
// apart, alternating sources, every fifth one failed.
func logFixture(t *testing.T, ws *Workspace, n int) []LogEntry {
	t.Helper()
	mustCommit(t, ws, "p", text("Hi {{name}}"))
	mustCommit(t, ws, "p", text("Hello {{name}}"))
	base := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	var entries []LogEntry
	for i := range 2 * n {
		e := LogEntry{
			ID: NewLogID(base.Add(time.Duration(i) * time.Second)), Prompt: "p", Version: 1 + i%2,
			Source: []string{"cli", "tui"}[i%2], Model: "echo/echo", Latency: time.Duration(i+1) * time.Millisecond,
			Output: fmt.Sprint("out ", i), Time: base,
		}
		if i%5 == 4 {
			e.Error = "HTTP 500"
		}
		if i%3 == 0 {
			e.Run, e.Case, e.Source = "r1", CaseID(fmt.Sprint(i)), "eval:r1"
		}
		entries = append(entries, e)
	}
	if err := ws.AddLogs(context.Background(), entries, nil); err != nil {
		t.Fatal(err)
	}
	return entries
}

func TestQueryLogsPagesNewestFirstAcrossVersions(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	entries := logFixture(t, ws, 30) // 60 entries
	var got []LogEntry
	q := LogQuery{Prompt: "p", Limit: 25}
	for pages := 0; ; pages++ {
		page, err := ws.QueryLogs(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page.Entries...)
		if page.Next == "" {
			if pages != 2 {
				t.Errorf("%d pages, want 3", pages+1)
			}
			break
		}
		q.Before = page.Next
	}
	if len(got) != len(entries) {
		t.Fatalf("%d entries over all pages, want %d", len(got), len(entries))
	}
	for i, e := range got {
		if want := entries[len(entries)-1-i].ID; e.ID != want {
			t.Fatalf("entry %d = %s, want %s (newest first)", i, e.ID, want)
		}
	}
}

func TestQueryLogsFilters(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	entries := logFixture(t, ws, 30)
	count := func(q LogQuery) int {
		t.Helper()
		q.Prompt, q.Limit = "p", 1000
		page, err := ws.QueryLogs(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return len(page.Entries)
	}
	want := func(keep func(LogEntry) bool) int {
		n := 0
		for _, e := range entries {
			if keep(e) {
				n++
			}
		}
		return n
	}
	for name, tc := range map[string]struct {
		q    LogQuery
		keep func(LogEntry) bool
	}{
		"version": {LogQuery{Version: 2}, func(e LogEntry) bool { return e.Version == 2 }},
		"source":  {LogQuery{Source: "tui"}, func(e LogEntry) bool { return e.Source == "tui" }},
		"eval":    {LogQuery{Source: "eval"}, func(e LogEntry) bool { return e.Run != "" }},
		"errors":  {LogQuery{Errors: true}, func(e LogEntry) bool { return e.Error != "" }},
		"run":     {LogQuery{Run: "r1"}, func(e LogEntry) bool { return e.Run == "r1" }},
		"model":   {LogQuery{Model: "other/x"}, func(LogEntry) bool { return false }},
		"since":   {LogQuery{Since: logTime(entries[40].ID)}, func(e LogEntry) bool { return e.ID >= entries[40].ID }},
	} {
		t.Run(name, func(t *testing.T) {
			if got, w := count(tc.q), want(tc.keep); got != w {
				t.Errorf("%d entries, want %d", got, w)
			}
		})
	}
	if _, err := ws.QueryLogs(ctx, LogQuery{Prompt: "nope"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown prompt: %v", err)
	}
}

// A filtered page that holds the last match must not offer a next page:
// `logs --errors` would otherwise say there is more and show nothing.
func TestQueryLogsFilteredLastPageHasNoCursor(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	entries := logFixture(t, ws, 30)
	failed := 0
	for _, e := range entries {
		if e.Error != "" {
			failed++
		}
	}
	page, err := ws.QueryLogs(ctx, LogQuery{Prompt: "p", Errors: true, Limit: failed})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Entries) != failed || page.Next != "" {
		t.Errorf("%d entries, next %q; want all %d failed calls and no next page", len(page.Entries), page.Next, failed)
	}
	page, err = ws.QueryLogs(ctx, LogQuery{Prompt: "p", Errors: true, Limit: failed - 1})
	if err != nil {
		t.Fatal(err)
	}
	if page.Next == "" {
		t.Fatal("a page short of the last failed call has no next page")
	}
	rest, err := ws.QueryLogs(ctx, LogQuery{Prompt: "p", Errors: true, Before: page.Next})
	if err != nil {
		t.Fatal(err)
	}
	if len(rest.Entries) != 1 || rest.Next != "" {
		t.Errorf("next page has %d entries, next %q; want the one remaining failed call", len(rest.Entries), rest.Next)
	}
}

func TestSummariesOfEveryVersionInOneRead(t *testing.T) {
	ws := newTestWorkspace(t)
	logFixture(t, ws, 10)
	mustCommit(t, ws, "q", text("no logs"))
	sums, err := ws.Summaries(context.Background(), "p", "q")
	if err != nil {
		t.Fatal(err)
	}
	if len(sums["p"]) != 2 || sums["p"][1].Count != 10 || sums["p"][2].Count != 10 || sums["p"][2].Errors != 2 {
		t.Errorf("p: %+v", sums["p"])
	}
	if len(sums["q"]) != 0 {
		t.Errorf("q: %+v, want no versions", sums["q"])
	}
}

func TestChangeAndRemoveScores(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	e := logFixture(t, ws, 1)[0]
	k := LogKey{e.Prompt, e.Version, e.ID}
	pass, fail := true, false
	if _, err := ws.AddScore(ctx, k.Prompt, k.Version, k.ID, Score{Name: "auto", Value: 1, By: "exact"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.SetScore(ctx, k, Score{Name: "human", Value: 2, Pass: &fail, By: "ada"}); err != nil {
		t.Fatal(err)
	}
	got, err := ws.SetScore(ctx, k, Score{Name: "human", Value: 5, Pass: &pass, By: "ada"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Scores) != 2 || got.Scores[1].Value != 5 || !*got.Scores[1].Pass {
		t.Fatalf("after changing ada's score: %+v", got.Scores)
	}
	got, err = ws.RemoveScore(ctx, k, "human", "")
	if err != nil || len(got.Scores) != 1 || got.Scores[0].Name != "auto" {
		t.Fatalf("after removing: %+v, %v", got.Scores, err)
	}
	if _, err := ws.RemoveScore(ctx, k, "human", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("removing it again: %v", err)
	}
	_, entries, _, _ := ws.Logs(ctx, "p@1")
	if len(entries[0].Scores) != 1 {
		t.Errorf("stored scores: %+v", entries[0].Scores)
	}
}

func TestRuns(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	t0 := time.Date(2026, 11, 30, 5, 0, 0, 0, time.UTC)
	for i, status := range []RunStatus{RunDone, RunInterrupted} {
		r := Run{ID: NewRunID(t0.Add(time.Duration(i) * time.Hour)), Status: status, Started: t0.Add(time.Duration(i) * time.Hour),
			Variants: []RunVariant{{ID: "a", Ref: "p@1", Prompt: "p", Version: 1, Model: "echo/echo"}}}
		if err := ws.SaveRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	runs, err := ws.Runs(ctx)
	if err != nil || len(runs) != 2 || runs[0].Status != RunInterrupted {
		t.Fatalf("runs = %+v, %v (want newest first)", runs, err)
	}
	got, err := ws.Run(ctx, runs[1].ID)
	if err != nil || got.Variants[0].Ref != "p@1" {
		t.Errorf("run %s = %+v, %v", runs[1].ID, got, err)
	}
	if _, err := ws.Run(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown run: %v", err)
	}
}

// Another process's commit moves the mark; reading it never opens the store.
func TestChangeMark(t *testing.T) {
	ws := newTestWorkspace(t)
	other, err := Open(ws.Dir, ws.opts)
	if err != nil {
		t.Fatal(err)
	}
	before := ws.ChangeMark()
	if again := ws.ChangeMark(); again != before {
		t.Fatalf("mark moved without a change: %q → %q", before, again)
	}
	mustCommit(t, other, "p", text("new"))
	if after := ws.ChangeMark(); after == before || after == "" {
		t.Errorf("mark after another's commit = %q (before %q)", after, before)
	}
}

// A prepared version renders without the store, includes and all, and
// keeps the version it was prepared with.
func TestPreparedRendersWithoutTheStore(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "footer", text("Thanks, {{team}}"))
	mustCommit(t, ws, "mail", text("Dear {{name}},\n{{> footer@1}}"))
	p, err := ws.Prepare(ctx, "mail")
	if err != nil {
		t.Fatal(err)
	}
	mustCommit(t, ws, "mail", text("changed {{name}}"))
	r, err := p.Render(map[string]any{"name": "Ada", "team": "support"})
	if err != nil || r.Messages[0].Content != "Dear Ada,\nThanks, support" || r.Version.Number != 1 {
		t.Fatalf("render = %+v, %v", r, err)
	}
	_, err = p.Render(map[string]any{})
	var mv *MissingVariablesError
	if !errors.As(err, &mv) || len(mv.Names) != 2 || !errors.Is(err, ErrInvalid) {
		t.Errorf("missing variables: %v", err)
	}
}

// A text commit keeps the model settings of the latest version, read in
// the commit's own transaction; what the draft sets wins.
func TestCommitInheritsTheLatestConfig(t *testing.T) {
	ws := newTestWorkspace(t)
	temp := 0.2
	first := text("v1 {{x}}")
	first.Config = ModelConfig{Model: "echo/echo", Temperature: &temp, MaxTokens: 100}
	first.Scorers = []string{"contains:ok"}
	mustCommit(t, ws, "p", first)
	second := text("v2 {{x}}")
	second.Inherit = true
	second.Config.MaxTokens = 5
	res := mustCommit(t, ws, "p", second)
	c := res.Version.Config
	if c.Model != "echo/echo" || c.Temperature == nil || *c.Temperature != 0.2 || c.MaxTokens != 5 || len(res.Version.Scorers) != 1 {
		t.Errorf("inherited config = %+v, scorers %v", c, res.Version.Scorers)
	}
	if res.Version.Hash != ContentHash(res.Version.Messages, c) {
		t.Errorf("hash %s is not the hash of the inherited content", res.Version.ShortHash())
	}
	same := text("v2 {{x}}")
	same.Inherit = true
	if _, err := ws.Commit(context.Background(), "p", same); !errors.Is(err, ErrUnchanged) {
		t.Errorf("the same text again (inheriting the same config): %v, want ErrUnchanged", err)
	}
}

// Commit refuses what its own export could not import again.
func TestCommitRefusesWhatCouldNotImport(t *testing.T) {
	ws := newTestWorkspace(t)
	big := strings.Repeat("x", 1<<20+1)
	many := Draft{Message: "m"}
	for range 1001 {
		many.Messages = append(many.Messages, Message{Role: RoleUser, Content: "hi"})
	}
	control := Draft{Message: "m"}
	for range 3 { // 3 × 1 MB of control characters: 4 bytes each once escaped
		control.Messages = append(control.Messages, Message{Role: RoleUser, Content: strings.Repeat("\x01", 1<<20-1)})
	}
	for name, d := range map[string]Draft{"big message": text(big), "many messages": many, "escaped": control} {
		t.Run(name, func(t *testing.T) {
			if _, err := ws.Commit(context.Background(), "p", d); !errors.Is(err, ErrInvalid) {
				t.Errorf("commit: %v, want ErrInvalid", err)
			} else {
				t.Log(err)
			}
		})
	}
	mustCommit(t, ws, "p", text(strings.Repeat("y", 1<<20)))
}

// A scorer that failed is counted apart, never as a zero in the mean.
func TestSummaryCountsScorerErrorsApart(t *testing.T) {
	pass := true
	s := Summarize([]LogEntry{{Scores: []Score{
		{Name: "exact", Value: 1, Pass: &pass},
		{Name: "judge", Error: "the judge's reply is not JSON"},
	}}})
	if s.Scored != 1 || s.MeanScore != 1 || s.ScorerErrors != 1 || s.PassRate != 1 {
		t.Errorf("summary = %+v", s)
	}
}
