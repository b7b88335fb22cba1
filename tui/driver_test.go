package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"promptbench/workspace"
	"promptbench/workspace/exchange"
)

// fixedNow is the clock of every test: ages and goldens never move.
func fixedNow() time.Time { return time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC) }

// demoWorkspace is a workspace in t.TempDir() holding the demo library.
func demoWorkspace(t testing.TB) *workspace.Workspace {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(settledTempDir(t), "ws")
	ws, _, err := workspace.Init(ctx, dir, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exchange.LoadDemo(ctx, ws); err != nil {
		t.Fatal(err)
	}
	return ws
}

// settledTempDir is a temporary folder removed once the test is over,
// retrying for a while: a Cmd still running when a test quits the program
// (a store read a pane started) may write the store's lock info while
// the folder is removed, and t.TempDir() would fail the test for it.
func settledTempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "promptbench-tui-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		var err error
		for range 100 {
			if err = os.RemoveAll(dir); err == nil {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Errorf("remove %s: %v", dir, err)
	})
	return dir
}

func testOptions() workspace.Options {
	return workspace.Options{
		Getenv:   func(string) string { return "" },
		Now:      fixedNow,
		Author:   func() string { return "tester" },
		LockWait: 5 * time.Second,
	}
}

// driver runs the root model without a terminal: every Cmd runs at once,
// in order, and timers never fire (tests send their messages instead).
type driver struct {
	t    testing.TB
	m    *Model
	quit bool
	// clipboard is what the last copy put there (tea.SetClipboard).
	clipboard string
}

func newDriver(t testing.TB, st Store, width, height int) *driver {
	t.Helper()
	m, err := New(context.Background(), Options{Store: st, Theme: "dark", Now: fixedNow, Location: "test"})
	if err != nil {
		t.Fatal(err)
	}
	m.c.tick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	d := &driver{t: t, m: m}
	d.send(tea.WindowSizeMsg{Width: width, Height: height})
	d.run(m.Init())
	return d
}

func (d *driver) send(msg tea.Msg) {
	d.t.Helper()
	_, cmd := d.m.Update(msg)
	d.run(cmd)
}

func (d *driver) run(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg:
			d.quit = true
		default:
			if fmt.Sprintf("%T", msg) == "tea.setClipboardMsg" {
				d.clipboard = fmt.Sprint(msg)
			}
			_, next := d.m.Update(msg)
			queue = append(queue, next)
		}
	}
}

// typeKeys presses each character's key.
func (d *driver) typeKeys(s string) {
	d.t.Helper()
	for _, r := range s {
		d.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// press presses a special key: tea.KeyEnter, tea.KeyEsc, tea.KeyTab, ….
func (d *driver) press(code rune, mod ...tea.KeyMod) {
	d.t.Helper()
	k := tea.KeyPressMsg{Code: code}
	for _, m := range mod {
		k.Mod |= m
	}
	d.send(k)
}

// screen is the frame as plain text.
func (d *driver) screen() string { return ansi.Strip(d.m.render()) }

func (d *driver) mustShow(want ...string) {
	d.t.Helper()
	s := d.screen()
	for _, w := range want {
		if !strings.Contains(s, w) {
			d.t.Fatalf("screen lacks %q:\n%s", w, s)
		}
	}
}

func (d *driver) mustNotShow(unwanted ...string) {
	d.t.Helper()
	s := d.screen()
	for _, w := range unwanted {
		if strings.Contains(s, w) {
			d.t.Fatalf("screen shows %q:\n%s", w, s)
		}
	}
}

// cursorLine is the Library row under the cursor.
func (d *driver) cursorLine() string {
	for _, line := range strings.Split(d.screen(), "\n") {
		if strings.Contains(line, "│›") {
			return line
		}
	}
	return ""
}
