package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"promptbench/workspace"
)

// logsFixture gives the demo's support/reply@3 five logged calls (one
// failed, one from an evaluation run with a hostile output) and records
// that run.
func logsFixture(t *testing.T, ws *workspace.Workspace) []workspace.LogEntry {
	t.Helper()
	ctx := context.Background()
	_, v, err := ws.Show(ctx, "support/reply")
	if err != nil {
		t.Fatal(err)
	}
	base := fixedNow().Add(-3 * time.Hour)
	var entries []workspace.LogEntry
	for i, src := range []string{"cli", "tui", "tui", "eval:r1", "cli"} {
		e := workspace.LogEntry{
			ID: workspace.NewLogID(base.Add(time.Duration(i) * time.Minute)), Prompt: "support/reply", Version: v.Number, Hash: v.Hash,
			Source: src, Model: "echo/echo", Variables: map[string]any{"ticket": "My order #" + itoa(i) + " is late"},
			Messages:    []workspace.Message{{Role: "user", Content: "Ticket: My order #" + itoa(i) + " is late"}},
			Output:      "Sorry about order #" + itoa(i) + ", it ships today.",
			InputTokens: 12, OutputTokens: 9, Latency: time.Duration(100+i) * time.Millisecond, Cost: 0.0001,
			Time: base.Add(time.Duration(i) * time.Minute),
		}
		if src == "eval:r1" {
			e.Run, e.Case = "r1", "7"
			e.Output = "evil\x1b]52;c;cm0gLXJmIC8K\x07 output\x1b[2J"
		}
		if i == 4 {
			e.Output, e.Error = "", "HTTP 500: upstream failed"
		}
		entries = append(entries, e)
	}
	if err := ws.AddLogs(ctx, entries, nil); err != nil {
		t.Fatal(err)
	}
	run := workspace.Run{ID: "r1", Status: workspace.RunDone, Source: "eval", Dataset: "datasets/tickets.jsonl", Started: base,
		Ended: base.Add(time.Minute), Counts: workspace.RunCounts{Cases: 1, Calls: 1}, Cost: 0.0001,
		Variants: []workspace.RunVariant{{ID: "a", Ref: "support/reply@3", Prompt: "support/reply", Version: v.Number, Hash: v.Hash, Model: "echo/echo"}}}
	if err := ws.SaveRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	return entries
}

// openLogsOf selects a prompt through the Library's filter and focuses
// the Logs pane.
func openLogsOf(d *driver, filter string) {
	d.typeKeys("/" + filter)
	d.press(tea.KeyEnter)
	d.press(tea.KeyEnter)
	d.typeKeys("6")
}

func TestLogsListsFiltersAndOpensEntries(t *testing.T) {
	ws := demoWorkspace(t)
	logsFixture(t, ws)
	d := newDriver(t, ws, 100, 30)
	openLogsOf(d, "reply")
	if d.m.focus != paneLogs {
		t.Fatalf("6 focused %v", d.m.focus)
	}
	d.mustShow("support/reply@3 · 5 entries", "error: HTTP 500", "Sorry about order")
	if s := d.screen(); strings.Contains(s, "\x1b]52") || strings.Contains(s, "cm0gLXJmIC8K\x07") {
		t.Fatalf("an escape sequence from a model output reached the screen:\n%q", s)
	}

	d.typeKeys("f") // cli
	d.mustShow("2 entries", "source cli")
	d.typeKeys("ff") // tui, then eval
	d.mustShow("1 entry", "source eval", "evil")
	d.typeKeys("f") // all again
	d.typeKeys("e")
	d.mustShow("1 entry", "errors only", "HTTP 500")
	d.typeKeys("e")
	d.mustShow("5 entries")

	// Newest first: the cursor starts on the failed call; the next one down
	// is the evaluation's entry.
	d.typeKeys("j")
	d.press(tea.KeyEnter)
	d.mustShow("run r1 case 7", "VARIABLES", "ticket My order #3 is late", "OUTPUT", "evil")
	d.press(tea.KeyEsc)
	d.mustShow("5 entries")
}

func TestLogsScoreGoesIntoTheVersionsLog(t *testing.T) {
	ws := demoWorkspace(t)
	entries := logsFixture(t, ws)
	d := newDriver(t, ws, 100, 30)
	openLogsOf(d, "reply")
	d.typeKeys("G") // the oldest: entries[0]
	d.typeKeys("s")
	d.mustShow("Score: 1–5")
	d.typeKeys("3") // a score, not a jump to History
	if d.m.focus != paneLogs {
		t.Fatalf("3 while scoring focused %v", d.m.focus)
	}
	d.typeKeys("clear and kind")
	d.press(tea.KeyEnter)

	page, err := ws.QueryLogs(context.Background(), workspace.LogQuery{Prompt: "support/reply"})
	if err != nil {
		t.Fatal(err)
	}
	var got *workspace.LogEntry
	for i := range page.Entries {
		if page.Entries[i].ID == entries[0].ID {
			got = &page.Entries[i]
		}
	}
	if got == nil || len(got.Scores) != 1 || got.Scores[0].Name != "human" || got.Scores[0].Value != 3 ||
		got.Scores[0].Comment != "clear and kind" || got.Scores[0].By != "tester" {
		t.Fatalf("scored entry = %+v", got)
	}
	d.mustShow("scored " + entries[0].ID)

	// A second score by the same person replaces the first: p is a pass.
	d.typeKeys("sp")
	d.press(tea.KeyEnter)
	page, _ = ws.QueryLogs(context.Background(), workspace.LogQuery{Prompt: "support/reply"})
	for _, e := range page.Entries {
		if e.ID == entries[0].ID && (len(e.Scores) != 1 || e.Scores[0].Pass == nil || !*e.Scores[0].Pass) {
			t.Fatalf("rescored entry has scores %+v", e.Scores)
		}
	}
	d.press(tea.KeyEnter)
	d.mustShow("SCORES", "human ✓ by tester")

	// Esc while giving a score gives none.
	d.typeKeys("s")
	d.press(tea.KeyEsc)
	d.mustShow("not scored")
}

func TestLogsListsRunsAndOpensOne(t *testing.T) {
	ws := demoWorkspace(t)
	logsFixture(t, ws)
	d := newDriver(t, ws, 100, 30)
	openLogsOf(d, "reply")
	d.typeKeys("r")
	d.mustShow("1 recorded run", "r1", "done")
	d.press(tea.KeyEnter)
	d.mustShow("run r1", "dataset datasets/tickets.jsonl", "VARIANTS", "support/reply@3", "promptbench report r1")
	d.typeKeys("l")
	d.mustShow("support/reply (all versions) · 1 entry", "run r1")
	d.press(tea.KeyEsc) // leaves the run
	d.mustShow("5 entries")
}

func TestLogsShowsCallsMadeElsewhere(t *testing.T) {
	ws := demoWorkspace(t)
	d := newDriver(t, ws, 100, 30)
	openLogsOf(d, "reply")
	d.mustShow("0 entries", "No calls logged yet")
	logsFixture(t, ws)
	d.send(workspaceChangedMsg{})
	d.mustShow("5 entries")
}

func TestGoldenLogs(t *testing.T) {
	ws := demoWorkspace(t)
	logsFixture(t, ws)
	tm, w := startProgramOn(t, ws)
	keys(tm, "/reply")
	w.waitFor(t, "/ reply")
	press(tm, tea.KeyEnter)
	press(tm, tea.KeyEnter)
	w.waitFor(t, "support/reply @3")
	keys(tm, "6")
	w.waitFor(t, "5 entries")
	keys(tm, "G")
	w.waitFor(t, "›3h")
	golden.RequireEqual(t, finalFrame(t, tm))
}

// TestLogsRunJustMadeWithoutItsPrompt: a run opened with none of its
// prompts selected says how to list its entries (not "of " and nothing),
// and one started a moment ago says "just now".
func TestLogsRunJustMadeWithoutItsPrompt(t *testing.T) {
	ws := demoWorkspace(t)
	logsFixture(t, ws)
	run := workspace.Run{ID: "r2", Status: workspace.RunDone, Source: "eval", Dataset: "datasets/tickets.jsonl",
		Started: fixedNow(), Ended: fixedNow(), Counts: workspace.RunCounts{Cases: 1, Calls: 1},
		Variants: []workspace.RunVariant{{ID: "a", Ref: "support/reply@3", Prompt: "support/reply", Version: 3, Model: "echo/echo"}}}
	if err := ws.SaveRun(context.Background(), run); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, ws, 100, 30)
	d.typeKeys("6r")
	d.mustShow("2 recorded runs")
	d.press(tea.KeyEnter)
	d.mustShow("run r2 · select its prompt (1), then l: its entries · esc back", "(just now)")
	d.mustNotShow("entries of  ", "now ago")
}

// TestLogsRunOptionOfSeveralLines: an option's second line stands under
// its first, not under the option's name.
func TestLogsRunOptionOfSeveralLines(t *testing.T) {
	ws := demoWorkspace(t)
	logsFixture(t, ws)
	run := workspace.Run{ID: "r2", Status: workspace.RunDone, Source: "eval", Started: fixedNow(), Ended: fixedNow(),
		Options:  map[string]string{"fail_under": "contains:a=0.9\nregex:b=0.3"},
		Variants: []workspace.RunVariant{{ID: "a", Ref: "support/reply@3", Prompt: "support/reply", Version: 3, Model: "echo/echo"}}}
	if err := ws.SaveRun(context.Background(), run); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, ws, 100, 30)
	d.typeKeys("6r")
	d.press(tea.KeyEnter)
	d.mustShow("fail_under contains:a=0.9")
	d.mustShow("│           regex:b=0.3")
}
