package tui

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"promptbench/eval/fakeopenai"
	"promptbench/workspace"
)

// slowAnswer is a long answer streamed a word at a time, slowly enough
// that a test always catches it half-way.
const slowAnswer = "word "

func slowServer() *fakeopenai.Server {
	return fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Content: strings.Repeat(slowAnswer, 2000), ChunkDelay: 20 * time.Millisecond}
	})
}

// startSlowCompare opens Compare on t/greet in a real program, runs both
// variants against srv and waits until both columns show streamed text.
func startSlowCompare(t *testing.T, srv *fakeopenai.Server) (*probe, *teatest.TestModel, *workspace.Workspace) {
	t.Helper()
	ws := greetWorkspace(t)
	m, err := New(context.Background(), Options{Store: ws, Theme: "dark", Now: fixedNow, Location: "test",
		Compare: fakeOptions(t, srv)})
	if err != nil {
		t.Fatal(err)
	}
	m.c.tick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	p := &probe{Model: m}
	tm := teatest.NewTestModel(t, p, teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ASCII)))
	t.Cleanup(func() {
		_ = tm.Quit()
		final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*probe)
		final.Close(10 * time.Second)
		p.settle(t)
	})
	wait := p.expect(func(m *Model) bool { return m.compare.setup.loaded })
	tm.Send(promptSelectedMsg{name: "t/greet", number: 2})
	tm.Send(focusMsg{id: paneCompare})
	wait(t, "the setup")
	tm.Type("jj")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Type("Ada")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Type("R")
	p.await(t, "both columns streaming", func(m *Model) bool {
		c := m.compare
		return len(c.cols) == 2 && c.cols[0].state == colStreaming && c.cols[1].state == colStreaming &&
			strings.Contains(c.cols[0].output(), "word") && strings.Contains(c.cols[1].output(), "word")
	})
	return p, tm, ws
}

// eventually waits, without a time limit in the assertion itself, for a
// condition outside the program (the server, the goroutines).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// compareGoroutines counts goroutines running a Compare session: the
// engine's session and calls, and the pane's event readers.
func compareGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "promptbench/eval.(*Session)") || strings.Contains(g, "promptbench/tui.readRun") ||
			strings.Contains(g, "promptbench/tui.startRun") {
			count++
		}
	}
	return count
}

// TestCompareLeavingCancelsRuns: going to another pane while both
// variants stream cancels their calls: the server sees both requests
// cancelled, the columns end cancelled, the log keeps each partial output
// marked cancelled (not as a finished answer), the status line says so,
// and no goroutine of the session is left.
func TestCompareLeavingCancelsRuns(t *testing.T) {
	srv := slowServer()
	defer srv.Close()
	p, tm, ws := startSlowCompare(t, srv)

	wait := p.expect(func(m *Model) bool {
		c := m.compare
		return !c.running() && c.cols[0].state == colCancelled && c.cols[1].state == colCancelled &&
			c.cols[0].recorded && c.cols[1].recorded && strings.Contains(m.status.text, "leaving the pane cancelled")
	})
	tm.Type("1") // to the Library, as a person would leave
	wait(t, "both columns cancelled and the note")
	eventually(t, "the server to see both requests cancelled", func() bool { return srv.Abandoned() == 2 })
	full := strings.Repeat(slowAnswer, 2000)
	for _, ref := range []string{"t/greet@2", "t/greet@1"} {
		_, es, _, err := ws.Logs(context.Background(), ref)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 1 || !es[0].Cancelled || es[0].Source != "tui" {
			t.Fatalf("%s log: %+v", ref, es)
		}
		if out := es[0].Output; !strings.HasPrefix(out, "word") || len(out) >= len(full) {
			t.Fatalf("%s logged output %d bytes, want the part that arrived", ref, len(out))
		}
	}
	if n := srv.Requests(); n != 2 {
		t.Fatalf("%d requests: a cancelled call was tried again", n)
	}
	eventually(t, "the session's goroutines to end", func() bool { return compareGoroutines() == 0 })
}

// TestCompareRestartCancelsRuns: running the comparison again while it
// streams cancels the first run's calls at the server; they are logged as
// cancelled, and only the new run's columns are shown.
func TestCompareRestartCancelsRuns(t *testing.T) {
	srv := slowServer()
	defer srv.Close()
	p, tm, ws := startSlowCompare(t, srv)

	wait := p.expect(func(m *Model) bool {
		c := m.compare
		return len(c.cols) == 2 && c.cols[0].run == 2 && c.cols[0].state == colStreaming &&
			strings.Contains(c.cols[0].output(), "word")
	})
	tm.Type("R")
	wait(t, "the new run streaming")
	eventually(t, "the server to see the first two requests cancelled", func() bool { return srv.Abandoned() >= 2 })
	eventually(t, "the first run's entries", func() bool {
		for _, ref := range []string{"t/greet@2", "t/greet@1"} {
			_, es, _, err := ws.Logs(context.Background(), ref)
			if err != nil || len(es) != 1 || !es[0].Cancelled {
				return false
			}
		}
		return true
	})
	wait = p.expect(func(m *Model) bool {
		c := m.compare
		return !c.running() && c.cols[0].state == colCancelled && c.cols[1].state == colCancelled
	})
	tm.Type("1") // and leave: the second run stops too
	wait(t, "the second run cancelled")
	eventually(t, "the server to see all four requests cancelled", func() bool { return srv.Abandoned() == 4 })
	eventually(t, "the session's goroutines to end", func() bool { return compareGoroutines() == 0 })
}
