package tui

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"promptbench/eval/provider"
	"promptbench/workspace"
)

// liveDriver runs the root model as a Bubble Tea program would: Update on
// the test's goroutine, every Cmd on its own goroutine, their messages
// fed back in. Unlike driver it lets a stalled model call stay stalled
// while keys go on arriving.
type liveDriver struct {
	t        testing.TB
	m        *Model
	msgs     chan tea.Msg
	inflight atomic.Int64 // Cmds running or whose message is not yet in
}

func newLiveDriver(t testing.TB, st Store, o CompareOptions, width, height int) *liveDriver {
	t.Helper()
	m, err := New(context.Background(), Options{Store: st, Theme: "dark", Now: fixedNow, Location: "test", Compare: o})
	if err != nil {
		t.Fatal(err)
	}
	m.c.tick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	d := &liveDriver{t: t, m: m, msgs: make(chan tea.Msg, 4096)}
	t.Cleanup(func() {
		m.cancel()
		// Every Cmd (store writes among them) ends before the workspace
		// directory is removed.
		deadline := time.After(20 * time.Second)
		for d.inflight.Load() > 0 {
			select {
			case msg := <-d.msgs:
				d.inflight.Add(-1)
				d.send(msg)
			case <-deadline:
				t.Errorf("%d commands still running", d.inflight.Load())
				return
			}
		}
	})
	d.send(tea.WindowSizeMsg{Width: width, Height: height})
	d.exec(m.Init())
	return d
}

func (d *liveDriver) exec(cmd tea.Cmd) {
	if cmd != nil {
		d.inflight.Add(1)
		go func() { d.msgs <- cmd() }()
	}
}

// next takes the next message of a Cmd.
func (d *liveDriver) next(timeout <-chan time.Time) bool {
	select {
	case msg := <-d.msgs:
		d.inflight.Add(-1)
		d.send(msg)
		return true
	case <-timeout:
		return false
	}
}

func (d *liveDriver) send(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil, tea.QuitMsg:
	case tea.BatchMsg:
		for _, c := range msg {
			d.exec(c)
		}
	default:
		_, cmd := d.m.Update(msg)
		d.exec(cmd)
	}
}

// keys presses each character's key; "⏎" is enter and "⎋" esc.
func (d *liveDriver) keys(s string) {
	for _, r := range s {
		switch r {
		case '⏎':
			d.send(tea.KeyPressMsg{Code: tea.KeyEnter})
		case '⎋':
			d.send(tea.KeyPressMsg{Code: tea.KeyEscape})
		default:
			d.send(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
	}
}

// until feeds the program's messages in until cond holds.
func (d *liveDriver) until(what string, cond func() bool) {
	d.t.Helper()
	deadline := time.After(20 * time.Second)
	for !cond() {
		if !d.next(deadline) {
			d.t.Fatalf("timed out waiting for %s; screen:\n%s", what, d.screen())
		}
	}
}

// settle feeds in what is ready now, without waiting for more.
func (d *liveDriver) settle() {
	for d.next(time.After(50 * time.Millisecond)) {
	}
}

func (d *liveDriver) screen() string { return ansi.Strip(d.m.render()) }

func (d *liveDriver) mustShow(want ...string) {
	d.t.Helper()
	s := d.screen()
	for _, w := range want {
		if !strings.Contains(s, w) {
			d.t.Fatalf("screen lacks %q:\n%s", w, s)
		}
	}
}

// openCompare selects a prompt version and focuses Compare on it.
func (d *liveDriver) openCompare(name string, number int) {
	d.t.Helper()
	d.send(promptSelectedMsg{name: name, number: number})
	d.send(focusMsg{id: paneCompare})
	d.until("the Compare setup", func() bool { return d.m.compare.setup.loaded })
}

func (d *liveDriver) allSettled() bool {
	p := d.m.compare
	if len(p.cols) == 0 || p.running() {
		return false
	}
	for _, col := range p.cols {
		if col.entry != nil && !col.recorded {
			return false
		}
	}
	return true
}

// fakeRegistry calls the fake server as provider "fake", priced.
func fakeRegistry(t testing.TB, baseURL string) *provider.Registry {
	t.Helper()
	c := workspace.ProviderConfig{Name: "fake", BaseURL: baseURL, Timeout: "30s",
		Prices: map[string]workspace.Price{"gpt": {Input: 1, Output: 2}, "mini": {Input: 0.1, Output: 0.4}}}
	reg, err := provider.NewRegistry([]workspace.ProviderConfig{c}, provider.Options{
		Getenv: func(string) string { return "" },
		Retry:  provider.RetryPolicy{MaxAttempts: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func registryPrice(reg *provider.Registry) func(string) (workspace.Price, bool) {
	return func(model string) (workspace.Price, bool) {
		p, name, err := reg.Resolve(model)
		if err != nil {
			return workspace.Price{}, false
		}
		return p.Price(name)
	}
}

// greetWorkspace is a workspace holding t/greet: version 1 says hello,
// version 2 (production is 1) says hi and carries a default scorer.
func greetWorkspace(t testing.TB) *workspace.Workspace {
	t.Helper()
	ctx := context.Background()
	ws, _, err := workspace.Init(ctx, t.TempDir(), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	commit := func(content string, scorers []string) {
		_, err := ws.Commit(ctx, "t/greet", workspace.Draft{Message: "greet",
			Messages: []workspace.Message{{Role: workspace.RoleUser, Content: content}},
			Config:   workspace.ModelConfig{Model: "fake/gpt"}, Scorers: scorers})
		if err != nil {
			t.Fatal(err)
		}
	}
	commit("Hello {{name}}", nil)
	commit("Hi {{name}}, how are you", []string{"contains:Hi"})
	if _, err := ws.SetLabel(ctx, "t/greet@1", "production"); err != nil {
		t.Fatal(err)
	}
	return ws
}
