package tui

import (
	tea "charm.land/bubbletea/v2"
	"context"
	"github.com/charmbracelet/x/ansi"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"promptbench/eval/fakeopenai"
	"promptbench/workspace"
)

func fakeOptions(t testing.TB, srv *fakeopenai.Server) CompareOptions {
	reg := fakeRegistry(t, srv.BaseURL())
	return CompareOptions{Client: reg, Models: []string{"fake/gpt", "fake/mini"}, Price: registryPrice(reg)}
}

// logsOf reads a version's log entries.
func logsOf(t *testing.T, ws *workspace.Workspace, ref string) []workspace.LogEntry {
	t.Helper()
	_, entries, _, err := ws.Logs(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func scoreNamed(e workspace.LogEntry, name string) *workspace.Score {
	for i := range e.Scores {
		if e.Scores[i].Name == name {
			return &e.Scores[i]
		}
	}
	return nil
}

// TestCompareStreamsScoresAndLogs: two versions stream side by side from
// an OpenAI-compatible server; each call is a log entry from the TUI, the
// default scorer's result and a person's score land in the version's log.
func TestCompareStreamsScoresAndLogs(t *testing.T) {
	srv := fakeopenai.New(func(n int, req *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{ChunkDelay: 10 * time.Millisecond}
	})
	defer srv.Close()
	ws := greetWorkspace(t)
	d := newLiveDriver(t, ws, fakeOptions(t, srv), 100, 30)
	d.openCompare("t/greet", 2)
	d.mustShow("A  @2 latest · fake/gpt (own)", "B  @1 production · fake/gpt (own)", "name")

	d.keys("jj⏎Ada⏎R")
	d.until("both outputs", d.allSettled)
	p := d.m.compare
	if got := p.cols[0].output(); got != "You said: Hi Ada, how are you" {
		t.Fatalf("column A: %q", got)
	}
	if got := p.cols[1].output(); got != "You said: Hello Ada" {
		t.Fatalf("column B: %q", got)
	}
	d.mustShow("You said: Hi Ada", "You said: Hello Ada", "ttft", "tok/s", "5→7 tok", "$0.00001")

	// The default scorer of version 2 runs by itself and is written.
	d.until("the default scorer's result", func() bool {
		es := logsOf(t, ws, "t/greet@2")
		return len(es) == 1 && scoreNamed(es[0], "contains") != nil
	})
	e := logsOf(t, ws, "t/greet@2")[0]
	if e.Source != "tui" || e.Output != "You said: Hi Ada, how are you" || e.Variables["name"] != "Ada" {
		t.Fatalf("log entry: %+v", e)
	}
	if s := scoreNamed(e, "contains"); s.Pass == nil || !*s.Pass {
		t.Fatalf("contains score: %+v", s)
	}
	d.mustShow("contains ✓")

	// Score the focused column (A): 4 with a note.
	d.keys("s4clear and warm⏎")
	d.until("the human score in the log", func() bool {
		return scoreNamed(logsOf(t, ws, "t/greet@2")[0], humanScoreName) != nil
	})
	s := scoreNamed(logsOf(t, ws, "t/greet@2")[0], humanScoreName)
	if s.Value != 4 || s.Comment != "clear and warm" || s.By != "tester" {
		t.Fatalf("human score: %+v", s)
	}
	d.mustShow("★4 clear and warm")
	// The Logs pane shows it too, once the change check (a tick here
	// sent by hand) says the store changed.
	d.send(focusMsg{id: paneLogs})
	d.send(workspaceChangedMsg{})
	d.until("the score in Logs", func() bool { return strings.Contains(d.screen(), "4 +1") })
	d.mustShow("tui", "You said: Hi Ada")
	d.send(focusMsg{id: paneCompare})
	if es := logsOf(t, ws, "t/greet@1"); len(es) != 1 || es[0].Source != "tui" {
		t.Fatalf("version 1's log: %+v", es)
	}

	// The variables are remembered for the next time.
	if vals, err := ws.LoadVarValues("t/greet"); err != nil || vals["name"] != "Ada" {
		t.Fatalf("remembered variables: %v, %v", vals, err)
	}
}

// TestCompareStallCancels: a model that never answers freezes nothing;
// esc cancels both calls, which are logged as cancelled.
func TestCompareStallCancels(t *testing.T) {
	srv := fakeopenai.New(func(n int, req *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Delay: time.Minute}
	})
	defer srv.Close()
	ws := greetWorkspace(t)
	d := newLiveDriver(t, ws, fakeOptions(t, srv), 100, 30)
	d.openCompare("t/greet", 2)
	d.keys("jj⏎Ada⏎R")
	p := d.m.compare
	d.until("both calls started", func() bool {
		return len(p.cols) == 2 && p.cols[0].state == colStreaming && p.cols[1].state == colStreaming
	})

	// Typing works while the calls hang: edit the variable and come back.
	d.keys("e")
	d.keys("jj⏎")
	d.keys("Bob")
	if !strings.Contains(p.area.Value(), "AdaBob") {
		t.Fatalf("typed %q while the calls stall", p.area.Value())
	}
	d.keys("⎋⎋") // stop typing, back to the outputs
	if p.mode != modeOutputs || !p.running() {
		t.Fatalf("mode %v, running %v", p.mode, p.running())
	}
	d.keys("⎋")
	d.until("the cancelled calls", d.allSettled)
	for _, col := range p.cols {
		if col.state != colCancelled {
			t.Fatalf("column %s state %v, want cancelled", col.id, col.state)
		}
	}
	d.mustShow("cancelled")
	for _, ref := range []string{"t/greet@2", "t/greet@1"} {
		es := logsOf(t, ws, ref)
		if len(es) != 1 || !es[0].Cancelled || es[0].Source != "tui" {
			t.Fatalf("%s log: %+v", ref, es)
		}
	}
}

// TestCompareFailsMidStream: a stream that breaks shows its error in its
// column and the status line; the other column and the program go on.
func TestCompareFailsMidStream(t *testing.T) {
	srv := fakeopenai.New(func(n int, req *fakeopenai.Request) fakeopenai.Reply {
		if strings.Contains(req.Messages[len(req.Messages)-1].Content, "Hi") {
			return fakeopenai.Reply{StreamError: "the model is overloaded", CutAfter: 2}
		}
		return fakeopenai.Reply{}
	})
	defer srv.Close()
	ws := greetWorkspace(t)
	d := newLiveDriver(t, ws, fakeOptions(t, srv), 100, 30)
	d.openCompare("t/greet", 2)
	d.keys("jj⏎RAda")
	d.send(tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl}) // runs from the field
	d.until("both outputs", d.allSettled)
	p := d.m.compare
	a, b := p.cols[0], p.cols[1]
	if p.setup.values["name"] != "RAda" {
		t.Fatalf("typed R ran instead of being typed: %q", p.setup.values["name"])
	}
	if a.state != colFailed || !strings.Contains(a.err, "overloaded") {
		t.Fatalf("column A: state %v, err %q", a.state, a.err)
	}
	if b.state != colDone || b.output() != "You said: Hello RAda" {
		t.Fatalf("column B: state %v, output %q", b.state, b.output())
	}
	d.until("the error in the status line", func() bool { return strings.Contains(d.m.status.text, "overloaded") })
	d.mustShow("error:", "You said: Hello RAda")
	if es := logsOf(t, ws, "t/greet@2"); len(es) != 1 || !strings.Contains(es[0].Error, "overloaded") {
		t.Fatalf("the failed call's log: %+v", es)
	}
	// The program goes on: re-running the failed column works.
	d.keys("r")
	d.until("the re-run", d.allSettled)
	if a.state != colFailed {
		t.Fatalf("re-run state %v", a.state)
	}
}

// TestCompareBlindRevealsAfterScoring: blind mode hides which column is
// which until every column has a score.
func TestCompareBlindRevealsAfterScoring(t *testing.T) {
	srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply { return fakeopenai.Reply{} })
	defer srv.Close()
	ws := greetWorkspace(t)
	d := newLiveDriver(t, ws, fakeOptions(t, srv), 100, 30)
	d.openCompare("t/greet", 2)
	d.keys("bjj⏎Ada⏎R")
	d.until("both outputs", d.allSettled)
	d.mustShow("Output 1", "Output 2", "blind")
	if s := ansi.Strip(d.m.compare.View()); strings.Contains(s, "@2") || strings.Contains(s, "fake/gpt") || strings.Contains(s, "tok/s") || strings.Contains(s, "contains") {
		t.Fatalf("blind screen names a variant:\n%s", s)
	}
	d.keys("s3⏎")
	d.mustShow("Output 1")
	d.keys("lspno⏎")
	d.mustShow("@2", "@1", "★3", "✓ pass no")
	d.until("both scores in the logs", func() bool {
		a, b := logsOf(t, ws, "t/greet@2"), logsOf(t, ws, "t/greet@1")
		return len(a) == 1 && len(b) == 1 && scoreNamed(a[0], humanScoreName) != nil && scoreNamed(b[0], humanScoreName) != nil
	})
}

// TestCompareWordDiffAndRaw: d shows the words two outputs differ in, m
// switches between markdown and the raw text.
func TestCompareWordDiffAndRaw(t *testing.T) {
	srv := fakeopenai.New(func(_ int, req *fakeopenai.Request) fakeopenai.Reply {
		if strings.HasPrefix(req.Messages[0].Content, "Hi") {
			return fakeopenai.Reply{Content: "# Hello\n\nThe **cat** sat on the mat."}
		}
		return fakeopenai.Reply{Content: "# Hello\n\nThe dog sat on a mat."}
	})
	defer srv.Close()
	ws := greetWorkspace(t)
	d := newLiveDriver(t, ws, fakeOptions(t, srv), 120, 30)
	d.openCompare("t/greet", 2)
	d.keys("jj⏎Ada⏎R")
	d.until("both outputs", d.allSettled)
	d.mustShow("The cat sat on the mat.") // markdown: no asterisks
	d.keys("m")
	d.mustShow("The **cat** sat on the mat.", "raw")
	d.keys("d")
	p := d.m.compare
	a, b := ansiStripAll(p.cols[0].view.diff), ansiStripAll(p.cols[1].view.diff)
	if !strings.Contains(a, "The **cat** sat on the mat.") || !strings.Contains(b, "The dog sat on a mat.") {
		t.Fatalf("diff sides:\n%s\n---\n%s", a, b)
	}
	d.mustShow("word diff")
	d.keys("⎋")
	if p.diff {
		t.Fatal("esc left the diff on")
	}
}

// TestCompareDatasetRow: a dataset row stands in for the form.
func TestCompareDatasetRow(t *testing.T) {
	srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply { return fakeopenai.Reply{} })
	defer srv.Close()
	ws := greetWorkspace(t)
	path := t.TempDir() + "/people.jsonl"
	if err := os.WriteFile(path, []byte(`{"id": "first", "name": "Ann"}`+"\n"+`{"id": "second", "name": "Bo", "expected": "x"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := newLiveDriver(t, ws, fakeOptions(t, srv), 100, 30)
	d.openCompare("t/greet", 2)
	d.keys("o")
	d.keys(path + "⏎")
	d.until("the rows", func() bool { return d.m.compare.picking() })
	d.mustShow("first", "second")
	d.keys("j⏎")
	d.mustShow("Variables from row second")
	d.keys("R")
	d.until("both outputs", d.allSettled)
	if got := d.m.compare.cols[1].output(); got != "You said: Hello Bo" {
		t.Fatalf("output %q", got)
	}
	if es := logsOf(t, ws, "t/greet@1"); len(es) != 1 || es[0].Case != "second" {
		t.Fatalf("log: %+v", es)
	}
}

func ansiStripAll(lines []string) string { return ansi.Strip(strings.Join(lines, "\n")) }

// TestCompareMouse: a click focuses the column under the pointer.
func TestCompareMouse(t *testing.T) {
	srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply { return fakeopenai.Reply{} })
	defer srv.Close()
	d := newLiveDriver(t, greetWorkspace(t), fakeOptions(t, srv), 100, 30)
	d.openCompare("t/greet", 2)
	d.keys("jj⏎Ada⏎R")
	d.until("both outputs", d.allSettled)
	p := d.m.compare
	p.Update(tea.MouseClickMsg{X: p.colWidth() + 4, Y: 6, Button: tea.MouseLeft})
	if p.focus != 1 {
		t.Fatalf("focus %d after a click on the second column", p.focus)
	}
	p.Update(tea.MouseWheelMsg{X: 1, Y: 6, Button: tea.MouseWheelDown})
}

// TestCompareRerunDropsStaleEvents: re-running a column while its first
// call still streams stops that call and shows only the new one's text.
func TestCompareRerunDropsStaleEvents(t *testing.T) {
	var hi atomic.Int32
	srv := fakeopenai.New(func(_ int, req *fakeopenai.Request) fakeopenai.Reply {
		if strings.HasPrefix(req.Messages[0].Content, "Hi") && hi.Add(1) == 1 {
			return fakeopenai.Reply{Content: strings.Repeat("old ", 200), ChunkDelay: 20 * time.Millisecond}
		}
		return fakeopenai.Reply{Content: "fresh answer"}
	})
	defer srv.Close()
	ws := greetWorkspace(t)
	d := newLiveDriver(t, ws, fakeOptions(t, srv), 100, 30)
	d.openCompare("t/greet", 2)
	d.keys("jj⏎Ada⏎R")
	p := d.m.compare
	d.until("the first words", func() bool { return len(p.cols) == 2 && strings.Contains(p.cols[0].output(), "old") })
	d.keys("r")
	d.until("the re-run", d.allSettled)
	d.until("both calls of A in the log", func() bool { return len(logsOf(t, ws, "t/greet@2")) == 2 })
	if got := p.cols[0].output(); got != "fresh answer" {
		t.Fatalf("column A after the re-run: %q", got)
	}
	es := logsOf(t, ws, "t/greet@2")
	cancelled := 0
	for _, e := range es {
		if e.Cancelled {
			cancelled++
		}
	}
	if len(es) != 2 || cancelled != 1 {
		t.Fatalf("version 2's log: %d entries, %d cancelled", len(es), cancelled)
	}
}

// TestCompareQuitLogsCancelledCalls: quitting while calls hang still
// leaves them in the log once Close has waited for the sessions.
func TestCompareQuitLogsCancelledCalls(t *testing.T) {
	srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply { return fakeopenai.Reply{Delay: time.Minute} })
	defer srv.Close()
	ws := greetWorkspace(t)
	d := newLiveDriver(t, ws, fakeOptions(t, srv), 100, 30)
	d.openCompare("t/greet", 2)
	d.keys("jj⏎Ada⏎R")
	p := d.m.compare
	d.until("both calls started", func() bool {
		return len(p.cols) == 2 && p.cols[0].state == colStreaming && p.cols[1].state == colStreaming
	})
	d.m.cancel() // what q does, with the program then gone
	d.m.Close(10 * time.Second)
	for _, ref := range []string{"t/greet@1", "t/greet@2"} {
		if es := logsOf(t, ws, ref); len(es) != 1 || !es[0].Cancelled {
			t.Fatalf("%s log after quitting: %+v", ref, es)
		}
	}
}

// TestCompareFollowsTheSelectedVersion: a new version of the prompt (a
// commit, or History choosing one) becomes the first variant.
func TestCompareFollowsTheSelectedVersion(t *testing.T) {
	srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply { return fakeopenai.Reply{} })
	defer srv.Close()
	ws := greetWorkspace(t)
	d := newLiveDriver(t, ws, fakeOptions(t, srv), 100, 30)
	d.openCompare("t/greet", 2)
	res, err := ws.Commit(context.Background(), "t/greet", workspace.Draft{Message: "third",
		Messages: []workspace.Message{{Role: workspace.RoleUser, Content: "Hey {{name}}"}}, Inherit: true})
	if err != nil {
		t.Fatal(err)
	}
	d.send(promptSelectedMsg{name: "t/greet", number: res.Version.Number, hash: res.Version.Hash})
	d.until("version 3 as the first variant", func() bool { return d.m.compare.setup.choices[0].version == 3 })
	d.mustShow("A  @3 latest", "B  @1 production")
}

// TestCompareMultiLineVariable: alt+enter breaks a variable's value,
// enter finishes it; the value reaches the model whole.
func TestCompareMultiLineVariable(t *testing.T) {
	srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply { return fakeopenai.Reply{} })
	defer srv.Close()
	ws := greetWorkspace(t)
	d := newLiveDriver(t, ws, fakeOptions(t, srv), 100, 30)
	d.openCompare("t/greet", 2)
	d.keys("jj⏎Ada")
	d.send(tea.KeyPressMsg{Code: tea.KeyEnter, Mod: tea.ModAlt})
	d.keys("Lovelace")
	d.mustShow("Ada", "Lovelace")
	d.keys("⏎")
	if got := d.m.compare.setup.values["name"]; got != "Ada\nLovelace" {
		t.Fatalf("value %q", got)
	}
	d.mustShow("Ada⏎Lovelace")
	d.keys("R")
	d.until("both outputs", d.allSettled)
	if es := logsOf(t, ws, "t/greet@1"); len(es) != 1 || es[0].Messages[0].Content != "Hello Ada\nLovelace" {
		t.Fatalf("log: %+v", es)
	}
}
