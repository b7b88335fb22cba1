package tui

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"promptbench/eval"
	"promptbench/eval/provider"
)

// steadyClient gives every call the same timings, so that a frame
// showing them is the same on every machine.
type steadyClient struct{ eval.Completer }

func (c steadyClient) Complete(ctx context.Context, req eval.Request, onDelta func(string)) eval.Result {
	res := c.Completer.Complete(ctx, req, onDelta)
	res.TTFT, res.Latency = 120*time.Millisecond, 620*time.Millisecond
	return res
}

// probe lets a test wait, from outside the program, for the model to
// reach a state, and for the commands it started to end.
type probe struct {
	*Model
	mu       sync.Mutex
	cond     func(*Model) bool
	ready    chan struct{}
	inflight atomic.Int64 // commands started and not yet returned
}

func (p *probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := p.Model.Update(msg)
	p.mu.Lock()
	if p.cond != nil && p.cond(p.Model) {
		p.cond = nil
		close(p.ready)
	}
	p.mu.Unlock()
	return p, p.track(cmd)
}

// track counts cmd, and the commands of a batch it returns, as in flight
// until each returns.
func (p *probe) track(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	p.inflight.Add(1)
	return func() tea.Msg {
		defer p.inflight.Add(-1)
		msg := cmd()
		if batch, ok := msg.(tea.BatchMsg); ok {
			tracked := make(tea.BatchMsg, len(batch))
			for i, c := range batch {
				tracked[i] = p.track(c)
			}
			return tracked
		}
		return msg
	}
}

// settle waits for the commands still running after the program ended
// (store reads among them) before the workspace directory is removed.
// The test must have replaced common.tick: a tick never ends.
func (p *probe) settle(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for p.inflight.Load() > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d commands still running", p.inflight.Load())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// await blocks until cond holds after some message.
func (p *probe) await(t testing.TB, what string, cond func(*Model) bool) {
	t.Helper()
	p.expect(cond)(t, what)
}

// expect starts watching for cond before the test acts, so that the
// message making it true cannot come and go before the watch starts;
// the function it returns waits.
func (p *probe) expect(cond func(*Model) bool) func(t testing.TB, what string) {
	return p.expectWithin(20*time.Second, cond)
}

// expectWithin is expect giving up after timeout instead: for a wait on
// a million rows under the race detector.
func (p *probe) expectWithin(timeout time.Duration, cond func(*Model) bool) func(t testing.TB, what string) {
	ready := make(chan struct{})
	p.mu.Lock()
	p.cond, p.ready = cond, ready
	p.mu.Unlock()
	return func(t testing.TB, what string) {
		t.Helper()
		select {
		case <-ready:
		case <-time.After(timeout):
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestCompareGolden is the final Compare frame at 100×30: fun/joke of the
// demo library, production against version 1, with the echo model.
func TestCompareGolden(t *testing.T) {
	ws := demoWorkspace(t)
	reg, err := provider.NewRegistry(nil, provider.Options{Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(context.Background(), Options{Store: ws, Theme: "dark", Now: fixedNow, Location: "demo",
		Compare: CompareOptions{Client: steadyClient{reg}, Models: []string{"echo/echo"}}})
	if err != nil {
		t.Fatal(err)
	}
	p := &probe{Model: m}
	tm := teatest.NewTestModel(t, p, teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ASCII)))
	tm.Send(promptSelectedMsg{name: "fun/joke", number: 2})
	tm.Send(focusMsg{id: paneCompare})
	p.await(t, "the setup", func(m *Model) bool { return m.compare.setup.loaded })
	tm.Type("jj")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Type("short")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Type("cats")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Type("R")
	p.await(t, "both outputs and the scorer", func(m *Model) bool {
		c := m.compare
		return len(c.cols) == 2 && !c.running() && c.cols[0].recorded && c.cols[1].recorded && c.cols[0].autoSkipped != nil
	})
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*probe)
	golden.RequireEqual(t, ansi.Strip(final.View().Content))
}
